"""The figures in a sentence: numbers in digits and words, vague orders of magnitude, their qualifiers
("at least", "up to"), and what is not a figure (dates, times, money, percentages...)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
          "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
          "seventy": 70, "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_WN = "(?:" + "|".join(sorted(list(_UNITS) + list(_SCALES) + ["dozen"], key=len, reverse=True)) + ")"

_VAGUE = (r"(?:tens|hundreds)\s+of\s+thousands|several\s+(?:hundreds?|thousands?|dozens?)|"
          r"many\s+(?:hundreds|thousands)|dozens|hundreds|thousands|hundred\s+of\s+thousands|"
          r"десятки\s+тысяч|сотни\s+тысяч|сотни|тысячи|десятки")
# scale words after a numeral ("2 тысячи", "400 ألف", "2 lakh"), in the corpus' languages
SCALE_WORDS = (r"million|millions|thousand|billion|mln|млн\.?|тыс\.?|тысяч[аи]?|mil|tys\.?|илјади|тисяч[аі]?|"
               r"хиљад[аеу]?|hiljad[aeu]?|tysi[ąę]c\w*|Tausend|Millionen|Million|mila|mille|millones|milioni|"
               r"мільйон\w*|милион\w*|milion\w*|ألف|آلاف|مليون|ہزار|لاکھ|ملین")
_DIGIT = (r"(?<![\w.,:/$€£])(?:\d{1,3}(?:(?:,|[ \u00a0\u202f\u2009])\d{3})+|\d{1,3}(?:\.\d{3})+(?![\d]|[.,]\d)|"
          r"\d+(?:\.\d+)?)"
          r"(?![\d])(?![.,:/]\d)"
          r"(?:\s*(?:" + SCALE_WORDS + r")(?![\w]))?")
_WORDNUM = (r"(?<![\w-])(?:(?:a|half\s+a)\s+)?" + _WN + r"(?:(?:[\s-]+|\s+and\s+)" + _WN + r")*(?![\w-])")
_RU_COMPOUND = r"(?<![\w.,])\d{1,3}\s+тысяч[аи]?\s+\d{1,3}(?![\d\w])"
# number words of other languages: read by text2num (de, es, fr, it) or the table below (ru, uk, sr, pl)
_T2N_WORDS = {
    "de": r"(?:ein|eine|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|vierzig|"
          r"fünfzig|sechzig|siebzig|achtzig|neunzig|hundert|tausend|und)+",
    "it": r"(?:uno|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|tredici|quattordici|quindici|"
          r"sedici|diciassette|diciotto|diciannove|venti?|trenta?|quaranta?|cinquanta?|sessanta?|settanta?|"
          r"ottanta?|novanta?|cento|mila|mille)+",
    "es": r"(?:(?:uno|una|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|"
          r"dieci\w+|veinte|veinti\w+|treinta|cuarenta|cincuenta|sesenta|setenta|ochenta|noventa|cien|ciento|"
          r"doscientos|trescientos|cuatrocientos|quinientos|seiscientos|setecientos|ochocientos|novecientos|mil)"
          r"(?:\s+y\s+|\s+|(?=\W)|$))+",
    "fr": r"(?:(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|"
          r"vingts?|trente|quarante|cinquante|soixante|cents?|mille)(?:[\s-]+et[\s-]+|[\s-]+|(?=\W)|$))+",
}
_URDU_UNITS = {"ایک": 1, "دو": 2, "تین": 3, "چار": 4, "پانچ": 5, "چھ": 6, "سات": 7, "آٹھ": 8, "نو": 9, "دس": 10,
               "بیس": 20, "پچاس": 50, "سو": 100}
_URDU_SCALES = {"سو": 100, "ہزار": 1000, "لاکھ": 100_000, "کروڑ": 10_000_000}
_URDU = (r"(?<![\w])(?:" + "|".join(_URDU_UNITS) + r")\s+(?:" + "|".join(_URDU_SCALES) + r")(?![\w])")
_OTHER_WORDS = {"тисячу": 1000, "тисяча": 1000, "тысячу": 1000, "тысяча": 1000, "хиљаду": 1000, "хиљада": 1000,
                "hiljadu": 1000, "hiljada": 1000, "tysiąc": 1000, "сто": 100, "сотню": 100, "стотину": 100}
_LWORD = "|".join(f"(?P<w_{lang}>(?<![\\w-]){rx}(?<=\\w)(?![\\w-]))" for lang, rx in _T2N_WORDS.items())
_FOREIGN_VAGUE = (r"Hunderte|Tausende|Zehntausende|Dutzende|cientos|centenares|decenas\s+de\s+miles|miles|"
                  r"decenas|des\s+centaines|des\s+dizaines\s+de\s+milliers|des\s+milliers|centinaia|migliaia|"
                  r"decine\s+di\s+migliaia|setki|dziesiątki\s+tysięcy|tysiące|сотні|десятки\s+тисяч|тисячі|"
                  r"стотине|десетине\s+хиљада|хиљаде|stotine|hiljade|مئات|عشرات\s+الآلاف|آلاف|سینکڑوں|ہزاروں")
_ATOM_RE = re.compile(r"(?P<vague>(?<![\w])(?:" + _VAGUE + "|" + _FOREIGN_VAGUE + r")(?![\w]))|(?P<ru>" +
                      _RU_COMPOUND + r")|(?P<digit>" + _DIGIT + r")|(?P<word>" + _WORDNUM + r")|" + _LWORD +
                      r"|(?P<urdu>" + _URDU + r")"
                      r"|(?P<other>(?<![\w])(?:" + "|".join(_OTHER_WORDS) + r")(?![\w]))", re.I)
# words of those languages that are also English words or parts of "per cent": never a figure on their own
_T2N_AMBIGUOUS = {"cent", "cents", "once", "seize", "elf", "mille", "tre", "une", "un", "ein", "eine", "due"}

_QUALS: list[tuple[str, str]] = [
    (r"at\s+least|a\s+minimum\s+of|no\s+fewer\s+than|no\s+less\s+than|не\s+менее|almeno|co\s+najmniej|"
     r"најмалку|au\s+moins|al\s+menos|щонайменше|не\s+менше|најмање|najmanje|mindestens|"
     r"ما\s+لا\s+يقل\s+عن|کم\s+از\s+کم", "at_least"),
    (r"more\s+than|in\s+excess\s+of|upwards\s+of|over|exceeded|exceeding|exceeds|well\s+over|"
     r"более|свыше|больше|ponad|más\s+de|plus\s+de|повеќе\s+од|понад|більше\s+ніж|більше|више\s+од|"
     r"više\s+od|mehr\s+als|über|oltre|più\s+di|أكثر\s+من", "more_than"),
    (r"up\s+to|as\s+many\s+as|as\s+high\s+as|could\s+be|may\s+be|might\s+be|could\s+reach|"
     r"может\s+достигать|могут\s+достигать|может\s+достичь|jusqu'à|jusqu’à|hasta|bis\s+zu|fino\s+a", "up_to"),
    (r"fewer\s+than|less\s+than|under|менее", "fewer_than"),
    (r"nearly|almost|about|around|approximately|approx\.|roughly|some|an\s+estimated|unos|unas|casi|prawie|"
     r"the\s+estimated|estimated|close\s+to|closer\s+to|near|an\s+approximate|"
     r"около|почти|примерно|порядка|приблизительно|близько|майже|приблизно|око|oko|скоро|około|blisko|"
     r"rund|etwa|fast|knapp|ungefähr|cerca\s+de|alrededor\s+de|circa|quasi|quelque|environ|près\s+de|"
     r"presque|نحو|حوالي|قرابة|زهاء|تقریباً|تقریبا|لگ\s+بھگ", "about"),
]
_QUAL_RE = re.compile(r"(?<![\w])(?P<q>" + "|".join(q for q, _ in _QUALS) + r")\s+$", re.I)
_QUAL_MAP = [(re.compile(r"^(?:" + q + r")$", re.I), k) for q, k in _QUALS]

_MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
           "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
           "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
           "sept": 9, "oct": 10, "nov": 11, "dec": 12,
           "czerwca": 6, "lipca": 7, "junio": 6, "julio": 7, "juin": 6, "juillet": 7, "giugno": 6, "luglio": 7,
           "јуни": 6, "јули": 7, "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
           "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

_NEG_AFTER = re.compile(
    r"^(?:\s*(?:%|percent\b|per\s*cent\b|процент\w*|pct\b)"
    r"|\s*(?:million\s+|billion\s+|thousand\s+)?(?:dollars?|euros?|usd|eur|pounds?|soms?|сом\w*|"
    r"долл\w*|рубл\w*)\b"
    r"|\s*(?:tons?|tonnes?|kg|kilo\w*|km|miles?|metres?|meters?|hectares?|sq\b|square)\b"
    r"|[\s-]*(?:years?|year-olds?|yrs|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|"
    r"centuries|times|fold|am|pm|a\.m|p\.m|gmt|utc|лет|год\w*|час\w*|дн\w+|раз)\b"
    r"|\s*(?:th|st|nd|rd)\b"
    r"|[\s-]*(?:interviews?|witnesses|documents?|flights?|planes?|aircraft|trucks?|lorries|"
    r"vehicles?|tents?|kits?|blankets|pages?|reports?|photos?|photographs?|images?|videos?|"
    r"villages?|schools?|hospitals?|clinics?|districts?|mahallas?|organi[sz]ations?|agencies|"
    r"staff|doctors|nurses|experts?|members|journalists|observers|soldiers|troops|"
    r"policemen|officers|paratroopers|cases?|articles?|recommendations?|teams?|trips?|"
    r"calories|litres?|liters?|words|minutes|interviewees|testimonies|hotlines?|lines?|"
    r"points?|percentage|rounds?|shots|bullets|tanks|guns|weapons|families|households|shelters?|"
    r"sites?|camps?|refugee\s+camps?|sets|kitchen|hygiene|tonnes|containers|beds|trucks|\]|"
    r"transitional|emergency\s+shelters?)\b|^\]|^,\s*$|^,\n"
    r"|\s*(?:" + _MONTH_ALT + r")\b)", re.I)
_NEG_BEFORE = re.compile(
    r"(?:(?:\$|US\$|USD|€|£|EUR)\s*|(?<![\w])(?:aged|ages?|page|pages|pp?\.|no\.|nos\.|issue|vol\.|"
    r"volume|resolution|article|articles|paragraph|para\.|paras\.|chapter|section|tel\.?|phone|"
    r"fax|room|flight|number|code|id|№|item|annex|footnote|note|figure|table|level|"
    r"(?:country|nation|population)\s+of|(?:" + _MONTH_ALT + r")|"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out\s+of)|multiply\s+by|"
    r"aged\s+between|ages\s+of|between\s+the\s+ages\s+of)\s*|\+\s*|#\s*|\[\s*|[’']s\s+|"
    r"\d\s+of\s+the\s+)$",
    re.I)
_YEAR_OK_AFTER = re.compile(r"^\s+(?:people|persons|civilians|bodies|dead|killed|injured|wounded|houses|"
                            r"homes|buildings|structures)\b")


def _word_value(s: str) -> int | None:
    toks = re.split(r"[\s-]+", s.lower().strip())
    total = 0
    current = 0
    seen = False
    i = 0
    while i < len(toks):
        t = toks[i]
        if t in ("and", ""):
            i += 1
            continue
        if t == "a":
            current = max(current, 1)
            i += 1
            continue
        if t == "half" and i + 1 < len(toks) and toks[i + 1] == "a":
            current = 0.5  # type: ignore[assignment]
            i += 2
            continue
        if t == "dozen":
            current = (current or 1) * 12
            seen = True
        elif t in _UNITS:
            current += _UNITS[t]
            seen = True
        elif t == "hundred":
            current = (current or 1) * 100
            seen = True
        elif t in ("thousand", "million", "billion"):
            total += (current or 1) * _SCALES[t]
            current = 0
            seen = True
        else:
            return None
        i += 1
    if not seen:
        return None
    return int(total + current)


def _digit_value(s: str) -> int | None:
    m = re.match(r"([\d,\s\u00a0\u202f\u2009.]+?)\s*([^\d\s.,].*)?$", s.strip(), re.S)
    if not m:
        return None
    num = m.group(1)
    scale_word = (m.group(2) or "").lower()
    num = re.sub(r"[,\s\u00a0\u202f\u2009]", "", num)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num):  # "400.000", "1.700": dots as thousands separators
        num = num.replace(".", "")
    try:
        val = float(num)
    except ValueError:
        return None
    mult = 1
    if scale_word.startswith(("million", "mln", "млн", "millones", "milioni", "мільйон", "милион", "milion",
                              "مليون", "ملین")):
        mult = 1_000_000
    elif scale_word.startswith("لاکھ"):  # Urdu lakh
        mult = 100_000
    elif scale_word.startswith(("thousand", "тыс", "mil", "tys", "илјад", "тисяч", "хиљад", "hiljad", "tausend",
                                "ألف", "آلاف", "ہزار")):
        mult = 1000
    elif scale_word.startswith("billion"):
        mult = 1_000_000_000
    return int(round(val * mult))


_VAGUE_TERM = [
    (re.compile(r"hundreds?\s+of\s+thousands|сотни\s+тысяч", re.I), "hundreds_of_thousands"),
    (re.compile(r"tens\s+of\s+thousands|десятки\s+тысяч|Zehntausende|decenas\s+de\s+miles|dizaines\s+de\s+"
                r"milliers|decine\s+di\s+migliaia|dziesiątki\s+tysięcy|десятки\s+тисяч|десетине\s+хиљада|"
                r"عشرات\s+الآلاف", re.I), "tens_of_thousands"),
    (re.compile(r"thousands?|тысячи|Tausende|miles|milliers|migliaia|tysiące|тисячі|хиљаде|hiljade|آلاف|ہزاروں",
                re.I), "thousands"),
    (re.compile(r"hundreds?|сотни|Hunderte|cientos|centenares|centaines|centinaia|setki|сотні|стотине|stotine|"
                r"مئات|سینکڑوں", re.I), "hundreds"),
    (re.compile(r"dozens?|десятки|Dutzende|decenas|dizaines|decine", re.I), "dozens"),
]


def _vague_term(s: str) -> str:
    for rx, term in _VAGUE_TERM:
        if rx.search(s):
            return term
    return "hundreds"


@dataclass
class _Atom:
    start: int
    end: int
    kind: str  # digit | word | vague
    value: int | None
    text: str


def _atoms(text: str, lo: int, hi: int) -> list[_Atom]:
    out: list[_Atom] = []
    for m in _ATOM_RE.finditer(text, lo, hi):
        kind = m.lastgroup or ""
        s = m.group(0)
        if kind == "vague":
            out.append(_Atom(m.start(), m.end(), "vague", None, s))
            continue
        if kind == "word":
            low = s.lower().strip()
            if low in ("a", "one", "half a") or re.fullmatch(r"a\s+" + _WN, low) is None and \
                    re.fullmatch(r"(?:one|a)", low):
                continue
            if low == "one" and re.match(r"\s+(?:(?:person|man|woman|child|policeman)\s+)?(?:was\s+)?"
                                         r"(?:killed|dead|died)\b", text[m.end():m.end() + 30], re.I):
                out.append(_Atom(m.start(), m.end(), "word", 1, s))
                continue
            if low == "one" or re.match(r"(?:hundred|thousand|million|billion)\b", low):
                continue
            if re.fullmatch(r"(?:half\s+)?a", low):
                continue
            val = _word_value(s)
            if val is None:
                continue
            # bare small unit words ("one of", "two sides") are only kept before a people noun
            if val < 10 and not re.match(r"\s+(?:people|persons|civilians|men|women|children|"
                                         r"policemen|refugees|bodies|were|have|had|more)\b",
                                         text[m.end():m.end() + 20], re.I):
                continue
            out.append(_Atom(m.start(), m.end(), "word", val, s))
            continue
        if kind == "urdu":
            unit, scale = s.split()
            out.append(_Atom(m.start(), m.end(), "word", _URDU_UNITS[unit] * _URDU_SCALES[scale], s))
            continue
        if kind.startswith("w_"):  # de, es, fr, it number words, read by text2num
            if s.strip().lower() in _T2N_AMBIGUOUS:
                continue
            val = _t2n(s.strip(), kind[2:])
            if val is not None and val >= 10:
                out.append(_Atom(m.start(), m.start() + len(s.rstrip()), "word", val, s.rstrip()))
            continue
        if kind == "other":
            out.append(_Atom(m.start(), m.end(), "word", _OTHER_WORDS[s.lower()], s))
            continue
        if kind == "ru":
            nums = re.findall(r"\d+", s)
            out.append(_Atom(m.start(), m.end(), "digit", int(nums[0]) * 1000 + int(nums[1]), s))
            continue
        val = _digit_value(s)
        if val is None:
            continue
        out.append(_Atom(m.start(), m.end(), "digit", val, s))
    return out


def _t2n(words: str, lang: str) -> int | None:
    """The value of a run of number words in `lang` (text2num), or None when they do not make a number."""
    from text_to_num import text2num

    try:
        return int(text2num(words.lower(), lang))
    except (ValueError, TypeError):
        return None


def _is_negative(text: str, a: _Atom, in_range: bool = False) -> str:
    """Return a reason string when the atom is not a count (year, date, money ...)."""
    after = text[a.end:a.end + 40]
    before = text[max(0, a.start - 40):a.start]
    if _NEG_AFTER.match(after):
        return "unit/date/percent after"
    if _NEG_BEFORE.search(before):
        return "money/id/date before"
    if re.match(r"[).]\s", after) and re.search(r"(?:^|[\n;:(]\s*|^\s*)$", before) and (a.value or 0) < 100:
        return "list item number"
    if a.kind == "digit" and a.value is not None and a.value < 120 and \
            re.search(r"[A-Z][a-z]+,\s*$", before) and re.match(r"^\s*[,)]", after):
        return "age after a name"
    if a.kind == "digit":
        raw = a.text.strip()
        if "." in raw and not re.search(r"[a-zA-Zа-яА-Я]", raw) and not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
            return "decimal without scale"
        if re.fullmatch(r"(?:19|20)\d\d", raw) and not _YEAR_OK_AFTER.match(after) and \
                not re.search(r"(?:over|more\s+than|up\s+to|nearly|about|around|at\s+least|some|"
                              r"approximately|almost)\s+$", before, re.I):
            return "year"
        if not in_range and (re.match(r"^\s*-?\s*\d", after) or re.match(r"^[-/.]\d", after)):
            return "digit run (phone/id)"
        if not in_range and re.search(r"[-/]$", before):
            return "part of a code/date"
        if re.search(r"\d\s*[-/]$", before) and re.match(r"^[-/]\d", after):
            return "part of a code/date"
        if a.value is not None and a.value > 50_000_000:
            return "too large"
        if re.match(r"^:\d", after):
            return "time"
    return ""
