"""Numbers as texts write them: digits with their separators, decimals before a scale word
("1.1 million", "2,1 tys."), number words in the corpus' languages ("seventy-two", "двух тысяч",
"medio millón", "چار لاکھ"), and shared-scale ranges ("2-3,000" is 2,000 to 3,000).

:func:`readable_numbers` lists every value a reader could take from a text. Validation uses it for the
rule that a claim's bounds must be readable in its `figure_text` or `quote` (a bound typed by hand that
the words do not say is refused). It is generous on purpose: "1.047" gives both 1.047 (as a decimal,
dropped: not whole) and 1,047 (a European thousands point).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

# word -> value; scales multiply what precedes them ---------------------------------------------
_UNITS = {
    # English
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
    # Russian (with the inflections texts use)
    "один": 1, "одна": 1, "одно": 1, "одного": 1, "одной": 1, "одному": 1, "два": 2, "две": 2, "двух": 2,
    "двум": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "четырех": 4, "четырёх": 4, "пять": 5, "пяти": 5,
    "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9,
    "десять": 10, "десяти": 10, "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30, "сорок": 40,
    "сорока": 40, "пятьдесят": 50, "пятидесяти": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80,
    "девяносто": 90, "сто": 100, "ста": 100, "двести": 200, "двухсот": 200, "триста": 300, "трехсот": 300,
    "четыреста": 400, "пятьсот": 500, "пятисот": 500, "шестьсот": 600, "семьсот": 700, "восемьсот": 800,
    "девятьсот": 900,
    # Russian and Ukrainian collective numerals ("двое мирных жителей": two civilians)
    "двое": 2, "двоих": 2, "трое": 3, "троих": 3, "четверо": 4, "четверых": 4, "пятеро": 5, "пятерых": 5,
    "шестеро": 6, "семеро": 7, "двоє": 2, "троє": 3, "четверо": 4,
    # Ukrainian
    "дві": 2, "двох": 2, "трьох": 3, "чотири": 4, "чотирьох": 4, "п'ять": 5, "п’ять": 5, "шість": 6, "сім": 7,
    "вісім": 8, "дев'ять": 9, "дев’ять": 9, "двісті": 200, "чотириста": 400, "п'ятсот": 500,
    # Macedonian / Serbian (Cyrillic and Latin)
    "еден": 1, "една": 1, "четири": 4, "пет": 5, "шест": 6, "седум": 7, "осум": 8, "девет": 9, "десет": 10,
    "jedan": 1, "jedna": 1, "dva": 2, "dve": 2, "tri": 3, "četiri": 4, "pet": 5, "šest": 6, "sedam": 7,
    "osam": 8, "devet": 9, "deset": 10, "sto": 100, "један": 1, "седам": 7, "осам": 8,
    # Polish
    "jeden": 1, "dwa": 2, "dwie": 2, "dwóch": 2, "trzy": 3, "trzech": 3, "cztery": 4, "pięć": 5, "sześć": 6,
    "siedem": 7, "osiem": 8, "dziewięć": 9, "dziesięć": 10, "dwadzieścia": 20, "trzydzieści": 30,
    "czterdzieści": 40, "pięćdziesiąt": 50, "dwieście": 200, "trzysta": 300, "czterysta": 400, "pięćset": 500,
    # German
    "ein": 1, "eine": 1, "eins": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "zwölf": 12, "zwanzig": 20, "dreißig": 30, "vierzig": 40,
    "fünfzig": 50, "hundert": 100,
    # Spanish
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "cien": 100,
    "ciento": 100, "cientos": 100, "doscientos": 200, "trescientos": 300, "quinientos": 500,
    # Portuguese
    "dois": 2, "duas": 2, "três": 3, "seis": 6, "sete": 7, "oito": 8, "dez": 10, "vinte": 20, "trinta": 30,
    "cem": 100, "duzentos": 200, "trezentos": 300,
    # Dutch
    "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "negen": 9, "tien": 10, "honderd": 100,
    # Italian
    "due": 2, "quattro": 4, "cinque": 5, "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "venti": 20,
    "trenta": 30, "cento": 100, "duecento": 200,
    # French
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "vingt": 20, "trente": 30, "cent": 100, "cents": 100,
    # Arabic
    "واحد": 1, "اثنان": 2, "اثنين": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "خمسة": 5, "ستة": 6, "سبعة": 7,
    "ثمانية": 8, "تسعة": 9, "عشرة": 10, "مئة": 100, "مائة": 100,
    # Hindi
    "एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5, "दस": 10, "सौ": 100,
    # Albanian
    "një": 1, "dy": 2, "tre": 3, "katër": 4, "pesë": 5, "gjashtë": 6, "shtatë": 7, "tetë": 8, "nëntë": 9, "dhjetë": 10,
    "njëzet": 20, "tridhjetë": 30, "dyzet": 40, "pesëdhjetë": 50, "gjashtëdhjetë": 60, "shtatëdhjetë": 70,
    "tetëdhjetë": 80, "nëntëdhjetë": 90,
    # Urdu
    "ایک": 1, "دو": 2, "تین": 3, "چار": 4, "پانچ": 5, "چھ": 6, "سات": 7, "آٹھ": 8, "نو": 9, "دس": 10, "سو": 100,
}
_SCALES = {
    "dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "тысяча": 1_000, "тысячи": 1_000, "тысяч": 1_000, "тыс": 1_000, "миллион": 1_000_000, "миллиона": 1_000_000,
    "миллионов": 1_000_000, "млн": 1_000_000,
    "тисяча": 1_000, "тисячі": 1_000, "тисяч": 1_000, "мільйон": 1_000_000, "мільйона": 1_000_000,
    "мільйонів": 1_000_000,
    "илјада": 1_000, "илјади": 1_000, "милион": 1_000_000, "милиони": 1_000_000, "хиљада": 1_000,
    "хиљаде": 1_000, "hiljada": 1_000, "hiljade": 1_000, "tisuća": 1_000, "tisuće": 1_000, "milion": 1_000_000,
    "tysiąc": 1_000, "tysiące": 1_000, "tysięcy": 1_000, "tys": 1_000, "miliony": 1_000_000,
    "milionów": 1_000_000, "mln": 1_000_000,
    "tausend": 1_000, "millionen": 1_000_000, "mio": 1_000_000,
    "mil": 1_000, "millón": 1_000_000, "millones": 1_000_000,
    "mille": 1_000, "mila": 1_000, "milione": 1_000_000, "milioni": 1_000_000,
    "millions": 1_000_000, "milhão": 1_000_000, "milhões": 1_000_000, "duizend": 1_000, "miljoen": 1_000_000,
    "हज़ार": 1_000, "हजार": 1_000, "लाख": 100_000,
    "ألف": 1_000, "آلاف": 1_000, "الف": 1_000, "مليون": 1_000_000,
    "ہزار": 1_000, "لاکھ": 100_000, "کروڑ": 10_000_000,
}
_WHOLE = {"полмиллиона": 500_000, "полумиллиона": 500_000, "півмільйона": 500_000}
_HALF = {"pół", "half", "medio", "media", "mezzo", "demi", "halbe", "halb", "пол", "половина"}
_JOINERS = {"and", "y", "e", "и", "i", "und", "et", "و"}
_RANGE = re.compile(r"^\s*(?:-|–|—|to|до|or|bis|a|à|al|и|або|или|lub)\s*$", re.I)

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९", "012345678901234567890123456789")
# a letter, or a combining mark that \w leaves out (Devanagari vowel signs and nukta, Arabic vowel marks, accents)
_LETTER = r"(?:[^\W\d_]|[\u0300-\u036f\u064b-\u065f\u0900-\u0963\u0970-\u097f])"
_TOKEN = re.compile(rf"\d+(?:[.,\u00a0\u202f\u2009 ]\d+)*|{_LETTER}+(?:['’]{_LETTER}+)?", re.UNICODE)
_GROUPED = re.compile(r"^\d{1,3}(?:([,.\u00a0\u202f\u2009 ])\d{3})+$")


def _digit_readings(token: str) -> list[Decimal]:
    """What a run of digits and separators can mean: thousands groups, or a decimal point/comma."""
    plain = re.sub(r"[\u00a0\u202f\u2009]", " ", token)
    readings: list[Decimal] = []
    if _GROUPED.match(plain):
        readings.append(Decimal(re.sub(r"[,. ]", "", plain)))
    if re.fullmatch(r"\d+[.,]\d+", plain):
        readings.append(Decimal(plain.replace(",", ".")))
    if re.fullmatch(r"\d+", plain):
        readings.append(Decimal(plain))
    if not readings:  # "12 14": numbers side by side
        readings.extend(Decimal(part.replace(",", ".")) for part in plain.split()
                        if re.fullmatch(r"\d+(?:[.,]\d+)?", part))
    return readings


def _word(token: str) -> tuple[str, Decimal] | None:
    lower = unicodedata.normalize("NFC", token.lower()).strip(".")
    if lower in _SCALES:
        return "scale", Decimal(_SCALES[lower])
    if lower in _WHOLE:
        return "value", Decimal(_WHOLE[lower])
    if lower in _HALF:
        return "half", Decimal("0.5")
    if lower in _UNITS:
        return "value", Decimal(_UNITS[lower])
    return None


Token = tuple[str, list[Decimal], int, int]  # kind ("digits", "value", "scale", "half"), readings, span


def _runs(text: str) -> list[list[Token]]:
    """Runs of number tokens: adjacent, or with a joiner word ("and", "и", "y") between them."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    joiner = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0].isdigit():
            kind, readings = "digits", _digit_readings(token)
        else:
            word = _word(token)
            if word is None:
                if token.lower() in _JOINERS and current:
                    joiner = True
                    continue
                if current:
                    runs.append(current)
                current, joiner = [], False
                continue
            kind, readings = word[0], [word[1]]
        gap = text[current[-1][3]:match.start()] if current else ""
        if current and not joiner and gap.strip(" \u00a0-") != "" or (current and "-" in gap and kind == "digits"):
            runs.append(current)
            current = []
        current.append((kind, readings, match.start(), match.end()))
        joiner = False
    if current:
        runs.append(current)
    return runs


