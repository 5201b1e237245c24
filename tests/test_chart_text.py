"""No markup shows as text in any chart (issue #16): every hover, label, name, annotation and tick of every
figure the app draws from the shipped data, on screen and in the slide export, is scanned for tags that were
escaped (so a reader would see "<br>" or "&lt;b&gt;") or escaped twice."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import PROJECT, figure_texts

from crisisboard.charts.views import build_view, spec_of, view_url
from crisisboard.data import schema
from crisisboard.data.filters import Filters, describe_filters
from crisisboard.data.geo import load_geodata
from crisisboard.data.load import load_dataset
from crisisboard.export.images import ExportContext, prepare_figure

# a tag Plotly would draw, escaped: the reader sees it; or an entity escaped twice: the reader sees "&lt;"
ESCAPED_TAG = re.compile(r"&lt;/?(?:br|b|i|em|sup|sub|span|a|strong)\b|&amp;(?:lt|gt|amp|quot|#\d+);", re.I)


@pytest.fixture(scope="module")
def shipped():  # noqa: ANN201
    dataset = load_dataset(PROJECT / "data")
    return dataset, load_geodata(dataset.crisis.geo_dir)


def _specs(dataset) -> list:  # noqa: ANN001
    present = [m for m in schema.METRICS if m in set(dataset.claims["metric"])]
    return ([spec_of("overview")] + [spec_of("timeline", metric=m) for m in present]
            + [spec_of("timeline", metric="killed", x_mode="published")]
            + [spec_of("who-says-what", metric=m) for m in present]
            + [spec_of("map", area=area.key) for area in dataset.crisis.map_areas])


def _problems(fig) -> list[str]:  # noqa: ANN001
    return [text for text in figure_texts(fig) if ESCAPED_TAG.search(text)]


def test_the_scan_catches_an_escaped_line_break() -> None:
    assert ESCAPED_TAG.search("“a quote&lt;br&gt;wrapped”") and ESCAPED_TAG.search("&amp;lt;b&amp;gt;")
    assert not ESCAPED_TAG.search("Research &amp; Policy, <br>a &lt;script&gt; in the data shown as text")


def test_no_chart_on_screen_shows_markup_as_text(shipped) -> None:  # noqa: ANN001
    dataset, geo = shipped
    found = {}
    for spec in _specs(dataset):
        problems = _problems(build_view(dataset, Filters(), spec, geo).figure)
        if problems:
            found[repr(spec)] = problems[:3]
    assert found == {}


def test_no_slide_export_shows_markup_as_text(shipped) -> None:  # noqa: ANN001
    dataset, geo = shipped
    for spec in [spec_of("overview"), spec_of("timeline", metric="injured"), spec_of("who-says-what"),
                 spec_of("map")]:
        view = build_view(dataset, Filters(), spec, geo)
        context = ExportContext(describe_filters(Filters()), dataset.version,
                                view_url("http://localhost:8501", Filters(), spec), date(2026, 12, 2))
        assert _problems(prepare_figure(view, context, "slide")) == [], spec


def _font_sizes(fig) -> list[tuple[str, float]]:  # noqa: ANN001
    layout, sizes = fig.layout, []
    sizes.append(("layout", layout.font.size))
    sizes += [(f"annotation {a.text[:30]!r}", a.font.size) for a in layout.annotations if a.font and a.font.size]
    for name in [k for k in layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
        axis = layout[name]
        sizes += [(f"{name} ticks", axis.tickfont.size)] if axis.showticklabels is not False else []
        sizes += [(f"{name} title", axis.title.font.size)] if axis.title.text and axis.title.font.size else []
    sizes += [(f"legend {part}", font.size) for part, font in (("entries", layout.legend.font),
                                                              ("group titles", layout.legend.grouptitlefont))
              if font.size]
    sizes += [(f"trace {t.name} text", t.textfont.size) for t in fig.data
              if getattr(t, "textfont", None) is not None and t.textfont.size and t.text is not None]
    return [(where, size) for where, size in sizes if size is not None]


@pytest.mark.parametrize("name", ["timeline", "overview"])
def test_slide_exports_print_no_text_under_14_px(shipped, name: str) -> None:  # noqa: ANN001
    """A 1920-wide slide is read from the back of a room: every text of the timeline and overview slides is at
    least 14 px (the later panel's months, the official series' labels, the legend's group titles too)."""
    dataset, geo = shipped
    view = build_view(dataset, Filters(), spec_of(name), geo)
    context = ExportContext(describe_filters(Filters()), dataset.version, "http://localhost:8501/", date(2026, 12, 2))
    small = [(where, size) for where, size in _font_sizes(prepare_figure(view, context, "slide")) if size < 14]
    assert small == []
