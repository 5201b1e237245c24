"""Exports: provenance printed on the image, real PNG/SVG/PDF from Debian's Chromium, packs, the CLI."""

from __future__ import annotations

import html
import io
import os
import shutil
import struct
import subprocess
import sys
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
from conftest import PROJECT, VALID

from crisisboard.charts.views import ViewSpec, build_view, pack_specs, spec_of, view_url
from crisisboard.claims.attribution import CAVEAT
from crisisboard.data.filters import Filters, describe_filters
from crisisboard.data.load import load_dataset
from crisisboard.export import images, render
from crisisboard.export.images import ExportContext, export_view, prepare_figure
from crisisboard.export.pack import build_pack
from crisisboard.export.presets import PRESETS
from crisisboard.export.render import ExportUnavailable

needs_chromium = pytest.mark.skipif(render.find_chromium() is None,
                                    reason="Debian's chromium is not installed (make test installs it)")
FILTERS = Filters(tiers=("high", "medium", "low", "unjudged"))


@pytest.fixture(scope="module")
def dataset():  # noqa: ANN201
    return load_dataset(VALID)


def context_for(spec: ViewSpec) -> ExportContext:
    return ExportContext(describe_filters(FILTERS), "abc123def456", view_url("http://127.0.0.1:8501", FILTERS, spec),
                         date(2026, 11, 26))


def _texts(fig) -> str:  # noqa: ANN001
    return " ".join(a.text or "" for a in fig.layout.annotations) + " " + (fig.layout.title.text or "")


@pytest.mark.parametrize("spec", [spec_of("timeline", metric="killed"), spec_of("overview"),
                                  spec_of("who-says-what", metric="killed"), spec_of("map", area="osh")],
                         ids=lambda s: s.name)
@pytest.mark.parametrize("preset", list(PRESETS))
def test_export_carries_its_provenance(dataset, spec: ViewSpec, preset: str) -> None:  # noqa: ANN001
    view = build_view(dataset, FILTERS, spec)
    fig = prepare_figure(view, context_for(spec), preset)
    text = _texts(fig)
    assert view.title in text and CAVEAT in text and "all reliability tiers" not in text
    assert "tiers: high, medium, low, unjudged" in text
    assert "Sources: Fixture" in text and "Generated 26 Nov 2026" in text and "dataset abc123def456" in text
    url = html.escape(context_for(spec).url)  # Plotly text is HTML: & is written &amp; and shown as &
    assert "Reproduce this view: " + url[:40] in text and url in text.replace("<br>", "")
    assert ("OpenStreetMap contributors" in text) == (spec.name == "map")
    assert not fig.frames and not fig.layout.sliders and not fig.layout.updatemenus
    assert (fig.layout.width, fig.layout.height) == (PRESETS[preset].width, PRESETS[preset].height)
    sizes = [a.font.size for a in fig.layout.annotations if a.font and a.font.size]
    sizes += [t.textfont.size for t in fig.data if getattr(t, "textfont", None) and t.textfont.size]
    assert min(sizes) >= PRESETS[preset].small
    assert fig.layout.font.size >= PRESETS[preset].font


def test_screen_figure_is_left_untouched(dataset) -> None:  # noqa: ANN001
    view = build_view(dataset, FILTERS, spec_of("map", area="osh"))
    before = view.figure.to_json()
    prepare_figure(view, context_for(view.spec), "slide")
    assert view.figure.to_json() == before


def test_long_source_lists_say_how_many_more(dataset) -> None:  # noqa: ANN001
    view = build_view(dataset, FILTERS, spec_of("overview"))
    lines = images.footer_lines(view, context_for(view.spec), PRESETS["slide"], limit=1)
    assert "+1 more (full list in the briefing pack's sources.csv)" in " ".join(lines)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@needs_chromium
def test_real_png_svg_pdf(dataset) -> None:  # noqa: ANN001
    spec = spec_of("timeline", metric="killed")
    view = build_view(dataset, FILTERS, spec)
    assert _png_size(export_view(view, context_for(spec), "png", "slide")) == (1920, 1080)
    assert _png_size(export_view(view, context_for(spec), "png", "square")) == (1080, 1080)
    a4 = _png_size(export_view(view, context_for(spec), "png", "a4"))
    assert a4[0] > 2700 and abs(a4[0] / a4[1] - 297 / 210) < 0.01
    svg = export_view(view, context_for(spec), "svg", "slide").decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "not verified counts" in svg and "abc123def456" in svg
    assert export_view(view, context_for(spec), "pdf", "a4")[:5] == b"%PDF-"