def _compose(run: list[Token], first: Decimal) -> Decimal:
    """The value of `run` read as one number from its start (whose value is `first`) up to where it stops
    being one number: "2 тысячи 238" is 2,238, "seventy five thousand" 75,000, "half a million" 500,000,
    and "12 14" stops at 12."""
    total, current, half, previous = Decimal(0), Decimal(0), False, ""
    for index, (kind, readings, _, _) in enumerate(run):
        value = first if index == 0 else readings[0]
        if kind == "half":
            half = True
            continue
        if kind == "scale":
            current = (current or Decimal(1)) * value
            if value >= 1000:
                total, current = total + current * (Decimal("0.5") if half else 1), Decimal(0)
                half = False
        elif previous in ("digits", "value") and not (kind == "value" and previous == "value" and (
                (current % 10 == 0 and value < 10) or (current % 100 == 0 and value < 100) or value == 100)):
            break  # two numbers side by side ("12 14", "five 7"): not one number
        elif kind == "value" and value == 100 and current:
            current *= 100
        else:
            current += value
        previous = kind
    return total + current * (Decimal("0.5") if half else 1)


def _values_of(run: list[Token]) -> set[Decimal]:
    """Every value the run can stand for: the tokens composed as one number from each start."""
    return {_compose(run[start:], reading) for start, (_, readings, _, _) in enumerate(run) for reading in readings}


@lru_cache(maxsize=65536)  # claims repeat their wording across texts
def readable_numbers(text: str) -> frozenset[int]:
    """The whole numbers a reader can take from `text` (see the module docstring)."""
    text = text.translate(_DIGITS)
    runs = _runs(text)
    found: set[Decimal] = set()
    for run in runs:
        found |= _values_of(run)
    # shared-scale ranges: "2-3,000" and "20-30 thousand" give the lower end the upper end's scale
    for left, right in zip(runs, runs[1:]):
        if not _RANGE.match(text[left[-1][3]:right[0][2]]):
            continue
        top = max(_values_of(right), default=Decimal(0))
        for low in _values_of(left):
            for scale in (Decimal(1_000), Decimal(100_000), Decimal(1_000_000)):
                if low * scale <= top and top % scale == 0:
                    found.add(low * scale)
    return frozenset(int(value) for value in found if value >= 0 and value == value.to_integral_value())
