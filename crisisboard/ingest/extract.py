"""Rule-based, explainable extraction of casualty/displacement figures from a text.

Offline (stdlib + pandas), never raises on odd input. Every candidate carries the rule that
fired (`why`) and a verbatim quote (`text[start:end]`). Vocabulary: see data/README.md.

Pipeline per text: find number "atoms" (digits, number words, vague orders of magnitude),
drop hard negatives (years, dates, times, money, percentages, ages, units, ids), join ranges,
read the qualifier just before the atom, then look for a metric keyword in the clause after the
atom (up to the next atom), or just before it; refine displacement/refugee metrics; then read
date, place, claimant and status from the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import pandas as pd

from crisisboard.data.crisis import Crisis, Extraction, load_crisis
from crisisboard.data.load import data_dir_from_env

MAX_CHARS = 2_000_000
MAX_CANDIDATES = 5_000

__all__ = ["Candidate", "Release", "Flag", "parse_release", "extract_candidates",
           "quality_flags", "read_places"]


@dataclass(frozen=True)
class Candidate:
    quote: str
    figure_text: str
    metric: str
    population: str
    low: int | None
    high: int | None
    qualifier: str
    vague_term: str
    as_of: str
    as_of_precision: str
    place_id: str
    claimant: str
    claimant_type: str
    status_in_text: str
    start: int
    end: int
    why: str


@dataclass(frozen=True)
class Release:
    text: str
    url: str
    title: str
    publisher: str
    published: date | None
    body_start: int


@dataclass(frozen=True)
class Flag:
    kind: str
    message: str
    excerpt: str


# --------------------------------------------------------------------------- release header

_HEADER_RE = re.compile(r"(URL|TITLE|PUBLISHER|DATE):[ \t]*(.*)")
_ISO_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _first_iso(value: str) -> date | None:
    for m in _ISO_RE.finditer(value or ""):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def parse_release(text: str) -> Release:
    """Read the leading URL:/TITLE:/PUBLISHER:/DATE: lines (corpus format), if any."""
    if not isinstance(text, str):
        text = _to_text(text)
    fields: dict[str, str] = {}
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        line_end = n if nl < 0 else nl
        line = text[pos:line_end].rstrip("\r")
        m = _HEADER_RE.fullmatch(line.strip()) if line.strip() else None
        if m and m.group(1) not in fields:
            fields[m.group(1)] = m.group(2).strip()
            pos = line_end + 1 if nl >= 0 else n
            continue
        if not line.strip() and fields:
            # blank lines between header and body
            pos = line_end + 1 if nl >= 0 else n
            continue
        break
    if not fields:
        pos = 0
    return Release(text=text, url=fields.get("URL", ""), title=fields.get("TITLE", ""),
                   publisher=fields.get("PUBLISHER", ""),
                   published=_first_iso(fields.get("DATE", "")), body_start=min(pos, n))


def _to_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    try:
        return str(value)
    except Exception:  # noqa: BLE001
        return ""


# --------------------------------------------------------------------------- places



def read_places(path=None) -> pd.DataFrame:
    """places.csv as strings (empty frame with the key columns when unreadable)."""
    p = Path(path) if path is not None else data_dir_from_env() / "places.csv"
    try:
        return pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except Exception:  # noqa: BLE001
        return pd.DataFrame(columns=["place_id", "name", "kind", "country"])


def _gazetteer(places: pd.DataFrame | None, extraction: Extraction) -> list[tuple[re.Pattern, str]]:
    """Place patterns in order: the crisis definition's spellings (of places the table has), then each place's
    own name."""
    ids: set[str] | None = None
    extra: list[tuple[str, str]] = []
    if places is not None:
        try:
            ids = set(places["place_id"].astype(str))
            for pid, name in zip(places["place_id"].astype(str), places["name"].astype(str)):
                base = re.sub(r"\s*\(.*\)$", "", name).strip()
                if base:
                    extra.append((re.escape(base), pid))
        except Exception:  # noqa: BLE001
            ids = None
    pairs = [(alias.pattern, alias.place) for alias in extraction.places if ids is None or alias.place in ids] + extra
    out = []
    for pat, pid in pairs:
        try:
            out.append((re.compile(r"(?<![\w-])(?:" + pat + r")(?![\w])"), pid))
        except re.error:
            continue
    return out


@dataclass(frozen=True)
class _Rules:
    """A crisis's patterns, compiled: places, originators and groups of people."""

    gazetteer: list
    claimants: list  # (regex, canonical claimant, type)
    populations: list  # (regex, population, requires, excluded_by, kept_by)


@lru_cache(maxsize=16)
def _compiled(place_ids: tuple, names: tuple, extraction: Extraction) -> _Rules:
    places = pd.DataFrame({"place_id": list(place_ids), "name": list(names)}) if place_ids else None
    flags = re.I

    def optional(pattern: str | None) -> re.Pattern | None:
        return re.compile(pattern, flags) if pattern else None

    return _Rules(
        _gazetteer(places, extraction),
        [(re.compile(r"(?<![\w])(?:" + c.pattern + r")(?![\w])", flags), c.name, c.type) for c in extraction.claimants],
        [(re.compile(r"(?<![\w])(?:" + p.pattern + r")(?![\w])", flags), p.population, optional(p.requires),
          optional(p.excluded_by), optional(p.kept_by)) for p in extraction.populations])


