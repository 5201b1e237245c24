"""The only module of crisisboard that imports streamlit: caching, the shared frame and its state.

Every page calls :func:`page_frame` first and :func:`page_footer` last. The frame loads the
dataset (once per process and data version), shows a clear error page when the data breaks a
rule, draws the global filters in the sidebar, keeps them in session state across page switches,
and mirrors them in the URL's query string so that a copied link reproduces the view, whichever
page it is loaded on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pandas as pd
import streamlit as st

from crisisboard import schema
from crisisboard.attribution import CAVEAT, DATA_LICENCE, build_attribution
from crisisboard.filters import (PARAMS, Filters, apply_date_filter_to_incidents, apply_filters, describe_filters,
                                 from_query_params, to_query_params, vocabulary_of)
from crisisboard.load import DataValidationError, Dataset, data_dir_from_env, dataset_version, load_dataset
from crisisboard.tiers import CREDIBILITY_MEANINGS, RELIABILITY_MEANINGS, TIER_LABELS, TIERS

if TYPE_CHECKING:
    import plotly.graph_objects as go

    from crisisboard.geo import GeoData

KEY_METRICS = "filter_metric"
KEY_DATES = "filter_dates"
KEY_TIERS = "filter_tier"
KEY_CLAIMANTS = "filter_claimant"
KEY_PLACES = "filter_place"
KEY_STATE = "filter_state"  # the filters, kept outside the widgets so they survive page switches
KEY_WARNINGS = "filter_warnings"


@dataclass(frozen=True)
class Frame:
    """What a page needs: the dataset, the active filters and the claims and incidents that pass them."""

    dataset: Dataset
    filters: Filters
    claims: pd.DataFrame
    filters_text: str

    @property
    def incidents(self) -> pd.DataFrame:
        return apply_date_filter_to_incidents(self.dataset.incidents, self.filters)


@st.cache_resource(show_spinner="Loading and validating the data…", max_entries=4)
def _load(data_dir: str, version: str) -> Dataset:
    """Validated data, held once per process for each data version (the hash of the files)."""
    return load_dataset(Path(data_dir))


def _dataset_or_error_page() -> Dataset:
    data_dir = data_dir_from_env()
    version = dataset_version(data_dir) if data_dir.is_dir() else "missing"
    try:
        return _load(str(data_dir), version)
    except DataValidationError as error:
        st.title("The data could not be loaded")
        st.error(f"{len(error.problems)} problem(s) in `{data_dir}`: nothing is shown until they are fixed. "
                 "Each line names the file, the line number (the header is line 1), the field and the rule.")
        st.code("\n".join(str(problem) for problem in error.problems), language=None)
        st.caption("Run `python -m crisisboard validate` to check the data again after editing it. "
                   "The data files have not been changed.")
        st.stop()
        raise  # unreachable: st.stop() ends the run


def _date_bounds(claims: pd.DataFrame) -> tuple[date, date]:
    return claims["as_of_day"].min().date(), claims["as_of_day"].max().date()


def _restore_widgets(dataset: Dataset) -> None:
    """Give the filter widgets their values before they are drawn.

    Streamlit forgets a widget's value when a page that does not draw it runs, and a page switch
    clears the query string. So the values live under KEY_STATE: seeded once per session from the
    URL, updated by each widget's on_change callback, and copied into the widgets on every run.
    """
    if KEY_STATE not in st.session_state:
        params = {key: st.query_params.get_all(key) for key in PARAMS if key in st.query_params}
        filters, warnings = from_query_params(params, vocabulary_of(dataset.places))
        start, end = _date_bounds(dataset.claims)
        st.session_state[KEY_STATE] = {
            KEY_METRICS: list(filters.metrics),
            KEY_TIERS: list(filters.tiers),
            KEY_CLAIMANTS: list(filters.claimant_types),
            KEY_PLACES: list(filters.places),
            KEY_DATES: (max(filters.date_from or start, start), min(filters.date_to or end, end)),
        }
        st.session_state[KEY_WARNINGS] = warnings
    for key, value in st.session_state[KEY_STATE].items():
        st.session_state[key] = value


def _remember(key: str) -> None:
    """on_change callback: keep the widget's new value beyond the page."""
    st.session_state[KEY_STATE][key] = st.session_state[key]


