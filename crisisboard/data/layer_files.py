"""A crisis folder's own map layers ([[geo.layers]] of crisis.toml): the checks of their GeoJSON files, apart from
the crisis definition's model (crisisboard.data.crisis) so that each stays short."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

LAYER_GEOMETRIES = {"line": ("LineString", "MultiLineString"), "area": ("Polygon", "MultiPolygon"),
                    "point": ("Point", "MultiPoint")}


def missing_layer_files(raw: dict, folder: Path, text: str,
                        line_of: Callable[[str, str], int]) -> list[tuple[int, str, str]]:
    """The [[geo.layers]] whose file is missing, read from the raw TOML (when the definition breaks other rules)."""
    geo = raw.get("geo")
    layers = geo.get("layers") if isinstance(geo, dict) else None
    problems = []
    for index, layer in enumerate(layers if isinstance(layers, list) else []):
        file = layer.get("file") if isinstance(layer, dict) else None
        if isinstance(file, str) and file and not (folder / file).is_file():
            field = f"geo.layers.{index}.file"
            problems.append((line_of(text, field), field,
                             f"{file} is missing (a layer's file is relative to crisis.toml)"))
    return problems


def layer_problems(path: Path, layer) -> list[str]:  # noqa: ANN001 - a crisis.GeoLayer
    """What is wrong with a layer's GeoJSON file (at `path`): missing, not GeoJSON, empty, of another kind than
    declared, or with a position that is not a longitude and latitude."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [f"{layer.file} is missing (a layer's file is relative to crisis.toml)"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return [f"{layer.file} is not GeoJSON ({error})"]
    features = data.get("features") if isinstance(data, dict) and data.get("type") == "FeatureCollection" else None
    if not isinstance(features, list) or not features:
        return [f"{layer.file} must be a GeoJSON FeatureCollection with at least one feature"]
    allowed = LAYER_GEOMETRIES[layer.kind]
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind not in allowed:
            return [f"{layer.file}: feature {number} is a {kind}, not a {' or '.join(allowed)} as kind = "
                    f"{layer.kind!r} says"]
        if not positions_ok(geometry.get("coordinates")):
            return [f"{layer.file}: feature {number} has a position that is not [longitude, latitude] "
                    "within -180..180 and -90..90"]
    return []


def positions_ok(coordinates: object) -> bool:
    if isinstance(coordinates, list) and coordinates and all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coordinates):
        return len(coordinates) in (2, 3) and all(math.isfinite(c) for c in coordinates) and \
            -180 <= coordinates[0] <= 180 and -90 <= coordinates[1] <= 90
    return isinstance(coordinates, list) and bool(coordinates) and all(positions_ok(c) for c in coordinates)