def _rules(places: pd.DataFrame | None, extraction: Extraction) -> _Rules:
    if places is None or "place_id" not in places or "name" not in places:
        return _compiled((), (), extraction)
    return _compiled(tuple(places["place_id"].astype(str)), tuple(places["name"].astype(str)), extraction)




# --------------------------------------------------------------------------- numbers

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
_DIGIT = (r"(?<![\w.,:/$€£])(?:\d{1,3}(?:(?:,|[ \u00a0\u202f\u2009])\d{3})+|\d+(?:\.\d+)?)"
          r"(?![\d])(?![.,:/]\d)"
          r"(?:\s*(?:million|thousand|billion|mln|млн\.?|тыс\.?|тысяч[аи]?|mil|tys\.?|илјади)(?![\w]))?")
_WORDNUM = (r"(?<![\w-])(?:(?:a|half\s+a)\s+)?" + _WN + r"(?:(?:[\s-]+|\s+and\s+)" + _WN + r")*(?![\w-])")
_RU_COMPOUND = r"(?<![\w.,])\d{1,3}\s+тысяч[аи]?\s+\d{1,3}(?![\d\w])"
_ATOM_RE = re.compile(r"(?P<vague>(?<![\w])(?:" + _VAGUE + r")(?![\w]))|(?P<ru>" + _RU_COMPOUND + r")|(?P<digit>" + _DIGIT +
                      r")|(?P<word>" + _WORDNUM + r")", re.I)

