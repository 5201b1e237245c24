"""Hostile text stays text: no Markdown, directive, HTML, script or autolink from a link, an upload or the
data ever renders as markup, on any page, in any chart.

`unescaped_markup` reads Markdown the way Streamlit's renderer would act on it, independently of
crisisboard.claims.markup: an unescaped image, a link to anything but a stored source URL (or its quote fragment,
its archive, or the app itself), a ``:color[...]`` directive, a ``:material/…:`` icon, a ``:shortcode:``,
a bare ``http://``/``www.``/e-mail autolink, raw HTML or LaTeX.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pandas as pd
import pytest
from conftest import PROJECT, figure_texts
from hostile import make_hostile_dataset, payload
from streamlit.testing.v1 import AppTest

from crisisboard.charts.maps import build_map_figure
from crisisboard.charts.overview import build_overview_figure
from crisisboard.charts.timeline import build_timeline_figure
from crisisboard.claims.cards import claim_card_markdown, claims_by_place_markdown
from crisisboard.claims.refs import ClaimRef
from crisisboard.claims.sources import sources_markdown, sources_table
from crisisboard.claims.statements import claim_and_carriers
from crisisboard.claims.summaries import summarise_metrics
from crisisboard.data.geo import load_geodata
from crisisboard.data.load import load_dataset
from crisisboard.data.validate import validate_dataset

_LINK = re.compile(r"(?<![\\!])\[(?P<label>(?:\\.|[^\]\\])*)\]\((?P<url><[^>]*>|[^)\s]*)\)")
_CHECKS = {
    "image": re.compile(r"(?<!\\)!\[(?:\\.|[^\]\\])*\]\("),
    "link reference": re.compile(r"(?<!\\)\[(?:\\.|[^\]\\])+\](?:\[|:)"),
    "directive": re.compile(r"(?<!\\):[a-z-]+(?<!\\)\["),
    "material icon": re.compile(r"(?<!\\):material(?<!\\)/"),
    "shortcode": re.compile(r"(?<![\\\w]):[a-z0-9_+-]+:"),
    "autolink": re.compile(r"(?i)(?<![\w/\\])(?:https?://|www\.)|[\w.+-]@[\w-]+\.[a-z]"),
    "html": re.compile(r"(?<!\\)<[a-zA-Z/!]"),
    "latex": re.compile(r"(?<!\\)\$"),
}


def allowed_links(data_dir: Path) -> set[str]:
    """The URLs a page may link to: the stored source and archive URLs (their quote fragments and Wayback
    snapshots are checked by prefix)."""
    sources = pd.read_csv(data_dir / "sources.csv", dtype=str, keep_default_na=False)
    return {url for url in (*sources["url"], *sources["archive_url"]) if url}


def unescaped_markup(markdown: str, allowed: set[str]) -> list[str]:
    """What in `markdown` Streamlit would render as markup that the data did not ask to be a link."""
    problems = []
    for match in _LINK.finditer(markdown):
        target = unquote(match.group("url").strip("<>"))
        plain_target = target.split("#:~:text=", 1)[0]
        wayback = re.sub(r"^https://web\.archive\.org/web/\d+/", "", plain_target)
        if not (target.startswith("?") or plain_target in allowed or wayback in allowed):
            problems.append(f"link to {target!r}")
    outside_targets = _LINK.sub(lambda match: "[" + match.group("label") + "]", markdown)
    for name, pattern in _CHECKS.items():
        for found in pattern.finditer(outside_targets):
            start = max(found.start() - 25, 0)
            problems.append(f"{name}: …{outside_targets[start:found.end() + 25]!r}…")
    return problems


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_hostile_dataset(tmp_path_factory.mktemp("hostile") / "data")


def test_hostile_dataset_is_valid_data(hostile: Path) -> None:
    assert validate_dataset(hostile).problems == []


def test_the_detector_finds_each_kind_of_markup() -> None:
    """The check below can fail: each kind of markup in the payload, unescaped, is found."""
    found = " ".join(unescaped_markup(payload(), set()))
    for kind in ("image", "link to", "directive", "material icon", "shortcode", "autolink", "html", "latex",
                 "link reference"):
        assert kind in found, kind
    assert unescaped_markup(r"\!\[p\]\(http\:\/\/x\) \:red\[a\] 10\:30", set()) == []


def test_figures_escape_html_in_hover_and_footer(hostile: Path) -> None:
    dataset = load_dataset(hostile)
    figures = [build_timeline_figure(dataset.claims, dataset.incidents, "killed"),
               build_overview_figure(dataset.claims, pd.Timestamp("2010-06-14")),
               build_map_figure(dataset, load_geodata(dataset.crisis.geo_dir), dataset.claims, dataset.incidents, "osh")]
    for fig in figures:
        texts = " ".join(figure_texts(fig))
        for tag in ("<script", "<img", "<svg", "<b onmouseover", "<a href", "<a "):
            assert tag not in texts, tag
    timeline_text = " ".join(figure_texts(figures[0]))
    assert "&lt;script&gt;" in timeline_text and "&lt;svg onload" in timeline_text


def test_markdown_builders_escape_every_field(hostile: Path) -> None:
    dataset = load_dataset(hostile)
    allowed = allowed_links(hostile)
    built = {
        "card": claim_card_markdown(*claim_and_carriers(dataset.claims, "fx-01")),
        "card of a carried claim": claim_card_markdown(*claim_and_carriers(dataset.claims, "fx-04")),
        "sources table": sources_markdown(sources_table(dataset.claims, dataset)),
        "claims by place": claims_by_place_markdown(dataset.claims),
        "overview tiers": "\n".join(t.markdown() for s in summarise_metrics(dataset.claims) for t in s.tiers),
    }
    for name, markdown in built.items():
        assert unescaped_markup(markdown, allowed) == [], name
    assert "example.org)" not in built["card"]  # the hostile URL's ")" is encoded, so the link does not end early


def test_a_non_http_url_is_never_a_link() -> None:
    row = pd.Series({"claim_id": "x", "figure_text": "40", "metric": "killed", "claimant": "c", "relayed_by": "",
                     "as_of": "2010-06-12", "as_of_precision": "exact", "grade": "B2", "tier": "high",
                     "quote": "q 40", "source_id": "s", "publisher": "p", "published": "2010-06-12",
                     "published_precision": "exact", "title": "t", "url": "javascript:alert(1)",
                     "low": 40, "high": 40})
    assert "](javascript" not in ClaimRef.from_row(row).markdown()
    assert "](" not in ClaimRef.from_row(row).source_link()


def page_texts(at: AppTest) -> list[str]:
    """Every string a page hands Streamlit to render as Markdown: bodies, alerts, headings, and the labels and
    help texts of widgets and containers, and the options of radio and segmented buttons (a select box's and a
    multiselect's options are shown as plain text: checked in a browser)."""
    texts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success"):
        texts += [element.value for element in at.get(kind)]
    for kind in ("expander", "tabs", "selectbox", "multiselect", "radio", "button_group", "toggle", "text_input",
                 "number_input", "date_input", "text_area", "button", "checkbox", "popover"):
        for element in at.get(kind):
            proto = element.proto
            for field in ("label", "help", "placeholder"):
                value = getattr(proto, field, "")
                if isinstance(value, str) and value:
                    texts.append(value)
            if kind in ("radio", "button_group"):  # their options are Markdown; a select box's are plain text
                texts += [getattr(option, "content", None) or str(option) for option in proto.options]
    return texts


HOSTILE_QUERY = {"metric": payload(tag="q-metric"), "tier": payload(tag="q-tier"), "from": payload(tag="q-from"),
                 "place": payload(tag="q-place"), "chart": payload(tag="q-chart"), "view": payload(tag="q-view"),
                 "factor": "nan", "day": payload(tag="q-day"), "x": payload(tag="q-x"), "briefing": "1",
                 "other": payload(tag="q-other")}


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/timeline.py", "pages/sources.py",
                                  "pages/who_says_what.py", "pages/map.py", "pages/add_release.py"])
def test_pages_render_hostile_data_and_links_as_text(hostile: Path, monkeypatch: pytest.MonkeyPatch,
                                                     page: str) -> None:
    monkeypatch.setenv("CRISISBOARD_DATA", str(hostile))
    at = AppTest.from_file(str(PROJECT / page), default_timeout=60)
    for key, value in HOSTILE_QUERY.items():
        at.query_params[key] = value
    at.session_state["map_claims_open"] = at.session_state["timeline_claims_open"] = True  # the lists, opened
    at.run()
    assert not at.exception
    texts = page_texts(at)
    assert any("Ignored 'metric=" in text.replace("\\", "") for text in texts)  # the notice is there, as text
    allowed = allowed_links(hostile)
    problems = {text[:80]: found for text in texts if (found := unescaped_markup(text, allowed))}
    assert problems == {}
    if page == "pages/map.py":
        assert any("Fixture place 0" in text.replace("\\", "") and "grade" in text for text in texts)
