"""Score crisisboard.ingest.extract against labels of the shared corpus, on the development set and on the
frozen test set separately (issue #20; the protocol is in tests/eval/README.md).

    python -m crisisboard evaluate [--set dev|test|both] [--labels FILE] [--corpus ../shared/sources]
                                   [--reference ../shared/sources/CLAIMS-REFERENCE.md] [--per-file]

The split is by text: a file is in the test set when the first 8 hex digits of the SHA-256 of its name,
read as a number, are divisible by 3 (`split_of`); about a third of the texts. The development set is scored
against tests/eval/reviewed_labels.csv (its dev files only), the test set against
tests/eval/test_labels.csv, written blind by two readers (tests/eval/blind/).

Scoring is per file with set matching (duplicates in a file collapse), summed over files (micro):
precision/recall/F1 of (metric family, main figure, range top) (`family_key`), of (metric, low, high) and
of (metric, low, high, qualifier). Candidates in
the header lines (URL/TITLE/PUBLISHER/DATE) and in curator notes ("[PARTIAL: ...]", "[Language: ...]")
are not scored: only the stored page text is.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from crisisboard.data import PROJECT_ROOT
from crisisboard.data.countries import lookup, named_crossing
from crisisboard.ingest.extract import extract_candidates, parse_release, read_places

ROOT = PROJECT_ROOT
DEFAULT_LABELS = ROOT / "tests" / "eval" / "reviewed_labels.csv"
TEST_LABELS = ROOT / "tests" / "eval" / "test_labels.csv"
# the families a reader tells apart (refugees from displaced, returns from refugees, deaths from injuries)
FAMILY = {"killed": "deaths", "injured": "injuries", "hospitalized": "injuries", "missing": "missing",
          "displaced_internal": "displaced", "displaced_total": "displaced", "affected": "affected",
          "refugees_crossed": "refugees", "refugees_at_border": "refugees", "refugees_remaining": "refugees",
          "refugees_returned": "returns", "detained": "detained", "buildings_destroyed": "buildings",
          "buildings_damaged": "buildings", "buildings_damaged_or_destroyed": "buildings"}


def split_of(file: str) -> str:
    """"test" for the frozen test set (a third of the texts, by a hash of the file name), else "dev"."""
    import hashlib

    return "test" if int(hashlib.sha256(Path(file).name.encode("utf-8")).hexdigest()[:8], 16) % 3 == 0 else "dev"


def family_key(metric: str, low, high) -> tuple:
    """(metric family, main figure, range top): the main figure is the lower bound, or the upper one when
    only it is given ("up to 2,000"); the range top is the upper bound of a range, else None."""
    low, high = _key(metric, low, high)[1:]
    main = low if low is not None else high
    top = high if low is not None and high is not None and high != low else None
    return FAMILY.get(metric, metric), main, top
DEFAULT_CORPUS = ROOT.parent / "shared" / "sources"
LABEL_COLUMNS = ["file", "fragment", "metric", "low", "high", "qualifier", "note"]

# reference metric -> our metric ("" = not modelled, dropped)
METRIC_MAP = {
    "killed": "killed", "injured": "injured", "hospitalized": "hospitalized", "missing": "missing",
    "displaced_internal": "displaced_internal", "displaced_total": "displaced_total",
    "refugees_crossed": "refugees_crossed", "refugees_at_border": "refugees_at_border",
    "refugees_returned": "refugees_returned", "refugees_remaining": "refugees_remaining", "arrested_detained": "detained", "detained": "detained",
    "buildings_destroyed": "buildings_destroyed", "buildings_damaged": "buildings_damaged",
    "buildings_damaged_or_destroyed": "buildings_damaged_or_destroyed", "affected": "affected",
    # not modelled (README "Not covered"): shares/percentages, judicial figures, burials
    "killed_share_ethnic": "", "casualties_share_ethnic": "", "arrested_detained_share_ethnic": "",
    "killed_by_ethnicity": "killed", "charged_murder": "", "prosecuted": "", "convicted": "", "buried": "",
}

# a reference may name the country in a refugee label: refugees_<country> crossed into it, refugees_remaining_<country>
# are still there (the country is the claim's destination, not a metric of its own)
_REMAINING_IN = re.compile(r"^refugees_remaining_([a-z_]+)$")


def reference_metric(label: str) -> str:
    """Our metric for a reference's metric label ("" when we do not model it)."""
    if label in METRIC_MAP:
        return METRIC_MAP[label]
    remaining = _REMAINING_IN.match(label)
    if remaining and lookup(remaining.group(1)):
        return "refugees_remaining"
    return "refugees_crossed" if named_crossing(label) else ""


