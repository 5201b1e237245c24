"""What a figure counts (the metric), from the words around it."""

from __future__ import annotations

import re
from functools import lru_cache

_BUILDING_NOUN = r"(?:houses?|homes?|buildings?|structures?|compounds?|dwellings?|shops?|residences?|дом\w*|здани\w*)"
_KW: list[tuple[str, str]] = [
    ("_nonea", r"bodies\s+(?:being\s+|were\s+|had\s+been\s+)?(?:hastily\s+)?buried|graves"),
    ("killed", r"killed|killing|dead|deaths?|died|death[\s-]+toll|toll|bodies|lives|fatalities|"
               r"perished|murdered|slain|casualties|tally|"
               r"muert\w*|cadáver\w*|víctimas\s+mortales|morts?|uccis\w*|zgin\w*|загина\w*|убиен\w*|погиб\w*|убит\w*|жертв\w*|смерт\w*|скончал\w*|"
               # uk, sr/mk (Cyrillic and Latin), pl, de, es, it, fr, ar, ur
               r"загин\w*|загибл\w*|вбит\w*|погину\w*|убијен\w*|жртв\w*|poginu\w*|ubijen\w*|žrtv\w*|"
               r"zabit\w*|ofiar\w*|zmarł\w*|getötet\w*|Tote[n]?|Todesopfer|starben|ums\s+Leben|"
               r"fallecid\w*|asesinad\w*|murieron|morti|mort[ie]|decedut\w*|vittime|tués?|tuées?|décès|"
               r"(?:و|ال|وال)?(?:قتل\w*|قتيل\w*|قتلى|مقتل)|ہلاک\w*|جاں\s+بحق|مارے\s+گئے"),
    ("hospitalized", r"hospitali[sz]ed|admitted\s+to\s+hospitals?|госпитализ\w*"),
    ("injured", r"injured|injuring|injuries|wounded|wounding|hurt|"
                r"(?:sought|seeking|required|requiring|needed|received)\s+medical\s+\w+|"
                r"ранен\w*|пострадав?\w*|травм\w*|медицинск\w+\s+помощ\w*|treated\s+in\s+hospitals?|"
                r"in\s+(?:a\s+)?(?:serious|critical)\s+condition|(?:bullet|gunshot|stab)\s+wounds|"
                r"herid\w*|bless[ée]\w*|ferit[ie]|rann\w*|повредени|"
                r"поранен\w*|травмован\w*|рањен\w*|повређен\w*|ранети|ranjen\w*|povređen\w*|ranion\w*|"
                r"verletzt\w*|Verletzte\w*|verwundet\w*|(?:و|ال|وال)?(?:جرحى|جريح|مصاب\w*|إصاب\w*)|زخمی"),
    ("missing", r"missing|пропавш\w*|без\s+вести"),
    ("refugees_at_border", r"no[- ]man'?s[- ]land|"
                           r"(?:waiting|stuck|stranded|massed|gathered|camped|trapped|queu\w+)\b[^.;]{0,40}?\bborder|"
                           r"made\s+their\s+way\s+to\s+the\s+[^.;]{0,30}?border|at\s+the\s+border|"
                           r"wait\w*\s+to\s+cross|(?:fled|flee\w*|heading|head)\s+(?:to|towards?)\s+the\s+"
                           r"(?:nearby\s+)?border|marooned|on\s+the\s+border"),
    ("refugees_returned", r"returned|returning|returnees|came\s+back|went\s+back|gone\s+back|вернул\w*"),
    ("refugees_remaining", r"remain(?:s|ed|ing)?\s+(?:in|at)\s+(?:the\s+)?(?:<REFUGE>|camps?|refugee\s+camps?)|"
                           r"still\s+in\s+(?:<REFUGE>|camps?)"),
    ("dtotal_combo", r"refugees\s+(?:or|and)\s+(?:internally\s+)?displaced(?:\s+people|\s+persons)?|"
                     r"displaced\s+(?:people\s+|persons\s+)?(?:or|and)\s+refugees|"
                     r"driven\s+from\s+their\s+homes|forced\s+from\s+their\s+homes|IDPs?(?=/)"),
    ("displaced_internal", r"internally\s+displaced|IDPs?|displaced\s+(?:within|inside|in)\s+<HOME>|"
                           r"внутренн\w+\s+перемещ\w*"),
    ("refugees_crossed", r"refugees?|crossed\s+(?:over\s+)?(?:into|to)|"
                            r"fled\s+(?:in)?to\s+(?:neighbou?ring\s+)?<REFUGE>|fleeing\s+into|"
                            r"sought\s+refuge|taken\s+refuge|seeking\s+refuge|across\s+the\s+border|"
                            r"into\s+<REFUGE>|to\s+<REFUGE>|in\s+<REFUGE>|беженц\w*|sanctuary|"
                            r"refugiad\w*|réfugiés|uchodźc\w*|бегалци|біженц\w*|избеглиц\w*|izbeglic\w*|"
                            r"Flüchtling\w*|profughi|rifugiat\w*|(?:و|ال|وال)?لاجئ\w*|پناہ\s+گزین\w*"),
    ("displaced_total", r"displaced|displacing|displacement|uprooted|fled|flee|fleeing|homeless|"
                        r"forced\s+from\s+their\s+homes|left\s+their\s+homes|evacuated|"
                        r"покинул\w*|бежал\w*|перемещ\w*|desplazad\w*|déplacé\w*|раселени|"
                        r"переміщен\w*|втекл\w*|розселен\w*|расељен\w*|raseljen\w*|przesiedlon\w*|"
                        r"uciekł\w*|vertrieben\w*|Vertriebene\w*|auf\s+der\s+Flucht|geflohen|flohen|huyeron|"
                        r"sfollat\w*|fuggit\w*|(?:و|ال|وال)?(?:نازح\w*|نزح\w*|مشرد\w*)|بے\s+گھر|ہجرت"),
    ("detained", r"detained|arrested|detentions?|arrests?|in\s+custody|задержан\w*|арестован\w*"),
    ("buildings", _BUILDING_NOUN),
    ("affected", r"affect(?:ed|s|ing)?(?!\s+(?:areas?|regions?|zones?|districts?))|in\s+need|needs?\s+of|needing|"
                 r"caught\s+up\s+in|"
                 r"suffering"),
    ("_none", r"outpatients?|outpatient\s+treatment|such\s+as|inhabitants|hostages?|SOS|"
              r"armed|gunmen|attackers|uniformed|masked|амбулатор\w*"),
    ("buildings_verb", r"(?:were|was|been|being)\s+(?:(?:totally|completely|partially|partly|severely|heavily|"
                       r"badly|moderately|largely)\s+)?"
                       r"(?:destroyed|damaged|burn(?:ed|t)(?:\s+down)?|razed|torched)|"
                       r"(?:completely|totally|partially|partly|severely|heavily|badly)\s+(?:destroyed|damaged|burn\w*)"),
]
Countries = tuple[str, str]  # (home, refuge): regexes naming the country of the crisis and the one people flee to