@needs_chromium
@pytest.mark.parametrize("preset", list(PRESETS))
def test_map_legend_never_covers_the_printed_sources(dataset, preset: str) -> None:  # noqa: ANN001
    """The legend under an exported map (8 entries, one per row on a square) ends above the footer that
    lists the sources, read from the SVG Chromium drew: legend box bottom <= top of the footer text."""
    import re

    spec = spec_of("map", area="osh")
    svg = export_view(build_view(dataset, FILTERS, spec), context_for(spec), "svg", preset).decode("utf-8")
    legend = re.search(r'<g class="legend"[^>]*transform="translate\(([\d.]+),([\d.]+)\)">'
                       r'<rect class="bg"[^>]*height="([\d.]+)"', svg)
    assert legend, "no legend drawn"
    legend_bottom = float(legend.group(2)) + float(legend.group(3))
    footer_at = svg.index("Sources: ")
    footer = re.findall(r'class="cursor-pointer" transform="translate\(([\d.]+),([\d.]+)\)"', svg[:footer_at])[-1]
    assert legend_bottom <= float(footer[1]), (legend_bottom, footer)


@needs_chromium
@pytest.mark.parametrize("preset", list(PRESETS))
def test_an_exported_timelines_legend_shows_every_entry(preset: str) -> None:
    """Plotly clips a legend taller than its room (a still image has no scroll bar): the Timeline's 20-odd
    entries beside a slide's plot, above a long footer, lost their last ones. Read from the SVG Chromium drew: the
    last entry lies inside the legend's box."""
    import re

    spec = spec_of("timeline", metric="killed")  # every claim, as a published edition draws it: 24 entries
    context = ExportContext(describe_filters(Filters()), "abc123def456",
                            "https://data.example.org/crisisboard/kyrgyzstan-2010/v1/charts/timeline-killed.html",
                            date(2026, 11, 26))
    dataset = load_dataset(PROJECT / "data")  # the 2010 data: its Timeline has the most legend entries
    svg = export_view(build_view(dataset, Filters(), spec), context, "svg", preset).decode("utf-8")
    block = svg[svg.index('<g class="legend"'):]
    box = re.search(r'<g class="legend"[^>]*><rect class="bg"[^>]*height="([\d.]+)"', block)
    entry = r'<g class="(?:traces|groups)"[^>]*transform="translate\([\d.]+,\s*([\d.]+)\)"'
    rows = [float(y) for y in re.findall(entry, block)]
    assert box and len(rows) > 10, "no legend drawn"
    assert max(rows) + 8 <= float(box.group(1)), (preset, max(rows), box.group(1))


@needs_chromium
def test_concurrent_exports_never_swap_images(dataset) -> None:  # noqa: ANN001
    specs = [spec_of("timeline", metric="killed"), spec_of("who-says-what", metric="killed"), spec_of("overview")]
    views = [build_view(dataset, FILTERS, spec) for spec in specs]
    results: dict[int, str] = {}

    def work(i: int) -> None:
        for _ in range(2):
            results[i] = export_view(views[i], context_for(specs[i]), "svg", "square").decode("utf-8")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(views))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for i, view in enumerate(views):
        assert view.title.split(":")[0] in results[i], (i, view.title)
    assert "who says what" in results[1] and "who says what" not in results[0] and "who says what" not in results[2]