_QUAL_RULES = [  # (regex on the reference's free-text qualifier, our qualifier)
    (r"^between", "between"),
    (r"^(?:hundreds of thousands|hundred of thousands|tens of thousands|thousands|hundreds|dozens|"
     r"several (?:hundred|thousand|dozen)|many hundreds)", "vague"),
    (r"^(?:at least|or more|a minimum)", "at_least"),
    (r"^(?:more than|over|exceeded|upwards of|in excess of)", "more_than"),
    (r"^(?:up to|as high as|could be|could reach|projection|as many as)", "up_to"),
    (r"^(?:fewer than|less than|under)", "fewer_than"),
    (r"^\(?(?:some|about|around|approximately|nearly|almost|estimated|estimate|close to|closer to|near\b|"
     r"probably|planning figure|roughly)", "about"),
    (r"^exact", "exact"),
]
_VAGUE_TERMS = [("hundreds of thousands", "hundreds_of_thousands"), ("hundred of thousands", "hundreds_of_thousands"),
                ("tens of thousands", "tens_of_thousands"), ("thousand", "thousands"), ("hundred", "hundreds"),
                ("dozen", "dozens")]


def _int_or_none(value) -> int | None:
    s = str(value if value is not None else "").strip().replace(",", "").replace(" ", "")
    if not s or s.lower() in ("nan", "none"):
        return None
    if not re.fullmatch(r"\d+(?:\.0+)?", s):
        raise ValueError(s)
    return int(float(s))


def map_qualifier(raw: str) -> str:
    raw = (raw or "").strip().lower()
    for rx, q in _QUAL_RULES:
        if re.search(rx, raw):
            return q
    return ""


def normalise_bounds(qualifier: str, low: int | None, high: int | None) -> tuple[int | None, int | None]:
    """Bounds as the README's Qualifiers table has them."""
    value = low if low is not None else high
    if qualifier in ("exact", "about"):
        return value, value
    if qualifier in ("at_least", "more_than"):
        return value, None
    if qualifier in ("up_to", "fewer_than"):
        return None, (high if high is not None else low)
    if qualifier == "vague":
        return None, None
    return low, high


def load_reference(path) -> pd.DataFrame:
    """CLAIMS-REFERENCE.md table -> rows in our vocabulary (LABEL_COLUMNS + ref_id, ref_qualifier).

    Rows whose metric we do not model, whose qualifier has no bound we can score ("several times
    higher", "almost every house") or whose bounds are percentages are dropped.
    """
    rows = []
    text = Path(path).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not re.match(r"^\|\s*\d+\s*\|", line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 11:
            continue
        ref_id, file, fragment, metric, low, high, qual = cells[:7]
        ours = reference_metric(metric)
        if not ours or "%" in low or "%" in high:
            continue
        q = map_qualifier(qual)
        if not q:
            continue
        try:
            lo, hi = _int_or_none(low), _int_or_none(high)
        except ValueError:
            continue
        if q != "vague" and lo is None and hi is None:
            continue
        lo, hi = normalise_bounds(q, lo, hi)
        rows.append({"ref_id": ref_id, "file": file, "fragment": fragment, "metric": ours,
                     "low": lo, "high": hi, "qualifier": q, "ref_qualifier": qual, "note": ""})
    df = pd.DataFrame(rows, columns=["ref_id"] + LABEL_COLUMNS + ["ref_qualifier"])
    return _object_bounds(df)


def _object_bounds(df: pd.DataFrame) -> pd.DataFrame:
    """low/high as Python int or None (not float NaN)."""
    for col in ("low", "high"):
        df[col] = pd.Series([None if v is None or (isinstance(v, float) and pd.isna(v)) else int(v)
                             for v in df[col]], index=df.index, dtype=object)
    return df


def read_labels(path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for col in ("low", "high"):
        df[col] = pd.Series([_int_or_none(v) for v in df[col]], index=df.index, dtype=object)
    return _object_bounds(df)


def _norm_ws(text: str) -> str:
    trans = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                           "\u2013": "-", "\u2014": "-", "\u00a0": " "})
    return re.sub(r"\s+", " ", text.translate(trans)).strip()


