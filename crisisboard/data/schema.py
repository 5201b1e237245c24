"""The data model: files, columns, allowed values and the rules that bind them.

One schema per file, expressed with pandera over the raw text of the CSV (every cell a string,
empty meaning "not given"), so that every failure can be reported against the line and the
field it came from. Cross-row and cross-file rules are pandera checks too; their names and
messages live in :data:`ROW_RULES` so :mod:`crisisboard.data.validate` can say which values broke them.
"""

from __future__ import annotations

import re

# --- allowed values -----------------------------------------------------------------------

PUBLISHER_TYPES = ("ngo", "un_agency", "government", "media", "academic", "commission", "intl_org", "other")
PRECISION_PUBLISHED = ("exact", "inferred")
METRICS = (
    "killed", "injured", "hospitalized", "missing",
    "displaced_internal", "displaced_total", "affected",
    "refugees_crossed", "refugees_at_border", "refugees_returned", "refugees_remaining",
    "detained",
    "buildings_destroyed", "buildings_damaged", "buildings_damaged_or_destroyed",
)
# whom a figure covers; a crisis definition adds the groups of people its texts count apart (crisis.toml)
POPULATIONS = ("all", "civilians", "adults", "children", "women_children", "security_forces")
POPULATION_LABELS = {"all": "All people", "civilians": "Civilians", "adults": "Adults", "children": "Children",
                     "women_children": "Women and children", "security_forces": "Security forces"}
QUALIFIERS = ("exact", "about", "at_least", "more_than", "up_to", "fewer_than", "between", "vague")
VAGUE_TERMS = ("dozens", "hundreds", "thousands", "tens_of_thousands", "hundreds_of_thousands")
DATE_PRECISION = ("exact", "approx", "inferred")  # of an incident's dates
# of a claim's as_of; "restated": the text restates an earlier figure without its date, so as_of is the restating
# text's publication date (such a claim is never taken as a latest figure)
AS_OF_PRECISION = DATE_PRECISION + ("restated",)
CLAIMANT_TYPES = ("government", "un_agency", "ngo", "intl_org", "local_official", "commission", "media",
                  "eyewitness", "community", "academic", "unknown")
STATUSES = ("official", "confirmed", "unconfirmed", "estimate", "reported", "not_stated")
CLAIM_KINDS = ("cumulative", "incremental", "snapshot")
# "crisis": the figure counts the whole crisis as the text frames it; "partial": one place, incident, camp,
# group of people or sub-period (its notes say which)
SCOPES = ("crisis", "partial")
RELIABILITY = ("A", "B", "C", "D", "E", "F")
CREDIBILITY = ("1", "2", "3", "4", "5", "6")
PLACE_KINDS = ("city", "town", "district", "oblast", "region", "country", "crossing", "camp", "area", "border")
PLACE_PRECISION = ("1", "2", "3", "4", "5", "6")
INCIDENT_KINDS = ("violence", "emergency_measure", "border", "military_operation", "humanitarian",
                  "political", "investigation")

METRIC_FAMILIES = {
    "killed": "deaths",
    "injured": "injuries", "hospitalized": "injuries",
    "displaced_internal": "displacement", "displaced_total": "displacement", "affected": "displacement",
    "refugees_crossed": "refugees", "refugees_at_border": "refugees",
    "refugees_returned": "refugees", "refugees_remaining": "refugees",
    "buildings_destroyed": "buildings", "buildings_damaged": "buildings",
    "buildings_damaged_or_destroyed": "buildings",
    "missing": "other", "detained": "other",
}
METRIC_LABELS = {
    "killed": "Killed", "injured": "Injured", "hospitalized": "Hospitalised", "missing": "Missing",
    "displaced_internal": "Internally displaced", "displaced_total": "Displaced (all)",
    "affected": "Affected / in need",
    "refugees_crossed": "Crossed into another country", "refugees_at_border": "Waiting at the border",
    "refugees_returned": "Returned", "refugees_remaining": "Still in camps / abroad",
    "detained": "Detained", "buildings_destroyed": "Buildings destroyed",
    "buildings_damaged": "Buildings damaged", "buildings_damaged_or_destroyed": "Buildings damaged or destroyed",
}
CLAIMANT_TYPE_LABELS = {
    "government": "Government", "un_agency": "UN agency", "ngo": "NGO", "intl_org": "Intl. organisation",
    "local_official": "Local official", "commission": "Inquiry commission", "media": "Media",
    "eyewitness": "Eyewitness", "community": "Community", "academic": "Academic", "unknown": "Unknown",
}

