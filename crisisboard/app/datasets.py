"""The data behind every page, per process: the validated dataset of each version, the selections shared by
every session with the same filters, the charts built for them, and what happens when a new version of the
files cannot be shown (the last version that drew stays, with a banner)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import streamlit as st

from crisisboard.app import render
from crisisboard.app.crisis_choice import chosen
from crisisboard.charts.style import detach_footer, scale_for_briefing
from crisisboard.charts.views import ViewFigure, ViewSpec, build_view
from crisisboard.claims.markup import literal, md, text
from crisisboard.data.crisis import CrisisError, load_crisis
from crisisboard.data.filters import Filters
from crisisboard.data.geo import GeoData, load_geodata
from crisisboard.data.crises import CrisisEntry, CrisisRegistryError, UnknownCrisis, read_folder
from crisisboard.data.load import Dataset, DataValidationError, dataset_version, load_dataset
from crisisboard.data.private import UnsafeFolder
from crisisboard.data.selection import Selection, SelectionCache

LOG = logging.getLogger("crisisboard")
KEY_FRAME = "_crisisboard_frame"  # (data folder, version) the page being drawn uses


@st.cache_resource(show_spinner="Loading and validating the data…", max_entries=4)
def _load(data_dir: str, version: str) -> Dataset:
    return load_dataset(Path(data_dir))


def load(data_dir: str, version: str) -> Dataset:
    """Validated data, held once per process for each data version (the hash of the files). The fallback's
    version is its kept dataset (_DRAWN): after the caches were cleared, the files hold a newer version, and
    reading them again must not replace the last version that drew."""
    drawn = _DRAWN.get(data_dir)
    if drawn is not None and drawn.version == version:
        return drawn
    return _load(data_dir, version)


@st.cache_resource(show_spinner=False)
def _selections() -> SelectionCache:
    """One cache of recent selections per process (see SelectionCache for its memory budget)."""
    return SelectionCache.from_env()


def selection(data_dir: str, version: str, filters: Filters) -> Selection:
    """The claims that pass `filters` and what is derived from them, once per data version and filters
    for the whole process (every session with the same filters shares it)."""
    return _selections().get(load(data_dir, version), filters)


class _Recent(dict):
    """A dict that keeps only its `bound` newest keys (by insertion; a key set again counts as new)."""

    def __init__(self, bound: int) -> None:
        super().__init__()
        self.bound = bound

    def __setitem__(self, key, value) -> None:  # noqa: ANN001
        self.pop(key, None)
        super().__setitem__(key, value)
        while len(self) > self.bound:
            del self[next(iter(self))]


# The fallback's memory, a plain module-level store on purpose: outside Streamlit's caches, so that
# st.cache_resource.clear(), st.cache_data.clear() or a browser's "clear cache" message cannot erase it
# (issue #30). Bounded: 8 data folders, 64 broken versions.
_DRAWN: dict[str, Dataset] = _Recent(8)
_BROKEN: dict[tuple[str, str], str] = _Recent(64)


@dataclass
class _Health:
    """Per process: the last dataset of each data folder that a page drew to its end, and the versions
    that passed validation but failed to type or to draw (with what went wrong), which are not tried
    again until the files change."""

    drawn: dict[str, Dataset] = field(default_factory=lambda: _DRAWN)
    broken: dict[tuple[str, str], str] = field(default_factory=lambda: _BROKEN)


def health() -> _Health:
    """The process's fallback state (see _DRAWN): the same dicts on every call, whatever caches were cleared."""
    return _Health()


def _fallback(data_dir: Path, what: str, problems: list[str]) -> Dataset:
    """The last dataset that drew, with a banner that says why; or an error page when there is none.
    The banner names no server path: it is shown to every viewer."""
    previous = health().drawn.get(str(data_dir))
    if previous is not None:
        render.warning(md("The data changed and {what}. Still showing the last version that could be shown "
                          "({version}) until that is fixed.", what=what, version=previous.version))
        if problems:
            with st.expander("What is wrong with the new data"):
                st.code("\n".join(problems), language=None)
        return previous
    render.title(literal("The data could not be loaded"))
    render.error(md("The data {what}: nothing is shown until that is fixed. Each line names the file, the line "
                    "number (the header is line 1), the field and the rule.", what=what))
    if problems:
        st.code("\n".join(problems), language=None)
    render.caption(literal("Run `python -m crisisboard validate` to check the data again after editing it. "
                           "The data files have not been changed."))
    st.stop()
    raise AssertionError("unreachable: st.stop() ends the run")