_QUALS: list[tuple[str, str]] = [
    (r"at\s+least|a\s+minimum\s+of|no\s+fewer\s+than|no\s+less\s+than|не\s+менее|almeno|co\s+najmniej|"
     r"најмалку|au\s+moins|al\s+menos", "at_least"),
    (r"more\s+than|in\s+excess\s+of|upwards\s+of|over|exceeded|exceeding|exceeds|well\s+over|"
     r"более|свыше|больше|ponad|más\s+de|plus\s+de|повеќе\s+од", "more_than"),
    (r"up\s+to|as\s+many\s+as|as\s+high\s+as|could\s+be|may\s+be|might\s+be|could\s+reach|"
     r"может\s+достигать|могут\s+достигать|может\s+достичь|jusqu'à|jusqu’à|hasta", "up_to"),
    (r"fewer\s+than|less\s+than|under|менее", "fewer_than"),
    (r"nearly|almost|about|around|approximately|approx\.|roughly|some|an\s+estimated|unos|casi|prawie|"
     r"the\s+estimated|estimated|close\s+to|closer\s+to|near|an\s+approximate|"
     r"около|почти|примерно|порядка|приблизительно", "about"),
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
    try:
        val = float(num)
    except ValueError:
        return None
    mult = 1
    if scale_word.startswith(("million", "mln", "млн")):
        mult = 1_000_000
    elif scale_word.startswith(("thousand", "тыс", "mil", "tys", "илјад")):
        mult = 1000
    elif scale_word.startswith("billion"):
        mult = 1_000_000_000
    return int(round(val * mult))


_VAGUE_TERM = [
    (re.compile(r"hundreds?\s+of\s+thousands|сотни\s+тысяч", re.I), "hundreds_of_thousands"),
    (re.compile(r"tens\s+of\s+thousands|десятки\s+тысяч", re.I), "tens_of_thousands"),
    (re.compile(r"thousands?|тысячи", re.I), "thousands"),
    (re.compile(r"hundreds?|сотни", re.I), "hundreds"),
    (re.compile(r"dozens?|десятки", re.I), "dozens"),
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
        if kind == "ru":
            nums = re.findall(r"\d+", s)
            out.append(_Atom(m.start(), m.end(), "digit", int(nums[0]) * 1000 + int(nums[1]), s))
            continue
        val = _digit_value(s)
        if val is None:
            continue
        out.append(_Atom(m.start(), m.end(), "digit", val, s))
    return out


def _is_negative(text: str, a: _Atom, in_range: bool = False) -> str:
    """Return a reason string when the atom is not a count (year, date, money ...)."""
    after = text[a.end:a.end + 40]
    before = text[max(0, a.start - 40):a.start]
    if _NEG_AFTER.match(after):
        return "unit/date/percent after"
    if _NEG_BEFORE.search(before):
        return "money/id/date before"
    if a.kind == "digit" and a.value is not None and a.value < 120 and \
            re.search(r"[A-Z][a-z]+,\s*$", before) and re.match(r"^\s*[,)]", after):
        return "age after a name"
    if a.kind == "digit":
        raw = a.text.strip()
        if "." in raw and not re.search(r"[a-zA-Zа-яА-Я]", raw):
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


# --------------------------------------------------------------------------- metrics

_BUILDING_NOUN = r"(?:houses?|homes?|buildings?|structures?|compounds?|dwellings?|shops?|residences?|дом\w*|здани\w*)"
_KW: list[tuple[str, str]] = [
    ("_nonea", r"bodies\s+(?:being\s+|were\s+|had\s+been\s+)?(?:hastily\s+)?buried|graves"),
    ("killed", r"killed|killing|dead|deaths?|died|death[\s-]+toll|toll|bodies|lives|fatalities|"
               r"perished|murdered|slain|casualties|tally|"
               r"muert\w*|cadáver\w*|víctimas\s+mortales|morts?|uccis\w*|zgin\w*|загина\w*|убиен\w*|погиб\w*|убит\w*|жертв\w*|смерт\w*|скончал\w*"),
    ("hospitalized", r"hospitali[sz]ed|admitted\s+to\s+hospitals?|госпитализ\w*"),
    ("injured", r"injured|injuring|injuries|wounded|wounding|hurt|"
                r"(?:sought|seeking|required|requiring|needed|received)\s+medical\s+\w+|"
                r"ранен\w*|пострадав?\w*|травм\w*|медицинск\w+\s+помощ\w*|treated\s+in\s+hospitals?|"
                r"in\s+(?:a\s+)?(?:serious|critical)\s+condition|(?:bullet|gunshot|stab)\s+wounds|"
                r"herid\w*|bless[ée]\w*|ferit[ie]|rann\w*|повредени"),
    ("missing", r"missing|пропавш\w*|без\s+вести"),
    ("refugees_at_border", r"no[- ]man'?s[- ]land|"
                           r"(?:waiting|stuck|stranded|massed|gathered|camped|trapped|queu\w+)\b[^.;]{0,40}?\bborder|"
                           r"made\s+their\s+way\s+to\s+the\s+[^.;]{0,30}?border|at\s+the\s+border|"
                           r"wait\w*\s+to\s+cross|(?:fled|flee\w*|heading|head)\s+(?:to|towards?)\s+the\s+"
                           r"(?:nearby\s+)?border|marooned|on\s+the\s+border"),
    ("refugees_returned", r"returned|returning|returnees|came\s+back|went\s+back|gone\s+back|вернул\w*"),
    ("refugees_remaining", r"remain(?:s|ed|ing)?\s+(?:in|at)\s+(?:the\s+)?(?:Uzbekistan|camps?|refugee\s+camps?)|"
                           r"still\s+in\s+(?:Uzbekistan|camps?)"),
    ("dtotal_combo", r"refugees\s+(?:or|and)\s+(?:internally\s+)?displaced(?:\s+people|\s+persons)?|"
                     r"displaced\s+(?:people\s+|persons\s+)?(?:or|and)\s+refugees|"
                     r"driven\s+from\s+their\s+homes|forced\s+from\s+their\s+homes|IDPs?(?=/)"),
    ("displaced_internal", r"internally\s+displaced|IDPs?|displaced\s+(?:within|inside|in)\s+Kyrgyzstan|"
                           r"внутренн\w+\s+перемещ\w*"),
    ("refugees_uzbekistan", r"refugees?|crossed\s+(?:over\s+)?(?:into|to)|"
                            r"fled\s+(?:in)?to\s+(?:neighbou?ring\s+)?Uzbekistan|fleeing\s+into|"
                            r"sought\s+refuge|taken\s+refuge|seeking\s+refuge|across\s+the\s+border|"
                            r"into\s+Uzbekistan|to\s+Uzbekistan|in\s+Uzbekistan|беженц\w*|sanctuary|"
                            r"refugiad\w*|réfugiés|uchodźc\w*|бегалци"),
    ("displaced_total", r"displaced|displacing|displacement|uprooted|fled|flee|fleeing|homeless|"
                        r"forced\s+from\s+their\s+homes|left\s+their\s+homes|evacuated|"
                        r"покинул\w*|бежал\w*|перемещ\w*|desplazad\w*|déplacé\w*|раселени"),
    ("detained", r"detained|arrested|detentions?|arrests?|in\s+custody|задержан\w*|арестован\w*"),
    ("buildings", _BUILDING_NOUN),
    ("affected", r"affect(?:ed|s|ing)?(?!\s+(?:areas?|regions?|zones?|districts?))|in\s+need|needs?\s+of|needing|"
                 r"suffering"),
    ("_none", r"outpatients?|outpatient\s+treatment|such\s+as|inhabitants|hostages?|SOS|"
              r"armed|gunmen|attackers|uniformed|masked|амбулатор\w*"),
    ("buildings_verb", r"(?:were|was|been|being)\s+(?:(?:totally|completely|partially|partly|severely|heavily|"
                       r"badly|moderately|largely)\s+)?"
                       r"(?:destroyed|damaged|burn(?:ed|t)(?:\s+down)?|razed|torched)|"
                       r"(?:completely|totally|partially|partly|severely|heavily|badly)\s+(?:destroyed|damaged|burn\w*)"),
]
_KW_RE = re.compile("|".join(f"(?P<{m}>(?<![\\w])(?:{p})(?![\\w]))" for m, p in _KW), re.I)
_DESTROY = re.compile(r"destroy\w*|burn\w*|razed|torched|gutted|levell?ed|разруш\w*|сожж\w*|сгорел\w*", re.I)
_DAMAGE = re.compile(r"damag\w*|поврежд\w*", re.I)
_LEFT_VERB = re.compile(r"(?<![\w])(?P<kw>killing|killed|displacing|displaced|injuring|injured|"
                        r"wounding|wounded|uprooting|uprooted|detained|arrested|affecting|affected|"
                        r"destroying|damaging|burning|destroyed|burned|burnt|detaining|arresting)"
                        r"(?:\s+(?:a\s+total\s+of|an?\s+|the\s+))?\s*$", re.I)


def _kw_matches(window: str):
    return [({"dtotal_combo": "displaced_total", "_nonea": "_none"}.get(m.lastgroup, m.lastgroup), m.start(), m.end())
            for m in _KW_RE.finditer(window)]


def _buildings_metric(window: str) -> str:
    has_destroy = bool(_DESTROY.search(window))
    has_damage = bool(_DAMAGE.search(window))
    if has_destroy and has_damage:
        return "buildings_damaged_or_destroyed"
    if has_destroy:
        return "buildings_destroyed"
    if has_damage:
        return "buildings_damaged"
    return ""


def _refine(metric: str, right: str, left_tail: str, kw_end: int | None = None) -> str:
    """Narrow a displacement/refugee metric with words right after the metric word."""
    if kw_end is not None:
        right = right[:kw_end + 60]
    right = re.split(r";|\.\s", right, maxsplit=1)[0]
    if metric in ("refugees_uzbekistan", "displaced_total"):
        if metric == "refugees_uzbekistan" and \
                re.search(r"(?<!to\s)\breturn\b|\b(?:returned|returning|have\s+gone\s+back|came\s+back)\b|вернул",
                          right, re.I):
            return "refugees_returned"
        if re.search(r"\bon\s+(?:its|their)\s+territory|\b(?:remain(?:s|ed|ing)?\s+in|still\s+in)\s+(?:the\s+)?(?:Uzbekistan|camps?|refugee\s+camps?)",
                     right, re.I):
            return "refugees_remaining"
        if re.search(r"no[- ]man'?s|(?:waiting|stuck|stranded|massed|gathered|camped|marooned|made\s+their\s+way|"
                     r"wait\w*\s+to\s+cross|(?:fled|flee\w*|heading)\s+(?:to|towards?)\s+the)"
                     r"[^.;]{0,50}border|\bat\s+(?:the\s+)?border", right, re.I) and \
                not re.search(r"across\s+the\s+border", right, re.I):
            return "refugees_at_border"
        if metric == "displaced_total":
            if re.search(r"(?:to|into|in|towards)\s+(?:neighbou?ring\s+|nearby\s+)?Uzbekistan|to\s+neighbou?ring|across\s+the\s+border|Узбекистан", right, re.I) and \
                    not re.search(r"Kyrgyzstan\s+(?:and|or)\s+Uzbekistan|within|inside|or\s+their\s+homes|"
                                  r"internally\s+or|or\s+across",
                                  right, re.I):
                return "refugees_uzbekistan"
            if re.search(r"internally|IDPs?\b|(?:within|inside|elsewhere\s+in)\s+(?:Kyrgyzstan|the\s+country)",
                         right, re.I) and not re.search(r"internally\s+or|or\s+across|IDPs?/", right, re.I):
                return "displaced_internal"
    return metric


def _classify(text: str, a_start: int, a_end: int, lo: int, hi: int):
    """(metric, kw_start, kw_end, rule) or None. lo/hi bound the clause around the figure."""
    right = text[a_end:hi]
    left = text[lo:a_start]
    # 1. a verb right before the figure: "killing hundreds", "displacing nearly 400,000"
    m = _LEFT_VERB.search(left)
    if m:
        kw = m.group("kw").lower()
        metric = {"kill": "killed", "disp": "displaced_total", "inju": "injured", "woun": "injured",
                  "upro": "displaced_total", "deta": "detained", "arre": "detained",
                  "affe": "affected", "dest": "buildings", "dama": "buildings", "burn": "buildings"}[kw[:4]]
        if metric == "buildings":
            metric = _buildings_metric(left[-60:])
        metric = _refine(metric, right, left[-60:], 0)
        s = lo + m.start("kw")
        return metric, s, lo + m.end("kw"), f"verb before figure ('{kw}')"
    # 2. first metric word after the figure, in the same clause; when it lies beyond a comma and
    #    the figure's own clause has a metric word before it ("the death toll rose to 138, ..."),
    #    the word before wins
    left_clause_start = max((left.rfind(ch) for ch in ",;(:—–"), default=-1) + 1
    left_clause = left[left_clause_start:]
    rm = _kw_matches(right)
    if rm and re.search(r"[,;(:]", right[:rm[0][1]]):
        lm = [x for x in _kw_matches(left_clause) if x[0] not in ("buildings", "buildings_verb")]
        if lm:
            name, s, e = lm[-1]
            if name == "_none":
                return None
            metric = _refine(name, left_clause[e:] + right, "", 0)
            s0 = lo + left_clause_start
            return metric, s0 + s, s0 + e, f"metric word before figure in its clause ('{left_clause[s:e]}')"
    for name, s, e in rm:
        metric = name
        if name == "buildings_verb":
            metric = _buildings_metric(right[s:e])
        if name == "buildings":
            metric = _buildings_metric(right)
            if not metric:
                continue
            # extend the span to the damage word
            dm = _DESTROY.search(right) or _DAMAGE.search(right)
            e = max(e, dm.end()) if dm else e
        if metric == "_none":
            return None
        metric = _refine(metric, right, left[-60:], e)
        return metric, a_end + s, a_end + e, f"metric word after figure ('{right[s:e]}')"
    # 3. nearest metric word before the figure, in its clause ("IDPs, which number about ..."
    #    reaches one clause further back)
    start = left_clause_start
    if re.match(r"\s*(?:which|who|that|of\s+whom|of\s+which)\b", left_clause, re.I) or \
            (len(left_clause) <= 25 and not _kw_matches(left_clause)):
        start = max((left.rfind(ch, 0, max(0, left_clause_start - 1)) for ch in ",;("), default=-1) + 1
    lclause = left[start:]
    found = _kw_matches(lclause)
    for name, s, e in reversed(found):
        metric = name
        if name == "_none":
            return None
        if name in ("buildings", "buildings_verb"):
            metric = _buildings_metric(lclause + right)
            if not metric:
                continue
        metric = _refine(metric, lclause[s:] + right, "", e - s)
        return metric, lo + start + s, lo + start + e, f"metric word before figure ('{lclause[s:e]}')"
    return None


# --------------------------------------------------------------------------- context: dates, claimant

_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
             "sunday": 6}
_DATE_DM = re.compile(r"(?<![\w])(\d{1,2})(?:st|nd|rd|th)?\s+(" + _MONTH_ALT + r")\.?(?:,?\s+(\d{4}))?(?![\w])", re.I)
_DATE_MD = re.compile(r"(?<![\w])(" + _MONTH_ALT + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?![\w])", re.I)
_TIME_WORDS = {"midday": "12:00", "noon": "12:00", "midnight": "00:00"}
_START_WORDS = re.compile(r"(?:since|from|began|begun|broke\s+out|erupted|started|beginning|after|"
                          r"between|until|till|on\s+the\s+night\s+of)\s+(?:on\s+)?(?:the\s+)?$", re.I)


def _resolve_date(sentence: str, published: date | None) -> tuple[str, str, str]:
    """(as_of, precision, rule)."""
    year_default = published.year if published else 2010
    best = None
    for rx, order in ((_DATE_DM, "dm"), (_DATE_MD, "md")):
        for m in rx.finditer(sentence):
            before = sentence[max(0, m.start() - 30):m.start()]
            if _START_WORDS.search(before):
                continue
            try:
                if order == "dm":
                    d, mo = int(m.group(1)), _MONTHS[m.group(2).lower()]
                else:
                    mo, d = _MONTHS[m.group(1).lower()], int(m.group(2))
                y = int(m.group(3)) if m.group(3) else year_default
                dt = date(y, mo, d)
            except (ValueError, KeyError):
                continue
            if published and dt > published:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), m.end(), dt)
    if best is not None:
        s, e, dt = best
        out = dt.isoformat()
        ctx = sentence[max(0, s - 40):e + 20].lower()
        tm = re.search(r"(\d{1,2})[:.](\d{2})", ctx)
        for w, hhmm in _TIME_WORDS.items():
            if w in ctx:
                out += "T" + hhmm
                break
        else:
            if tm and int(tm.group(1)) < 24 and int(tm.group(2)) < 60:
                out += f"T{int(tm.group(1)):02d}:{tm.group(2)}"
        return out, "exact", "explicit date"
    if published is None:
        return "", "inferred", "no date"
    low = sentence.lower()
    if re.search(r"\byesterday\b|вчера", low):
        return (published - timedelta(days=1)).isoformat(), "approx", "yesterday"
    for name, wd in _WEEKDAYS.items():
        if re.search(r"\b(?:on|last|since|by)\s+" + name + r"\b", low) or re.search(r"\b" + name + r"\b", low):
            delta = (published.weekday() - wd) % 7
            return (published - timedelta(days=delta)).isoformat(), "approx", name
    if re.search(r"\b(?:today|this\s+morning|tonight|this\s+evening)\b|сегодня", low):
        return published.isoformat(), "approx", "today"
    if re.search(r"\b(?:past|last)\s+(?:few|two|three|four|five|several|\d+)\s+(?:days|weeks)\b|"
                 r"\blast\s+week\b|\bthis\s+week\b|so\s+far", low):
        return published.isoformat(), "approx", "period to publication"
    return published.isoformat(), "inferred", "publication date"