def _note_spans(text: str, body_start: int, title: str = "") -> list[tuple[int, int]]:
    """Header and curator-note lines ("[PARTIAL: ...]") that are not page text, and lines of
    the body that only repeat the TITLE (the headline: scored once, in the header, i.e. not)."""
    spans = [(0, body_start)]
    if title.strip():
        t = _norm_ws(title)
        for m in re.finditer(r"(?m)^[^\n]*$", text):
            if m.start() >= body_start and _norm_ws(m.group(0)) == t:
                spans.append((m.start(), m.end()))
    for m in re.finditer(r"(?m)^\[[A-Z][^\n]*\]\s*$", text):
        spans.append((m.start(), m.end()))
    return spans


_LANGS = {"russian": "ru", "macedonian": "mk", "arabic": "ar", "urdu": "ur", "french": "fr",
          "italian": "it", "polish": "pl", "spanish": "es", "english": "en"}


def _language(text: str) -> str:
    """The corpus note "[Language: X]" when present, else the script (Cyrillic -> ru), else en."""
    m = re.search(r"(?m)^\[Language:\s*([A-Za-z]+)", text)
    if m:
        return _LANGS.get(m.group(1).lower(), m.group(1).lower())
    cyr = len(re.findall(r"[\u0400-\u04ff]", text))
    lat = len(re.findall(r"[A-Za-z]", text))
    return "ru" if cyr > lat else "en"


def _key(metric, low, high, qual=None):
    low = None if low is None or (isinstance(low, float) and pd.isna(low)) else int(low)
    high = None if high is None or (isinstance(high, float) and pd.isna(high)) else int(high)
    return (metric, low, high) if qual is None else (metric, low, high, qual)


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "predicted": n_pred, "gold": n_gold}


def _page_candidates(text: str, places: pd.DataFrame) -> tuple[list, list[str]]:
    """The candidates of a stored text that the page states: a statement whose every mention is in the header
    or a curator's note is not scored."""
    rel = parse_release(text)
    cands, warns = extract_candidates(text, rel.published, places)
    skip = _note_spans(text, rel.body_start, rel.title)
    def on_page(c) -> bool:  # noqa: ANN001 - a Candidate
        mentions = getattr(c, "mentions", ()) or ((c.start, c.end, c.quote),)
        return not all(any(s <= start < e for s, e in skip) for start, _, _ in mentions)

    return [c for c in cands if on_page(c)], warns


def _verbatim(text: str, cands: list) -> tuple[int, int]:
    """(quotes checked, quotes verbatim): the quote each candidate shows and every mention's."""
    norm_text = _norm_ws(text)
    quotes = [q for c in cands for q in ((c.start, c.end, c.quote), *getattr(c, "mentions", ()))]
    return len(quotes), sum(quote == text[start:end] and _norm_ws(quote) in norm_text for start, end, quote in quotes)


def set_files(corpus_dir, which: str) -> list[str]:
    """The corpus texts of one set ("dev" or "test"), labelled or not."""
    return sorted(p.name for p in Path(corpus_dir).glob("[0-9]*.txt") if split_of(p.name) == which)


def evaluate(corpus_dir, labels_df: pd.DataFrame, files: list[str] | None = None) -> dict:
    """Scores over `files` (default: the files the labels name). A file of `files` with no label still
    counts: every candidate in it is a false positive."""
    corpus = Path(corpus_dir)
    places = read_places()
    totals = {"family": [0, 0, 0], "mlh": [0, 0, 0], "mlhq": [0, 0, 0]}
    by_lang: dict[str, dict[str, list[int]]] = {}
    per_file = {}
    quotes_total = quotes_ok = 0
    n_candidates = 0
    missing_files = []
    warnings_count = 0
    groups = dict(tuple(labels_df.groupby("file", sort=True)))
    for file in sorted(set(files) if files is not None else groups):
        gold_rows = groups.get(file, labels_df.iloc[0:0])
        path = corpus / file
        if not path.exists():
            missing_files.append(file)
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        cands, warns = _page_candidates(text, places)
        warnings_count += len(warns)
        n_candidates += len(cands)
        checked, verbatim = _verbatim(text, cands)
        quotes_total, quotes_ok = quotes_total + checked, quotes_ok + verbatim
        lang = _language(text)
        pred0 = {family_key(c.metric, c.low, c.high) for c in cands}
        gold0 = {family_key(r.metric, r.low, r.high) for r in gold_rows.itertuples()}
        pred1 = {_key(c.metric, c.low, c.high) for c in cands}
        pred2 = {_key(c.metric, c.low, c.high, c.qualifier) for c in cands}
        gold1 = {_key(r.metric, r.low, r.high) for r in gold_rows.itertuples()}
        gold2 = {_key(r.metric, r.low, r.high, r.qualifier) for r in gold_rows.itertuples()}
        for name, pred, gold in (("family", pred0, gold0), ("mlh", pred1, gold1), ("mlhq", pred2, gold2)):
            tp = len(pred & gold)
            for acc in (totals[name], by_lang.setdefault(lang, {"family": [0, 0, 0], "mlh": [0, 0, 0],
                                                                "mlhq": [0, 0, 0]})[name]):
                acc[0] += tp
                acc[1] += len(pred)
                acc[2] += len(gold)
        per_file[file] = {"language": lang, "missed": sorted(map(str, gold0 - pred0)),
                          "spurious": sorted(map(str, pred0 - gold0)), "tp": len(pred0 & gold0)}
    return {
        "family_main_top": _prf(*totals["family"]),
        "metric_low_high": _prf(*totals["mlh"]),
        "metric_low_high_qualifier": _prf(*totals["mlhq"]),
        "quotes_verbatim": round(quotes_ok / quotes_total, 4) if quotes_total else 1.0,
        "counts": {"files": len(per_file), "labels": int(len(labels_df)), "candidates": n_candidates,
                   "quotes_checked": quotes_total, "quotes_verbatim": quotes_ok,
                   "warnings": warnings_count, "missing_files": missing_files},
        "by_language": {lang: {"family_main_top": _prf(*v["family"]), "metric_low_high": _prf(*v["mlh"]),
                               "metric_low_high_qualifier": _prf(*v["mlhq"])} for lang, v in by_lang.items()},
        "per_file": per_file,
    }