def _filter_widgets(dataset: Dataset) -> Filters:
    claims, places = dataset.claims, dataset.places
    start, end = _date_bounds(claims)
    present_metrics = [m for m in schema.METRICS if m in set(claims["metric"])]
    present_claimants = [c for c in schema.CLAIMANT_TYPES if c in set(claims["claimant_type"])]
    place_names = dict(zip(places["place_id"], places["name"]))
    with st.sidebar:
        st.header("Filters")
        metrics = st.multiselect("Metric", present_metrics, key=KEY_METRICS, placeholder="All metrics",
                                 format_func=schema.METRIC_LABELS.__getitem__,
                                 on_change=_remember, args=(KEY_METRICS,))
        dates = st.date_input("Figures as of (date range)", key=KEY_DATES, min_value=start, max_value=end,
                              format="YYYY-MM-DD", on_change=_remember, args=(KEY_DATES,),
                              help="The date each figure refers to, not the date it was published.")
        tiers = st.multiselect("Reliability tier", list(TIERS), key=KEY_TIERS, placeholder="All tiers",
                               format_func=TIER_LABELS.__getitem__, help=_tier_help(),
                               on_change=_remember, args=(KEY_TIERS,))
        claimants = st.multiselect("Claimant type", present_claimants, key=KEY_CLAIMANTS, placeholder="All claimants",
                                   format_func=schema.CLAIMANT_TYPE_LABELS.__getitem__,
                                   on_change=_remember, args=(KEY_CLAIMANTS,))
        chosen_places = st.multiselect("Place", list(places["place_id"]), key=KEY_PLACES, placeholder="All places",
                                       format_func=lambda p: place_names.get(p, p),
                                       on_change=_remember, args=(KEY_PLACES,))
    date_from, date_to = (tuple(dates) + (None, None))[:2] if isinstance(dates, (tuple, list)) else (dates, None)
    return Filters(
        metrics=tuple(metrics), tiers=tuple(tiers), claimant_types=tuple(claimants), places=tuple(chosen_places),
        date_from=date_from if date_from and date_from != start else None,
        date_to=date_to if date_to and date_to != end else None,
    )


def _tier_help() -> str:
    rel = "; ".join(f"{k} {v.lower()}" for k, v in RELIABILITY_MEANINGS.items())
    cred = "; ".join(f"{k} {v.lower()}" for k, v in CREDIBILITY_MEANINGS.items())
    return (f"Tiers come from the Admiralty grade of each claim. Source reliability: {rel}. "
            f"Information credibility: {cred}.")