def _claimant(sentence: str, rel: int, claimants: list) -> tuple[str, str, str]:
    """(claimant, type, rule) nearest a reporting verb or an 'according to'."""
    best = None
    for rx, canon, ctype in claimants:
        for m in rx.finditer(sentence):
            dist = abs(m.start() - rel)
            ctx = sentence[max(0, m.start() - 25):m.end() + 40].lower()
            bonus = 0 if re.search(r"according\s+to|said|says|say\b|reported|estimate|told|quoted|"
                                   r"figures|recorded|registered|announced|data|сообщ|по\s+данным",
                                   ctx) else 1000
            score = dist + bonus
            if best is None or score < best[0]:
                best = (score, canon or m.group(0).strip(), ctype)
    if best is None:
        m = re.search(r"according\s+to\s+(?:the\s+)?([^,.;]{3,60})", sentence, re.I)
        if m:
            return m.group(1).strip(), "unknown", "according to"
        return "", "unknown", ""
    return best[1], best[2], "claimant word"


def _status(sentence: str) -> str:
    low = sentence.lower()
    if re.search(r"unconfirmed|unverified|not\s+(?:been\s+)?confirmed|неподтвержд", low):
        return "unconfirmed"
    if re.search(r"\bconfirmed\b|подтвержд", low):
        return "confirmed"
    if re.search(r"\bofficial(?:ly)?\b|официальн", low):
        return "official"
    if re.search(r"\bestimat\w*|по\s+оценк", low):
        return "estimate"
    if re.search(r"\breportedly\b|\bwere\s+reported\b|\bare\s+reported\b|\breports?\s+(?:say|said|suggest)|"
                 r"по\s+(?:имеющимся\s+)?данным|по\s+сообщени", low):
        return "reported"
    return "not_stated"


