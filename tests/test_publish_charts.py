"""The charts of a published edition (crisisboard.publish.charts, chart_pages, chart_files, citations): one publish
of the hostile fixture dataset per module, with real images (Kaleido and Debian's Chromium), then one look at a
chart page in headless Chromium over a local web server."""

from __future__ import annotations

import csv
import functools
import http.server
import json
import re
import threading
import tomllib
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile import SCRIPT_TITLE, make_hostile_dataset

from crisisboard.charts.views import MapSpec, OverviewSpec, TimelineSpec, WhoSaysSpec, build_view
from crisisboard.cli import main
from crisisboard.data.crisis import crisis_slug
from crisisboard.data.filters import Filters
from crisisboard.data.load import load_dataset
from crisisboard.publish.bundle import plotly_bundle
from crisisboard.publish.citations import RELATIVE_NOTE

BASE = "https://data.example.org/public"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The hostile fixture dataset published once, with images and a base URL."""
    root = tmp_path_factory.mktemp("publish-charts")
    data_dir = make_hostile_dataset(root / "data")
    out = root / "public"
    assert main(["publish", "--out", str(out), "--data-dir", str(data_dir), "--base-url", BASE]) == 0
    slug = crisis_slug(data_dir)
    return {"data": data_dir, "folder": out / slug / "v1", "slug": slug, "out": out,
            "charts": json.loads((out / slug / "v1" / "charts.json").read_text(encoding="utf-8"))}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


class _Tags(HTMLParser):
    """Every start tag of a page, with its attributes, and the text of its <pre> elements by class."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.pre: dict[str, str] = {}
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag == "pre":
            self._in = dict(attrs).get("class", "")
            self.pre[self._in] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self.pre[self._in] += data


def _parse(path: Path) -> _Tags:
    parser = _Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _spec_of(name: str) -> object:
    if name == "overview":
        return OverviewSpec()
    kind, _, rest = name.partition("-")
    if name.startswith("who-says-what-"):
        return WhoSaysSpec(metric=name.removeprefix("who-says-what-"))
    if kind == "timeline":
        return TimelineSpec(metric=rest)
    area, metric = rest.split("-", 1)
    return MapSpec(area=area, metric=metric)


def test_charts_json_lists_every_expected_chart(edition: dict) -> None:
    claims = _read_csv(edition["data"] / "claims.csv")
    metrics = {row["metric"] for row in claims}
    crisis = tomllib.loads((edition["data"] / "crisis.toml").read_text(encoding="utf-8"))
    main_metric = crisis["defaults"]["metric"]
    expected = {"overview"} | {f"{kind}-{m}" for m in metrics for kind in ("timeline", "who-says-what")} | \
        {f"map-{area['key']}-{main_metric}" for area in crisis["map_areas"]}
    names = [entry["name"] for entry in edition["charts"]]
    assert expected <= set(names) and len(names) == len(set(names))
    assert names[0] == "overview"
    for entry in edition["charts"]:
        for key in ("page", "embed", "png", "svg", "csv", "json"):
            assert (edition["folder"] / entry[key]).is_file(), entry[key]
        assert entry["page"] == f"charts/{entry['name']}.html"
    index = (edition["folder"] / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="chart-link" href="([^"]+)"', index)
    assert links == [entry["page"] for entry in edition["charts"]]
    assert index.index("chart-link") < index.index("<h2>Files")


def test_chart_pages_load_only_the_editions_own_assets(edition: dict) -> None:
    folder = edition["folder"]
    # the basic bundle make test installs (tests/test_publish_bundle.py), which draws every trace of the app
    assert (folder / "assets" / "plotly.min.js").read_bytes() == plotly_bundle({"scatter"}).script
    sources = {row["url"] for row in _read_csv(edition["data"] / "sources.csv")}
    for entry in edition["charts"]:
        for page in (entry["page"], entry["embed"]):
            tags = _parse(folder / page).tags
            scripts = [attrs.get("src") for tag, attrs in tags if tag == "script" and attrs.get("src")]
            assert scripts == ["../assets/plotly.min.js", "../assets/charts.js"], page
            for tag, attrs in tags:
                assert not {name for name in attrs if name.startswith("on")}, (page, tag, attrs)
                assert tag not in ("img", "svg", "iframe", "link", "object", "embed"), (page, tag)
                if tag == "a" and attrs.get("href", "").startswith(("http:", "https:", "//")):
                    assert unescape(attrs["href"]) in sources, (page, attrs["href"])
                assert "src" not in attrs or tag == "script", (page, tag)
            assert (folder / page).stat().st_size < 1_000_000, "plotly.js must not be inlined"
    assert len(list(folder.rglob("*.js"))) == 2


