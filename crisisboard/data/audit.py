"""The audit: patterns in a dataset that are allowed by the rules but usually mean a misreading, each listed
with file:line and a reason, for a curator to fix or to acknowledge in ``audit-exceptions.csv`` beside the data
(one row per finding: its rule, its claim ids, and why it stands).

``python -m crisisboard audit [DIR]`` prints the findings not acknowledged and exits 1 if there are any; it
never changes a file. The rules it checks:

- ``same_statement``: one originator, metric, figure and day under several statement ids; or an unnamed
  originator's figure precise enough to identify a statement (three significant digits or more: 191,
  1,971) that a named originator stated within a day, under another id;
- ``statement_mixed``: one statement id whose rows differ in kind, place, scope or day (a statement is one
  moment: a relay dated by its own publication has the wrong as_of);
- ``after_publication``: an as_of after the text's publication;
- ``restated_undated``: a text published a year or more after the crisis that dates a figure to its own
  publication without marking it restated;
- ``multiple``: a multiple ("ten times higher") coded as a figure or a vague word;
- ``unnamed_graded``: an unnamed originator graded above F;
- ``partial_sounding``: a quote about bodies, one cemetery, camp, hospital or village coded as crisis-wide;
- ``stale_exception``: a row of audit-exceptions.csv that matches no finding any more (remove it).

A malformed exceptions file (an unknown rule or claim id, an empty reason) is an error naming its line.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from crisisboard.data import schema
from crisisboard.data.crisis import read_crisis
from crisisboard.data.validate import read_table

EXCEPTIONS_FILE = "audit-exceptions.csv"
EXCEPTION_COLUMNS = ("rule", "claim_ids", "reason")
MULTIPLE_RE = re.compile(r"(?i)\b(?:\w+|\d+)\s+times\s+(?:higher|more|greater|the|as)|multipl\w+\s+by|\btenfold|"
                         r"\bx\s?10\b|\btwice\s+(?:the|as)|\bdouble\s+the|в\s+\d+\s+раз|в\s+(?:несколько|десять)\s+раз")
UNNAMED_RE = re.compile(r"(?i)^(?:unknown|unnamed|media reports?|reports?|reportedly|.*\(unnamed\))$|\bunnamed\b")
PARTIAL_RE = re.compile(r"(?i)\bbodies\b|\bin (?:just )?one\b|\ba cemetery\b|\bcemeter(?:y|ies)\b|\bin the village\b|"
                        r"\bhospital\b|\bmosque\b|\bcamp\b|\bschool\b|\bmorgue\b")


@dataclass(frozen=True, order=True)
class Finding:
    line: int
    rule: str
    claim_ids: tuple[str, ...]
    reason: str
    file: str = "claims.csv"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.rule}: {', '.join(self.claim_ids)}: {self.reason}"

    @property
    def key(self) -> tuple[str, str]:
        return self.rule, ";".join(sorted(self.claim_ids))


def _frames(data_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    claims_table, problems = read_table(data_dir / "claims.csv", schema.CLAIM_COLUMNS)
    sources_table, more = read_table(data_dir / "sources.csv", schema.SOURCE_COLUMNS)
    if claims_table is None or sources_table is None:
        raise ValueError("; ".join(str(p) for p in problems + more) or "the data cannot be read")
    claims = claims_table.frame.astype(object).assign(line=claims_table.lines)
    return claims, sources_table.frame.astype(object)


def _same_statement(claims: pd.DataFrame) -> list[Finding]:
    day = claims["as_of"].str[:10]
    found = []
    for (claimant, metric, low, high, on), group in claims.assign(day=day).groupby(
            ["claimant", "metric", "low", "high", "day"]):
        if group["statement_id"].nunique() > 1 and (low or high):
            found.append(Finding(int(group["line"].min()), "same_statement", tuple(group["claim_id"]),
                                 f"{claimant}, {metric} {low or ''}–{high or ''} as of {on} under "
                                 f"{group['statement_id'].nunique()} statement ids: one statement?"))
    return found


def _precise(value: str) -> bool:
    return bool(value) and len(value.rstrip("0")) >= 3


def _unnamed_same_figure(claims: pd.DataFrame) -> list[Finding]:
    claims = claims.assign(day=pd.to_datetime(claims["as_of"].str[:10]))
    named, unnamed = claims[claims["claimant_type"] != "unknown"], claims[claims["claimant_type"] == "unknown"]
    found = []
    for row in unnamed.itertuples():
        for value in {row.low, row.high} - {""}:
            if not _precise(value):
                continue
            same = named[(named["metric"] == row.metric) & ((named["low"] == value) | (named["high"] == value))
                         & ((named["day"] - row.day).abs() <= pd.Timedelta(days=1))
                         & (named["statement_id"] != row.statement_id)]
            if len(same):
                statement = sorted(set(same["statement_id"]))[0]
                found.append(Finding(row.line, "same_statement", (row.claim_id, *same["claim_id"]),
                                     f"unnamed originator's {row.metric} {value} is {statement}'s figure of the "
                                     "same days: the same statement, attributed by it?"))
                break
    return found


def _statement_mixed(claims: pd.DataFrame) -> list[Finding]:
    found = []
    for statement, group in claims.assign(day=claims["as_of"].str[:10]).groupby("statement_id"):
        mixed = [column for column in ("claim_kind", "place_id", "scope", "day") if group[column].nunique() > 1]
        if mixed and len(group) > 1:
            values = "; ".join(f"{c}: {', '.join(sorted(set(group[c])))}" for c in mixed)
            found.append(Finding(int(group["line"].min()), "statement_mixed", tuple(group["claim_id"]),
                                 f"statement {statement} mixes {values}"))
    return found


def _by_row(claims: pd.DataFrame, sources: pd.DataFrame, crisis_end: date) -> list[Finding]:
    published = dict(zip(sources["source_id"], sources["published"]))
    found = []
    for row in claims.itertuples():
        on, text_day = row.as_of[:10], published.get(row.source_id, "")
        if text_day and on > text_day:
            found.append(Finding(row.line, "after_publication", (row.claim_id,),
                                 f"as_of {on} is after the text's publication ({text_day})"))
        if text_day and date.fromisoformat(text_day) > crisis_end + timedelta(days=365) and \
                abs((date.fromisoformat(on) - date.fromisoformat(text_day)).days) <= 1 and \
                row.as_of_precision != "restated":
            found.append(Finding(row.line, "restated_undated", (row.claim_id,),
                                 f"a text of {text_day} dates the figure to its own publication: the date of the "
                                 "statement it restates, or as_of_precision restated"))
        if MULTIPLE_RE.search(row.quote) and not (row.low or row.high and MULTIPLE_RE.search(row.figure_text) is None
                                                  and row.figure_text in row.quote):
            found.append(Finding(row.line, "multiple", (row.claim_id,),
                                 f"the quote states a multiple ({MULTIPLE_RE.search(row.quote).group(0)!r}): code the "
                                 "figure it names, or leave the multiple out"))
        if (row.claimant_type == "unknown" or UNNAMED_RE.search(row.claimant)) and row.source_reliability != "F":
            found.append(Finding(row.line, "unnamed_graded", (row.claim_id,),
                                 f"originator {row.claimant!r} is not named but graded {row.source_reliability}"))
        if row.scope == "crisis" and PARTIAL_RE.search(row.quote):
            found.append(Finding(row.line, "partial_sounding", (row.claim_id,),
                                 f"the quote sounds partial ({PARTIAL_RE.search(row.quote).group(0)!r}) but scope is "
                                 "crisis"))
    return found


RULES = ("same_statement", "statement_mixed", "after_publication", "restated_undated", "multiple",
         "unnamed_graded", "partial_sounding")


def read_exceptions(data_dir: Path, claim_ids: set[str]) -> dict[tuple[str, str], int]:
    """The acknowledged findings: (rule, claim ids joined by ';' in order) -> the file's line.

    Raises
    ------
    ValueError
        Naming the file, line and field of a row with an unknown rule or claim id or without a reason.
    """
    path = data_dir / EXCEPTIONS_FILE
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != EXCEPTION_COLUMNS:
            raise ValueError(f"{EXCEPTIONS_FILE}:1: header must be {','.join(EXCEPTION_COLUMNS)}")
        rows = [(reader.line_num, row) for row in reader]
    known, problems = {}, []
    for line, row in rows:
        ids = [i.strip() for i in (row["claim_ids"] or "").split(";") if i.strip()]
        if row["rule"] not in RULES:
            problems.append(f"{EXCEPTIONS_FILE}:{line}: rule: {row['rule']!r} is not one of {', '.join(RULES)}")
        if not ids or set(ids) - claim_ids:
            problems.append(f"{EXCEPTIONS_FILE}:{line}: claim_ids: no such claim "
                            f"{', '.join(sorted(set(ids) - claim_ids)) or '(empty)'}")
        if not (row["reason"] or "").strip():
            problems.append(f"{EXCEPTIONS_FILE}:{line}: reason: say in one line why the finding stands")
        known[(row["rule"], ";".join(sorted(ids)))] = line
    if problems:
        raise ValueError("\n".join(problems))
    return known


def audit_dataset(data_dir: Path) -> tuple[list[Finding], list[Finding]]:
    """(findings not acknowledged, findings acknowledged in audit-exceptions.csv), each sorted by line.

    Raises
    ------
    ValueError
        When the files cannot be read (validate them first).
    """
    data_dir = Path(data_dir)
    claims, sources = _frames(data_dir)
    crisis_end = read_crisis(data_dir).window.end
    findings = sorted(_same_statement(claims) + _unnamed_same_figure(claims) + _statement_mixed(claims)
                      + _by_row(claims, sources, crisis_end))
    known = read_exceptions(data_dir, set(claims["claim_id"]))
    keys = {f.key for f in findings}
    stale = [Finding(line, "stale_exception", tuple(ids.split(";")), f"acknowledges a {rule} finding that the "
                     "data no longer has: remove the row", EXCEPTIONS_FILE)
             for (rule, ids), line in known.items() if (rule, ids) not in keys]
    return [f for f in findings if f.key not in known] + stale, [f for f in findings if f.key in known]
