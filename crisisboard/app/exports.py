"""The export menu under each chart, and the briefing pack in the sidebar."""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pandas as pd
import streamlit as st

from crisisboard.app import render
from crisisboard.app.crisis_choice import several
from crisisboard.app.datasets import cached_view
from crisisboard.app.privacy import audience
from crisisboard.charts.views import ViewFigure, ViewSpec, pack_specs, view_url
from crisisboard.claims.changes import changes_since, default_since
from crisisboard.claims.markup import literal, md, text
from crisisboard.data.backends import open_store
from crisisboard.export.images import ExportContext, export_view
from crisisboard.export.pack import SharedPacks, build_pack
from crisisboard.export.presets import PRESETS
from crisisboard.export.render import FORMATS, INSTALL_HINT, export_available

if TYPE_CHECKING:  # the page context is defined by the frame, which draws these controls
    from crisisboard.app.frame import PageContext


def _base_url() -> str:
    """scheme://host:port of the app as the browser sees it (localhost:8501 when unknown)."""
    url = getattr(st.context, "url", None) or ""
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}" if parsed.scheme and parsed.netloc else "http://localhost:8501"


def export_context(page: "PageContext", spec: ViewSpec) -> ExportContext:
    """What an export of `spec` prints about itself; its link carries the crisis when the server serves several."""
    crisis = page.crisis.slug if page.crisis is not None and several() else None
    return ExportContext(page.filters_text, page.dataset.version, view_url(_base_url(), page.filters, spec, crisis),
                         date.today())


def file_stem(page: "PageContext", what: str) -> str:
    """A download's name without its extension: crisisboard, the crisis's slug, what it is, the data version."""
    crisis = f"-{page.crisis.slug}" if page.crisis is not None else ""
    return f"crisisboard{crisis}-{what}-{page.dataset.version}"


def export_controls(page: "PageContext", view: ViewFigure) -> None:
    """A section under a chart that opens: format and size, then a download drawn by the same figure builder.
    An expander, not a popover: Streamlit 1.67 draws a popover's content at the end of the page, so a keyboard
    user who opens it with Enter cannot Tab into it (docs/accessibility.md)."""
    key = f"export_{view.spec.name}"
    with st.expander("Export this chart (PNG, SVG, PDF)", icon=":material/download:"):
        if not export_available():
            render.warning(text(INSTALL_HINT))
            return
        fmt = render.segmented("Format", list(FORMATS), format_func=str.upper, default="png", key=f"{key}_format") \
            or "png"
        preset = render.segmented("Size", list(PRESETS), format_func=lambda name: PRESETS[name].label, default="slide",
                                  key=f"{key}_preset") or "slide"
        context = export_context(page, view.spec)
        render.caption(md("The image carries its title, the filters, the caveat, its sources, the crisis "
                          "({citation}), the dataset version and a link that reproduces this view: {url}",
                          citation=page.dataset.crisis.citation, url=context.url))
        mime = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}[fmt]
        st.download_button(text(f"Download {fmt.upper()}"), data=lambda: export_view(view, context, fmt, preset),
                           file_name=f"{file_stem(page, view.spec.name)}.{fmt}", mime=mime,
                           key=f"{key}_download", type="primary")


@st.cache_resource(show_spinner=False)
def _packs() -> SharedPacks:
    """The briefing packs of the process, shared by every session (CRISISBOARD_PACKS_MB, default 256 MB)."""
    return SharedPacks(int(float(os.environ.get("CRISISBOARD_PACKS_MB", "256") or 256) * 1_000_000))


def pack_key(page: "PageContext", changes: pd.DataFrame | None, audience: str) -> tuple:
    """What a pack's bytes depend on: the data version and filters, the mode, the app's address (its links),
    the day (its date line), who may read it (`audience`) and the recent changes it lists."""
    digest = int(pd.util.hash_pandas_object(changes, index=False).sum()) if changes is not None and len(changes) else 0
    return (str(page.dataset.data_dir), page.dataset.version, page.filters, page.briefing, _base_url(),
            date.today().isoformat(), audience, digest)


def briefing_pack_controls(page: "PageContext") -> None:
    """Sidebar: one click makes a ZIP of every chart of the current filters, with a progress bar. A pack is built
    once per data version, filters, mode and audience, and shared by every session that asks for it."""
    with st.sidebar:
        st.divider()
        render.subheader(literal("Briefing pack"))
        if not export_available():
            render.caption(text(INSTALL_HINT))
            return
        if st.button("Make a briefing pack (ZIP)", key="make_pack",
                     help="Every chart for the current filters as PNG and SVG, the claims behind them "
                          "(CSV and HXL), the sources and a README with how to cite."):
            store = open_store(page.dataset.data_dir)
            reader = audience(store)  # changes.csv names staff by role, unless staff make it (claims.audience)
            changes = changes_since(store.history(), page.dataset, default_since(), reader)
            seen = ("names" if reader.names else "roles") + ("+reasons" if reader.reasons else "")
            key = pack_key(page, changes, seen)
            bar = st.progress(0.0, text="Starting…")

            def build() -> bytes:
                specs = pack_specs(page.claims, page.dataset)
                views = [cached_view(str(page.dataset.data_dir), page.dataset.version, page.filters, spec,
                                     page.briefing) for spec in specs]
                return build_pack(views, [export_context(page, spec) for spec in specs], changes=changes,
                                  progress=lambda done, message: bar.progress(done, text=message))

            _packs().get_or_build(key, build, waiting=lambda: bar.progress(
                0.0, text="The same pack is being made for another visitor; it is shared when ready…"))
            bar.empty()
            st.session_state["pack"] = key  # the key, not the bytes: every session shares the one pack
        made = st.session_state.get("pack")
        # a pack made for another crisis of the server is not offered here (its key starts with its data folder)
        pack = _packs().get(made) if made and made[0] == str(page.dataset.data_dir) else None
        if pack:
            st.download_button("Download the briefing pack", pack,
                               file_name=f"{file_stem(page, 'briefing')}.zip",
                               mime="application/zip", key="download_pack", type="primary")