def test_images_are_a_png_and_an_svg(edition: dict) -> None:
    for entry in edition["charts"]:
        assert (edition["folder"] / entry["png"]).read_bytes().startswith(PNG)
        root = ET.fromstring((edition["folder"] / entry["svg"]).read_bytes())
        assert root.tag.endswith("svg")


def test_csv_and_json_hold_the_claims_behind_each_view(edition: dict) -> None:
    dataset = load_dataset(edition["data"])
    for entry in edition["charts"]:
        view = build_view(dataset, Filters(), _spec_of(entry["name"]))
        expected = sorted(view.claims["claim_id"].astype(str))
        assert expected, entry["name"]
        rows = _read_csv(edition["folder"] / entry["csv"])
        assert sorted(row["Claim id"] for row in rows) == expected, entry["name"]
        records = json.loads((edition["folder"] / entry["json"]).read_text(encoding="utf-8"))
        assert sorted(r["Claim id"] for r in records) == expected, entry["name"]
        assert {r["Quote"] for r in records} == set(view.claims["quote"].astype(str))


def _bibtex_fields(text: str) -> tuple[str, dict[str, str]]:
    """A BibTeX entry's type and fields, reading nested braces (fails on unbalanced ones)."""
    match = re.match(r"\s*@(\w+)\{([^,\s]+),", text)
    assert match, text
    fields, at = {}, match.end()
    while True:
        found = re.compile(r"\s*(\w+)\s*=\s*\{").match(text, at)
        if not found:
            break
        depth, start, at = 1, found.end(), found.end()
        while depth:
            if text[at] == "\\":
                at += 2
                continue
            depth += {"{": 1, "}": -1}.get(text[at], 0)
            at += 1
        fields[found.group(1)] = text[start:at - 1]
        at = text.index(",", at) + 1 if text[at:].lstrip().startswith(",") else at
    assert text[at:].strip() == "}", text[at:]
    return match.group(1), fields


def _citations(path: Path) -> tuple[dict[str, str], dict, str]:
    parsed = _parse(path)
    kind, fields = _bibtex_fields(parsed.pre["citation-bibtex"])
    assert kind == "misc"
    (csl,) = json.loads(parsed.pre["citation-csl"])
    text = unescape(re.search(r'<p class="citation-text">(.*?)</p>', path.read_text(encoding="utf-8")).group(1))
    return fields, csl, text


def test_chart_and_card_citations_parse_and_carry_edition_and_url(edition: dict) -> None:
    folder, slug = edition["folder"], edition["slug"]
    chart = edition["charts"][1]
    fields, csl, text = _citations(folder / chart["page"])
    url = f"{BASE}/{slug}/v1/{chart['page']}"
    assert fields["url"] == url and fields["edition"] == "1" and csl["URL"] == url and csl["version"] == "1"
    assert csl["title"] == chart["title"] and url in text and "Edition 1" in text
    claim = _read_csv(edition["data"] / "claims.csv")[0]
    fields, csl, text = _citations(folder / "claims" / f"{claim['claim_id']}.html")
    assert csl["URL"] == f"{BASE}/{slug}/v1/claims/{claim['claim_id']}.html" == fields["url"]
    assert claim["claim_id"] in csl["title"] and "Edition 1" in text
    assert csl["issued"]["date-parts"][0][0] >= 2024


def test_hostile_titles_stay_text_in_citations_and_pages(edition: dict) -> None:
    for path in [edition["folder"] / e["page"] for e in edition["charts"]] + list((edition["folder"] / "claims").glob("*.html")):
        page = path.read_text(encoding="utf-8")
        assert "<script>alert" not in page and "<img" not in page and "<b onmouseover" not in page, path.name
        assert page.count("</script>") == page.count("<script"), path.name  # no text closes a script
    # the hostile source title is shown, escaped, among the sources of a chart that draws its claims
    embed = (edition["folder"] / edition["charts"][1]["embed"]).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in embed
    assert SCRIPT_TITLE not in embed


def test_the_embed_page_carries_its_sources(edition: dict) -> None:
    dataset = load_dataset(edition["data"])
    for entry in edition["charts"]:
        view = build_view(dataset, Filters(), _spec_of(entry["name"]))
        embed = _parse(edition["folder"] / entry["embed"])
        listed = {unescape(attrs["href"]) for tag, attrs in embed.tags if tag == "a" and "href" in attrs}
        urls = {u for u in view.claims["url"].astype(str) if u.startswith("http")}
        assert urls and urls <= listed, entry["name"]
        snippet = unescape(_parse(edition["folder"] / entry["page"]).pre["embed-snippet"])
        assert snippet.startswith(f'<iframe src="{BASE}/{edition["slug"]}/v1/{entry["embed"]}"')


