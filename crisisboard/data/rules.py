"""The rules of each file, expressed with pandera over the raw text of the CSV (every cell a string, empty
meaning "not given"), so that every failure can be reported against the line and the field it came from.
Cross-row and cross-file rules are pandera checks too; their names and messages live in :data:`ROW_RULES`
so :mod:`crisisboard.data.validate` can say which values broke them. The vocabulary the rules check
against is :mod:`crisisboard.data.schema`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

import numpy as np
import pandas as pd
import pandera.pandas as pa

from crisisboard.data.cells import figure_in_quote, in_date_range, is_url, normalise_space, parse_day, word_count
from crisisboard.data.countries import codes as country_codes
from crisisboard.data.countries import destination_fits
from crisisboard.data.frames import per_value
from crisisboard.data.numbers import readable_numbers
from crisisboard.data.schema import (
    AS_OF_PRECISION,
    CLAIM_KINDS,
    DATE_PRECISION,
    CLAIMANT_TYPES,
    CONTROL_BUT_LINES_RE,
    CONTROL_RE,
    COUNTRY_RE,
    CREDIBILITY,
    CROSSED,
    DATE_RE,
    DATETIME_RE,
    DECIMAL_RE,
    FORMULA_START,
    INCIDENT_KINDS,
    INT_RE,
    LANG_RE,
    MAX_CHARS,
    MAX_FIGURE,
    MAX_QUOTE_WORDS,
    METRICS,
    ONE_NUMBER_RE,
    PLACE_KINDS,
    PLACE_PRECISION,
    POPULATIONS,
    PRECISION_PUBLISHED,
    PUBLISHER_TYPES,
    QUALIFIERS,
    RELIABILITY,
    SCALE_WORD_RE,
    SCOPES,
    SLUG_RE,
    STATUSES,
    VAGUE_TERMS,
)

# --- row rules: checks that involve more than one field or file -----------------------------

@dataclass(frozen=True)
class RowRule:
    """A named rule over whole rows; `field` is the field a failure is reported against."""

    name: str
    field: str
    message: str
    fields_shown: tuple[str, ...]
    test: Callable[[pd.DataFrame], pd.Series]

    def check(self) -> pa.Check:
        return pa.Check(self.test, name=self.name, error=self.message)


def _given(series: pd.Series) -> pd.Series:
    return series.str.len() > 0


def _greater_whole_number(left: pd.Series, right: pd.Series) -> pd.Series:
    """Where both cells are whole numbers, whether left > right, compared as digit strings (exact at any
    length, and column by column in Arrow): fewer significant digits is smaller, equal lengths compare
    as text. False where either is not a whole number (its own rule reports that)."""
    both = (left.str.match(INT_RE.pattern) & right.str.match(INT_RE.pattern)).fillna(False).astype(bool)
    a, b = left.str.lstrip("0"), right.str.lstrip("0")
    longer, same = a.str.len() > b.str.len(), a.str.len() == b.str.len()
    return (both & (longer | (same & (a > b)))).fillna(False).astype(bool)


def _bound_readable(df: pd.DataFrame) -> pd.Series:
    """Each given bound is a number a reader can take from figure_text or, failing that, from the quote
    (digits, number words, "1.1 million", "2-3,000": see crisisboard.data.numbers). Read once per distinct
    figure_text, and per distinct quote only for the rows whose figure_text does not say it."""
    ok = pd.Series(True, index=df.index)
    for column in ("low", "high"):
        given = df[column].str.match(INT_RE.pattern).fillna(False).astype(bool) & _fits(df[column])
        if not given.any():
            continue
        rows = df.loc[given, [column, "figure_text", "quote"]]
        # most figures are one number in digits, without a scale word ("1,047", "at least 500"): its digits are its
        # value, compared as text in Arrow with no Python step; the rest are read by crisisboard.data.numbers
        figure = rows["figure_text"]
        one_number = figure.str.fullmatch(ONE_NUMBER_RE.pattern) & ~figure.str.contains(SCALE_WORD_RE.pattern)
        plain = one_number & figure.str.replace(r"\D", "", regex=True).str.lstrip("0").replace("", "0").eq(
            rows[column].str.lstrip("0").replace("", "0"))
        rows = rows[~plain.fillna(False).astype(bool).to_numpy()]
        if rows.empty:
            continue
        value = rows[column].astype("int64").to_numpy()
        in_figure = _readable_in(rows["figure_text"], value)
        missing = ~in_figure
        if missing.any():
            in_figure[missing] = _readable_in(rows["quote"][missing], value[missing])
        ok[rows.index[~in_figure]] = False
    return ok


def _readable_in(texts: pd.Series, values: "np.ndarray") -> "np.ndarray":
    readable = per_value(texts, lambda text: readable_numbers(text or ""))
    return np.fromiter((int(v) in numbers for v, numbers in zip(values.tolist(), readable)), dtype=bool,
                       count=len(values))


def _qualifier_bounds(df: pd.DataFrame) -> pd.Series:
    low, high, q = _given(df["low"]), _given(df["high"]), df["qualifier"]
    ok = pd.Series(True, index=df.index)
    ok &= ~(q.eq("exact") | q.eq("about")) | (low & high & df["low"].eq(df["high"]))
    ok &= ~q.isin(["at_least", "more_than"]) | (low & ~high)
    ok &= ~q.isin(["up_to", "fewer_than"]) | (~low & high)
    ok &= ~q.eq("between") | (low & high)
    ok &= ~q.eq("vague") | (~low & ~high)
    return ok


CLAIM_ROW_RULES = (
    RowRule("low_le_high", "low", "must be <= high", ("low", "high"),
            lambda df: ~_greater_whole_number(df["low"], df["high"])),
    RowRule("bound_readable", "low", "low and high must be numbers the figure_text or the quote says",
            ("low", "high", "figure_text"), _bound_readable),
    RowRule("qualifier_bounds", "qualifier",
            "bounds do not fit the qualifier (exact/about: low = high; at_least/more_than: low only; "
            "up_to/fewer_than: high only; between: both; vague: neither)",
            ("qualifier", "low", "high"), _qualifier_bounds),
    RowRule("vague_term_iff_vague", "vague_term", "must be given when qualifier is vague, and only then",
            ("qualifier", "vague_term"),
            lambda df: df["qualifier"].eq("vague") == _given(df["vague_term"])),
    RowRule("figure_in_quote", "figure_text", "must occur in quote", ("figure_text", "quote"),
            lambda df: pd.Series([figure_in_quote(f, q) for f, q in zip(df["figure_text"].tolist(),
                                                                           df["quote"].tolist())],
                                 index=df.index, dtype=bool)),  # tolist: one bulk conversion, not a cell at a time
    RowRule("partial_says_which_part", "notes", "must say what part a partial claim covers (scope partial)",
            ("scope", "notes"), lambda df: df["scope"].ne("partial") | (df["notes"].str.strip().str.len() > 0)),
    RowRule("destination_fits_metric", "destination",
            f"must be the ISO 3166-1 alpha-2 code of the country crossed into for {CROSSED}, and empty for a "
            "metric outside the refugees family", ("metric", "destination"), destination_fits),
    RowRule("statement_consistent", "statement_id",
            "rows sharing a statement_id must share metric and claimant", ("statement_id", "metric", "claimant"),
            lambda df: (df.groupby("statement_id")["metric"].transform("nunique").eq(1)
                        & df.groupby("statement_id")["claimant"].transform("nunique").eq(1))),
)

INCIDENT_ROW_RULES = (
    RowRule("end_after_start", "date_end", "must be >= date_start", ("date_start", "date_end"),
            lambda df: ~(df["date_end"].str.len().gt(0) & (df["date_end"] < df["date_start"]))),
)


# --- schemas ------------------------------------------------------------------------------

NOT_A_FORMULA = None  # built below, once cell_check exists
NO_CONTROLS = None
NO_CONTROLS_BUT_LINES = None


def _col(*checks: pa.Check, required: bool = True, unique: bool = False, text: bool = False,
         max_chars: str = "short", lines: bool = False) -> pa.Column:
    """A column of strings; `required`: every cell non-empty; `text`: free text, which must not start like
    a spreadsheet formula; `max_chars`: the kind of text (see MAX_CHARS); `lines`: line breaks allowed.
    Every cell is refused control characters and bidirectional overrides."""
    limit = MAX_CHARS[max_chars]
    length = cell_check(lambda s: s.str.len() <= limit, "max_length", f"must be at most {limit:,} characters")
    all_checks = list(checks) + [length, NO_CONTROLS_BUT_LINES if lines else NO_CONTROLS] + (
        [NOT_A_FORMULA] if text else [])
    if required:
        all_checks.insert(0, pa.Check(lambda s: s.str.len() > 0, name="required", error="must not be empty"))
    return pa.Column(str, checks=all_checks, unique=unique, nullable=False, required=True)


SeriesTest = Callable[[pd.Series], pd.Series]


def cell_check(test: SeriesTest, name: str, message: str, optional: bool = False) -> pa.Check:
    """A pandera check from a vectorised test; `optional` lets empty cells pass."""
    if optional:
        return pa.Check(lambda s: (s.str.len() == 0) | test(s), name=name, error=message)
    return pa.Check(test, name=name, error=message)


def per_cell(fn: Callable[[str], bool]) -> SeriesTest:
    """Lift a test of one cell to a series test. The test runs once per distinct value (dates, publishers
    and links repeat across a file's rows), then its verdicts are spread back to the rows."""
    def test(s: pd.Series) -> pd.Series:  # a missing cell fails
        return pd.Series(per_value(s, lambda v: v is not None and bool(fn(v))).astype(bool), index=s.index)
    return test


def one_of(values: Iterable[str], optional: bool = False) -> pa.Check:
    values = tuple(values)
    return cell_check(lambda s: s.isin(values), "one_of", "must be one of " + ", ".join(values), optional)


def matches(regex: re.Pattern[str], name: str, message: str, optional: bool = False) -> pa.Check:
    return cell_check(lambda s: s.str.match(regex.pattern).astype(bool), name, message, optional)


def refers_to(ids: frozenset[str] | None, target: str) -> list[pa.Check]:
    """The reference check, or none when the target file could not be read (reported there)."""
    if ids is None:
        return []
    return [cell_check(lambda s: s.isin(ids), "reference", f"must be a {target}")]


SLUG = matches(SLUG_RE, "slug", "must be a slug (a-z, 0-9, _ and -, at most 64 characters)")
NOT_A_FORMULA = cell_check(lambda s: ~s.str.startswith(FORMULA_START), "formula",
                           "must not start with =, +, - or @ (a spreadsheet would run it as a formula)")
NO_CONTROLS = cell_check(lambda s: ~s.str.contains(CONTROL_RE.pattern), "control_characters",
                         "must not hold control characters or bidirectional overrides")
NO_CONTROLS_BUT_LINES = cell_check(lambda s: ~s.str.contains(CONTROL_BUT_LINES_RE.pattern), "control_characters",
                                   "must not hold control characters (but line breaks) or bidirectional overrides")


def _fits(s: pd.Series) -> pd.Series:
    """Digit strings of at most MAX_FIGURE (compared as text: exact at any length)."""
    digits = s.str.lstrip("0")
    return ((digits.str.len() < len(str(MAX_FIGURE))) | (digits == str(MAX_FIGURE))).fillna(False).astype(bool)


def whole_number(optional: bool = False) -> pa.Check:
    return cell_check(lambda s: s.str.match(INT_RE.pattern).fillna(False).astype(bool) & _fits(s),
                      "non_negative_integer", f"must be a whole number from 0 to {MAX_FIGURE:,}", optional)


def date_check(ctx: "Context", with_time: bool = False, optional: bool = False) -> pa.Check:
    shape = "YYYY-MM-DD or YYYY-MM-DDTHH:MM" if with_time else "YYYY-MM-DD"
    pattern = DATETIME_RE if with_time else DATE_RE
    return cell_check(per_cell(lambda v: bool(pattern.match(v)) and in_date_range(v, ctx.earliest, ctx.today)),
                      "date", f"must be a date {shape} between {ctx.earliest.isoformat()} and {ctx.today.isoformat()}",
                      optional)


def url_check(optional: bool = False) -> pa.Check:
    return cell_check(per_cell(is_url), "url", "must be an http or https URL", optional)


def in_range(lo: float, hi: float) -> pa.Check:
    def ok(v: str) -> bool:
        return bool(DECIMAL_RE.match(v)) and lo <= float(v) <= hi
    return cell_check(per_cell(ok), "range", f"must be a number between {lo:g} and {hi:g}")


@dataclass(frozen=True)
class Context:
    """What the schemas of one dataset need to know of the other files, of its crisis and of the day."""

    today: date
    source_ids: frozenset[str] | None  # None: sources.csv could not be read, so references are not checked
    place_ids: frozenset[str] | None
    earliest: date = date(1900, 1, 1)  # the crisis definition's earliest_date
    countries: tuple[str, ...] = ()  # the countries its geodata has (crisis.toml [geo.iso3]); empty: any code
    groups: tuple[str, ...] = ()  # the crisis's groups of people, populations beyond POPULATIONS


def source_schema(ctx: Context) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        "source_id": _col(SLUG, unique=True),
        "publisher": _col(text=True),
        "publisher_type": _col(one_of(PUBLISHER_TYPES)),
        "title": _col(text=True, max_chars="title"),
        "url": _col(url_check(), max_chars="url"),
        "archive_url": _col(url_check(optional=True), required=False, max_chars="url"),
        "published": _col(date_check(ctx)),
        "published_precision": _col(one_of(PRECISION_PUBLISHED)),
        "language": _col(matches(LANG_RE, "language", "must be a two-letter ISO 639-1 code")),
        "corpus_file": _col(required=False),
        "notes": _col(required=False, text=True, max_chars="notes", lines=True),
    }, strict=False, name="sources.csv")


