"""Briefing packs: every chart of the current filters as PNG and SVG, the claims and sources behind them, and
a README that says how to cite them."""

from __future__ import annotations

import io
import threading
import zipfile
from typing import Callable, Hashable

import pandas as pd

from crisisboard.charts.views import ViewFigure
from crisisboard.claims.attribution import CAVEAT, DATA_LICENCE, build_attribution
from crisisboard.claims.changes import RECENT_DAYS
from crisisboard.claims.markup import safe_url
from crisisboard.claims.tables import claims_csv, download_csv
from crisisboard.export.images import ExportContext, prepare_figure
from crisisboard.export.render import render_many


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")[:60]


def sources_list(claims: pd.DataFrame) -> pd.DataFrame:
    """The releases behind `claims`, with links, for the pack's sources.csv."""
    attribution = build_attribution(claims)
    return pd.DataFrame([{"publisher": ref.publisher, "published": ref.published,
                          "published_precision": ref.published_precision, "title": ref.title,
                          "url": safe_url(ref.url) or "", "source_id": ref.source_id} for ref in attribution.sources])


def pack_readme(views: list[ViewFigure], contexts: list[ExportContext], names: list[str],
                changes: pd.DataFrame | None = None) -> str:
    context = contexts[0]
    lines = [
        f"# crisisboard briefing pack: {views[0].dataset.crisis.name}", "",
        f"Generated {context.generated:%-d %B %Y} from crisisboard dataset version {context.dataset_version}.",
        f"Filters: {context.filters_text}.", "",
        f"**{CAVEAT}** Each claim names who made it, which text carried it and an Admiralty grade "
        "(source reliability A–F, information credibility 1–6).", "",
        "## Contents", "",
    ]
    for view, ctx, name in zip(views, contexts, names):
        lines.append(f"- `{name}.png` (16:9 slide) and `{name}.svg` (print, editable): {view.title}. "
                     f"Reproduce: {ctx.url}")
        if view.summary:
            lines.append(f"  In words: {view.summary}")
    lines += [
        "- `claims.csv`: every claim behind these charts, with quote, grade, source and URL "
        "(cells that a spreadsheet would run as formulas are prefixed with an apostrophe).",
        "- `claims-hxl.csv`: the same with HXL hashtags in the second row, for humanitarian tools.",
        "- `sources.csv`: the releases behind the charts, with links.",
        *([f"- `changes.csv`: the {len(changes)} claim(s) added, edited, retracted or restored in the last "
           f"{RECENT_DAYS} days, " + ("with who, when and why" if "reason" in changes.columns else
                                      "with when, and the role of who proposed and approved each") +
           "; flagged: new highest or lowest figures of a metric and tier, and retractions (charts made before "
           "them still show the figure)."] if changes is not None else []),
        "",
        "## How to cite", "",
        "Cite the original release for any single figure (see `sources.csv`), and the compilation as:", "",
        f"> crisisboard, {views[0].dataset.crisis.citation}, dataset {context.dataset_version}, "
        f"generated {context.generated:%-d %B %Y}. {context.url}", "",
        f"{DATA_LICENCE}", "",
    ]
    return "\n".join(lines)


def build_pack(views: list[ViewFigure], contexts: list[ExportContext],
               progress: Callable[[float, str], None] | None = None, changes: pd.DataFrame | None = None) -> bytes:
    """A ZIP of every view as PNG and SVG, the claims behind them (CSV and HXL), the sources, the recent changes
    (crisisboard.claims.changes, when given) and a README."""
    progress = progress or (lambda fraction, message: None)
    names = [f"{i + 1:02d}-{_slug(view.title)}" for i, view in enumerate(views)]
    buffer = io.BytesIO()
    steps = 2 * len(views) + 1
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        done = 0
        for start in range(0, len(views), 2):  # two charts (four images) per batch keeps both tabs busy
            batch = list(zip(views, contexts, names))[start:start + 2]
            progress(done / steps, "Drawing " + ", ".join(name for _, _, name in batch))
            figures = [prepare_figure(view, context, "slide") for view, context, _ in batch]
            images = render_many([(figure, fmt, "slide") for figure in figures for fmt in ("png", "svg")])
            for (_, _, name), png, svg in zip(batch, images[0::2], images[1::2]):
                pack.writestr(f"{name}.png", png, compress_type=zipfile.ZIP_STORED)  # PNG is compressed already
                pack.writestr(f"{name}.svg", svg)
            done += 2 * len(batch)
        progress(done / steps, "Writing the claims and sources")
        claims = pd.concat([v.claims for v in views]).drop_duplicates("claim_id") if views else pd.DataFrame()
        pack.writestr("claims.csv", claims_csv(claims))
        pack.writestr("claims-hxl.csv", claims_csv(claims, hxl=True))
        pack.writestr("sources.csv", download_csv(sources_list(claims)))
        if changes is not None:
            pack.writestr("changes.csv", download_csv(changes))
        pack.writestr("README.md", pack_readme(views, contexts, names, changes))
    progress(1.0, "Done")
    return buffer.getvalue()


class SharedPacks:
    """Built packs, shared by every session of the process: a pack is built once per key (the data version,
    filters, audience, mode and day; see app.exports), however many visitors ask for it at once: the first
    builds it, the others wait for it. At most `budget` bytes of packs are kept, the least recently used
    dropped first."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._packs: dict[Hashable, bytes] = {}  # oldest first: a dict keeps the order of insertion
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self.builds = 0  # how many packs were built (for the benchmarks and tests)

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            pack = self._packs.pop(key, None)
            if pack is not None:
                self._packs[key] = pack  # now the newest
            return pack

    def get_or_build(self, key: Hashable, build: Callable[[], bytes], waiting: Callable[[], None] | None = None) -> bytes:
        """The pack for `key`: kept, or built by `build` (once, whoever else asks meanwhile: they wait, after
        calling `waiting`, e.g. to say so on their page)."""
        if (pack := self.get(key)) is not None:
            return pack
        with self._lock:
            lock = self._building.setdefault(key, threading.Lock())
        if lock.locked() and waiting is not None:
            waiting()
        with lock:
            if (pack := self.get(key)) is not None:
                return pack
            try:
                pack = build()
                self.builds += 1
                self._keep(key, pack)
                return pack
            finally:
                with self._lock:
                    self._building.pop(key, None)

    def _keep(self, key: Hashable, pack: bytes) -> None:
        with self._lock:
            self._packs.pop(key, None)
            if len(pack) > self.budget:
                return  # larger than the whole budget: handed out once, not kept
            self._packs[key] = pack
            while sum(len(kept) for kept in self._packs.values()) > self.budget:
                del self._packs[next(iter(self._packs))]

    @property
    def kept_bytes(self) -> int:
        with self._lock:
            return sum(len(pack) for pack in self._packs.values())
