"""Element checks of the validation rules (crisisboard.data.rules): pure functions on one cell's text, used by
pandera's checks and by tests."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlparse

import pandas as pd

from crisisboard.data.schema import DATETIME_RE


def is_url(value: str) -> bool:
    """True for an absolute http(s) URL with a host and no whitespace."""
    if not value or any(ch.isspace() for ch in value):
        return False
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def parse_day(value: str) -> date | None:
    """The calendar day of a YYYY-MM-DD or YYYY-MM-DDTHH:MM value, or None if it is not one."""
    if not DATETIME_RE.match(value):
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        return None
    if "T" in value and not (0 <= stamp.hour <= 23):
        return None
    return stamp.date()


def in_date_range(value: str, earliest: date, today: date) -> bool:
    day = parse_day(value)
    return day is not None and earliest <= day <= today


def word_count(text: str) -> int:
    return len(text.split())


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def figure_in_quote(figure: str, quote: str) -> bool:
    """The figure occurs in the quote, spaces normalised. Text found as it is is found normalised too
    (normalising maps the occurrence to the normalised figure), so only the rest is normalised."""
    return figure in quote or normalise_space(figure) in normalise_space(quote)
