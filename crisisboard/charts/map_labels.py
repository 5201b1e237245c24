"""Labels on the map placed without collisions: each label tries the positions around its anchor in turn and
takes the first that overlaps no label placed before it, no marker and not the map's edge; a label that fits
nowhere is left out (a town's name), never drawn over another. Placed in the pixels of the smallest map a
view is drawn at (crisisboard.charts.map_markers.px_per_degree), with text boxes estimated generously, so
that the same positions hold on a larger map, at projector size and in every export preset."""

from __future__ import annotations

import math
from dataclasses import dataclass

from crisisboard.charts.map_markers import px_per_degree
from crisisboard.data.crisis import MapArea

TEXT_SCALE = 1.4  # text can be drawn up to this much larger, against the map, than here (briefing, square export)
CHAR_WIDTH = 0.55  # of the font size: Noto Sans averages about 0.48 on these labels (measured in Chromium)
CAPITAL_WIDTH = 0.72  # a capital letter's (a country's name is set in capitals)
EDGE_PX = 4
AIR_PX = 1.5  # each label keeps this much air around it: two labels never closer than twice this
AROUND = ("middle right", "middle left", "top center", "bottom center", "top right", "bottom right", "top left",
          "bottom left")


@dataclass(frozen=True)
class Label:
    text: str  # lines joined by <br>
    x: float
    y: float
    radius: float = 0.0  # px of the marker the label is beside (0: a label on its own)
    font: int = 13
    positions: tuple[str, ...] = AROUND


Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in px, y downwards


def _size(label: Label) -> tuple[float, float]:
    lines = label.text.split("<br>")
    width = max(sum(CAPITAL_WIDTH if c.isupper() else CHAR_WIDTH for c in line) for line in lines) * label.font \
        * TEXT_SCALE
    return width, len(lines) * label.font * 1.3 * TEXT_SCALE


def _box(label: Label, position: str, at: tuple[float, float]) -> Box:
    (width, height), (x, y) = _size(label), at
    gap = label.radius + 3 if label.radius else 0
    vertical, horizontal = position.split(" ") if " " in position else ("middle", position)
    x0 = {"right": x + gap, "left": x - gap - width, "center": x - width / 2}[horizontal]
    y0 = {"top": y - gap - height, "bottom": y + gap, "middle": y - height / 2}[vertical]
    return x0, y0, x0 + width, y0 + height


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class Canvas:
    """The map of one area in px, with what has been placed on it."""

    def __init__(self, area: MapArea):
        self.scale = px_per_degree(area)
        self.squash = math.cos(math.radians(sum(area.lat) / 2))
        self.lon0, self.lat1 = area.lon[0], area.lat[1]
        self.width = (area.lon[1] - area.lon[0]) * self.squash * self.scale
        self.height = (area.lat[1] - area.lat[0]) * self.scale
        self.taken: list[Box] = []

    def px(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.lon0) * self.squash * self.scale, (self.lat1 - y) * self.scale

    def add_marker(self, x: float, y: float, radius: float) -> None:
        px, py = self.px(x, y)
        self.taken.append((px - radius, py - radius, px + radius, py + radius))

    def _inside(self, box: Box) -> bool:
        return box[0] >= EDGE_PX and box[1] >= EDGE_PX and box[2] <= self.width - EDGE_PX and \
            box[3] <= self.height - EDGE_PX

    def release(self, x: float, y: float, radius: float) -> None:
        """Give back the room of a marker added before (a town whose name found no place is not drawn)."""
        px, py = self.px(x, y)
        self.taken.remove((px - radius, py - radius, px + radius, py + radius))

    def place(self, label: Label, own_marker: bool = True) -> str | None:
        """The first position of `label` that fits (and take its room), or None. `own_marker`: its anchor is a
        marker already added, which its own label may touch."""
        at = self.px(label.x, label.y)
        own = (at[0] - label.radius, at[1] - label.radius, at[0] + label.radius, at[1] + label.radius)
        for position in label.positions:
            x0, y0, x1, y1 = _box(label, position, at)
            box = (x0 - AIR_PX, y0 - AIR_PX, x1 + AIR_PX, y1 + AIR_PX)
            if self._inside(box) and not any(_overlaps(box, other) for other in self.taken
                                             if not (own_marker and other == own)):
                self.taken.append(box)
                return position
        return None
