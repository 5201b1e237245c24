"""How to cite a page of an edition: the text a reader copies, and the same as BibTeX and CSL-JSON.

A citation names the organisation (crisisboard and the crisis's own citation, ``crisis.toml``'s `citation`), the
page's title, the edition, its date and its URL: under ``--base-url`` (or ``[publish] base_url`` in crisis.toml)
the edition's own, immutable address (``<base>/<slug>/v<N>/<path>``); without one, the path relative to the
publish folder, and the citation says so."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from crisisboard.claims.markup import plain

ORGANISATION = "crisisboard"
RELATIVE_NOTE = "path relative to the publish folder: no base URL was given (publish --base-url)"
_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                   "$": r"\$", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def page_url(base_url: str | None, slug: str, edition: int, path: str) -> str:
    """The address of `path` inside edition `edition` of crisis `slug`: absolute under `base_url`, else relative to
    the publish folder. Every part is percent-encoded, so that the URL holds no space, quote or brace."""
    relative = quote(f"{slug}/v{edition}/{path}", safe="/-_.~")
    if not base_url:
        return relative
    return quote(base_url.strip(), safe=":/?#[]@!$&'()*+,;=%-._~").rstrip("/") + "/" + relative


def bibtex_text(value: object) -> str:
    """`value` as text inside a BibTeX field: every character TeX reads as markup escaped, line breaks as spaces."""
    text = re.sub(r"\s+", " ", str(value)).strip()
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in text)


@dataclass(frozen=True)
class Citation:
    """One page's citation. `crisis`: the crisis's citation (crisis.toml); `published`: the edition's time
    (YYYY-MM-DDTHH:MM:SSZ); `key`: the BibTeX key's tail (a chart's name, a claim's id)."""

    crisis: str
    title: str
    edition: int
    published: str
    url: str
    key: str
    absolute: bool

    @property
    def day(self) -> str:
        return self.published[:10]

    def text(self) -> str:
        """The citation as a sentence a reader copies."""
        where = self.url if self.absolute else f"{self.url} ({RELATIVE_NOTE})"
        return (f"{ORGANISATION}, {self.crisis}. \u201c{self.title}\u201d. Edition {self.edition}, {self.day}. "
                f"{where}")

    def bibtex(self) -> str:
        """The citation as a BibTeX @misc entry."""
        key = re.sub(r"[^A-Za-z0-9_-]+", "-", f"{ORGANISATION}-v{self.edition}-{self.key}").strip("-")
        fields = [("author", f"{{{ORGANISATION}}}"), ("title", bibtex_text(self.title)),
                  ("howpublished", bibtex_text(self.crisis)), ("version", str(self.edition)),
                  ("edition", str(self.edition)), ("year", self.day[:4]), ("date", self.day),
                  ("url", self.url),
                  ("note", bibtex_text(f"Edition {self.edition}, published {self.published}"
                                       + ("" if self.absolute else f"; {RELATIVE_NOTE}")))]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{key},\n{body}\n}}\n"

    def csl(self) -> dict:
        """The citation as one CSL-JSON item (a dataset)."""
        year, month, day = (int(part) for part in self.day.split("-"))
        return {"id": f"{ORGANISATION}-v{self.edition}-{self.key}", "type": "dataset", "title": self.title,
                "author": [{"literal": ORGANISATION}], "container-title": self.crisis,
                "version": str(self.edition), "edition": str(self.edition),
                "issued": {"date-parts": [[year, month, day]]}, "URL": self.url,
                **({} if self.absolute else {"note": RELATIVE_NOTE})}

    def csl_json(self) -> str:
        return json.dumps([self.csl()], ensure_ascii=False, indent=1)

    def block(self) -> str:
        """The citation block of a page: the text, then BibTeX and CSL-JSON, each in its own <pre> (escaped)."""
        return ("<section class=\"citation\"><h2>Cite this page</h2>"
                f"<p class=\"citation-text\">{plain(self.text())}</p>"
                "<details><summary>BibTeX</summary>"
                f"<pre class=\"citation-bibtex\">{plain(self.bibtex())}</pre></details>"
                "<details><summary>CSL-JSON</summary>"
                f"<pre class=\"citation-csl\">{plain(self.csl_json())}</pre></details></section>")


@dataclass(frozen=True)
class Citer:
    """Makes the citations of one edition's pages."""

    crisis: str
    slug: str
    edition: int
    published: str
    base_url: str | None

    def url(self, path: str) -> str:
        """The URL of `path` inside the edition (see page_url)."""
        return page_url(self.base_url, self.slug, self.edition, path)

    def of(self, title: str, path: str, key: str) -> Citation:
        """The citation of the page at `path` inside the edition."""
        return Citation(self.crisis, title, self.edition, self.published, self.url(path), key, bool(self.base_url))
