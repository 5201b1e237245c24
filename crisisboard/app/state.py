"""The only module of crisisboard that imports streamlit: caching, the shared frame and its state.

Every page calls :func:`page_frame` first and :func:`page_footer` last. The frame loads the
dataset (once per process and data version), shows a clear error page when the data breaks a
rule, draws the global filters in the sidebar, keeps them in session state across page switches,
and mirrors them in the URL's query string so that a copied link reproduces the view, whichever
page it is loaded on.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pandas as pd
import streamlit as st

from crisisboard.data import schema
from crisisboard.app import render
from crisisboard.claims.attribution import CAVEAT, DATA_LICENCE
from crisisboard.data.filters import PARAMS, Filters, describe_filters, from_query_params, to_query_params, vocabulary_of
from crisisboard.data.load import DataValidationError, Dataset, data_dir_from_env, dataset_version, load_dataset
from crisisboard.data.selection import Selection, SelectionCache
from crisisboard.data.tiers import CREDIBILITY_MEANINGS, RELIABILITY_MEANINGS, TIER_LABELS, TIERS

from crisisboard.claims.markup import app_link, literal, md, text

if TYPE_CHECKING:
    from crisisboard.export.images import ExportContext
    from crisisboard.data.geo import GeoData
    from crisisboard.charts.views import ViewFigure, ViewSpec

LOG = logging.getLogger("crisisboard")
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
    selection: Selection  # shared between sessions: read it, never modify it
    filters_text: str
    briefing: bool = False

    @property
    def claims(self) -> pd.DataFrame:
        return self.selection.claims

    @property
    def incidents(self) -> pd.DataFrame:
        return self.selection.incidents


@st.cache_resource(show_spinner="Loading and validating the data…", max_entries=4)
def _load(data_dir: str, version: str) -> Dataset:
    """Validated data, held once per process for each data version (the hash of the files)."""
    return load_dataset(Path(data_dir))


@st.cache_resource(show_spinner=False)
def _selections() -> SelectionCache:
    """One cache of recent selections per process (see SelectionCache for its memory budget)."""
    return SelectionCache.from_env()


def _selection(data_dir: str, version: str, filters: Filters) -> Selection:
    """The claims that pass `filters` and what is derived from them, once per data version and filters
    for the whole process (every session with the same filters shares it)."""
    return _selections().get(_load(data_dir, version), filters)


@dataclass
class _Health:
    """Per process: the last dataset of each data folder that a page drew to its end, and the versions
    that passed validation but failed to type or to draw (with what went wrong), which are not tried
    again until the files change."""

    drawn: dict[str, Dataset] = field(default_factory=dict)
    broken: dict[tuple[str, str], str] = field(default_factory=dict)


@st.cache_resource
def _health() -> _Health:
    return _Health()


KEY_FRAME = "_crisisboard_frame"  # (data folder, version) the page being drawn uses


def _fallback(data_dir: Path, what: str, problems: list[str]) -> Dataset:
    """The last dataset that drew, with a banner that says why; or an error page when there is none.
    The banner names no server path: it is shown to every viewer."""
    previous = _health().drawn.get(str(data_dir))
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


def _dataset_or_error_page() -> Dataset:
    """The data (reloaded whenever its files change). If the new files break a rule, or pass every rule but
    cannot be typed or drawn, the last version that drew is shown with a banner; an error page when no
    version ever drew."""
    data_dir = data_dir_from_env()
    version = dataset_version(data_dir) if data_dir.is_dir() else "missing"
    health = _health()
    reason = health.broken.get((str(data_dir), version))
    if reason is None:
        try:
            return _load(str(data_dir), version)
        except DataValidationError as error:
            return _fallback(data_dir, f"now breaks {len(error.problems)} rule(s)", [str(p) for p in error.problems])
        except Exception as error:  # noqa: BLE001 - valid data that cannot be typed must not take the app down
            LOG.exception("data version %s in %s passed validation but could not be loaded", version, data_dir)
            reason = health.broken[(str(data_dir), version)] = f"could not be loaded ({type(error).__name__})"
    return _fallback(data_dir, reason, [])


def run_page(page: "st.navigation") -> None:  # type: ignore[valid-type]
    """Run the page the router chose. A page that raises while drawing a data version that has not drawn
    before marks that version broken and runs again on the last version that drew (with the banner), so
    data that passed validation but breaks a chart cannot take the app down for every viewer."""
    try:
        page.run()
    except Exception as error:  # noqa: BLE001 - see the docstring; Streamlit's reruns and stops are not Exceptions
        used = st.session_state.get(KEY_FRAME)
        health = _health()
        drawn = health.drawn.get(used[0]) if used else None
        if used is None or (drawn is not None and drawn.version == used[1]):
            raise  # the version that drew before fails now: a defect in crisisboard, shown as one
        LOG.exception("data version %s in %s could not be drawn", used[1], used[0])
        health.broken[(used[0], used[1])] = f"could not be drawn ({type(error).__name__})"
        if drawn is None:
            _fallback(Path(used[0]), health.broken[(used[0], used[1])], [])
        st.rerun()


def _date_bounds(dataset: Dataset) -> tuple[date, date]:
    return dataset.present.first_day, dataset.present.last_day


def _restore_widgets(dataset: Dataset) -> None:
    """Give the filter widgets their values before they are drawn.

    Streamlit forgets a widget's value when a page that does not draw it runs, and a page switch
    clears the query string. So the values live under KEY_STATE: seeded once per session from the
    URL, updated by each widget's on_change callback, and copied into the widgets on every run.
    """
    if KEY_STATE not in st.session_state:
        params = {key: st.query_params.get_all(key) for key in PARAMS if key in st.query_params}
        filters, warnings = from_query_params(params, vocabulary_of(dataset.places))
        start, end = _date_bounds(dataset)
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
    places = dataset.places
    start, end = _date_bounds(dataset)
    present_metrics, present_claimants = list(dataset.present.metrics), list(dataset.present.claimant_types)
    place_names = dict(zip(places["place_id"], places["name"]))
    with st.sidebar:
        render.header(literal("Filters"))
        metrics = st.multiselect("Metric", present_metrics, key=KEY_METRICS, placeholder="All metrics",
                                 format_func=schema.METRIC_LABELS.__getitem__,
                                 on_change=_remember, args=(KEY_METRICS,))
        dates = st.date_input("Figures as of (date range)", key=KEY_DATES, min_value=start, max_value=end,
                              format="YYYY-MM-DD", on_change=_remember, args=(KEY_DATES,),
                              help="The date each figure refers to, not the date it was published.")
        tiers = st.multiselect("Reliability tier", list(TIERS), key=KEY_TIERS, placeholder="All tiers",
                               format_func=TIER_LABELS.__getitem__, help=text(_tier_help()),
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


BRIEFING_PAGES = ("", "timeline", "who_says_what", "map")  # "": the default page (Overview) lives at the root
BRIEFING_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stExpander"], [data-testid="stPopover"], [data-testid="stButton"],
[data-testid="stDownloadButton"], [data-testid="stCaptionContainer"],
div[data-testid="stElementContainer"]:has([data-testid="stWidgetLabel"]) { display: none !important; }
.stApp p, .stApp li { font-size: 24px !important; color: #000000; }
.stApp { background: #ffffff; }
h1, h1 span { font-size: 3rem !important; color: #000000; }
.block-container { max-width: 100% !important; padding-top: 1rem !important; }
</style>
"""
BRIEFING_KEYS_JS = """
<script>
const doc = window.document, pages = %s;
if (!doc.__crisisboardKeys) {
  doc.__crisisboardKeys = {path: null, index: -1};
  doc.addEventListener("keydown", (event) => {
    const forward = ["ArrowRight", "ArrowDown", "PageDown"].includes(event.key);
    const back = ["ArrowLeft", "ArrowUp", "PageUp"].includes(event.key);
    const tag = (event.target.tagName || "").toLowerCase();
    if ((!forward && !back) || ["input", "textarea", "select"].includes(tag)) return;
    event.preventDefault();
    const state = doc.__crisisboardKeys, loc = window.location;
    if (state.path !== loc.pathname) { state.path = loc.pathname; state.index = -1; }
    const charts = [...doc.querySelectorAll(".js-plotly-plot")];
    const next = state.index + (forward ? 1 : -1);
    if (next >= 0 && next < charts.length) {  // the next chart on this page
      state.index = next;
      charts[next].scrollIntoView({behavior: "smooth", block: "start"});
      return;
    }
    const here = loc.pathname.split("/").filter(Boolean).pop() || "";  // "" is the root: the first page
    const i = pages.indexOf(here), j = forward ? i + 1 : i - 1;
    if (i >= 0 && j >= 0 && j < pages.length) loc.assign("/" + pages[j] + loc.search);
  });
}
</script>
"""


