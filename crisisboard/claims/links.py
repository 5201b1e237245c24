"""Links back to a release: text fragments that jump to the quote, archive links.

Only http and https URLs are ever turned into links (crisisboard.claims.markup.safe_url); anything else is
shown as plain text.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from crisisboard.claims.markup import safe_url

FRAGMENT_WORDS = 8
WAYBACK = "https://web.archive.org/web/{day}/{url}"


def _fragment_part(text: str) -> str:
    # text-fragment syntax reserves "-", "&" and ","; quote() leaves "-" alone, so encode it by hand
    return quote(text, safe="").replace("-", "%2D")


def text_fragment_url(url: str, quote_text: str, words: int = FRAGMENT_WORDS) -> str | None:
    """`url#:~:text=start,end` jumping to the quote (first and last words) in browsers that support it."""
    base = safe_url(url)
    if base is None:
        return None
    tokens = quote_text.split()
    if not tokens:
        return base
    base = base.split("#", 1)[0]
    if len(tokens) <= 2 * words:
        return f"{base}#:~:text={_fragment_part(' '.join(tokens))}"
    return (f"{base}#:~:text={_fragment_part(' '.join(tokens[:words]))},"
            f"{_fragment_part(' '.join(tokens[-words:]))}")


def wayback_url(url: str, published: str) -> str | None:
    """The Wayback Machine's nearest snapshot to the publication date (YYYY-MM-DD)."""
    base = safe_url(url)
    if base is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published or ""):
        return None
    return WAYBACK.format(day=published.replace("-", ""), url=base)
