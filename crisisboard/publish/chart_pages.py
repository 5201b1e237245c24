"""A published chart's two pages: ``charts/NAME.html`` (the interactive chart, its text alternative and summary,
its sources, downloads, a shareable view, an embed snippet and a citation) and ``charts/NAME.embed.html`` (the chart
alone, with its sources printed under it: an embed travels alone).

Plotly draws the figure, inlined as JSON (every "<" written \\u003c, so no text in it can close the script), with
the edition's own ``assets/plotly.min.js``; ``assets/charts.js`` opens a claim's card on a click and keeps the
tiers hidden and the metric in the URL fragment. Every text goes through claims.markup.plain; only the URLs
claims.markup.safe_url accepts become links."""

from __future__ import annotations

import json
from html import unescape

import plotly.graph_objects as go
import plotly.io as pio

from crisisboard.claims.attribution import CAVEAT, DATA_LICENCE, build_attribution
from crisisboard.claims.html import data_table
from crisisboard.claims.tables import screen_table, table_note
from crisisboard.data.countries import metric_label_in
from crisisboard.data.tiers import TIER_COLOURS, TIER_LABELS, TIERS
from crisisboard.publish.charts import Chart
from crisisboard.publish.citations import Citation
from crisisboard.publish.pages import STYLE, esc, href, link

CHART_STYLE = (STYLE.replace("max-width:46rem", "max-width:72rem")
               + ".chart{width:100%;min-height:560px}.controls{display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;"
               "align-items:center;margin:.5rem 0}.controls fieldset{border:0;padding:0;margin:0}"
               "pre{white-space:pre-wrap;background:#f4f4f4;padding:.5rem;overflow-wrap:anywhere}"
               "input#view-link{width:100%}.crisisboard-data{max-height:30rem;overflow:auto}")
EMBED_STYLE = ("body{font-family:system-ui,sans-serif;margin:0;padding:.5rem;font-size:.85rem;line-height:1.35}"
               "h1{font-size:1rem;margin:0 0 .25rem}.chart{width:100%;min-height:420px}ul{padding-left:1.2rem}")


def figure_json(figure: go.Figure) -> str:
    """The figure as JSON that is safe inside <script>: every "<" escaped (it occurs in strings only)."""
    return pio.to_json(figure, validate=False).replace("<", "\\u003c")


def trace_tiers(figure: go.Figure) -> list[str | None]:
    """The reliability tier each trace draws (by its name, else its one colour), None for the rest."""
    by_colour = {colour.lower(): tier for tier, colour in TIER_COLOURS.items()}
    found = []
    for trace in figure.data:
        name = str(trace.name or "")
        tier = next((t for t in TIERS if name.startswith(TIER_LABELS[t]) or f"({t})" in name), None)
        for colour in (getattr(getattr(trace, "marker", None), "color", None),
                       getattr(getattr(trace, "line", None), "color", None)):
            if tier is None and isinstance(colour, str):
                tier = by_colour.get(colour.lower())
        found.append(tier)
    return found


def page_state(chart: Chart, switch: dict[str, str], embed: bool) -> dict:
    """What charts.js needs besides the figure: each trace's tier, the legend entries among them, the metric and
    the page of each other metric, where the claims' cards are."""
    tiers = trace_tiers(chart.view.figure)
    keys = [i for i, trace in enumerate(chart.view.figure.data) if tiers[i] and trace.showlegend is not False]
    if not [i for i, tier in enumerate(tiers) if tier and i not in keys]:
        tiers, keys = [None] * len(tiers), []  # only the key names tiers (a map's markers): nothing to hide
    return {"tiers": tiers, "keys": keys, "tier_names": [t for t in TIERS if t in tiers], "metric": chart.metric,
            "metrics": switch, "claims": "../claims/", "embed": embed}


def _script_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def sources_list(chart: Chart) -> str:
    """The releases behind the chart's marks, most-cited first, each linking to its URL."""
    refs = build_attribution(chart.view.claims).sources
    items = "".join(f"<li>{link(ref.url, ref.title or ref.label)} ({esc(ref.label)})</li>" for ref in refs)
    return f"<ul class=\"chart-sources\">{items}</ul>" if items else "<p>No claim matches: no sources.</p>"


def _card(claim_id: str) -> str:
    """The card page of a claim, from a chart page (as crisisboard.publish.pages.href)."""
    return unescape(href(claim_id, "claims", 1))


def _data_table(chart: Chart) -> str:
    """"Data behind this chart", as the app shows it: the first claims by date as a table a keyboard and a screen
    reader can read, each claim id a link to its card, the keyboard's way to it (the CSV and JSON hold them all)."""
    claims = chart.view.claims
    table, languages = screen_table(claims)
    return (f"<details class=\"chart-data\"><summary>Data behind this chart: {len(claims):,} claims</summary>"
            f"<p>{esc(table_note(claims))}</p>"
            f"{data_table(table, f'Data behind this chart: {chart.view.title}', languages, cards=_card)}</details>")


