"""A release as the Add-a-release page receives it: an upload or pasted text, made into plain text,
and the editable table of candidate claims that the officer reviews before saving."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from html.parser import HTMLParser

import pandas as pd
from slugify import slugify

from crisisboard.data import schema
from crisisboard.data.limits import MAX_UPLOAD_BYTES  # noqa: F401 - the bound, kept with the others

UPLOAD_TYPES = ("txt", "html", "htm")


class IntakeError(ValueError):
    """The upload cannot be used; the message says why and what to do."""


class _TextOnly(HTMLParser):
    SKIP = {"script", "style", "noscript", "template"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "section", "article", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ARG002
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The visible text of an HTML page (scripts and styles dropped), paragraphs on their own lines."""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


def check_pasted(text: str) -> str:
    """Pasted text, refused like an upload when it is over the size limit.

    Raises
    ------
    IntakeError
        For pasted text over MAX_UPLOAD_BYTES (as UTF-8).
    """
    size = len(text.encode("utf-8", "replace"))
    if size > MAX_UPLOAD_BYTES:
        raise IntakeError(f"The pasted text is {size / 1e6:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 1e6:.0f} MB. "
                          "Paste only the article's text.")
    return text


def read_upload(name: str, data: bytes) -> tuple[str, list[str]]:
    """Text of an uploaded .txt or .html file, and warnings (e.g. a legacy encoding was guessed).

    Raises
    ------
    IntakeError
        For a file over the size limit, of another type, or empty.
    """
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in UPLOAD_TYPES:
        raise IntakeError(f"{name}: only .txt and .html files can be read (this is .{suffix or '?'})")
    if len(data) > MAX_UPLOAD_BYTES:
        raise IntakeError(f"{name} is {len(data) / 1e6:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 1e6:.0f} MB. "
                          "Save only the article's text and upload that.")
    if not data.strip():
        raise IntakeError(f"{name} is empty")
    text, warnings = decode_upload(name, data)
    if suffix in ("html", "htm"):
        text = html_to_text(text)
    return text, warnings


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for text with NUL bytes, which UTF-8 text never has: UTF-16 puts a NUL
    beside every ASCII character (spaces, digits, Latin letters), on the odd bytes (LE) or the even ones (BE)."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd > 4 * even:
        return "utf-16-le"
    if even > 4 * odd:
        return "utf-16-be"
    return None


def decode_upload(name: str, data: bytes) -> tuple[str, list[str]]:
    """The text of an upload: UTF-8 (with or without BOM), UTF-16 (by its byte-order mark, or by its NUL
    bytes), else a guessed legacy encoding (Windows Cyrillic or Latin-1) with a warning."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), [f"{name} has no byte-order mark; it was read as {utf16.upper()}"]
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    legacy = "cp1251" if re.search(rb"[\xc0-\xff]{4,}", data) else "latin-1"
    return data.decode(legacy, errors="replace"), [
        f"{name} is not UTF-8; its encoding was guessed, so check odd characters in the quotes"]


UNGRADED = "Not yet graded: F6 (cannot be judged) until an officer grades it."
EDITOR_COLUMNS = ("accept", "quote", "figure_text", "metric", "population", "low", "high", "qualifier",
                  "vague_term", "as_of", "as_of_precision", "place_id", "claimant", "claimant_type", "relayed_by",
                  "status_in_text", "claim_kind", "scope", "source_reliability", "info_credibility", "grade_rationale",
                  "notes", "why")


def candidates_frame(candidates: list, default_grade: tuple[str, str] = ("F", "6")) -> pd.DataFrame:
    """The review table: one row per candidate, not yet accepted, graded F6 until the officer grades it."""
    rows = []
    for c in candidates:
        rows.append({
            "accept": False, "quote": c.quote, "figure_text": c.figure_text, "metric": c.metric,
            "population": c.population, "low": "" if c.low is None else str(c.low),
            "high": "" if c.high is None else str(c.high), "qualifier": c.qualifier, "vague_term": c.vague_term,
            "as_of": c.as_of, "as_of_precision": c.as_of_precision, "place_id": c.place_id, "claimant": c.claimant or "unknown",
            "claimant_type": c.claimant_type, "relayed_by": "", "status_in_text": c.status_in_text,
            "claim_kind": "cumulative", "scope": "crisis", "source_reliability": default_grade[0], "info_credibility": default_grade[1],
            "grade_rationale": UNGRADED, "notes": "", "why": c.why,
        })
    return pd.DataFrame(rows, columns=list(EDITOR_COLUMNS))


def statement_id_for(row: dict[str, str]) -> str:
    """A statement id in the dataset's convention: originator, metric, figure, day."""
    claimant = re.sub(r"[^a-z0-9]+", "-", row.get("claimant", "").lower()).strip("-")[:24] or "unknown"
    figure = row.get("low") or row.get("high") or row.get("vague_term") or "x"
    day = (row.get("as_of") or "")[:10].replace("-", "")
    return f"st-{claimant}-{row.get('metric', '')}-{figure}-{day}"[:64].rstrip("-")


def accepted_claims(table: pd.DataFrame) -> list[dict[str, str]]:
    """The accepted rows of the review table as claims.csv rows (ids are given when saving)."""
    rows = []
    for record in table.fillna("").to_dict(orient="records"):
        if not record.get("accept"):
            continue
        row = {column: str(record.get(column, "") or "").strip() for column in schema.CLAIM_COLUMNS
               if column not in ("claim_id", "source_id")}
        row["statement_id"] = row.get("statement_id") or statement_id_for(row)
        rows.append(row)
    return rows


def source_id_for(publisher: str, published: date, title: str, url: str) -> str:
    """A stable, readable id that never collides: a slug of publisher, date and title (any script,
    transliterated), then a hash of those fields and the URL. ``amnesty-international-2010-06-14-kyrgyzstan-…-3f9a0c21b7``."""
    slug = slugify(f"{publisher} {published:%Y-%m-%d} {title}", max_length=48, word_boundary=True) or "source"
    digest = hashlib.sha256("\n".join((publisher.strip(), published.isoformat(), title.strip(), url.strip()))
                            .encode("utf-8")).hexdigest()[:10]
    return f"{slug}-{digest}"


def source_row(url: str, publisher: str, publisher_type: str, title: str, published: date,
               published_precision: str, language: str, notes: str) -> dict[str, str]:
    """A sources.csv row with its id (see source_id_for)."""
    return {"source_id": source_id_for(publisher, published, title, url), "publisher": publisher.strip(),
            "publisher_type": publisher_type, "title": title.strip(), "url": url.strip(), "archive_url": "",
            "published": published.isoformat(), "published_precision": published_precision,
            "language": language.strip().lower(), "corpus_file": "", "notes": notes.strip()}