def _population(near: str, sentence: str, populations: list) -> str:
    for rx, population, requires, excluded_by, kept_by in populations:
        if rx.search(near):
            if excluded_by is not None and excluded_by.search(near) and not (kept_by and kept_by.search(near)):
                continue
            if requires is not None and not requires.search(near):
                continue
            return population
    if re.search(r"only\s+the\s+adults|adults\s+only|counting\s+only\s+adults", sentence, re.I):
        return "adults"
    return "all"


# --------------------------------------------------------------------------- sentences

_SENT_BREAK = re.compile(r"\n(?=\s*(?:$|[^a-zа-яё\s]))|(?<=[.!?:])\s*\n|\n\s*\n|(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(\[]?[A-ZА-ЯЁ0-9])")
_ABBREV = re.compile(r"(?:Mr|Mrs|Ms|Dr|St|No|Gen|Col|Lt|Sgt|Prof|U\.S|U\.N|Jan|Feb|Aug|Sept?|Oct|Nov|Dec|vs|etc|approx)\.$")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _SENT_BREAK.finditer(text):
        if "\n" not in m.group(0) and _ABBREV.search(text[max(0, m.start() - 8):m.start()]):
            continue
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# --------------------------------------------------------------------------- main entry

def extract_candidates(text: str, published: date | None = None, places: pd.DataFrame | None = None,
                       crisis: Crisis | None = None) -> tuple[list[Candidate], list[str]]:
    """All figure candidates in `text` (offsets refer to `text` as given) and warnings. `places` and `crisis`
    (how its texts name places, originators and groups): the data folder's (CRISISBOARD_DATA or data/) when
    not given."""
    warnings: list[str] = []
    try:
        if not isinstance(text, str):
            text = _to_text(text)
            warnings.append("input was not a str; converted")
        if published is not None and not isinstance(published, date):
            published = None
            warnings.append("published is not a date; ignored")
        limit = len(text)
        if limit > MAX_CHARS:
            warnings.append(f"text is {limit} characters; only the first {MAX_CHARS} were read")
            limit = MAX_CHARS
        if not text.strip():
            return [], warnings
        if crisis is None:
            crisis = load_crisis(data_dir_from_env())
        rules = _rules(places if places is not None else read_places(), crisis.extraction)
        out: list[Candidate] = []
        seen: set[tuple] = set()
        for s_lo, s_hi in _sentences(text[:limit]):
            if len(out) >= MAX_CANDIDATES:
                warnings.append(f"stopped after {MAX_CANDIDATES} candidates (at character {s_lo})")
                break
            if s_hi - s_lo > 5000:  # runaway "sentence" (binary, no punctuation): cap work
                s_hi = s_lo + 5000
            try:
                out.extend(_sentence_candidates(text, s_lo, s_hi, published, rules, seen))
            except Exception as exc:  # noqa: BLE001 - never raise on odd input
                warnings.append(f"sentence at {s_lo} skipped: {type(exc).__name__}")
        if not out and re.search(r"[\u4e00-\u9fff\u0600-\u06ff]", text[:10000]) and \
                not re.search(r"[A-Za-zА-Яа-я]{4}", text[:10000]):
            warnings.append("text is not in a supported language (English, Russian)")
        return out, warnings
    except Exception as exc:  # noqa: BLE001
        warnings.append(f"extraction failed: {type(exc).__name__}: {exc}")
        return [], warnings