def _briefing_mode() -> bool:
    """The projector mode: a sidebar toggle, or ?briefing=1 in the link."""
    with st.sidebar:
        return url_toggle("Briefing mode (projector)", "briefing", False,
                          help="Large type, high contrast, controls hidden; arrow keys step through the charts "
                               "and pages. Leave it with the link at the top of the page.")


def _draw_briefing_chrome() -> None:
    from urllib.parse import urlencode

    # our own CSS and script only: no data goes into either
    st.html(BRIEFING_CSS)
    st.html(BRIEFING_KEYS_JS % json.dumps(list(BRIEFING_PAGES)), unsafe_allow_javascript=True)
    params = {**st.query_params.to_dict(), "briefing": "0"}
    render.markdown(app_link("Leave briefing mode", urlencode(params)) + literal(" · arrow keys: next chart / page"))


def page_frame(title: str) -> Frame:
    """Draw the shared frame (data check, sidebar filters, URL state) and the page title."""
    _leave_legacy_multipage_mode()
    dataset = _dataset_or_error_page()
    _restore_widgets(dataset)
    filters = _filter_widgets(dataset)
    briefing = _briefing_mode()
    _write_url(filters)
    if briefing:
        _draw_briefing_chrome()
    st.session_state[KEY_FRAME] = (str(dataset.data_dir), dataset.version)
    render.title(text(title))
    for warning in st.session_state.get(KEY_WARNINGS, []):
        render.warning(text(warning))
    selection = _selection(str(dataset.data_dir), dataset.version, filters)
    described = describe_filters(filters, dict(zip(dataset.places["place_id"], dataset.places["name"])))
    render.caption(md("Showing {shown:,} of {total:,} claims · {filters}", shown=len(selection.claims),
                      total=len(dataset.claims), filters=described))
    return Frame(dataset=dataset, filters=filters, selection=selection, filters_text=described, briefing=briefing)


