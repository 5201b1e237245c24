"""A published edition served for real: data/ published to a temporary folder, served by Debian's nginx with
deploy/nginx-static.conf.template (deploy/static.py), read over HTTP and in headless Chromium (Playwright).

Checks what a reader and a cache see: the manifest's hashes and sizes match the files as served; cache headers are
long and immutable for an edition, short for latest/ and the feed; types, gzip, no listing, security headers;
pages (and every chart page of charts.json) draw with no request leaving 127.0.0.1 and no CSP violation; a link
back opens the source's URL; an approval followed by a publish makes edition 2 with that claim in its changes
while edition 1 stays as it was. Asserts no timings (benchmarks/bench_publish.py measures)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import PROJECT

sys.path.insert(0, str(PROJECT / "deploy"))

import static as deploy_static

from crisisboard.data.backends import CsvStore
from crisisboard.data.crisis import crisis_slug
from crisisboard.data.users import Actor
from crisisboard.publish.edition import publish

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not deploy_static.NGINX.exists(),
                                reason=f"{deploy_static.NGINX} is missing: Debian's nginx is not installed (make nginx)")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="Debian's chromium is not installed (make test installs it)")
DATA = PROJECT / "data"
SLUG = crisis_slug(DATA)
LOCAL = {"127.0.0.1"}
ANALYST = Actor("analyst@example.org", "analyst")
REVIEWER = Actor("reviewer@example.org", "reviewer")
ATOM = "{http://www.w3.org/2005/Atom}"


class Served:
    """A published folder and the nginx serving it."""

    def __init__(self, data_dir: Path, public: Path, server: deploy_static.StaticServer) -> None:
        self.data_dir, self.public, self.server = data_dir, public, server

    def url(self, path: str) -> str:
        return f"{self.server.url}/{SLUG}/{path}"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    base = tmp_path_factory.mktemp("served")
    data_dir = base / "data"
    shutil.copytree(DATA, data_dir, ignore=shutil.ignore_patterns("backups", "*.lock"))
    public = base / "public"
    # the charts' PNG and SVG are drawn by Kaleido with Debian's Chromium: without it, the edition has none
    assert publish(data_dir, public, slug=SLUG, images=CHROMIUM.exists()).edition == 1
    with deploy_static.StaticServer(public) as server:
        yield Served(data_dir, public, server)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """(status, headers with lower-case names, body as sent) of one GET; an HTTP error is an answer too."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _manifest_matches_served(served: Served, edition: str) -> dict:
    """Every file the manifest of `edition` (v1, latest/...) lists, fetched through nginx: its SHA-256 and size."""
    status, _, body = fetch(served.url(f"{edition}/manifest.json"))
    assert status == 200, edition
    manifest = json.loads(body)
    assert manifest["files"], "the manifest lists no file"
    for entry in manifest["files"]:
        status, headers, content = fetch(served.url(f"{edition}/{entry['path']}"))
        assert status == 200, entry["path"]
        assert "content-encoding" not in headers, entry["path"]  # no gzip unless asked: these are the bytes
        assert len(content) == entry["size"], entry["path"]
        assert hashlib.sha256(content).hexdigest() == entry["sha256"], entry["path"]
    return manifest


def test_the_manifests_hashes_and_sizes_match_the_files_as_served(served: Served) -> None:
    manifest = _manifest_matches_served(served, "v1")
    paths = {entry["path"] for entry in manifest["files"]}
    claims = _csv(DATA / "claims.csv")
    assert {f"claims/{c['claim_id']}.html" for c in claims} <= paths  # every approved claim has its page
    assert _manifest_matches_served(served, "latest")["edition"] == 1