@needs_chromium
def test_briefing_pack_holds_every_chart_the_claims_the_sources_and_how_to_cite(dataset) -> None:  # noqa: ANN001
    specs = pack_specs(dataset.claims, dataset)
    # overview, timeline, who-says-what, a killed map per area (3), where the displaced and refugees fled
    assert [(spec.name, getattr(spec, "metric", None)) for spec in specs][3:] == \
        [("map", "killed")] * 3 + [("map", "displaced_total"), ("map", "refugees_crossed")]
    views = [build_view(dataset, FILTERS, spec) for spec in specs]
    steps: list[float] = []
    data = build_pack(views, [context_for(spec) for spec in specs], progress=lambda done, text: steps.append(done))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len([n for n in names if n.endswith(".png")]) == 8 and len([n for n in names if n.endswith(".svg")]) == 8
    assert {"claims.csv", "claims-hxl.csv", "sources.csv", "README.md"} <= set(names)
    pack = zipfile.ZipFile(io.BytesIO(data))
    readme = pack.read("README.md").decode("utf-8")
    assert "## How to cite" in readme and "abc123def456" in readme and CAVEAT in readme
    claims_csv = pack.read("claims.csv").decode("utf-8-sig")
    assert all(f"fx-0{i}" in claims_csv for i in range(1, 7))
    assert "https://example.org/release-1" in pack.read("sources.csv").decode("utf-8-sig")
    assert steps[0] == 0 and steps[-1] == 1.0 and steps == sorted(steps)


def test_export_says_what_to_install_without_chromium(dataset, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(render, "find_chromium", lambda: None)
    view = build_view(dataset, FILTERS, spec_of("overview"))
    with pytest.raises(ExportUnavailable, match="apt-get install chromium"):
        export_view(view, context_for(view.spec), "png", "slide")


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crisisboard", *args], capture_output=True, text=True,
                          cwd=PROJECT, timeout=300, env=env)


@needs_chromium
def test_cli_export_writes_the_image(tmp_path: Path) -> None:
    out = tmp_path / "out.png"
    result = run_cli("export", "--data-dir", str(VALID), "--view", "timeline", "--metric", "killed",
                     "--from", "2010-06-10", "--to", "2010-06-30", "--tiers", "high,medium", "--format", "png",
                     "--preset", "slide", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert _png_size(out.read_bytes()) == (1920, 1080)
    pack = tmp_path / "pack.zip"
    result = run_cli("export", "--data-dir", str(VALID), "--pack", "-o", str(pack))
    assert result.returncode == 0, result.stderr
    assert "README.md" in zipfile.ZipFile(pack).namelist()


def test_cli_export_fails_clearly(tmp_path: Path) -> None:
    result = run_cli("export", "--data-dir", str(VALID), "--view", "timeline", "--metric", "detained",
                     "-o", str(tmp_path / "x.png"))
    assert result.returncode == 2 and "no claims of metric 'detained'" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x.png").exists()
    import os

    env = dict(os.environ, BROWSER_PATH="/nonexistent", PATH="/nonexistent")
    code = ("import crisisboard.export.render as e; e.CHROMIUM_CANDIDATES = (); "
            "import sys; from crisisboard.cli import main; sys.exit(main(sys.argv[1:]))")
    result = subprocess.run([sys.executable, "-c", code, "export", "--data-dir", str(VALID), "--view", "overview",
                             "-o", str(tmp_path / "y.png")], capture_output=True, text=True, cwd=PROJECT, env=env,
                            timeout=120)
    assert result.returncode == 3 and "apt-get install chromium" in result.stderr


@needs_chromium
@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                    reason="needs root and unshare(1) to cut the network off")
def test_export_works_with_no_network_at_all(tmp_path: Path) -> None:
    out = tmp_path / "offline.svg"
    result = subprocess.run(["unshare", "-n", sys.executable, "-m", "crisisboard", "export", "--data-dir", str(VALID),
                             "--view", "map", "--map-view", "osh", "--format", "svg", "--preset", "square",
                             "-o", str(out)], capture_output=True, text=True, cwd=PROJECT, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "OpenStreetMap contributors" in out.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig is not installed")
def test_the_fonts_of_the_template_are_installed() -> None:
    """make installs Debian's Noto fonts; without them an Arabic or Urdu quote would print as empty boxes in an
    export. fontconfig must find each named family of the template as itself, not as a substitute."""
    from crisisboard.charts.style import FONT_FAMILY

    wanted = [family.strip() for family in FONT_FAMILY.split(",") if family.strip().startswith("Noto")]
    found = {family: subprocess.run(["fc-match", "-f", "%{family}", family], capture_output=True, text=True,
                                    check=False).stdout for family in wanted}
    assert wanted and all(family in found[family] for family in wanted), found
