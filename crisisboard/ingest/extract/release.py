"""A release as pasted or uploaded: its header lines (URL, TITLE, PUBLISHER, DATE) and its text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


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