def dataset_or_error_page(crisis: CrisisEntry) -> Dataset:
    """The data of `crisis` (reloaded whenever its files change). If the new files break a rule, or pass every
    rule but cannot be typed or drawn, the last version that drew is shown with a banner; an error page when no
    version ever drew."""
    try:
        data_dir = read_folder(crisis)
    except UnsafeFolder as error:  # the mirror's folder is another user's: never read what is in it
        LOG.error("%s", error)
        render.title(literal("The data could not be loaded"))
        render.error(text(error.plain))
        st.stop()
        raise AssertionError("unreachable: st.stop() ends the run") from error
    version = dataset_version(data_dir) if data_dir.is_dir() else "missing"
    state = health()
    reason = state.broken.get((str(data_dir), version))
    if reason is None:
        try:
            return load(str(data_dir), version)
        except DataValidationError as error:
            return _fallback(data_dir, f"now breaks {len(error.problems)} rule(s)", [str(p) for p in error.problems])
        except Exception as error:  # noqa: BLE001 - valid data that cannot be typed must not take the app down
            LOG.exception("data version %s in %s passed validation but could not be loaded", version, data_dir)
            reason = state.broken[(str(data_dir), version)] = f"could not be loaded ({type(error).__name__})"
    return _fallback(data_dir, reason, [])


def run_page(page: "st.navigation") -> None:  # type: ignore[valid-type]
    """Run the page the router chose. A page that raises while drawing a data version that has not drawn
    before marks that version broken and runs again on the last version that drew (with the banner), so
    data that passed validation but breaks a chart cannot take the app down for every viewer."""
    try:
        page.run()
    except Exception as error:  # noqa: BLE001 - see the docstring; Streamlit's reruns and stops are not Exceptions
        used = st.session_state.get(KEY_FRAME)
        state = health()
        drawn = state.drawn.get(used[0]) if used else None
        if used is None or (drawn is not None and drawn.version == used[1]):
            raise  # the version that drew before fails now: a defect in crisisboard, shown as one
        LOG.exception("data version %s in %s could not be drawn", used[1], used[0])
        state.broken[(used[0], used[1])] = f"could not be drawn ({type(error).__name__})"
        if drawn is None:
            _fallback(Path(used[0]), state.broken[(used[0], used[1])], [])
        st.rerun()


def redirect_to(page: "st.Page") -> Callable[[], None]:  # type: ignore[valid-type]
    """A page that only sends the visitor on to `page` with the link's query (its filters) kept: another URL for
    a page. Streamlit serves the default page at the root only, so /overview, the Overview's own name, is one."""

    def redirect() -> None:
        st.switch_page(page, query_params=[(key, st.query_params.get_all(key)) for key in st.query_params])

    return redirect


def page_title() -> str:
    """The browser tab's title: the chosen crisis's definition's (crisisboard.app.crisis_choice), or
    crisisboard's own when it cannot be read (the page then shows what is wrong)."""
    try:
        return load_crisis(read_folder(chosen())).page_title
    except (CrisisError, UnsafeFolder, UnknownCrisis, CrisisRegistryError):
        return "crisisboard"


@st.cache_resource(show_spinner=False)
def geodata(geo_dir: str) -> GeoData:
    """A crisis's geodata, read once per process."""
    return load_geodata(Path(geo_dir))


@st.cache_resource(show_spinner="Drawing the chart…", max_entries=64)
def cached_view(data_dir: str, version: str, filters: Filters, spec: ViewSpec, briefing: bool) -> ViewFigure:
    """A view's figure for the filters, built once per data version, filters, settings and mode; shared between
    sessions: callers must not modify it (exports copy it first)."""
    dataset = load(data_dir, version)
    geo = geodata(str(dataset.crisis.geo_dir)) if spec.name == "map" else None
    view = build_view(dataset, filters, spec, geo, selection=selection(data_dir, version, filters))
    view.footer = detach_footer(view.figure)  # printed under the chart as text (frame.show_chart)
    if briefing:
        view.figure = scale_for_briefing(view.figure)
    return view