def _optional_column(check: pa.Check) -> pa.Column:
    """An optional column of claims.csv (schema.OPTIONAL_COLUMNS): it may be left out of the file."""
    return pa.Column(str, checks=[check, NO_CONTROLS], nullable=False, required=False)


def claim_schema(ctx: Context) -> pa.DataFrameSchema:
    quote_len = cell_check(per_cell(lambda v: word_count(v) <= MAX_QUOTE_WORDS), "quote_length",
                           f"must be at most {MAX_QUOTE_WORDS} words")
    return pa.DataFrameSchema({
        "claim_id": _col(SLUG, unique=True),
        "source_id": _col(*refers_to(ctx.source_ids, "source_id of sources.csv")),
        "statement_id": _col(SLUG),
        "quote": _col(quote_len, text=True, max_chars="quote"),
        "figure_text": _col(text=True),
        "metric": _col(one_of(METRICS)),
        "population": _col(one_of(POPULATIONS + ctx.groups)),
        "low": _col(whole_number(optional=True), required=False),
        "high": _col(whole_number(optional=True), required=False),
        "qualifier": _col(one_of(QUALIFIERS)),
        "vague_term": _col(one_of(VAGUE_TERMS, optional=True), required=False),
        "as_of": _col(date_check(ctx, with_time=True)),
        "as_of_precision": _col(one_of(AS_OF_PRECISION)),
        "place_id": _col(*refers_to(ctx.place_ids, "place_id of places.csv")),
        "claimant": _col(text=True),
        "claimant_type": _col(one_of(CLAIMANT_TYPES)),
        "relayed_by": _col(required=False, text=True, max_chars="line"),
        "status_in_text": _col(one_of(STATUSES)),
        "claim_kind": _col(one_of(CLAIM_KINDS)),
        "scope": _col(one_of(SCOPES)),
        "source_reliability": _col(one_of(RELIABILITY)),
        "info_credibility": _col(one_of(CREDIBILITY)),
        "grade_rationale": _col(text=True, max_chars="line"),
        "notes": _col(required=False, text=True, max_chars="notes", lines=True),
        "destination": _optional_column(cell_check(lambda s: s.isin(country_codes()), "country", "must be empty or an "
                                                   "ISO 3166-1 alpha-2 country code in capitals (e.g. UZ, AM)", True)),
        "retracted": _optional_column(cell_check(lambda s: s.str.fullmatch(DATE_RE.pattern), "retracted_date",
                                                 "must be empty or the day of retraction (YYYY-MM-DD)", True)),
    }, checks=[rule.check() for rule in CLAIM_ROW_RULES], strict=False, name="claims.csv")


