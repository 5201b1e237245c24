"""The global filters in the sidebar: their widgets, kept in session state across page switches, seeded from
the link's query string on a session's first page, and mirrored back into it so that a copied link
reproduces the view."""

from __future__ import annotations

from datetime import date

import streamlit as st

from crisisboard.app import render
from crisisboard.claims.markup import literal, text
from crisisboard.data import schema
from crisisboard.data.countries import metric_labels
from crisisboard.data.filters import PARAMS, Filters, from_query_params, to_query_params, vocabulary_of
from crisisboard.data.load import Dataset
from crisisboard.data.tiers import CREDIBILITY_MEANINGS, RELIABILITY_MEANINGS, TIER_LABELS, TIERS

KEY_METRICS = "filter_metric"
KEY_DATES = "filter_dates"
KEY_TIERS = "filter_tier"
KEY_CLAIMANTS = "filter_claimant"
KEY_PLACES = "filter_place"
KEY_RETRACTED = "filter_retracted"
KEY_POPULATIONS = "filter_population"
KEY_STATE = "filter_state"  # the filters, kept outside the widgets so they survive page switches
KEY_WARNINGS = "filter_warnings"


def _date_bounds(dataset: Dataset) -> tuple[date, date]:
    return dataset.present.first_day, dataset.present.last_day


def restore_widgets(dataset: Dataset) -> None:
    """Give the filter widgets their values before they are drawn.

    Streamlit forgets a widget's value when a page that does not draw it runs, and a page switch
    clears the query string. So the values live under KEY_STATE: seeded once per session from the
    URL, updated by each widget's on_change callback, and copied into the widgets on every run.
    """
    if KEY_STATE not in st.session_state:
        params = {key: st.query_params.get_all(key) for key in PARAMS if key in st.query_params}
        filters, warnings = from_query_params(params, vocabulary_of(dataset.places, dataset.crisis.populations))
        start, end = _date_bounds(dataset)
        st.session_state[KEY_STATE] = {
            KEY_METRICS: list(filters.metrics),
            KEY_TIERS: list(filters.tiers),
            KEY_CLAIMANTS: list(filters.claimant_types),
            KEY_PLACES: list(filters.places),
            KEY_DATES: (max(filters.date_from or start, start), min(filters.date_to or end, end)),
            KEY_RETRACTED: filters.retracted,
            KEY_POPULATIONS: list(filters.populations),
        }
        st.session_state[KEY_WARNINGS] = warnings
    for key, value in st.session_state[KEY_STATE].items():
        st.session_state[key] = value


def _remember(key: str) -> None:
    """on_change callback: keep the widget's new value beyond the page."""
    st.session_state[KEY_STATE][key] = st.session_state[key]


def filter_widgets(dataset: Dataset) -> Filters:
    places = dataset.places
    start, end = _date_bounds(dataset)
    present_metrics, present_claimants = list(dataset.present.metrics), list(dataset.present.claimant_types)
    place_names = dict(zip(places["place_id"], places["name"]))
    with st.sidebar:
        render.header(literal("Filters"))
        metrics = st.multiselect("Metric", present_metrics, key=KEY_METRICS, placeholder="All metrics",
                                 format_func=metric_labels(dataset.claims).__getitem__,
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
        chosen_populations = _population_widget(dataset)
        chosen_places = st.multiselect("Place", list(places["place_id"]), key=KEY_PLACES, placeholder="All places",
                                       format_func=lambda p: place_names.get(p, p),
                                       on_change=_remember, args=(KEY_PLACES,))
        retracted = st.toggle("Include retracted claims", key=KEY_RETRACTED, on_change=_remember,
                              args=(KEY_RETRACTED,), disabled=dataset.retracted.empty,
                              help=f"{len(dataset.retracted):,} claim(s) withdrawn by a reviewer: their rows are "
                                   "kept, and the charts leave them out unless this is on (every caption and "
                                   "export then says so).") if not dataset.retracted.empty else False
    date_from, date_to = (tuple(dates) + (None, None))[:2] if isinstance(dates, (tuple, list)) else (dates, None)
    return Filters(
        metrics=tuple(metrics), tiers=tuple(tiers), claimant_types=tuple(claimants), places=tuple(chosen_places),
        populations=tuple(chosen_populations),
        date_from=date_from if date_from and date_from != start else None,
        date_to=date_to if date_to and date_to != end else None, retracted=bool(retracted),
    )


def _population_widget(dataset: Dataset) -> list[str]:
    """Whom the figures count: the populations and groups that claims count, labelled as crisis.toml says."""
    labels, present = dict(dataset.crisis.population_labels), set(dataset.claims["population"].astype(str))
    options = [p for p in dataset.crisis.populations if p in present]
    return st.multiselect("Population", options, key=KEY_POPULATIONS, placeholder="All populations",
                          format_func=lambda p: labels.get(p, p), on_change=_remember, args=(KEY_POPULATIONS,),
                          help="Whom the figures count: only the figures about these people (all people, "
                               "civilians, one group...).")


def _tier_help() -> str:
    rel = "; ".join(f"{k} {v.lower()}" for k, v in RELIABILITY_MEANINGS.items())
    cred = "; ".join(f"{k} {v.lower()}" for k, v in CREDIBILITY_MEANINGS.items())
    return (f"Tiers come from the Admiralty grade of each claim. Source reliability: {rel}. "
            f"Information credibility: {cred}.")


def write_url(filters: Filters) -> None:
    """Mirror the filters in the query string, keeping any other parameters."""
    wanted = {key: value for key, value in st.query_params.to_dict().items() if key not in PARAMS}
    wanted.update(to_query_params(filters))
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
