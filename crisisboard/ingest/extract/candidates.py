"""Candidate claims: every figure of a release's text with what the sentence says of it, each with the rule
that found it (its `why`), for the officer to review."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from crisisboard.data.crisis import Crisis, load_crisis
from crisisboard.data.schema import CROSSED
from crisisboard.data.load import data_dir_from_env
from crisisboard.ingest.extract.dates import _resolve_date
from crisisboard.ingest.extract.figures import _QUAL_MAP, _QUAL_RE, _atoms, _is_negative, _vague_term
from crisisboard.ingest.extract.metrics import _classify, _kw_matches, _refine
from crisisboard.ingest.extract.originators import _claimant, _place, _population, _rules, _status, read_places
from crisisboard.ingest.extract.release import _to_text

MAX_CHARS = 2_000_000
MAX_CANDIDATES = 5_000
SUPPORTED_LANGUAGES = "en, ru, uk, sr, mk, pl, de, es, it, fr, ar, ur: docs/extraction.md"



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
    # every mention of this statement in the text, (start, end, quote), in order; the quote above is the one a
    # reviewer should see (one naming its originator, the longest, the first)
    mentions: tuple[tuple[int, int, str], ...] = ()
    # the country people crossed into (ISO alpha-2): the crisis's refuge_country for refugees_crossed, else empty
    destination: str = ""


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
        out = statements(out, text)
        if not out and re.search(r"[\u3040-\u9fff\uac00-\ud7af]", text[:10000]) and \
                not re.search(r"[A-Za-zА-Яа-я\u0600-\u06ff]{4}", text[:10000]):
            warnings.append(f"text is not in a supported language ({SUPPORTED_LANGUAGES})")
        return out, warnings
    except Exception as exc:  # noqa: BLE001
        warnings.append(f"extraction failed: {type(exc).__name__}: {exc}")
        return [], warnings


def statements(mentions: list[Candidate], text: str = "") -> list[Candidate]:
    """One candidate per statement: the mentions of one figure (metric, bounds, vague term) by one originator
    in one text are grouped, a mention naming no originator joining the statement of the one originator
    that does (or the first). Each candidate keeps all its mentions, and shows the quote a reviewer should see:
    one in the body rather than a header line (URL:, TITLE: ...), naming its originator, then the longest, then
    the first."""
    def in_header(m: Candidate) -> bool:
        line_start = text.rfind("\n", 0, m.start) + 1
        return bool(re.match(r"(?:URL|TITLE|PUBLISHER|DATE)\s*:", text[line_start:line_start + 12]))

    groups: dict[tuple, list[list[Candidate]]] = {}
    order: list[tuple] = []
    for c in mentions:
        key = (c.metric, c.low, c.high, c.vague_term)
        if key not in groups:
            groups[key] = []
            order.append(key)
        by = groups[key]
        same = [g for g in by if c.claimant and any(m.claimant == c.claimant for m in g)]
        if same:
            same[0].append(c)
        elif not c.claimant and by:
            by[0].append(c)
        elif c.claimant and len(by) == 1 and not any(m.claimant for m in by[0]):
            by[0].append(c)  # the unattributed mentions so far were this originator's
        else:
            by.append([c])
    out = []
    for key in order:
        for group in groups[key]:
            shown = sorted(group, key=lambda m: (in_header(m), not m.claimant, -len(m.quote), m.start))[0]
            claimant = next((m for m in group if m.claimant), shown)
            merged = replace(shown, claimant=claimant.claimant, claimant_type=claimant.claimant_type,
                             mentions=tuple((m.start, m.end, m.quote) for m in sorted(group, key=lambda m: m.start)))
            if len(group) > 1:
                merged = replace(merged, why=f"{merged.why}; {len(group)} mentions of one statement")
            out.append(merged)
    return sorted(out, key=lambda c: c.mentions[0][0])


def _sentence_candidates(text, s_lo, s_hi, published, rules, seen):  # noqa: ANN001, ANN202
    """The candidates of one sentence: each figure, with what the words around it say."""
    items = _figures(text, s_lo, s_hi)
    cands = []
    prev = None
    for k, (fs, fe, low, high, qual, vterm, rule) in enumerate(items):
        # clause bounds: from the previous figure's end to the next figure's start
        lo = max(items[k - 1][1] if k > 0 else s_lo, fs - 160)
        hi = min(items[k + 1][0] if k + 1 < len(items) else s_hi, fe + 140)
        res = _classify(text, fs, fe, lo, hi, rules.countries)
        if res is None and prev is not None and k > 0:
            gap = text[items[k - 1][1]:fs]
            if len(gap) <= 30 and re.fullmatch(r"[\s,]*(?:(?:and|or|but|would\s+be|could\s+be|may\s+be|"
                                               r"might\s+be|currently\s+at|now)\s*)*[\s,]*", gap, re.I):
                res = (prev[0], fs, fe, "same metric as the figure just before")
        prev = res
        if res is None:
            continue
        for metric, ks, ke, why in _metrics_joined(text, res, fe, hi, rules):
            if metric == "buildings":
                continue
            candidate = _candidate(text, s_lo, s_hi, (fs, fe, low, high, qual, vterm, rule), (metric, ks, ke, why),
                                   lo, hi, published, rules, seen)
            if candidate is not None:
                cands.append(candidate)
    return cands


def _figures(text: str, s_lo: int, s_hi: int) -> list[tuple]:
    """The figures of a sentence, ranges joined ("between 2,000 and 6,000", "2,000-6,000", "2-3,000",
    "10 to 20 thousand") and qualifiers read: (start, end, low, high, qualifier, vague_term, rule)."""
    atoms = _atoms(text, s_lo, s_hi)
    items = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        neg = _is_negative(text, a) if a.kind != "vague" else ""
        nxt = atoms[i + 1] if i + 1 < len(atoms) else None
        before = text[max(s_lo, a.start - 40):a.start]
        if nxt is not None and a.kind != "vague" and nxt.kind != "vague":
            joined = _range(text, a, nxt, before)
            if joined is not None:
                if joined:
                    items.append(joined)
                i += 2
                continue
        if not neg:
            items.append(_single(text, a, before))
        i += 1
    return items


def _range(text: str, a, nxt, before: str) -> tuple | None:  # noqa: ANN001 - two _Atom
    """The range two neighbouring figures make, () when they make one that is not a figure (a date span), or
    None when they are not a range."""
    gap = text[a.end:nxt.start]
    between = re.search(r"(?<![\w])between\s+$", before, re.I)
    if not (re.fullmatch(r"\s*[-–—]\s*", gap) or re.fullmatch(r"\s+to\s+", gap, re.I) and not
            re.search(r"from\s+$", before, re.I) or between and re.fullmatch(r"\s+and\s+", gap, re.I)):
        return None
    lo_v, hi_v = a.value, nxt.value
    if _is_negative(text, nxt, True) or _is_negative(text, a, True) or lo_v is None or hi_v is None:
        return ()
    for mult in (1000, 1_000_000):
        if lo_v < hi_v and lo_v * mult <= hi_v and hi_v % mult == 0 and lo_v < 1000 and \
                not re.search(r"thousand|million", a.text, re.I):
            lo_v = lo_v * mult
            break
    if lo_v >= hi_v:
        return None
    fs = a.start - (len(before) - between.start()) if between else a.start
    return (fs, nxt.end, lo_v, hi_v, "between", "", "range")


def _single(text: str, a, before: str) -> tuple:  # noqa: ANN001 - an _Atom
    """One figure with the qualifier just before it ("at least", "up to") or "or more" just after."""
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
    om = re.match(r"\s+or\s+more(?![\w])", text[a.end:a.end + 12], re.I)
    if om and a.kind != "vague":
        qual = "at_least"
        fe = a.end + om.end()
    um = re.match(r"\s+سے\s+(?:زائد|زیادہ)(?![\w])", text[a.end:a.end + 16])  # Urdu: "دو ہزار سے زائد"
    if um and a.kind != "vague" and not qm:
        qual = "more_than"
        fe = a.end + um.end()
    if a.kind == "vague":
        return (fs if qm else a.start, fe, None, None, "vague", _vague_term(a.text), "vague")
    v = a.value
    if qual in ("exact", "about"):
        return (fs, fe, v, v, qual, "", a.kind)
    if qual in ("at_least", "more_than"):
        return (fs, fe, v, None, qual, "", a.kind)
    return (fs, fe, None, v, qual, "", a.kind)


def _metrics_joined(text: str, res: tuple, fe: int, hi: int, rules) -> list[tuple]:  # noqa: ANN001
    """The figure's metric, and a second one joined by "and" ("thousands wounded and homeless")."""
    metrics = [res]
    m2 = re.match(r"\s+(?:and|or|и)\s+(\w+)", text[res[2]:hi])
    if m2 and res[1] >= fe:
        extra = _kw_matches(m2.group(1), rules.countries)
        if extra and extra[0][0] not in ("buildings",) and extra[0][0] != res[0] and \
                re.fullmatch(r"\w+", m2.group(1)):
            e2 = res[2] + m2.end()
            metrics.append((_refine(extra[0][0], text[e2:hi], "", None, rules.countries), res[1], e2,
                            f"second metric word joined by 'and' ('{m2.group(1)}')"))
    return metrics