def _sentence_candidates(text, s_lo, s_hi, published, rules, seen):
    sentence = text[s_lo:s_hi]
    atoms = _atoms(text, s_lo, s_hi)
    if not atoms:
        return []
    # join ranges: "between 2,000 and 6,000", "2,000-6,000", "2-3,000", "10 to 20 thousand"
    items = []  # (start, end, low, high, qualifier, vague_term, fig_start, rule)
    i = 0
    while i < len(atoms):
        a = atoms[i]
        neg = _is_negative(text, a) if a.kind != "vague" else ""
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        before = text[max(s_lo, a.start - 40):a.start]
        if nxt is not None and a.kind != "vague" and nxt.kind != "vague":
            gap = text[a.end:nxt.start]
            between = re.search(r"(?<![\w])between\s+$", before, re.I)
            if (re.fullmatch(r"\s*[-–—]\s*", gap) or re.fullmatch(r"\s+to\s+", gap, re.I) and not
                    re.search(r"from\s+$", before, re.I) or between and re.fullmatch(r"\s+and\s+", gap, re.I)):
                lo_v, hi_v = a.value, nxt.value
                if _is_negative(text, nxt, True) or _is_negative(text, a, True) or lo_v is None or hi_v is None:
                    i += 2
                    continue
                for mult in (1000, 1_000_000):
                    if lo_v < hi_v and lo_v * mult <= hi_v and hi_v % mult == 0 and lo_v < 1000 and \
                            not re.search(r"thousand|million", a.text, re.I):
                        lo_v = lo_v * mult
                        break
                if lo_v < hi_v:
                    fs = a.start
                    if between:
                        fs = a.start - (len(before) - between.start())
                    items.append((fs, nxt.end, lo_v, hi_v, "between", "", "range"))
                    i += 2
                    continue
        if neg:
            i += 1
            continue
        qm = _QUAL_RE.search(before)
        qual = "exact"
        fs = a.start
        if qm:
            qword = re.sub(r"\s+", " ", qm.group("q").lower())
            for rx, k in _QUAL_MAP:
                if rx.match(qword):
                    qual = k
                    break
            fs = a.start - (len(before) - qm.start())
        fe = a.end
        tail = text[a.end:a.end + 12]
        om = re.match(r"\s+or\s+more(?![\w])", tail, re.I)
        if om and a.kind != "vague":
            qual = "at_least"
            fe = a.end + om.end()
        if a.kind == "vague":
            items.append((fs if qm else a.start, fe, None, None, "vague", _vague_term(a.text), "vague"))
        else:
            v = a.value
            if qual in ("exact", "about"):
                items.append((fs, fe, v, v, qual, "", a.kind))
            elif qual in ("at_least", "more_than"):
                items.append((fs, fe, v, None, qual, "", a.kind))
            else:
                items.append((fs, fe, None, v, qual, "", a.kind))
        i += 1
    cands = []
    prev = None
    # clause bounds: from previous item end to next item start
    for k, (fs, fe, low, high, qual, vterm, rule) in enumerate(items):
        lo = items[k - 1][1] if k > 0 else s_lo
        hi = items[k + 1][0] if k + 1 < len(items) else s_hi
        hi = min(hi, fe + 140)
        lo = max(lo, fs - 160)
        res = _classify(text, fs, fe, lo, hi)
        if res is None and prev is not None and k > 0:
            gap = text[items[k - 1][1]:fs]
            if len(gap) <= 30 and re.fullmatch(r"[\s,]*(?:(?:and|or|but|would\s+be|could\s+be|may\s+be|"
                                               r"might\s+be|currently\s+at|now)\s*)*[\s,]*", gap, re.I):
                res = (prev[0], fs, fe, "same metric as the figure just before")
        if res is None:
            prev = None
            continue
        prev = res
        metrics = [res]
        # "thousands wounded and homeless": a second metric word joined by "and"
        m2 = re.match(r"\s+(?:and|or|и)\s+(\w+)", text[res[2]:hi])
        if m2 and res[1] >= fe:
            extra = _kw_matches(m2.group(1))
            if extra and extra[0][0] not in ("buildings",) and extra[0][0] != res[0] and \
                    re.fullmatch(r"\w+", m2.group(1)):
                e2 = res[2] + m2.end()
                metrics.append((_refine(extra[0][0], text[e2:hi], ""), res[1], e2,
                                f"second metric word joined by 'and' ('{m2.group(1)}')"))
        for metric, ks, ke, why in metrics:
            if metric == "buildings":
                continue
            q_start = min(fs, ks)
            q_end = max(fe, ke)
            # include a population word right after the figure ("500 Uzbek civilians")
            quote = text[q_start:q_end]
            if len(quote.split()) > 40:
                q_start, q_end = fs, fe
                quote = text[q_start:q_end]
            key = (metric, low, high, q_start)
            if key in seen:
                continue
            seen.add(key)
            near = text[fe:min(hi, fe + 60)] + " " + text[max(lo, fs - 30):fs]
            pop = _population(near, sentence, rules.populations)
            as_of, prec, drule = _resolve_date(sentence, published)
            rel = fs - s_lo
            claimant, ctype, crule = _claimant(sentence, rel, rules.claimants)
            if ctype == "local_official" and not claimant:
                claimant = "Local district council representatives"
            place = _place(sentence, rel, rules.gazetteer, metric)
            figure_text = text[fs:fe]
            cands.append(Candidate(
                quote=quote, figure_text=figure_text, metric=metric, population=pop,
                low=low, high=high, qualifier=qual, vague_term=vterm if qual == "vague" else "",
                as_of=as_of, as_of_precision=prec if as_of else "inferred", place_id=place,
                claimant=claimant, claimant_type=ctype if ctype else "unknown",
                status_in_text=_status(sentence), start=q_start, end=q_end,
                why=f"{rule} figure '{figure_text}' [{qual}]; {why}; date: {drule}"
                    + (f"; claimant: {crule}" if crule else "")))
    return cands


