"""When a figure applies (its as_of), from the dates and days the sentence names, else the publication date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from crisisboard.ingest.extract.figures import _MONTH_ALT, _MONTHS

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
