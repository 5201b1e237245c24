"""An edition's HTML: the index, a page per claim, per source and per statement, and the changes page. Every
text goes through the app's one rule for text (claims.markup.plain: html.escape, bidi controls removed); only the
URLs claims.markup.safe_url accepts become links; the pages request nothing from outside (no CDN, no fonts, no
scripts)."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd

from crisisboard.claims.markup import plain, safe_url
from crisisboard.publish.citations import Citation

STYLE = ("body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
         "blockquote{border-left:4px solid #888;margin:1rem 0;padding:.25rem 1rem}dt{font-weight:bold}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}")
CARD_FIELDS = ("figure_text", "metric", "population", "low", "high", "qualifier", "vague_term", "as_of",
               "as_of_precision", "place_id", "claimant", "claimant_type", "relayed_by", "status_in_text",
               "claim_kind", "scope", "destination", "notes")


def esc(value: object) -> str:
    """`value` as HTML text (quotes escaped too), as the app makes text inert (claims.markup.plain)."""
    return plain("" if value is None else value)


def file_name(identifier: str) -> str:
    """A page's file name for an id: percent-encoded, so that no id can leave its folder."""
    name = quote(str(identifier), safe="-_")
    if not name:
        raise ValueError(f"an empty id cannot name a page: {identifier!r}")
    return f"{name}.html"


def href(identifier: str, folder: str, depth: int) -> str:
    """The relative link to `folder`/<identifier>.html from a page `depth` folders deep in the edition."""
    return esc("../" * depth + f"{folder}/" + quote(file_name(identifier), safe="-_.%"))


def link(url: object, text: object) -> str:
    """An <a> for a URL the app would link (claims.markup.safe_url: http(s), with a host); any other is text only."""
    safe = safe_url("" if url is None else str(url).strip())
    return f'<a href="{esc(safe)}" rel="noopener noreferrer">{esc(text)}</a>' if safe else esc(text)


def page(title: str, body: str, depth: int) -> str:
    """A whole page; `title` and `body` are HTML already (their texts escaped by the caller)."""
    home = "../" * depth + "index.html"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{title}</title><style>{STYLE}</style></head><body>"
            f"<nav><a href=\"{esc(home)}\">Edition index</a></nav><main><h1>{title}</h1>{body}</main>"
            "</body></html>\n")


def _fields(row: dict, names: tuple[str, ...]) -> str:
    items = "".join(f"<dt>{esc(n)}</dt><dd>{esc(row.get(n, ''))}</dd>" for n in names if str(row.get(n, "")))
    return f"<dl>{items}</dl>"


def claim_title(claim: dict) -> str:
    """A claim card's title as its citation gives it: "Claim ID: FIGURE METRIC (CLAIMANT, AS OF)"."""
    return (f"Claim {claim.get('claim_id', '')}: {claim.get('figure_text', '')} {claim.get('metric', '')} "
            f"({claim.get('claimant', '')}, {claim.get('as_of', '')})")


def claim_page(claim: dict, source: dict | None, citation: Citation | None = None) -> str:
    """The page of one claim card: its fields, the verbatim quote (in the source's language), the grade and its
    rationale, the link back to the source, and how to cite it (text, BibTeX, CSL-JSON) when `citation` is
    given."""
    language = (source or {}).get("language", "") or "und"
    grade = f"{claim.get('source_reliability', '')}{claim.get('info_credibility', '')}"
    body = [f"<blockquote lang=\"{esc(language)}\"><p>{esc(claim.get('quote', ''))}</p></blockquote>",
            f"<p>Admiralty grade <strong>{esc(grade)}</strong>: {esc(claim.get('grade_rationale', ''))}</p>",
            _fields(claim, CARD_FIELDS)]
    if source is not None:
        body.append(f"<p>Source: {link(source.get('url'), source.get('title') or source.get('url'))} "
                    f"({esc(source.get('publisher', ''))}, {esc(source.get('published', ''))}); "
                    f"<a href=\"{href(source['source_id'], 'sources', 1)}\">all its claims</a></p>")
        if str(source.get("archive_url", "")):
            body.append(f"<p>Archived copy: {link(source.get('archive_url'), source.get('archive_url'))}</p>")
    statement = str(claim.get("statement_id", ""))
    if statement:
        body.append(f"<p>Statement: <a href=\"{href(statement, 'statements', 1)}\">{esc(statement)}</a></p>")
    if citation is not None:
        body.append(citation.block())
    return page(f"Claim {esc(claim.get('claim_id', ''))}", "".join(body), 1)


def _claim_list(claims: list[dict], depth: int) -> str:
    items = "".join(f"<li><a href=\"{href(c['claim_id'], 'claims', depth)}\">{esc(c['claim_id'])}</a>: "
                    f"{esc(c.get('figure_text', ''))} {esc(c.get('metric', ''))} ({esc(c.get('claimant', ''))}, "
                    f"{esc(c.get('as_of', ''))})</li>" for c in claims)
    return f"<ul>{items}</ul>" if items else "<p>No claims.</p>"