def test_without_a_base_url_citations_are_relative_and_say_so(dataset_copy: Path, tmp_path: Path) -> None:
    assert main(["publish", "--out", str(tmp_path / "out"), "--data-dir", str(dataset_copy), "--no-images"]) == 0
    folder = tmp_path / "out" / crisis_slug(dataset_copy) / "v1"
    fields, csl, text = _citations(folder / "charts" / "overview.html")
    assert csl["URL"] == f"{crisis_slug(dataset_copy)}/v1/charts/overview.html" and RELATIVE_NOTE in text
    assert "not made" in (folder / "charts" / "overview.html").read_text(encoding="utf-8")
    assert not list(folder.glob("charts/*.png"))
    assert all(e["png"] is None for e in json.loads((folder / "charts.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def served(edition: dict):  # noqa: ANN201 - the edition's base address on 127.0.0.1
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(edition["out"]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{edition['slug']}/v1"
    server.shutdown()


def test_a_chart_page_draws_keeps_its_view_in_the_fragment_and_opens_a_card(served: str, page) -> None:  # noqa: ANN001
    hosts = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(f"{served}/charts/timeline-killed.html#hide=unjudged")
    page.wait_for_selector("#chart[data-drawn]")
    assert page.locator("#chart .main-svg").count() > 0
    assert not page.is_checked("input.tier-toggle[value=unjudged]") and page.is_checked("input.tier-toggle[value=high]")
    page.uncheck("input.tier-toggle[value=high]")
    assert page.evaluate("location.hash") == "#hide=high,unjudged"
    hidden = page.evaluate("document.getElementById('chart').data.filter(t => t.visible === false).map(t => t.name)")
    assert hidden and all("High" in name or "(high)" in name or "Unjudged" in name or "(unjudged)" in name
                          for name in hidden)
    assert page.input_value("#view-link").endswith("#hide=high,unjudged")
    page.evaluate("""() => { const chart = document.getElementById('chart');
        const i = chart.data.findIndex(t => t.customdata && t.visible !== false && /marks/.test(t.name));
        chart.emit('plotly_click', {points: [{curveNumber: i, customdata: chart.data[i].customdata[0]}]}); }""")
    page.wait_for_url("**/claims/*.html")
    assert page.title().startswith("Claim ")
    assert hosts == {served.split("/")[2]}


def test_crisis_toml_gives_the_base_url_and_the_command_line_overrides_it(dataset_copy: Path, tmp_path: Path) -> None:
    with (dataset_copy / "crisis.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[publish]\nbase_url = "https://toml.example.org/pub/"\n')
    slug = crisis_slug(dataset_copy)
    assert main(["publish", "--out", str(tmp_path / "a"), "--data-dir", str(dataset_copy), "--no-images"]) == 0
    _, csl, _ = _citations(tmp_path / "a" / slug / "v1" / "charts" / "overview.html")
    assert csl["URL"] == f"https://toml.example.org/pub/{slug}/v1/charts/overview.html"
    assert main(["publish", "--out", str(tmp_path / "b"), "--data-dir", str(dataset_copy), "--no-images",
                 "--base-url", BASE]) == 0
    _, csl, _ = _citations(tmp_path / "b" / slug / "v1" / "charts" / "overview.html")
    assert csl["URL"] == f"{BASE}/{slug}/v1/charts/overview.html"


def test_a_base_url_in_crisis_toml_must_be_http(dataset_copy: Path, capsys) -> None:  # noqa: ANN001
    with (dataset_copy / "crisis.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[publish]\nbase_url = "javascript:alert(1)"\n')
    assert main(["validate", str(dataset_copy)]) != 0
    assert "base_url" in capsys.readouterr().out


def test_the_data_behind_a_chart_links_each_claim_to_its_card(edition: dict) -> None:
    for entry in edition["charts"]:
        rows = _read_csv(edition["folder"] / entry["csv"])
        tags = _parse(edition["folder"] / entry["page"]).tags
        cards = {attrs["href"] for tag, attrs in tags if tag == "a" and attrs.get("href", "").startswith("../claims/")}
        assert cards == {f"../claims/{row['Claim id']}.html" for row in rows}, entry["name"]
        assert all((edition["folder"] / "charts" / card).is_file() for card in cards)