# --- columns ------------------------------------------------------------------------------

SOURCE_COLUMNS = ("source_id", "publisher", "publisher_type", "title", "url", "archive_url", "published",
                  "published_precision", "language", "corpus_file", "notes")
CLAIM_COLUMNS = ("claim_id", "source_id", "statement_id", "quote", "figure_text", "metric", "population",
                 "low", "high", "qualifier", "vague_term", "as_of", "as_of_precision", "place_id",
                 "claimant", "claimant_type", "relayed_by", "status_in_text", "claim_kind", "scope",
                 "source_reliability", "info_credibility", "grade_rationale", "notes")
PLACE_COLUMNS = ("place_id", "name", "kind", "country", "admin1", "lat", "lon", "precision", "geonames_id",
                 "coord_source")
INCIDENT_COLUMNS = ("incident_id", "date_start", "date_end", "date_precision", "place_id", "kind", "summary",
                    "source_ids")

# the metric of people who crossed into another country; its claims name that country in `destination`
CROSSED = "refugees_crossed"
# the metrics a claim may name a destination for (the refugees family); any other metric leaves it empty
DESTINATION_METRICS = tuple(m for m in METRICS if METRIC_FAMILIES[m] == "refugees")

# columns a file may leave out (every row then has them empty), in the order they follow the required ones
# (`destination` right after `notes`, then `retracted`):
# - claims.csv's `destination`: the ISO 3166-1 alpha-2 code of the country people crossed into (required for
#   refugees_crossed, allowed for the other refugee metrics, empty for every other metric);
# - claims.csv's `retracted`: the day a reviewer retracted the claim (its row stays, and the history says who
#   and why; the charts leave it out)
OPTIONAL_COLUMNS = {"claims.csv": ("destination", "retracted")}
# what a claim says: its columns and its optional `destination` (not `retracted`, a reviewer's decision)
CLAIM_FIELDS = CLAIM_COLUMNS + ("destination",)
# the fields of a claim an edit may change (the store's propose_edit refuses any other): every field but the
# claim's identity (claim_id, source_id) and `retracted`, which only a reviewer's retraction or restoration sets
EDITABLE = tuple(c for c in CLAIM_FIELDS if c not in ("claim_id", "source_id"))



def with_optional(header: list[str] | tuple[str, ...], used: set[str] | list[str] | tuple[str, ...],
                  name: str = "claims.csv") -> list[str]:
    """A file's `header` with the optional columns in `used` that it lacks, each where it belongs: after the
    required columns and the optional ones before it (claims.csv: `destination` right after `notes`, before
    `retracted`). The header's own order is kept; nothing is removed."""
    out = list(header)
    optional = OPTIONAL_COLUMNS.get(name, ())
    for i, column in enumerate(optional):
        if column not in used or column in out:
            continue
        later = [out.index(c) for c in optional[i + 1:] if c in out]
        out.insert(min(later) if later else len(out), column)
    return out


FILES = {
    "sources.csv": SOURCE_COLUMNS,
    "claims.csv": CLAIM_COLUMNS,
    "places.csv": PLACE_COLUMNS,
    "incidents.csv": INCIDENT_COLUMNS,
}

MAX_QUOTE_WORDS = 40

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
INT_RE = re.compile(r"^\d+$")
# one whole number in digits (thousands by commas) amid words; and words that scale or halve a number
ONE_NUMBER_RE = re.compile(r"[^\d]*\d{1,3}(?:,\d{3})+[^\d]*|[^\d]*\d+[^\d]*")
SCALE_WORD_RE = re.compile(r"(?i)hundred|thousand|million|billion|dozen|half|lakh|тыс|млн|милл|мил|тис|мільй|илјад|"
                           r"хиљад|hiljad|tisu|tys|mil|tausend|mio|ألف|آلاف|الف|مليون|ہزار|لاکھ|کروڑ|пол")
MAX_FIGURE = 10**10  # the largest figure a claim may hold: more than anyone could count, and within int64
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$")
DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")
LANG_RE = re.compile(r"^[a-z]{2}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs a cell that starts so as a formula
# C0 and C1 control characters, and the bidirectional overrides and isolates that can make text read
# otherwise than it is stored ("Trojan source"); line breaks are allowed only where a field says so
CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL_BUT_LINES_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# the longest each kind of text may be, in characters: more than any field holds, far less than would
# slow a page or hide a payload
MAX_CHARS = {"id": 64, "short": 200, "title": 500, "url": 2000, "quote": 600, "line": 600, "notes": 2000}