@lru_cache(maxsize=64)
def _p(pattern: str, countries: Countries) -> re.Pattern:
    """`pattern` with <HOME> and <REFUGE> read as the crisis definition's country names, compiled (any case)."""
    home, refuge = countries
    return re.compile(pattern.replace("<HOME>", f"(?:{home})").replace("<REFUGE>", f"(?:{refuge})"), re.I)


def _kw_re(countries: Countries) -> re.Pattern:
    return _p("|".join(f"(?P<{m}>(?<![\\w])(?:{p})(?![\\w]))" for m, p in _KW), countries)
_DESTROY = re.compile(r"destroy\w*|burn\w*|razed|torched|gutted|levell?ed|разруш\w*|сожж\w*|сгорел\w*", re.I)
_DAMAGE = re.compile(r"damag\w*|поврежд\w*", re.I)
_LEFT_VERB = re.compile(r"(?<![\w])(?P<kw>killing|killed|displacing|displaced|injuring|injured|"
                        r"wounding|wounded|uprooting|uprooted|detained|arrested|affecting|affected|"
                        r"destroying|damaging|burning|destroyed|burned|burnt|detaining|arresting)"
                        r"(?:\s+(?:a\s+total\s+of|an?\s+|the\s+))?\s*$", re.I)


# verb-first languages (Arabic): the verb, then perhaps a qualifier, then the figure ("قتل ما لا يقل عن 170")
_LEFT_VERB_VSO = re.compile(r"(?<![\w])(?P<kw>قتل|لقي\s+حتفه|أصيب|جرح|نزح|فر)"
                            r"(?:\s+(?:ما\s+لا\s+يقل\s+عن|أكثر\s+من|نحو|حوالي|قرابة|زهاء))?\s*$")