def source_page(source: dict, claims: list[dict]) -> str:
    """The page of one source: its details, the link to its URL, and its claims."""
    body = (f"<p>{link(source.get('url'), source.get('url'))}</p>"
            + _fields(source, ("publisher", "publisher_type", "title", "published", "language", "archive_url"))
            + "<h2>Claims</h2>" + _claim_list(claims, 1))
    return page(f"Source {esc(source.get('source_id', ''))}", body, 1)


def statement_page(statement_id: str, claims: list[dict], sources: dict[str, dict]) -> str:
    """The page of one statement: the claims that report it and where each was read."""
    where = sorted({c["source_id"] for c in claims})
    items = "".join(f"<li><a href=\"{href(s, 'sources', 1)}\">{esc(s)}</a> "
                    f"{link(sources.get(s, {}).get('url'), sources.get(s, {}).get('title', ''))}</li>" for s in where)
    body = "<h2>Claims</h2>" + _claim_list(claims, 1) + f"<h2>Sources</h2><ul>{items}</ul>"
    return page(f"Statement {esc(statement_id)}", body, 1)


def _chart_list(charts: list[dict], problems: list[str]) -> str:
    items = "".join(f"<li><a class=\"chart-link\" href=\"{esc(quote(c['page']))}\">{esc(c['title'])}</a> "
                    f"(<a href=\"{esc(quote(c['embed']))}\">embed</a>)</li>" for c in charts)
    missing = "".join(f"<li>{esc(problem)}</li>" for problem in problems)
    return ((f"<h2>Charts</h2><ul class=\"charts\">{items}</ul>" if items else "")
            + (f"<p>Charts not made:</p><ul>{missing}</ul>" if missing else ""))


def index_page(name: str, edition: int, when: str, citation: str, counts: dict[str, int], files: list[str],
               charts: list[dict] = (), problems: list[str] = ()) -> str:
    """The edition's index: its charts first, then what it is, how to cite it, and its files."""
    listed = "".join(f"<li><a href=\"{esc(quote(f))}\">{esc(f)}</a></li>" for f in files)
    edition_line = (f"<p class=\"edition\"><strong>Edition {edition}</strong>, published {esc(when)} (UTC): "
                    f"{counts['claims']} claims, {counts['sources']} sources, {counts['statements']} statements. "
                    "<a href=\"changes.html\">What changed</a> · <a href=\"../feed.atom\">Feed of editions</a> · "
                    "<a href=\"manifest.json\">Manifest (every file's SHA-256)</a></p>")
    body = edition_line + _chart_list(list(charts), list(problems)) + (
        f"<h2>How to cite</h2><p>Cite as: {esc(citation)}, edition {edition}, {esc(when[:10])}.</p>"
        f"<h2>Files</h2><ul>{listed}</ul>")
    return page(esc(name), body, 0)


CHANGES_SHOWN = 2_000  # rows of changes.html; changes.json lists every change (a first edition of 100k claims)


def changes_page(edition: int, previous: int | None, changes: dict, shown: int = CHANGES_SHOWN) -> str:
    """The changes against the previous edition, claim by claim: the counts, then the first `shown` changes
    (removals and retractions first, the changes readers most need to see), the rest in changes.json."""
    against = f"edition {previous}" if previous else "nothing (the first edition)"
    kinds = ("retracted", "removed", "edited", "added")
    counts = ", ".join(f"{len(changes.get(kind, []))} {kind}" for kind in kinds)
    rows = []
    for kind in kinds:
        for entry in changes.get(kind, [])[:max(shown - len(rows), 0)]:
            fields = ", ".join(entry.get("fields", []))
            # a retracted or removed claim's card is in the previous edition, which stays readable at its URL
            where = href(entry["claim_id"], "claims", 0) if kind in ("added", "edited") else \
                f"../v{previous}/" + href(entry["claim_id"], "claims", 0) if previous else ""
            target = f"<a href=\"{where}\">{esc(entry['claim_id'])}</a>" if where else esc(entry["claim_id"])
            rows.append(f"<tr><td>{esc(kind)}</td><td>{target}</td><td>{esc(fields)}</td></tr>")
    total = sum(len(changes.get(kind, [])) for kind in kinds)
    more = (f"<p>The first {len(rows):,} of {total:,} changes; <a href=\"changes.json\">changes.json</a> lists "
            "them all.</p>") if total > len(rows) else ""
    table = ("<table><thead><tr><th>change</th><th>claim</th><th>fields</th></tr></thead><tbody>"
             + "".join(rows) + "</tbody></table>" + more) if rows else "<p>No claim changed.</p>"
    return page(f"Changes in edition {edition}", f"<p>Against {esc(against)}: {esc(counts)}.</p>{table}", 0)


def records(frame: pd.DataFrame) -> list[dict]:
    """A table's rows as dicts of strings."""
    return frame.astype(str).to_dict(orient="records")