def _place(sentence: str, rel: int, gaz, metric: str) -> str:
    best = None
    for rx, pid in gaz:
        for m in rx.finditer(sentence):
            # a longer, more specific match at the same spot wins (gazetteer is ordered)
            dist = abs(m.start() - rel)
            if best is None or dist < best[0] - 0 and not (best[2][0] <= m.start() < best[2][1]):
                best = (dist, pid, (m.start(), m.end()))
    if best is None:
        return ""
    pid = best[1]
    if metric in ("refugees_uzbekistan", "refugees_remaining") and pid in ("kyrgyzstan", "south_kyrgyzstan",
                                                                            "osh", "jalal_abad"):
        if re.search(r"Uzbekistan", sentence):
            return "uzbekistan"
    return pid


# --------------------------------------------------------------------------- quality flags

def _norm_token(tok: str) -> str:
    t = re.sub(r"[^\w]", "", tok.lower())
    return t.rstrip("s")


def quality_flags(text: str) -> list[Flag]:
    """Artefacts, truncation, mixed languages and contradictions. Never alters text."""
    flags: list[Flag] = []
    try:
        if not isinstance(text, str):
            text = _to_text(text)
        body = text[:MAX_CHARS]
        # 1. repeated tag tokens
        toks = list(re.finditer(r"\S+", body))
        run_start = 0
        reported = 0
        for j in range(1, len(toks) + 1):
            same = j < len(toks) and _norm_token(toks[j].group(0)) and \
                _norm_token(toks[j].group(0)) == _norm_token(toks[j - 1].group(0))
            if not same:
                if j - run_start >= 3 and reported < 20:
                    s, e = toks[run_start].start(), toks[j - 1].end()
                    flags.append(Flag("artefact", f"{j - run_start} near-identical tokens in a row "
                                      f"(scraping artefact?)", body[s:e][:200]))
                    reported += 1
                run_start = j
        # 2. truncation
        stripped = body.rstrip()
        if re.search(r"\[PARTIAL", body):
            m = re.search(r"\[PARTIAL[^\]]*\]?", body)
            flags.append(Flag("truncated", "the text is marked as a partial copy", m.group(0)[:200]))
        elif stripped and not re.search(r"[.!?…\"'”’)\]»]$", stripped):
            flags.append(Flag("truncated", "the text ends without terminal punctuation (cut off?)",
                              stripped[-80:]))
        # 3. mixed language paragraphs
        scripts = set()
        example = {}
        for para in re.split(r"\n\s*\n|\n", body):
            latin = len(re.findall(r"[A-Za-z]", para))
            cyr = len(re.findall(r"[\u0400-\u04ff]", para))
            arab = len(re.findall(r"[\u0600-\u06ff]", para))
            cjk = len(re.findall(r"[\u4e00-\u9fff]", para))
            counts = {"latin": latin, "cyrillic": cyr, "arabic": arab, "cjk": cjk}
            top = max(counts, key=counts.get)
            if counts[top] >= 20:
                scripts.add(top)
                example.setdefault(top, para.strip()[:120])
        if len(scripts) > 1:
            flags.append(Flag("mixed_language", "paragraphs in several scripts: " + ", ".join(sorted(scripts)),
                              " | ".join(example[s] for s in sorted(scripts))[:300]))
        # 4. contradictions
        cands, _ = extract_candidates(body)
        groups: dict[tuple, list[Candidate]] = {}
        for c in cands:
            if c.qualifier == "vague" or not c.claimant:
                continue
            groups.setdefault((c.metric, c.population, c.claimant, c.as_of), []).append(c)
        for (metric, pop, claimant, as_of), cs in groups.items():
            values = {(c.low, c.high) for c in cs}
            if len(values) > 1:
                flags.append(Flag("contradiction",
                                  f"{len(values)} different figures for {metric} ({pop}) from {claimant}"
                                  f" as of {as_of or 'unknown'}",
                                  " | ".join(c.quote for c in cs)[:300]))
    except Exception as exc:  # noqa: BLE001
        flags.append(Flag("artefact", f"quality check failed: {type(exc).__name__}", ""))
    return flags