_VSO_METRIC = {"قتل": "killed", "لقي": "killed", "أصيب": "injured", "جرح": "injured", "نزح": "displaced_total",
               "فر": "displaced_total"}


def _kw_matches(window: str, countries: Countries):
    return [({"dtotal_combo": "displaced_total", "_nonea": "_none"}.get(m.lastgroup, m.lastgroup), m.start(), m.end())
            for m in _kw_re(countries).finditer(window)]


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


def _refine(metric: str, right: str, left_tail: str, kw_end: int | None, countries: Countries) -> str:
    """Narrow a displacement/refugee metric with words right after the metric word."""
    if kw_end is not None:
        right = right[:kw_end + 60]
    right = re.split(r";|\.\s", right, maxsplit=1)[0]
    if metric in ("refugees_crossed", "displaced_total"):
        if metric == "refugees_crossed" and \
                re.search(r"(?<!to\s)\breturn\b|\b(?:returned|returning|have\s+gone\s+back|came\s+back)\b|вернул",
                          right, re.I):
            return "refugees_returned"
        if _p(r"\bon\s+(?:its|their)\s+territory|\b(?:remain(?:s|ed|ing)?\s+in|still\s+in)\s+(?:the\s+)?"
              r"(?:<REFUGE>|camps?|refugee\s+camps?)", countries).search(right):
            return "refugees_remaining"
        if re.search(r"no[- ]man'?s|(?:waiting|stuck|stranded|massed|gathered|camped|marooned|made\s+their\s+way|"
                     r"wait\w*\s+to\s+cross|(?:fled|flee\w*|heading)\s+(?:to|towards?)\s+the)"
                     r"[^.;]{0,50}border|\bat\s+(?:the\s+)?border", right, re.I) and \
                not re.search(r"across\s+the\s+border", right, re.I):
            return "refugees_at_border"
        if metric == "displaced_total":
            if _p(r"(?:to|into|in|towards)\s+(?:neighbou?ring\s+|nearby\s+)?<REFUGE>|to\s+neighbou?ring|"
                  r"across\s+the\s+border|<REFUGE>", countries).search(right) and \
                    not _p(r"<HOME>\s+(?:and|or)\s+<REFUGE>|within|inside|or\s+their\s+homes|internally\s+or|"
                           r"or\s+across", countries).search(right):
                return "refugees_crossed"
            if _p(r"internally|IDPs?\b|(?:within|inside|elsewhere\s+in)\s+(?:<HOME>|the\s+country)",
                  countries).search(right) and not re.search(r"internally\s+or|or\s+across|IDPs?/", right, re.I):
                return "displaced_internal"
    return metric


