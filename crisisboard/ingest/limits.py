"""How much work one release may cost the server: every bound of the Add-a-release page, in one place (the
page says them; docs/security.md says why). A release is a press release or an article: the longest in the
corpus is far below these."""

from __future__ import annotations

import os

from crisisboard.data.limits import MAX_UPLOAD_BYTES

__all__ = ["MAX_UPLOAD_BYTES", "MAX_TEXT_CHARS", "EXTRACTION_SECONDS", "EXTRACTIONS_AT_ONCE"]
# MAX_UPLOAD_BYTES: an uploaded file, before it is decoded (crisisboard.data.limits keeps it with the store's
# bounds; also Streamlit's own `server.maxUploadSize`, in .streamlit/config.toml).

MAX_TEXT_CHARS = 200_000
"""The text of a release, pasted or read from a file (about 30,000 words, 80 printed pages): extraction and
the text-quality flags take about 4 s of one core for this much."""

EXTRACTION_SECONDS = 60.0
"""Wall-clock time for one extraction, in its worker process; beyond it the worker is stopped."""

EXTRACTIONS_AT_ONCE = int(os.environ.get("CRISISBOARD_EXTRACTIONS", "2") or 2)
"""Extractions running at the same time in one server process (each in its own worker process)."""

WAIT_FOR_A_WORKER_SECONDS = 60.0
"""How long a request waits for a free worker before the page says the server is busy."""

WORKER_NICENESS = 10
"""The worker's `nice` increment: a page of another visitor goes first."""


def limits_in_words() -> str:
    """The bounds as the page states them."""
    return (f"A release may be at most {MAX_TEXT_CHARS:,} characters of text (a file at most "
            f"{MAX_UPLOAD_BYTES // 1_000_000} MB); finding its figures may take at most {EXTRACTION_SECONDS:.0f} "
            "seconds.")