def _drawing(chart: Chart, state: dict) -> str:
    label = chart.view.summary or chart.view.title
    return (f"<div id=\"chart\" class=\"chart\" role=\"figure\" aria-label=\"{esc(label)}\"></div>"
            "<noscript><p>The interactive chart needs JavaScript; its data and images are linked below.</p></noscript>"
            f"<script type=\"application/json\" id=\"chart-figure\">{figure_json(chart.view.figure)}</script>"
            f"<script type=\"application/json\" id=\"chart-state\">{_script_json(state)}</script>")


def _controls(chart: Chart, state: dict, switch: dict[str, str]) -> str:
    boxes = "".join(f"<label><input type=\"checkbox\" class=\"tier-toggle\" value=\"{esc(t)}\" checked> "
                    f"{esc(TIER_LABELS[t])}</label>" for t in state["tier_names"])
    parts = [f"<fieldset><legend>Reliability tiers shown</legend>{boxes}</fieldset>"] if boxes else []
    if chart.metric and len(switch) > 1:
        options = "".join(f"<option value=\"{esc(m)}\"{' selected' if m == chart.metric else ''}>"
                          f"{esc(metric_label_in(chart.view.dataset.claims, m))}</option>" for m in switch)
        parts.append(f"<label>Metric <select id=\"metric-switch\">{options}</select></label>")
    return f"<div class=\"controls\">{''.join(parts)}</div>" if parts else ""


def _head(title: str, style: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{title}</title><style>{style}</style></head><body>")


SCRIPTS = "<script src=\"../assets/plotly.min.js\"></script><script src=\"../assets/charts.js\"></script>"
SHARING = ("Hiding a tier (the boxes above, or a click on a tier in the legend) writes it into the address: "
           "<code>#hide=low,unjudged</code>; on a chart of one metric, <code>#metric=NAME</code> opens that "
           "metric's chart (the menu above). Copy the address, or the link below, to share this view.")


def _downloads(chart: Chart, images: bool) -> str:
    files = [("png", "PNG (slides)"), ("svg", "SVG (print)")] if images else []
    items = [f"<a href=\"{esc(chart.name)}.{ext}\" download>{label}</a>" for ext, label in files]
    items += [f"<a href=\"{esc(chart.name)}.csv\" download>CSV</a>",
              f"<a href=\"{esc(chart.name)}.json\" download>JSON</a>"]
    missing = "" if images else " <span class=\"no-images\">Images were not made for this edition (published " \
                                "with --no-images).</span>"
    return f"<p class=\"chart-downloads\">The claims behind this chart: {' · '.join(items)}.{missing}</p>"


def chart_page(chart: Chart, switch: dict[str, str], citation: Citation, images: bool, sources: str) -> str:
    """The chart's page (`switch`: the page of each metric's chart of this kind, for the metric menu; `sources`:
    its sources_list)."""
    view, state = chart.view, page_state(chart, switch, embed=False)
    embed_url = chart.url[: -len(".html")] + ".embed.html"
    snippet = (f"<iframe src=\"{esc(embed_url)}\" title=\"{esc(view.title)}\" width=\"100%\" height=\"720\" "
               "style=\"border:0\" loading=\"lazy\"></iframe>")
    notes = "".join(f"<p class=\"chart-note\">{esc(note)}</p>" for note in view.notes)
    body = [f"<nav><a href=\"../index.html\">Edition index</a></nav><main><h1>{esc(view.title)}</h1>",
            _controls(chart, state, switch), _drawing(chart, state), notes,
            f"<h2>The chart in words</h2><p class=\"chart-summary\">{esc(view.summary)}</p>",
            f"<p>{esc(CAVEAT)} Click a mark for its claim's card.</p>",
            _data_table(chart), "<h2>Sources behind its marks</h2>", sources,
            "<h2>Downloads</h2>", _downloads(chart, images),
            f"<h2>Share this view</h2><p>{SHARING}</p>"
            "<p><label>Link to this view <input id=\"view-link\" readonly></label></p>",
            f"<h2>Embed</h2><p>Paste this where the chart should appear (the embedded page prints its sources):</p>"
            f"<pre class=\"embed-snippet\">{esc(snippet)}</pre>",
            citation.block(), f"<p>{esc(DATA_LICENCE)}</p></main>", SCRIPTS, "</body></html>\n"]
    return _head(esc(view.title), CHART_STYLE) + "".join(body)


def embed_page(chart: Chart, citation: Citation, sources: str) -> str:
    """The chart alone, compact, with its summary, its sources (its sources_list) and where it comes from printed
    under it."""
    view, state = chart.view, page_state(chart, {}, embed=True)
    body = [f"<h1>{esc(view.title)}</h1>", _drawing(chart, state),
            f"<p class=\"chart-summary\">{esc(view.summary)}</p><p>{esc(CAVEAT)}</p><p>Sources:</p>",
            sources,
            f"<p>{esc(citation.text())} <a href=\"{esc(chart.name)}.html\" target=\"_blank\" rel=\"noopener\">"
            "Full page, data and citation</a></p>", SCRIPTS, "</body></html>\n"]
    return _head(esc(view.title), EMBED_STYLE) + "".join(body)