def _write_url(filters: Filters) -> None:
    """Mirror the filters in the query string, keeping any other parameters."""
    wanted = {key: value for key, value in st.query_params.to_dict().items() if key not in PARAMS}
    wanted.update(to_query_params(filters))
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def _leave_legacy_multipage_mode() -> None:
    """Run the page through dashboard.py's router even when it was opened by its own URL first.

    Streamlit still discovers a folder named pages/ the old way: until st.navigation has run
    once in the process, the first visit to /map or /sources runs that file alone, with the
    old navigation. The flag below is what st.navigation itself clears; clearing it and
    rerunning makes Streamlit run dashboard.py, which routes to the page that was asked for.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without it has no legacy mode to leave
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def page_frame(title: str) -> Frame:
    """Draw the shared frame (data check, sidebar filters, URL state) and the page title."""
    _leave_legacy_multipage_mode()
    dataset = _dataset_or_error_page()
    _restore_widgets(dataset)
    filters = _filter_widgets(dataset)
    _write_url(filters)
    st.title(title)
    for warning in st.session_state.get(KEY_WARNINGS, []):
        st.warning(warning)
    claims = apply_filters(dataset.claims, filters)
    text = describe_filters(filters, dict(zip(dataset.places["place_id"], dataset.places["name"])))
    st.caption(f"Showing {len(claims)} of {len(dataset.claims)} claims · {text}")
    return Frame(dataset=dataset, filters=filters, claims=claims, filters_text=text)


def page_footer(frame: Frame) -> None:
    """The attribution footer: the releases behind what the page shows, the caveat, licence and version."""
    attribution = build_attribution(frame.claims)
    st.divider()
    st.caption(f"{attribution.short(limit=8)}. {CAVEAT}")
    st.caption(f"{DATA_LICENCE} Dataset version {frame.dataset.version}.")


def _seed_from_url(key: str, param: str, options: list[str], default: str) -> None:
    """Give a page control its value from the URL on first use, or keep its value if it is still valid."""
    if st.session_state.get(key) not in options:
        wanted = st.query_params.get(param, default)
        st.session_state[key] = wanted if wanted in options else default


def _mirror(param: str, value: str) -> None:
    if st.query_params.get(param) != value:
        st.query_params[param] = value


def url_choice(label: str, options: list[str], param: str, default: str,
               format_func: Callable[[str], str] = str) -> str:
    """A one-of-several choice (segmented buttons) kept in the URL as ?param=value."""
    key = f"choice_{param}"
    _seed_from_url(key, param, options, default)
    choice = st.segmented_control(label, options, key=key, format_func=format_func) or default
    _mirror(param, choice)
    return choice


def url_select(label: str, options: list[str], param: str, default: str,
               format_func: Callable[[str], str] = str) -> str:
    """A drop-down choice kept in the URL as ?param=value."""
    key = f"select_{param}"
    _seed_from_url(key, param, options, default)
    choice = st.selectbox(label, options, key=key, format_func=format_func)
    _mirror(param, choice)
    return choice


def url_date(label: str, param: str, default: date, first: date, last: date) -> date:
    """A date picker kept in the URL as ?param=YYYY-MM-DD (clamped to first..last)."""
    key = f"date_{param}"
    current = st.session_state.get(key)
    if not isinstance(current, date) or not first <= current <= last:
        try:
            wanted = date.fromisoformat(st.query_params.get(param, ""))
        except ValueError:
            wanted = default
        st.session_state[key] = min(max(wanted, first), last)
    value = st.date_input(label, key=key, min_value=first, max_value=last, format="YYYY-MM-DD")
    _mirror(param, value.isoformat())
    return value


def url_number(label: str, param: str, default: float, minimum: float, step: float) -> float:
    """A number kept in the URL as ?param=N."""
    key = f"number_{param}"
    if key not in st.session_state:
        try:
            st.session_state[key] = max(float(st.query_params.get(param, default)), minimum)
        except ValueError:
            st.session_state[key] = default
    value = st.number_input(label, key=key, min_value=minimum, step=step)
    _mirror(param, f"{value:g}")
    return value


def url_toggle(label: str, param: str, default: bool, help: str | None = None) -> bool:  # noqa: A002
    """An on/off switch kept in the URL as ?param=1 or ?param=0."""
    key = f"toggle_{param}"
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(param, "1" if default else "0") == "1"
    value = st.toggle(label, key=key, help=help)
    _mirror(param, "1" if value else "0")
    return value


def selected_ids(event: object) -> list[str]:
    """The customdata (claim ids) of the points selected in a chart drawn with on_select="rerun"."""
    selection = getattr(event, "selection", None) or {}
    points = selection.get("points", []) if isinstance(selection, dict) else getattr(selection, "points", [])
    ids = []
    for point in points:
        custom = point.get("customdata")
        value = custom[0] if isinstance(custom, (list, tuple)) else custom
        if isinstance(value, str) and value not in ids:
            ids.append(value)
    return ids


@st.cache_resource(show_spinner=False)
def geodata() -> "GeoData":
    """geo/ read once per process."""
    from crisisboard.geo import load_geodata

    return load_geodata()


@st.cache_resource(show_spinner="Drawing the map…", max_entries=32)
def _map_figure(data_dir: str, version: str, filters: Filters, view: str) -> "go.Figure":
    from crisisboard.maps import build_map_figure

    dataset = _load(data_dir, version)
    claims = apply_filters(dataset.claims, filters)
    incidents = apply_date_filter_to_incidents(dataset.incidents, filters)
    return build_map_figure(geodata(), dataset.places, claims, incidents, view)


def map_figure(frame: Frame, view: str) -> "go.Figure":
    """The Map page's figure for the frame's filters, built once per data version, filters and view."""
    return _map_figure(str(frame.dataset.data_dir), frame.dataset.version, frame.filters, view)