def test_cache_headers_are_long_for_an_edition_and_short_for_latest_and_the_feed(served: Served) -> None:
    for path in ("v1/index.html", "v1/manifest.json", "v1/data/claims.csv", "v1/claims.parquet"):
        status, headers, _ = fetch(served.url(path))
        assert status == 200 and headers.get("cache-control") == deploy_static.LONG_CACHE, (path, headers)
    for path in ("latest/index.html", "latest/manifest.json", "feed.atom"):
        status, headers, _ = fetch(served.url(path))
        assert status == 200 and headers.get("cache-control") == deploy_static.SHORT_CACHE, (path, headers)
    status, headers, _ = fetch(served.url("v99/index.html"))  # an edition not yet published: never cached
    assert status == 404 and "cache-control" not in headers
    status, headers, _ = fetch(served.url("latest/index.html"), {"If-None-Match": fetch(
        served.url("latest/index.html"))[1]["etag"]})
    assert status == 304  # latest/ is revalidated cheaply


@pytest.mark.parametrize(("path", "content_type"), [
    ("v1/index.html", "text/html; charset=utf-8"), ("v1/manifest.json", "application/json; charset=utf-8"),
    ("v1/data/claims.csv", "text/csv; charset=utf-8"), ("v1/claims.parquet", "application/vnd.apache.parquet"),
    ("feed.atom", "application/atom+xml; charset=utf-8"), ("v1/README.md", "text/markdown; charset=utf-8"),
    ("v1/charts.json", "application/json; charset=utf-8"), ("v1/charts/overview.csv", "text/csv; charset=utf-8"),
    ("v1/assets/plotly.min.js", "text/javascript; charset=utf-8")])
def test_each_file_is_served_with_its_type_and_the_security_headers(served: Served, path: str,
                                                                    content_type: str) -> None:
    status, headers, _ = fetch(served.url(path))
    assert status == 200 and headers["content-type"] == content_type
    assert headers["x-content-type-options"] == "nosniff"
    policy = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'none'"


