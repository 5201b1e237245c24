"""The frame every page draws: the data check, the sidebar filters and briefing toggle, the URL state and the
title at the top; the attribution footer at the bottom. Pages call :func:`start_page` first and
:func:`end_page` last."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from crisisboard.app import render
from crisisboard.app.auth import access_panel, current_actor
from crisisboard.app.briefing import briefing_mode, draw_briefing_chrome
from crisisboard.app.crisis_choice import chosen_or_error_page, crisis_line, crisis_picker, several
from crisisboard.app.datasets import KEY_FRAME, cached_view, dataset_or_error_page, health, selection
from crisisboard.app.exports import briefing_pack_controls
from crisisboard.app.filters_ui import KEY_WARNINGS, filter_widgets, restore_widgets, write_url
from crisisboard.app.publishing import edition_line
from crisisboard.app.streamlit_internals import leave_legacy_multipage_mode
from crisisboard.app.style import draw_app_style
from crisisboard.charts.views import ViewFigure, ViewSpec
from crisisboard.claims.attribution import CAVEAT, DATA_LICENCE, build_attribution
from crisisboard.claims.markup import md, text
from crisisboard.data.backends import open_store
from crisisboard.data.crises import CrisisEntry
from crisisboard.data.filters import Filters, describe_filters
from crisisboard.data.load import Dataset
from crisisboard.data.selection import Selection


@dataclass(frozen=True)
class PageContext:
    """What a page needs: the dataset, the active filters, the claims and incidents that pass them, the
    filters in words, and whether the page is in briefing mode."""

    dataset: Dataset
    filters: Filters
    selection: Selection  # shared between sessions: read it, never modify it
    filters_text: str
    briefing: bool = False
    crisis: CrisisEntry | None = None  # which of the server's crises (crisisboard.data.crises)

    @property
    def claims(self) -> pd.DataFrame:
        return self.selection.claims

    @property
    def incidents(self) -> pd.DataFrame:
        return self.selection.incidents


def start_page(title: str, pick_crisis: bool = False) -> PageContext:
    """Draw the top of the page: the crisis (its picker first when `pick_crisis`, and the server serves several),
    the data check, the sidebar (filters, briefing toggle, briefing pack), the URL state, the title, the notices
    of the link's ignored values, and the count of claims shown."""
    leave_legacy_multipage_mode()
    draw_app_style()
    crisis = chosen_or_error_page()
    if pick_crisis:
        crisis_picker(crisis)
    dataset = dataset_or_error_page(crisis)
    crisis_line(crisis)
    edition_line(crisis.slug)  # the latest public edition, under the crisis's name
    restore_widgets(dataset)
    filters = filter_widgets(dataset)
    briefing = briefing_mode()
    write_url(filters)
    if briefing:
        draw_briefing_chrome()
    st.session_state[KEY_FRAME] = (str(dataset.data_dir), dataset.version)
    render.title(text(title))
    for warning in st.session_state.get(KEY_WARNINGS, []):
        render.warning(text(warning))
    chosen = selection(str(dataset.data_dir), dataset.version, filters)
    described = describe_filters(filters, dict(zip(dataset.places["place_id"], dataset.places["name"])),
                                 dict(dataset.crisis.population_labels))
    render.caption(md("Showing {shown:,} of {total:,} claims{crisis} · {filters}", shown=len(chosen.claims),
                      total=len(dataset.claims), filters=described,
                      crisis=f" on {crisis.name}" if several() else ""))
    page = PageContext(dataset=dataset, filters=filters, selection=chosen, filters_text=described, briefing=briefing,
                       crisis=crisis)
    briefing_pack_controls(page)
    store = open_store(dataset.data_dir)
    access_panel(current_actor(store), store)
    return page


def end_page(page: PageContext) -> None:
    """The attribution footer: the releases behind what the page shows, the caveat, licence and version."""
    attribution = page.selection.derive(build_attribution)
    st.divider()
    render.caption(md("{sources}. {caveat}", sources=attribution.short(limit=8), caveat=CAVEAT))
    render.caption(md("{licence} Dataset version {version}.", licence=DATA_LICENCE, version=page.dataset.version))
    health().drawn[str(page.dataset.data_dir)] = page.dataset  # the page drew to its end


def show_chart(view: ViewFigure, config: dict | None = None, **kwargs: object) -> object:
    """Draw a view's chart with its summary as its accessible name and, under it, the summary and its sources as
    text (they wrap to any width, so they are never cut).
    Returns what st.plotly_chart returns (the selection event when `on_select` is given)."""
    event = st.plotly_chart(view.figure, theme=None, config={"displaylogo": False, **(config or {})},
                            alt=view.summary or view.title, **kwargs)
    if view.summary:  # the chart in words, for everyone: the same text is its accessible name
        render.markdown(text(view.summary))
    if view.footer:
        render.caption(text(view.footer))
    return event


def view_figure(page: PageContext, spec: ViewSpec) -> ViewFigure:
    """A view's figure for the page's filters, built once per data version, filters and settings.

    The object is shared between sessions: callers must not modify it (exports copy it first).
    """
    return cached_view(str(page.dataset.data_dir), page.dataset.version, page.filters, spec, page.briefing)