def _report(title: str, res: dict, per_file: bool) -> None:
    print(f"== {title}: {res['counts']['labels']} labels in {res['counts']['files']} files; "
          f"candidates: {res['counts']['candidates']}")
    for name, label in (("family_main_top", "(family, main figure, range top)"),
                        ("metric_low_high", "(metric, low, high)"),
                        ("metric_low_high_qualifier", "(metric, low, high, qualifier)")):
        s = res[name]
        print(f"{label:34s} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} "
              f"(tp {s['tp']}, predicted {s['predicted']}, gold {s['gold']})")
    print(f"quotes verbatim: {res['quotes_verbatim']:.3f} "
          f"({res['counts']['quotes_verbatim']}/{res['counts']['quotes_checked']})")
    for lang, v in sorted(res["by_language"].items()):
        s = v["family_main_top"]
        print(f"  [{lang}] (family, main, top) P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} "
              f"(tp {s['tp']}, predicted {s['predicted']}, gold {s['gold']})")
    if res["counts"]["missing_files"]:
        print("files not in corpus:", ", ".join(res["counts"]["missing_files"]))
    if per_file:
        for f, d in res["per_file"].items():
            if d["missed"] or d["spurious"]:
                print(f"{f}\n   missed:   {d['missed']}\n   spurious: {d['spurious']}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m crisisboard evaluate", description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=("dev", "test", "both"), default="both",
                    help="the development set, the frozen test set, or both (default), reported apart")
    ap.add_argument("--labels", default=None, help="score against this label file instead (every file in it)")
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    ap.add_argument("--reference", default=None,
                    help="score against CLAIMS-REFERENCE.md (mapped) instead of the reviewed labels")
    ap.add_argument("--per-file", action="store_true", help="list misses and spurious candidates per file")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus folder not found: {corpus}", file=sys.stderr)
        return 2
    if args.labels or args.reference:
        labels = load_reference(args.reference) if args.reference else read_labels(args.labels)
        _report(args.labels or args.reference, evaluate(corpus, labels), args.per_file)
        return 0
    if args.set in ("dev", "both"):
        dev = read_labels(DEFAULT_LABELS)
        dev = dev[[split_of(f) == "dev" for f in dev["file"]]]
        _report("development set (tests/eval/reviewed_labels.csv, dev texts)",
                evaluate(corpus, dev, set_files(corpus, "dev")), args.per_file)
    if args.set in ("test", "both"):
        if not TEST_LABELS.exists():
            print(f"no test labels: {TEST_LABELS} is missing", file=sys.stderr)
            return 2
        test = read_labels(TEST_LABELS)
        wrong = sorted({f for f in test["file"] if split_of(f) != "test"})
        if wrong:
            print(f"{TEST_LABELS}: files outside the test set: {', '.join(wrong)}", file=sys.stderr)
            return 2
        _report("frozen test set (tests/eval/test_labels.csv, blind)",
                evaluate(corpus, test, set_files(corpus, "test")), args.per_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