def page_footer(frame: Frame) -> None:
    """The attribution footer: the releases behind what the page shows, the caveat, licence and version."""
    briefing_pack_controls(frame)
    attribution = frame.selection.attribution
    st.divider()
    render.caption(md("{sources}. {caveat}", sources=attribution.short(limit=8), caveat=CAVEAT))
    render.caption(md("{licence} Dataset version {version}.", licence=DATA_LICENCE, version=frame.dataset.version))
    _health().drawn[str(frame.dataset.data_dir)] = frame.dataset  # the page drew to its end


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
    choice = render.segmented(label, options, format_func=format_func, key=key) or default
    _mirror(param, choice)
    return choice


def url_select(label: str, options: list[str], param: str, default: str,
               format_func: Callable[[str], str] = str) -> str:
    """A drop-down choice kept in the URL as ?param=value."""
    key = f"select_{param}"
    _seed_from_url(key, param, options, default)
    choice = st.selectbox(text(label), options, key=key, format_func=format_func)
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
    value = st.date_input(text(label), key=key, min_value=first, max_value=last, format="YYYY-MM-DD")
    _mirror(param, value.isoformat())
    return value


def url_number(label: str, param: str, default: float, minimum: float, maximum: float, step: float) -> float:
    """A number kept in the URL as ?param=N: a finite number, clamped to minimum..maximum (a link with nan,
    inf or 1e308 gets the default and a notice); a value the browser sends outside the range is clamped too."""
    key = f"number_{param}"
    current = st.session_state.get(key)
    if not isinstance(current, (int, float)) or not math.isfinite(current) or not minimum <= current <= maximum:
        if current is None:  # first use in this session: from the link
            raw = st.query_params.get(param)
            try:
                wanted = float(raw) if raw is not None else default
            except ValueError:
                wanted = math.nan
            if not math.isfinite(wanted):
                render.warning(md("Ignored '{param}={raw}' in the link: not a finite number.", param=param, raw=raw))
                wanted = default
            elif not minimum <= wanted <= maximum:
                render.warning(md("'{param}={raw}' in the link is outside {low:g}–{high:g}: using {used:g}.",
                                  param=param, raw=raw, low=minimum, high=maximum,
                                  used=min(max(wanted, minimum), maximum)))
        else:
            wanted = current if isinstance(current, (int, float)) and math.isfinite(current) else default
        st.session_state[key] = min(max(wanted, minimum), maximum)
    value = st.number_input(text(label), key=key, min_value=minimum, max_value=maximum, step=step)
    if not math.isfinite(value) or not minimum <= value <= maximum:  # a crafted value from the browser
        value = default
    _mirror(param, f"{value:g}")
    return value


def page_number(label: str, pages: int, key: str, where: object | None = None) -> int:
    """A page number from 1 to `pages`. Held as a float widget: a crafted NaN or huge value from the browser
    (which an integer number_input cannot even read) is clamped, not raised."""
    if pages <= 1:
        return 1
    value = (where or st).number_input(text(label), min_value=1.0, max_value=float(pages), value=1.0, step=1.0,
                                       format="%.0f", key=key)
    return int(min(max(value, 1), pages)) if isinstance(value, (int, float)) and math.isfinite(value) else 1