def _candidate(text, s_lo, s_hi, figure, found, lo, hi, published, rules, seen):  # noqa: ANN001, ANN202
    """The candidate of one figure and metric (None when the same was proposed already): the quote, then the
    date, originator, status, population and place the sentence gives."""
    fs, fe, low, high, qual, vterm, rule = figure
    metric, ks, ke, why = found
    sentence = text[s_lo:s_hi]
    q_start, q_end = min(fs, ks), max(fe, ke)
    quote = text[q_start:q_end]
    if len(quote.split()) > 40:
        q_start, q_end = fs, fe
        quote = text[q_start:q_end]
    key = (metric, low, high, q_start)
    if key in seen:
        return None
    seen.add(key)
    near = text[fe:min(hi, fe + 60)] + " " + text[max(lo, fs - 30):fs]
    as_of, prec, drule = _resolve_date(sentence, published)
    rel = fs - s_lo
    claimant, ctype, crule = _claimant(sentence, rel, rules.claimants)
    if ctype == "local_official" and not claimant:
        claimant = "Local district council representatives"
    figure_text = text[fs:fe]
    return Candidate(
        quote=quote, figure_text=figure_text, metric=metric, population=_population(near, sentence, rules.populations),
        low=low, high=high, qualifier=qual, vague_term=vterm if qual == "vague" else "",
        as_of=as_of, as_of_precision=prec if as_of else "inferred", place_id=_place(sentence, rel, rules, metric),
        claimant=claimant, claimant_type=ctype if ctype else "unknown",
        destination=rules.refuge_country if metric == CROSSED else "",
        status_in_text=_status(sentence), start=q_start, end=q_end,
        why=f"{rule} figure '{figure_text}' [{qual}]; {why}; date: {drule}" + (f"; claimant: {crule}" if crule else ""))
