"""The sizes an export comes in, with the type sizes legible at each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    label: str
    width: int
    height: int
    png_scale: float
    font: int  # body text, px at the exported size
    title: int
    small: int  # the smallest text printed (footer, legend), legible at its intended use


PRESETS = {
    "slide": Preset("16:9 slide, 1920×1080", 1920, 1080, 1.0, font=22, title=36, small=16),
    "a4": Preset("A4 landscape", 1123, 794, 2.5, font=12, title=20, small=9),
    "square": Preset("Square, 1080×1080", 1080, 1080, 1.0, font=20, title=30, small=15),
}