def test_text_is_gzipped_and_no_folder_is_listed(served: Served) -> None:
    status, headers, body = fetch(served.url("v1/data/claims.csv"), {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert gzip.decompress(body) == (served.public / SLUG / "v1" / "data" / "claims.csv").read_bytes()
    for folder in ("", f"{SLUG}/", f"{SLUG}/v1/claims/", f"{SLUG}/v1/data/"):
        status, _, body = fetch(f"{served.server.url}/{folder}")
        assert status in (403, 404) and b"claims.csv" not in body and b"Index of" not in body, folder
    hidden = served.public / SLUG / ".v2-staging"  # an edition being written is never served
    hidden.mkdir()
    (hidden / "index.html").write_text("half an edition " * 100, encoding="utf-8")
    assert fetch(served.url(".v2-staging/index.html"))[0] == 404


def test_precompressed_files_are_sent_as_they_are(served: Served) -> None:
    staging = served.public / SLUG / ".v3-staging"
    staging.mkdir()
    (staging / "index.html").write_text("an edition being written " * 1000, encoding="utf-8")
    assert deploy_static.precompress(served.public) > 0
    claims_csv = served.public / SLUG / "v1" / "data" / "claims.csv"
    status, headers, body = fetch(served.url("v1/data/claims.csv"), {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert body == claims_csv.with_name("claims.csv.gz").read_bytes()  # gzip_static: the file, not a new gzip
    assert gzip.decompress(body) == claims_csv.read_bytes()
    assert fetch(served.url("v1/data/claims.csv"))[2] == claims_csv.read_bytes()  # without gzip: the file
    assert not (staging / "index.html.gz").exists()  # a publish in progress is left alone
    assert not (served.public / SLUG / "v1" / "claims.parquet.gz").exists()  # compressed already
    small = served.public / SLUG / "v1" / "claims" / "c001-01.html"  # small: nginx compresses it on the fly
    assert small.stat().st_size < deploy_static.PRECOMPRESS_MIN_BYTES and not small.with_name("c001-01.html.gz").exists()
    status, headers, body = fetch(served.url("v1/claims/c001-01.html"), {"Accept-Encoding": "gzip"})
    assert headers.get("content-encoding") == "gzip" and gzip.decompress(body) == small.read_bytes()
    assert deploy_static.precompress(served.public) == 0  # each file once


def record_requests(page) -> tuple[list[str], list[str]]:  # noqa: ANN001
    """Every request the page makes (all of them) and the console's CSP violations and page errors. A request to
    any host but 127.0.0.1 is answered locally with a stand-in page, so nothing leaves the machine."""
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    def answer(route) -> None:  # noqa: ANN001
        if urlsplit(route.request.url).hostname in LOCAL:
            route.continue_()
        else:
            route.fulfill(status=200, content_type="text/html", body="<p>stand-in for an outside page</p>")

    page.route("**/*", answer)
    return requests, problems


def _outside(requests: list[str]) -> list[str]:
    return [url for url in requests if urlsplit(url).hostname not in LOCAL and not url.startswith("data:")]


@pytest.mark.parametrize("path", ["v1/index.html", "latest/index.html", "v1/changes.html",
                                  "v1/claims/c001-01.html", "v1/sources/001_amnestyuk_govt_must_protect_population.html"])
@pytest.mark.browser
@needs_chromium
def test_pages_load_from_nginx_with_no_request_leaving_127_0_0_1(served: Served, page, path: str) -> None:  # noqa: ANN001
    requests, problems = record_requests(page)
    response = page.goto(served.url(path), wait_until="load")
    assert response is not None and response.status == 200
    page.locator("h1").first.wait_for(timeout=30_000)
    assert requests and _outside(requests) == [] and problems == []


@pytest.mark.browser
@needs_chromium
def test_every_chart_page_and_embed_draws_with_no_request_leaving_127_0_0_1(served: Served, page) -> None:  # noqa: ANN001
    status, _, body = fetch(served.url("v1/charts.json"))
    charts = json.loads(body)
    assert status == 200 and {c["name"].split("-")[0] for c in charts} >= {"overview", "timeline", "who", "map"}
    requests, problems = record_requests(page)
    for chart in charts:
        for kind in ("page", "embed"):
            page.goto(served.url(f"v1/{chart[kind]}"), wait_until="load")
            drawn = page.locator("#chart .main-svg").first
            try:
                drawn.wait_for(state="attached", timeout=60_000)
            except Exception as error:  # noqa: BLE001 - say which chart did not draw
                raise AssertionError(f"{chart[kind]} drew no chart: {error}") from None
            assert problems == [], (chart[kind], problems)  # no CSP violation, no script error
            # no mode-bar button that posts the chart to Plotly's cloud (plotly.js shows one by default)
            assert page.evaluate("document.getElementById('chart')._context.showSendToCloud") is False, chart[kind]
            assert page.locator("#chart .modebar-btn[data-title*='Chart Studio' i]").count() == 0, chart[kind]
    assert _outside(requests) == []
    assert served.url("v1/assets/plotly.min.js") in requests  # the edition's own Plotly, not a CDN's


@pytest.mark.parametrize("ending", [".png", ".svg"])
def test_each_charts_images_are_served_with_their_type(served: Served, ending: str) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed: the edition was published without images")
    charts = json.loads(fetch(served.url("v1/charts.json"))[2])
    for chart in charts:
        status, headers, body = fetch(served.url(f"v1/{chart[ending[1:]]}"))
        assert status == 200 and len(body) > 1000, chart[ending[1:]]
        assert headers["content-type"].split(";")[0] == {".png": "image/png", ".svg": "image/svg+xml"}[ending]


def _link_cases() -> list[tuple[str, str]]:
    """(claim page, source id) for the first claim, and for a claim whose source URL has a query string (its `&`
    escaped in the page's HTML, unescaped by the browser)."""
    sources = {s["source_id"]: s for s in _csv(DATA / "sources.csv")}
    claims = _csv(DATA / "claims.csv")
    with_query = next(c for c in claims if "&" in sources[c["source_id"]]["url"])
    return [(claims[0]["claim_id"], claims[0]["source_id"]), (with_query["claim_id"], with_query["source_id"])]


@pytest.mark.parametrize(("claim_id", "source_id"), _link_cases())
@pytest.mark.parametrize("on", ["claim", "source"])
@pytest.mark.browser
@needs_chromium
def test_a_link_back_opens_the_sources_url(served: Served, page, claim_id: str, source_id: str,  # noqa: ANN001
                                           on: str) -> None:
    source = next(s for s in _csv(DATA / "sources.csv") if s["source_id"] == source_id)
    requests, _ = record_requests(page)
    path = f"v1/claims/{claim_id}.html" if on == "claim" else f"v1/sources/{source_id}.html"
    page.goto(served.url(path), wait_until="load")
    name = (source["title"] or source["url"]) if on == "claim" else source["url"]
    link = page.get_by_role("link", name=name, exact=True).first
    with page.expect_navigation():
        link.click()
    assert page.url == source["url"]
    assert _outside(requests) == [source["url"]]  # the one request that left: the click, answered by the stand-in


def _feed_entries(served: Served) -> list[str]:
    status, headers, body = fetch(served.url("feed.atom"))
    assert status == 200 and headers["content-type"].startswith("application/atom+xml")
    return [entry.findtext(f"{ATOM}id") for entry in ET.fromstring(body).findall(f"{ATOM}entry")]


def test_an_approval_then_a_publish_make_edition_2_with_that_claim_and_edition_1_stays(
        tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(DATA, data_dir, ignore=shutil.ignore_patterns("backups", "*.lock"))
    public = tmp_path / "public"
    publish(data_dir, public, slug=SLUG, images=False)
    claim_id = _csv(data_dir / "claims.csv")[0]["claim_id"]
    store = CsvStore(data_dir)
    proposed = store.propose_edit(claim_id, {"notes": "Checked against the print edition."}, ANALYST,
                                  "the print edition confirms the figure", store.claim_version(claim_id))
    with deploy_static.StaticServer(public) as server:
        served = Served(data_dir, public, server)
        v1 = {e["path"]: e["sha256"] for e in _manifest_matches_served(served, "v1")["files"]}
        assert not publish(data_dir, public, slug=SLUG, images=False).new  # a proposal is a draft: nothing to publish
        store.approve(proposed.proposal.proposal_id, REVIEWER, "checked against the text")
        second = publish(data_dir, public, slug=SLUG, images=False)
        assert second.new and second.edition == 2
        status, _, body = fetch(served.url("v2/changes.json"))
        changes = json.loads(body)
        assert status == 200 and changes["previous_edition"] == 1
        assert changes["edited"] == [{"claim_id": claim_id, "fields": ["notes"]}]
        assert changes["added"] == [] and changes["retracted"] == []
        assert claim_id in fetch(served.url("v2/changes.html"))[2].decode()
        assert b"Checked against the print edition." in fetch(served.url(f"v2/claims/{claim_id}.html"))[2]
        assert b"Checked against the print edition." not in fetch(served.url(f"v1/claims/{claim_id}.html"))[2]
        assert {e["path"]: e["sha256"] for e in _manifest_matches_served(served, "v1")["files"]} == v1
        assert _manifest_matches_served(served, "latest")["edition"] == 2
        assert _manifest_matches_served(served, "v2")["previous_edition"] == 1
        assert _feed_entries(served) == [f"urn:crisisboard:{SLUG}:v2", f"urn:crisisboard:{SLUG}:v1"]


def test_the_site_file_for_a_system_nginx_is_valid_and_keeps_the_rules(tmp_path: Path) -> None:
    site = deploy_static.render_site(tmp_path / "www", 8080)
    assert "listen 8080;" in site and f"root {(tmp_path / 'www').resolve()};" in site
    assert "_temp_path" not in site and "@@" not in site and "open_file_cache" not in site
    assert deploy_static.LONG_CACHE in site and deploy_static.SHORT_CACHE in site and "autoindex off;" in site
    (tmp_path / "site.conf").write_text(site.replace("/var/log/nginx/", f"{tmp_path}/"), encoding="utf-8")
    temp = "".join(f"{kind}_temp_path {tmp_path};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n{temp}"
                                         f"include {tmp_path}/site.conf;\n}}\n", encoding="utf-8")
    checked = subprocess.run([str(deploy_static.NGINX), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                              "-e", str(tmp_path / "error.log")], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