def url_toggle(label: str, param: str, default: bool, help: str | None = None) -> bool:  # noqa: A002
    """An on/off switch kept in the URL as ?param=1 or ?param=0."""
    key = f"toggle_{param}"
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(param, "1" if default else "0") == "1"
    value = st.toggle(text(label), key=key, help=text(help) if help else None)
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
    from crisisboard.data.geo import load_geodata

    return load_geodata()


@st.cache_resource(show_spinner="Drawing the chart…", max_entries=64)
def _view_figure(data_dir: str, version: str, filters: Filters, spec: "ViewSpec", briefing: bool) -> "ViewFigure":
    from crisisboard.charts.style import scale_for_briefing
    from crisisboard.charts.views import build_view

    view = build_view(_load(data_dir, version), filters, spec, geodata() if spec.view == "map" else None,
                      selection=_selection(data_dir, version, filters))
    if briefing:
        view.figure = scale_for_briefing(view.figure)
    return view


def view_figure(frame: Frame, spec: "ViewSpec") -> "ViewFigure":
    """A view's figure for the frame's filters, built once per data version, filters and settings.

    The object is shared between sessions: callers must not modify it (exports copy it first).
    """
    return _view_figure(str(frame.dataset.data_dir), frame.dataset.version, frame.filters, spec, frame.briefing)


def _base_url() -> str:
    """scheme://host:port of the app as the browser sees it (localhost:8501 when unknown)."""
    from urllib.parse import urlparse

    url = getattr(st.context, "url", None) or ""
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.netloc}" if parsed.scheme and parsed.netloc else "http://localhost:8501"


def export_context(frame: Frame, spec: "ViewSpec") -> "ExportContext":
    from crisisboard.export.images import ExportContext
    from crisisboard.charts.views import view_url

    return ExportContext(frame.filters_text, frame.dataset.version, view_url(_base_url(), frame.filters, spec),
                         date.today())


def export_controls(frame: Frame, view: "ViewFigure") -> None:
    """A small menu under a chart: format and size, then a download drawn by the same figure builder."""
    from crisisboard.export.images import FORMATS, INSTALL_HINT, PRESETS, export_available, export_view

    key = f"export_{view.spec.view}"
    with st.popover("Export this chart (PNG, SVG, PDF)", icon=":material/download:"):
        if not export_available():
            render.warning(text(INSTALL_HINT))
            return
        fmt = render.segmented("Format", list(FORMATS), format_func=str.upper, default="png", key=f"{key}_format") \
            or "png"
        preset = render.segmented("Size", list(PRESETS), format_func=lambda name: PRESETS[name].label, default="slide",
                                  key=f"{key}_preset") or "slide"
        context = export_context(frame, view.spec)
        render.caption(md("The image carries its title, the filters, the caveat, its sources, the dataset version "
                          "and a link that reproduces this view: {url}", url=context.url))
        mime = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}[fmt]
        st.download_button(text(f"Download {fmt.upper()}"), data=lambda: export_view(view, context, fmt, preset),
                           file_name=f"crisisboard-{view.spec.view}-{frame.dataset.version}.{fmt}", mime=mime,
                           key=f"{key}_download", type="primary")


def briefing_pack_controls(frame: Frame) -> None:
    """Sidebar: one click makes a ZIP of every chart of the current filters, with a progress bar."""
    from crisisboard.export.images import INSTALL_HINT, build_pack, export_available
    from crisisboard.charts.views import pack_specs

    with st.sidebar:
        st.divider()
        render.subheader(literal("Briefing pack"))
        if not export_available():
            render.caption(text(INSTALL_HINT))
            return
        if st.button("Make a briefing pack (ZIP)", key="make_pack",
                     help="Every chart for the current filters as PNG and SVG, the claims behind them "
                          "(CSV and HXL), the sources and a README with how to cite."):
            bar = st.progress(0.0, text="Starting…")
            specs = pack_specs(frame.claims)
            views = [view_figure(frame, spec) for spec in specs]
            contexts = [export_context(frame, spec) for spec in specs]
            st.session_state["pack"] = build_pack(views, contexts,
                                                  progress=lambda done, text: bar.progress(done, text=text))
            bar.empty()
        if st.session_state.get("pack"):
            st.download_button("Download the briefing pack", st.session_state["pack"],
                               file_name=f"crisisboard-briefing-{frame.dataset.version}.zip",
                               mime="application/zip", key="download_pack", type="primary")
