"""Every chart of the app as a *view*: its own settings (a spec type per chart), the figure, the claims behind
its marks, its title and the URL that reproduces it. Pages, image exports, briefing packs and the command
line all build their charts through :data:`VIEWS`, the one registry, so an exported image is the chart on
the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, ClassVar, Union
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from crisisboard.charts.maps import MOVEMENT, build_map_figure
from crisisboard.charts.overview import build_overview_figure
from crisisboard.charts.timeline import build_timeline_figure
from crisisboard.charts.whosays import build_who_says_what_figure
from crisisboard.claims.areas import AreaLine, area_lines
from crisisboard.claims.alt_text import chart_summary
from crisisboard.claims.comparisons import (
    DEFAULT_FACTOR,
    ROWS,
    Contest,
    Entry,
    contest,
    day_bounds,
    default_population,
    latest_by_claimant_type,
    partial_near,
    population_counts,
)
from crisisboard.claims.populations import EVERYONE, EVERYONE_WORDS, key_label, members
from crisisboard.claims.refs import ClaimRef
from crisisboard.claims.summaries import (
    RECENT_DAYS,
    headline_sentence,
    latest_per_originator,
    leading,
    recent,
    summarise_metrics,
)
from crisisboard.data import schema
from crisisboard.data.countries import metric_label_in
from crisisboard.data.filters import Filters, to_query_params
from crisisboard.data.geo import GeoData, load_geodata
from crisisboard.data.load import Dataset
from crisisboard.data.selection import Selection


@dataclass(frozen=True)
class OverviewSpec:
    """The Overview's chart: each originator's latest claim of the days up to `day` (YYYY-MM-DD; empty: the
    crisis definition's default day)."""

    name: ClassVar[str] = "overview"
    day: str = ""

    def params(self) -> dict[str, str]:
        return {"day": self.day} if self.day else {}


@dataclass(frozen=True)
class TimelineSpec:
    name: ClassVar[str] = "timeline"
    metric: str = "killed"
    x_mode: str = "as_of"
    log_y: bool = True
    incidents: bool = True
    # whom the figures count: a population key (claims.populations); "": every population of the metric together
    population: str = ""

    def params(self) -> dict[str, str]:
        """The chart's own query parameters, as its page reads them."""
        return {"chart": self.metric, "x": self.x_mode, "log": "1" if self.log_y else "0",
                "incidents": "1" if self.incidents else "0", **({"whom": self.population} if self.population else {})}


@dataclass(frozen=True)
class WhoSaysSpec:
    name: ClassVar[str] = "who-says-what"
    metric: str = "killed"
    day: str | None = None  # YYYY-MM-DD; None: the crisis definition's default day, within the claims' days
    factor: float = DEFAULT_FACTOR
    # whom the figures count: a population key (claims.populations: "everyone", a population or a group); "": the
    # default, everyone when any claim of the metric counts everyone, else the population with the most claims
    population: str = ""
    rows: str = ""  # a row per kind of claimant ("type") or per originator ("originator"); "": the crisis's default

    def params(self) -> dict[str, str]:
        return {"chart": self.metric, "factor": f"{self.factor:g}", **({"day": self.day} if self.day else {}),
                **({"whom": self.population} if self.population else {}), **({"rows": self.rows} if self.rows else {})}


@dataclass(frozen=True)
class MapSpec:
    name: ClassVar[str] = "map"
    area: str | None = None  # a map area of the crisis definition; None: its default
    metric: str | None = None  # the one metric drawn; None: the crisis definition's default

    def params(self) -> dict[str, str]:
        return {**({"view": self.area} if self.area else {}), **({"chart": self.metric} if self.metric else {})}


ViewSpec = Union[OverviewSpec, TimelineSpec, WhoSaysSpec, MapSpec]


@dataclass(eq=False)  # compared and hashed by identity: exports cache their restyled copies per view
class ViewFigure:
    """A chart as built: the figure and what travels with it."""

    figure: go.Figure
    rows: pd.Index  # the dataset's row labels of the claims behind the visible marks
    title: str
    spec: ViewSpec
    dataset: Dataset
    notes: list[str] = field(default_factory=list)  # sentences an export prints under the title
    footer: str = ""  # the sources, as text, once the glue has taken them off the figure (app.datasets)
    summary: str = ""  # the chart in words (claims.alt_text): its alt text, and printed under it

    @property
    def is_map(self) -> bool:
        return isinstance(self.spec, MapSpec)

    @property
    def claims(self) -> pd.DataFrame:
        """The claims behind the visible marks, read from the dataset when asked: a view kept in the
        app's cache holds their row labels, not a copy of the rows."""
        return self.dataset.claims.loc[self.rows]


@dataclass(eq=False)
class MapFigure(ViewFigure):
    """The map also lists, beside it, the claims about whole areas."""

    areas: list[AreaLine] = field(default_factory=list)


@dataclass(eq=False)
class WhoSaysFigure(ViewFigure):
    """Who-says-what also shows, beside its chart, the verdict and the entries it drew."""

    contest: Contest | None = None
    entries: list[Entry] = field(default_factory=list)
    partial: list[ClaimRef] = field(default_factory=list)  # partial counts of the same days, not compared


def overview_day(dataset: Dataset, spec: OverviewSpec, claims: pd.DataFrame) -> pd.Timestamp:
    """The spec's day, else the crisis definition's default day; moved inside the days the claims refer to."""
    day = pd.Timestamp(spec.day or dataset.crisis.defaults.day)
    if claims.empty:
        return day
    return min(max(day, claims["as_of_day"].min()), claims["as_of_day"].max())


def _overview(dataset: Dataset, selection: Selection, spec: OverviewSpec, geo: GeoData | None) -> ViewFigure:
    claims = selection.claims
    day = overview_day(dataset, spec, claims)
    spec = replace(spec, day=f"{day:%Y-%m-%d}")
    summaries = selection.derive(summarise_metrics, day, dataset.crisis.population_labels)
    figure = build_overview_figure(claims, day, summaries=summaries)
    points = latest_per_originator(recent(claims, day))
    finals = claims.index[claims["claim_id"].isin([s.final.claim_id for s in summaries if s.final])]
    span = f"{day - pd.Timedelta(days=RECENT_DAYS - 1):%-d} – {day:%-d %b %Y}"
    notes = [sentence for s in leading(summaries) if (sentence := headline_sentence(s, span))]
    return ViewFigure(figure, points.index.union(finals), f"How far apart the claims are, as of {day:%-d %b %Y}",
                      spec, dataset, notes=notes)


def _require_metric(selection: Selection, metric: str) -> str:
    if metric not in selection.metrics:
        raise ValueError(f"no claims of metric {metric!r} under these filters")
    return metric_label_in(selection.claims, metric)


def timeline_window(dataset: Dataset, filters: Filters) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The days the Timeline's main axis spans: the crisis window, narrowed by the date filter; the filter's
    range alone when it lies outside the window."""
    start, end = pd.Timestamp(dataset.crisis.window.start), pd.Timestamp(dataset.crisis.window.end)
    low = pd.Timestamp(filters.date_from) if filters.date_from else start
    high = pd.Timestamp(filters.date_to) if filters.date_to else end
    if max(start, low) <= min(end, high):
        return max(start, low), min(end, high)
    return low, high if filters.date_to else max(low, end)


def _timeline(dataset: Dataset, selection: Selection, spec: TimelineSpec, geo: GeoData | None) -> ViewFigure:
    label, claims = _require_metric(selection, spec.metric), selection.claims
    if spec.population not in population_counts(claims, spec.metric):
        spec = replace(spec, population="")  # a population this metric's claims do not count: all of them
    if spec.population:  # one population's claims only (the others count other people)
        claims = claims[claims["population"].isin(members(spec.population)).to_numpy()]
        label = f"{label} ({key_label(spec.population, dataset.crisis.population_labels)})"
    incidents = selection.incidents if spec.incidents else None
    figure = build_timeline_figure(claims, incidents, spec.metric, spec.x_mode, spec.log_y,
                                   title=f"{label}: claims over time" if spec.population else None,
                                   window=timeline_window(dataset, selection.filters))
    return ViewFigure(figure, claims.index[(claims["metric"] == spec.metric).to_numpy()],
                      f"{label}: claims over time", spec, dataset)


def _who_says_what(dataset: Dataset, selection: Selection, spec: WhoSaysSpec, geo: GeoData | None) -> WhoSaysFigure:
    label, claims = _require_metric(selection, spec.metric), selection.claims
    first, last, default = day_bounds(claims, spec.metric, pd.Timestamp(dataset.crisis.defaults.day))
    day = min(max(pd.Timestamp(spec.day), first), last) if spec.day else default
    spec = replace(spec, day=day.strftime("%Y-%m-%d"))
    counts = population_counts(claims, spec.metric)
    key = spec.population if spec.population in counts else default_population(counts)
    spec, labels, populations = replace(spec, population=key), dataset.crisis.population_labels, members(key)
    whom = "" if key == EVERYONE else key_label(key, labels)
    result = contest(claims, spec.metric, day, factor=spec.factor, populations=populations, whom=whom)
    rows_by = spec.rows if spec.rows in ROWS else dataset.crisis.defaults.who_says_rows
    spec = replace(spec, rows=rows_by)
    entries = latest_by_claimant_type(claims, spec.metric, day, populations, rows_by)
    figure = build_who_says_what_figure(entries, spec.metric, day, result, whom=whom or EVERYONE_WORDS,
                                        per="originator" if rows_by == "originator" else "kind of claimant")
    shown = claims[claims["claim_id"].isin([e.claim["claim_id"] for e in entries])]
    partial = partial_near(claims, spec.metric, day, populations=populations)
    notes = [result.sentence()] + ([f"{len(partial)} partial count(s) of these days (one place, incident, cemetery, "
                                    "group or period) are not compared."] if partial else [])
    return WhoSaysFigure(figure, shown.index, f"{label} ({whom or EVERYONE_WORDS}): who says what, as of "
                         f"{day:%-d %b %Y}", spec, dataset,
                         notes=notes, contest=result, entries=entries, partial=partial)


def _map(dataset: Dataset, selection: Selection, spec: MapSpec, geo: GeoData | None) -> ViewFigure:
    areas = dataset.crisis.areas
    if spec.area is not None and spec.area not in areas:
        raise ValueError(f"unknown map area {spec.area!r}; one of {', '.join(areas)}")
    area = areas[spec.area or dataset.crisis.defaults.map_area]
    metric = spec.metric or dataset.crisis.defaults.metric
    if metric not in schema.METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    geo = geo if geo is not None else load_geodata(dataset.crisis.geo_dir)
    claims = selection.claims
    figure = build_map_figure(dataset, geo, claims, selection.incidents, area.key, metric=metric)
    panel = area_lines(claims, dataset.places, metric, labels=dataset.crisis.population_labels)
    notes = ["Claims about whole areas (listed, not drawn as points): " + "; ".join(
        line.sentence() for line in panel[:4]) + (f"; +{len(panel) - 4} more areas" if len(panel) > 4 else "")] \
        if panel else []
    return MapFigure(figure, claims.index[(claims["metric"] == metric).to_numpy()],
                     f"{metric_label_in(claims, metric)}: claims by place, {area.label}", spec, dataset, notes=notes,
                     areas=panel)


@dataclass(frozen=True)
class ViewType:
    """One chart: its spec type, the page that shows it (its URL path; "" is the root) and its builder."""

    spec: type
    path: str
    build: Callable[[Dataset, Selection, ViewSpec, GeoData | None], ViewFigure]


# URL paths equal the page files' names, so a first visit that Streamlit resolves the old way still finds them;
# the default page (Overview) is served at the root only
VIEWS: dict[str, ViewType] = {
    OverviewSpec.name: ViewType(OverviewSpec, "", _overview),
    TimelineSpec.name: ViewType(TimelineSpec, "timeline", _timeline),
    WhoSaysSpec.name: ViewType(WhoSaysSpec, "who_says_what", _who_says_what),
    MapSpec.name: ViewType(MapSpec, "map", _map),
}


def spec_of(name: str, **settings: object) -> ViewSpec:
    """The spec of the view called `name` with its own `settings` (``spec_of("map", area="osh")``).

    Raises
    ------
    ValueError
        For an unknown view, or a setting that view does not have.
    """
    if name not in VIEWS:
        raise ValueError(f"unknown view {name!r}; one of {', '.join(VIEWS)}")
    try:
        return VIEWS[name].spec(**settings)
    except TypeError as error:
        raise ValueError(f"view {name!r}: {error}") from None


def view_url(base_url: str, filters: Filters, spec: ViewSpec, crisis: str | None = None) -> str:
    """The app URL that reproduces this view: page path, the crisis (its slug, when the server serves several:
    crisisboard.data.crises), filters and the chart's own settings."""
    query = urlencode({**({"crisis": crisis} if crisis else {}), **to_query_params(filters), **spec.params()})
    page = VIEWS[spec.name].path
    path = f"{base_url.rstrip('/')}/{page}".rstrip("/") or base_url
    return path + ("/" if not page else "") + (f"?{query}" if query else "")


def build_view(dataset: Dataset, filters: Filters, spec: ViewSpec, geodata: GeoData | None = None,
               selection: Selection | None = None) -> ViewFigure:
    """The figure of one view under `filters` (`selection`: the same filters' selection, when one is at hand,
    so that what it has computed already is reused).

    Raises
    ------
    ValueError
        For an unknown view or map area, or a metric with no claims under the filters.
    """
    if spec.name not in VIEWS or not isinstance(spec, VIEWS[spec.name].spec):
        raise ValueError(f"unknown view {spec!r}; one of {', '.join(VIEWS)}")
    if selection is None or selection.dataset is not dataset or selection.filters != filters:
        selection = Selection(dataset, filters)
    view = VIEWS[spec.name].build(dataset, selection, spec, geodata)
    view.summary = chart_summary(view.claims, view.title, dataset.crisis.population_labels)
    return view


def pack_specs(claims: pd.DataFrame, dataset: Dataset) -> list[ViewSpec]:
    """The charts of a briefing pack: the overview, the timeline and who-says-what of the main metric (the
    crisis definition's default, else the first present), a map of it for every area, and a map of the
    default area for each displacement and refugee metric present (where people fled)."""
    present = [m for m in schema.METRICS if m in set(claims["metric"])]
    default = dataset.crisis.defaults.metric
    metric = default if default in present else (present[0] if present else default)
    specs: list[ViewSpec] = [OverviewSpec()]
    if present:
        specs += [TimelineSpec(metric=metric), WhoSaysSpec(metric=metric)]
    movement = [m for m in present if m != metric and schema.METRIC_FAMILIES[m] in MOVEMENT]
    return specs + [MapSpec(area=key, metric=metric) for key in dataset.crisis.areas] + \
        [MapSpec(area=dataset.crisis.defaults.map_area, metric=m) for m in movement]
