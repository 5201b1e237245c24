"""Text in the charts is readable (issue #21, WCAG 2.2 SC 1.4.3): every text a figure draws (point labels,
annotations, legend, axes) and every reliability tier's colour has a contrast of at least 4.5:1 against every
background it can lie on (the paper, the plot area, the map's country fills and the grey strips), in normal and
briefing mode, on the shipped data. The contrast formula is WCAG's, written here apart from the app."""

from __future__ import annotations

import re

import pytest
from conftest import PROJECT

from crisisboard.charts.style import scale_for_briefing
from crisisboard.charts.views import build_view, pack_specs
from crisisboard.data.filters import Filters
from crisisboard.data.load import load_dataset
from crisisboard.data.tiers import TIER_COLOURS

AA_TEXT = 4.5
NAMED = {"white": (255, 255, 255), "black": (0, 0, 0)}


def rgba(colour: str) -> tuple[float, float, float, float]:
    colour = colour.strip().lower()
    if colour in NAMED:
        return (*NAMED[colour], 1.0)
    if re.fullmatch(r"#[0-9a-f]{6}", colour):
        return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16), 1.0)
    if re.fullmatch(r"#[0-9a-f]{3}", colour):
        return (*(int(c * 2, 16) for c in colour[1:]), 1.0)
    found = re.fullmatch(r"rgba?\(([^)]*)\)", colour)
    if found:
        parts = [float(p) for p in found.group(1).split(",")]
        return (parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else 1.0)
    raise AssertionError(f"colour {colour!r}: this test reads #rrggbb, #rgb, rgb(), rgba(), white and black")


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio, the foreground blended onto the (opaque) background by its alpha."""
    *fg, alpha = rgba(foreground)
    bg = rgba(background)[:3]
    blended = tuple(alpha * f + (1 - alpha) * b for f, b in zip(fg, bg))
    light, dark = sorted((luminance(blended), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_formula_against_known_pairs() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-too-light grey
    assert contrast("#E69F00", "#ffffff") == pytest.approx(2.25, abs=0.01)  # Okabe–Ito's orange


def _layout_value(fig, path: tuple[str, ...], default: str) -> str:  # noqa: ANN001
    for root in (fig.layout, fig.layout.template.layout):
        node = root
        for name in path:
            node = getattr(node, name, None)
            if node is None:
                break
        if isinstance(node, str):
            return node
    return default


def backgrounds(fig) -> set[str]:  # noqa: ANN001
    """Every opaque colour text or a mark can lie on: the paper, the plot area, filled areas and shapes."""
    out = {_layout_value(fig, ("paper_bgcolor",), "#ffffff"), _layout_value(fig, ("plot_bgcolor",), "#ffffff")}
    out |= {t.fillcolor for t in fig.data if getattr(t, "fill", None) == "toself" and isinstance(t.fillcolor, str)}
    out |= {s.fillcolor for s in fig.layout.shapes
            if isinstance(s.fillcolor, str) and (s.opacity is None or s.opacity == 1)}
    return {b for b in out if rgba(b)[3] == 1.0}


def texts(fig) -> list[tuple[str, str]]:  # noqa: ANN001
    """(what, colour) of every text the figure draws."""
    default = _layout_value(fig, ("font", "color"), "#444444")
    out: list[tuple[str, str]] = []
    for trace in fig.data:
        mode = getattr(trace, "mode", None) or ""
        if "text" in mode and getattr(trace, "text", None) is not None:
            colours = getattr(trace.textfont, "color", None) or default
            for colour in ([colours] if isinstance(colours, str) else list(colours)):
                out.append((f"labels of trace {trace.name!r}", colour))
    for annotation in fig.layout.annotations:
        if annotation.text and annotation.visible is not False:
            out.append((f"annotation {annotation.text[:40]!r}", annotation.font.color or default))
    out.append(("legend", _layout_value(fig, ("legend", "font", "color"), default)))
    out.append(("title", _layout_value(fig, ("title", "font", "color"), default)))
    for axis in [k for k in fig.layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))]:
        out.append((f"{axis} ticks", fig.layout[axis].tickfont.color or default))
    return out


@pytest.fixture(scope="module")
def figures():  # noqa: ANN201
    dataset = load_dataset(PROJECT / "data", cache=False)
    out = []
    for spec in pack_specs(dataset.claims, dataset):
        fig = build_view(dataset, Filters(), spec).figure
        out += [(f"{spec!r} normal", fig), (f"{spec!r} briefing", scale_for_briefing(fig))]
    return out


def test_every_chart_text_has_4_5_to_1_on_every_background(figures) -> None:  # noqa: ANN001
    failures = []
    for name, fig in figures:
        grounds = backgrounds(fig)
        for what, colour in texts(fig):
            if rgba(colour)[3] == 0:
                continue  # not drawn
            failures += [f"{name}: {what} {colour} on {ground}: {contrast(colour, ground):.2f}:1"
                         for ground in grounds if contrast(colour, ground) < AA_TEXT]
    assert not failures, "\n".join(failures[:40])


def test_every_tier_colour_has_4_5_to_1_on_every_chart_background(figures) -> None:  # noqa: ANN001
    grounds = set().union(*(backgrounds(fig) for _, fig in figures))
    assert {"#ffffff", "#dfe6ea"} <= {g.lower() for g in grounds}  # the paper and the map's sea are among them
    failures = [f"{tier} {colour} on {ground}: {contrast(colour, ground):.2f}:1"
                for tier, colour in TIER_COLOURS.items() for ground in grounds if contrast(colour, ground) < AA_TEXT]
    assert not failures, "\n".join(failures)
