"""Every chart of the app as a *view*: the figure, the claims behind its marks, its title and the
URL that reproduces it. Pages, image exports, briefing packs and the command line all build their
charts here, so an exported image is the chart on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from crisisboard.data import schema
from crisisboard.data.filters import Filters, to_query_params
from crisisboard.data.load import Dataset
from crisisboard.data.selection import Selection

VIEWS = ("overview", "timeline", "who-says-what", "map")
# URL paths equal the page files' names, so a first visit that Streamlit resolves the old way still finds them;
# the default page (Overview) is served at the root only
PATHS = {"overview": "", "timeline": "timeline", "who-says-what": "who_says_what", "map": "map"}


@dataclass(frozen=True)
class ViewSpec:
    """Which chart, and the chart's own settings (beyond the global filters)."""

    view: str = "overview"
    metric: str = "killed"
    x_mode: str = "as_of"
    log_y: bool = True
    incidents: bool = True
    day: str | None = None  # YYYY-MM-DD, who-says-what
    factor: float = 3.0
    map_view: str = "border"

    def params(self) -> dict[str, str]:
        """The chart's own query parameters, as its page reads them."""
        if self.view == "timeline":
            return {"chart": self.metric, "x": self.x_mode, "log": "1" if self.log_y else "0",
                    "incidents": "1" if self.incidents else "0"}
        if self.view == "who-says-what":
            return {"chart": self.metric, "factor": f"{self.factor:g}", **({"day": self.day} if self.day else {})}
        if self.view == "map":
            return {"view": self.map_view}
        return {}


@dataclass(eq=False)  # compared and hashed by identity: exports cache their restyled copies per view
class ViewFigure:
    figure: go.Figure
    rows: pd.Index  # the dataset's row labels of the claims behind the visible marks
    title: str
    spec: ViewSpec
    dataset: Dataset
    is_map: bool = False
    notes: list[str] = field(default_factory=list)  # sentences an export prints under the title
    details: dict = field(default_factory=dict)  # what the page shows beside the chart

    @property
    def claims(self) -> pd.DataFrame:
        """The claims behind the visible marks, read from the dataset when asked: a view kept in the
        app's cache holds their row labels, not a copy of the rows."""
        return self.dataset.claims.loc[self.rows]


def view_url(base_url: str, filters: Filters, spec: ViewSpec) -> str:
    """The app URL that reproduces this view: page path, filters and the chart's own settings."""
    query = urlencode({**to_query_params(filters), **spec.params()})
    path = f"{base_url.rstrip('/')}/{PATHS[spec.view]}".rstrip("/") or base_url
    return path + ("/" if not PATHS[spec.view] else "") + (f"?{query}" if query else "")


def build_view(dataset: Dataset, filters: Filters, spec: ViewSpec, geodata: object | None = None,
               selection: Selection | None = None) -> ViewFigure:
    """The figure of one view under `filters` (`selection`: the same filters' selection, when one is at hand,
    so that what it has computed already is reused).

    Raises
    ------
    ValueError
        For an unknown view or a metric with no claims under the filters.
    """
    if selection is None or selection.dataset is not dataset or selection.filters != filters:
        selection = Selection(dataset, filters)
    claims = selection.claims
    if spec.view == "overview":
        from crisisboard.charts.overview import build_overview_figure

        figure = build_overview_figure(claims, summaries=selection.summaries, attribution=selection.attribution)
        return ViewFigure(figure, claims.index, "Range of claims by reliability tier", spec, dataset)
    if spec.view in ("timeline", "who-says-what") and spec.metric not in selection.metrics:
        raise ValueError(f"no claims of metric {spec.metric!r} under these filters")
    label = schema.METRIC_LABELS.get(spec.metric, spec.metric)
    if spec.view == "timeline":
        from crisisboard.charts.timeline import build_timeline_figure

        incidents = selection.incidents if spec.incidents else None
        figure = build_timeline_figure(claims, incidents, spec.metric, spec.x_mode, spec.log_y)
        return ViewFigure(figure, claims.index[(claims["metric"] == spec.metric).to_numpy()],
                          f"{label}: claims over time", spec, dataset)
    if spec.view == "who-says-what":
        from crisisboard.charts.whosays import build_who_says_what_figure, contest, day_bounds, latest_by_claimant_type

        first, last, default = day_bounds(claims, spec.metric)
        day = min(max(pd.Timestamp(spec.day), first), last) if spec.day else default
        spec = replace(spec, day=day.strftime("%Y-%m-%d"))
        result = contest(claims, spec.metric, day, factor=spec.factor)
        entries = latest_by_claimant_type(claims, spec.metric, day)
        figure = build_who_says_what_figure(entries, spec.metric, day, result)
        shown = claims[claims["claim_id"].isin([e.claim["claim_id"] for e in entries])]
        return ViewFigure(figure, shown.index, f"{label}: who says what, as of {day:%-d %b %Y}", spec, dataset,
                          notes=[result.sentence()], details={"contest": result, "entries": entries})
    if spec.view == "map":
        from crisisboard.data.geo import load_geodata
        from crisisboard.charts.maps import VIEWS as MAP_VIEWS
        from crisisboard.charts.maps import build_map_figure

        if spec.map_view not in MAP_VIEWS:
            raise ValueError(f"unknown map view {spec.map_view!r}; one of {', '.join(MAP_VIEWS)}")
        geo = geodata if geodata is not None else load_geodata()
        incidents = selection.incidents
        figure = build_map_figure(geo, dataset.places, claims, incidents, spec.map_view)
        return ViewFigure(figure, claims.index, f"Claims by place: {MAP_VIEWS[spec.map_view].label}", spec, dataset,
                          is_map=True)
    raise ValueError(f"unknown view {spec.view!r}; one of {', '.join(VIEWS)}")


def pack_specs(claims: pd.DataFrame) -> list[ViewSpec]:
    """The charts of a briefing pack: overview, timeline and who-says-what of the main metric, three maps."""
    present = [m for m in schema.METRICS if m in set(claims["metric"])]
    metric = "killed" if "killed" in present else (present[0] if present else "killed")
    specs = [ViewSpec("overview")]
    if present:
        specs += [ViewSpec("timeline", metric=metric), ViewSpec("who-says-what", metric=metric)]
    return specs + [ViewSpec("map", map_view=view) for view in ("osh", "jalal_abad", "border")]