def place_schema(ctx: Context) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({
        "place_id": _col(SLUG, unique=True),
        "name": _col(text=True),
        "kind": _col(one_of(PLACE_KINDS)),
        "country": _col(one_of(ctx.countries) if ctx.countries else matches(
            COUNTRY_RE, "country", "must be a two-letter ISO 3166 code")),
        "admin1": _col(required=False),
        "lat": _col(in_range(-90, 90)),
        "lon": _col(in_range(-180, 180)),
        "precision": _col(one_of(PLACE_PRECISION)),
        "geonames_id": _col(whole_number(optional=True), required=False),
        "coord_source": _col(text=True, max_chars="line"),
    }, strict=False, name="places.csv")


def incident_schema(ctx: Context) -> pa.DataFrameSchema:
    def sources_resolve(value: str) -> bool:
        ids = [part.strip() for part in value.split(";")]
        return ctx.source_ids is None or all(part in ctx.source_ids for part in ids)

    return pa.DataFrameSchema({
        "incident_id": _col(SLUG, unique=True),
        "date_start": _col(date_check(ctx)),
        "date_end": _col(date_check(ctx, optional=True), required=False),
        "date_precision": _col(one_of(DATE_PRECISION)),
        "place_id": _col(*refers_to(ctx.place_ids, "place_id of places.csv")),
        "kind": _col(one_of(INCIDENT_KINDS)),
        "summary": _col(text=True, max_chars="notes"),
        "source_ids": _col(cell_check(per_cell(sources_resolve), "reference",
                                      "must list source_ids of sources.csv, separated by ';'"), max_chars="notes"),
    }, checks=[rule.check() for rule in INCIDENT_ROW_RULES], strict=False, name="incidents.csv")


SCHEMAS = {
    "sources.csv": source_schema,
    "claims.csv": claim_schema,
    "places.csv": place_schema,
    "incidents.csv": incident_schema,
}
ROW_RULES = {rule.name: rule for rule in CLAIM_ROW_RULES + INCIDENT_ROW_RULES}