def _classify(text: str, a_start: int, a_end: int, lo: int, hi: int, countries: Countries):  # noqa: ANN201
    """(metric, kw_start, kw_end, rule) or None. lo/hi bound the clause around the figure: a verb right before
    the figure wins, then the first metric word after it (in its clause), then the nearest word before it."""
    right, left = text[a_end:hi], text[lo:a_start]
    found = _verb_before(left, right, lo, countries)
    if found is not None:
        return found
    left_clause_start = max((left.rfind(ch) for ch in ",;(:—–"), default=-1) + 1
    found = _word_after(left, right, lo, a_end, left_clause_start, countries)
    if found is not None:
        return found if found != () else None
    found = _word_before(left, right, lo, left_clause_start, countries)
    return found if found != () else None


def _verb_before(left: str, right: str, lo: int, countries: Countries) -> tuple | None:
    """A verb right before the figure: "killing hundreds", "displacing nearly 400,000"."""
    m = _LEFT_VERB.search(left)
    if not m:
        m = _LEFT_VERB_VSO.search(left)
        if not m:
            return None
        kw = m.group("kw")
        metric = _refine(_VSO_METRIC[kw.split()[0]], right, left[-60:], 0, countries)
        return metric, lo + m.start("kw"), lo + m.end("kw"), f"verb before figure ('{kw}')"
    kw = m.group("kw").lower()
    metric = {"kill": "killed", "disp": "displaced_total", "inju": "injured", "woun": "injured",
              "upro": "displaced_total", "deta": "detained", "arre": "detained",
              "affe": "affected", "dest": "buildings", "dama": "buildings", "burn": "buildings"}[kw[:4]]
    if metric == "buildings":
        metric = _buildings_metric(left[-60:])
    metric = _refine(metric, right, left[-60:], 0, countries)
    return metric, lo + m.start("kw"), lo + m.end("kw"), f"verb before figure ('{kw}')"


def _word_after(left: str, right: str, lo: int, a_end: int, left_clause_start: int,
                countries: Countries) -> tuple | None:
    """The first metric word after the figure, in the same clause; when it lies beyond a comma and the figure's
    own clause has a metric word before it ("the death toll rose to 138, ..."), the word before wins. ()
    when the word says the figure is not one of ours."""
    left_clause = left[left_clause_start:]
    rm = _kw_matches(right, countries)
    if rm and re.search(r"[,;(:]", right[:rm[0][1]]):
        lm = [x for x in _kw_matches(left_clause, countries) if x[0] not in ("buildings", "buildings_verb")]
        if lm:
            name, s, e = lm[-1]
            if name == "_none":
                return ()
            metric = _refine(name, left_clause[e:] + right, "", 0, countries)
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
            return ()
        metric = _refine(metric, right, left[-60:], e, countries)
        return metric, a_end + s, a_end + e, f"metric word after figure ('{right[s:e]}')"
    return None


def _word_before(left: str, right: str, lo: int, left_clause_start: int, countries: Countries) -> tuple | None:
    """The nearest metric word before the figure, in its clause ("IDPs, which number about ..." reaches one
    clause further back). () when the word says the figure is not one of ours."""
    left_clause = left[left_clause_start:]
    start = left_clause_start
    if re.match(r"\s*(?:which|who|that|of\s+whom|of\s+which)\b", left_clause, re.I) or \
            (len(left_clause) <= 25 and not _kw_matches(left_clause, countries)):
        start = max((left.rfind(ch, 0, max(0, left_clause_start - 1)) for ch in ",;("), default=-1) + 1
    lclause = left[start:]
    for name, s, e in reversed(_kw_matches(lclause, countries)):
        metric = name
        if name == "_none":
            return ()
        if name in ("buildings", "buildings_verb"):
            metric = _buildings_metric(lclause + right)
            if not metric:
                continue
        metric = _refine(metric, lclause[s:] + right, "", e - s, countries)
        return metric, lo + start + s, lo + start + e, f"metric word before figure ('{lclause[s:e]}')"
    return None
