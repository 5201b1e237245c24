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
from crisisboard.ingest.limits import MAX_TEXT_CHARS, MAX_UPLOAD_BYTES

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


def _too_long(what: str, text: str) -> IntakeError:
    return IntakeError(f"{what} is {len(text):,} characters of text; the limit is {MAX_TEXT_CHARS:,}. Keep only the "
                       "article's own text (or split a long report into its parts) and try again.")


def check_pasted(text: str) -> str:
    """Pasted text, refused when it is over the size limit (the text stays in the box).

    Raises
    ------
    IntakeError
        For pasted text over MAX_TEXT_CHARS characters.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise _too_long("The pasted text", text)
    return text


def read_upload(name: str, data: bytes) -> tuple[str, list[str]]:
    """Text of an uploaded .txt or .html file, and warnings (e.g. a legacy encoding was guessed).

    Raises
    ------
    IntakeError
        For a file over the size limit (bytes, or characters of text), of another type, empty, or not text.
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
    if len(text) > MAX_TEXT_CHARS:
        raise _too_long(name, text)
    return text, warnings


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"), (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
         (b"\xef\xbb\xbf", "utf-8", "UTF-8"), (b"\xff\xfe", "utf-16-le", "UTF-16"), (b"\xfe\xff", "utf-16-be", "UTF-16"))


def _zeros(data: bytes, lanes: int) -> list[float]:
    """The share of NUL bytes at each position modulo `lanes` (UTF-16 and UTF-32 put NULs on fixed lanes)."""
    counts = [max(1, len(data[lane::lanes])) for lane in range(lanes)]
    return [data[lane::lanes].count(0) / count for lane, count in enumerate(counts)]


def _wide_without_bom(data: bytes) -> str | None:
    """The encoding of text with NUL bytes, which UTF-8 text never has, by where its NULs are: UTF-32 puts
    two or three beside every character of the first plane (lanes 2-3 in LE, 0-1 in BE); UTF-16 one beside
    every ASCII character (the odd bytes in LE, the even ones in BE)."""
    if len(data) < 4 or b"\x00" not in data:
        return None
    if len(data) % 4 == 0:
        zeros = _zeros(data, 4)
        if zeros[2] > 0.9 and zeros[3] > 0.9 and zeros[0] < 0.5:
            return "utf-32-le"
        if zeros[0] > 0.9 and zeros[1] > 0.9 and zeros[3] < 0.5:
            return "utf-32-be"
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd > 4 * even:
        return "utf-16-le"
    if even > 4 * odd:
        return "utf-16-be"
    return None


def _not_text(name: str, why: str) -> IntakeError:
    return IntakeError(f"{name} could not be read as text ({why}). Open it in a text editor, save it as "
                       "UTF-8 and upload it again.")


def decode_upload(name: str, data: bytes) -> tuple[str, list[str]]:
    """The text of an upload: UTF-8, UTF-16 or UTF-32 by its byte-order mark, UTF-16 or UTF-32 without one
    (by where its NUL bytes are, with a warning), else a guessed legacy encoding (Windows Cyrillic or Latin-1)
    with a warning. Never a misreading in silence: a file whose byte-order mark does not fit its bytes, or
    whose text would still hold NUL characters, is refused (IntakeError).

    Raises
    ------
    IntakeError
        For bytes that cannot be text in the encoding their byte-order mark or their NUL bytes say.
    """
    for bom, encoding, label in _BOMS:  # the UTF-32 marks first: UTF-32LE's starts with UTF-16LE's
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise _not_text(name, f"it starts with a {label} byte-order mark but is not {label}") from None
            return _no_nul(name, text), []
    wide = _wide_without_bom(data)
    if wide is not None:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError:
            text = None
        if text is not None and "\x00" not in text:
            return text, [f"{name} has no byte-order mark; it was read as {wide.upper()}"]
    if b"\x00" in data:
        raise _not_text(name, "it holds NUL bytes, as binary files and UTF-16 or UTF-32 text do, but is neither")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    legacy = "cp1251" if re.search(rb"[\xc0-\xff]{4,}", data) else "latin-1"
    return data.decode(legacy, errors="replace"), [
        f"{name} is not UTF-8; its encoding was guessed, so check odd characters in the quotes"]


def _no_nul(name: str, text: str) -> str:
    if "\x00" in text:
        raise _not_text(name, "it holds NUL characters")
    return text


UNGRADED = "Not yet graded: F6 (cannot be judged) until an officer grades it."
EDITOR_COLUMNS = ("accept", "quote", "figure_text", "metric", "population", "low", "high", "qualifier",
                  "vague_term", "as_of", "as_of_precision", "place_id", "claimant", "claimant_type", "relayed_by",
                  "status_in_text", "claim_kind", "scope", "source_reliability", "info_credibility", "grade_rationale",
                  "notes", "destination", "why")


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
            "grade_rationale": UNGRADED, "notes": "", "destination": getattr(c, "destination", ""), "why": c.why,
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
        row = {column: str(record.get(column, "") or "").strip() for column in schema.CLAIM_FIELDS
               if column not in ("claim_id", "source_id")}
        row["statement_id"] = row.get("statement_id") or statement_id_for(row)
        rows.append(row)
    return rows


def source_id_for(publisher: str, published: date, title: str, url: str) -> str:
    """A stable, readable id that never collides: a slug of publisher, date and title (any script,
    transliterated), then a hash of those fields and the URL. ``amnesty-international-2010-06-14-country-must-protect-…-3f9a0c21b7``."""
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
