"""Checks of a map's layout from the boxes of its labels and markers (tests/map_boxes.js in a browser, or read
from an exported SVG): labels overlapping, labels cut by the map's edge, markers more than half hidden."""

from __future__ import annotations

MAX_HIDDEN_SHARE = 0.10  # markers more than half hidden, as a share of all markers drawn


def _overlap(a: dict, b: dict) -> float:
    width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    height = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
    return max(width, 0) * max(height, 0)


def _area(a: dict) -> float:
    return max(a["x1"] - a["x0"], 0) * max(a["y1"] - a["y0"], 0)


def problems(found: dict, slack: float = 1.0) -> dict:
    """Overlapping label pairs, labels cut by the plot's edge, and the share of markers more than half hidden
    under a marker drawn after them (`slack` px of overlap between labels is tolerated: anti-aliasing)."""
    plot, labels, markers = found["plot"], found["labels"], found["markers"]
    pairs = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:]
             if _overlap(a, b) > slack * slack and min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > slack
             and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > slack]
    cut = [a["text"] for a in labels if a["x0"] < plot["x0"] - slack or a["x1"] > plot["x1"] + slack
           or a["y0"] < plot["y0"] - slack or a["y1"] > plot["y1"] + slack]
    hidden = 0
    for i, marker in enumerate(markers):
        above = [other for other in markers[i + 1:]]
        covered = max((_overlap(marker, other) for other in above), default=0)
        if _area(marker) and covered / _area(marker) > 0.5:
            hidden += 1
    share = hidden / len(markers) if markers else 0.0
    return {"overlapping_labels": pairs, "cut_labels": cut, "hidden_markers": hidden, "markers": len(markers),
            "hidden_share": round(share, 3)}
