"""Which Plotly an edition's chart pages load (``assets/plotly.min.js``).

Plotly's full bundle is 4.8 MB of JavaScript that a reader's browser parses before any chart draws; the app's charts
use only ``scatter`` traces and layout components (shapes, annotations, legend), which Plotly's *basic* partial
bundle (scatter, bar, pie, every component; 1.2 MB) holds. The basic bundle comes from npm's
``plotly.js-basic-dist-min``, pinned by ``publish-assets/package-lock.json`` and installed by ``make plotly-basic``.
It is used when it is installed, its version is exactly the plotly.js that plotly.py bundles (the figures are
plotly.py's), and every trace of the edition is of a type it holds; otherwise the full bundle is written, so an
edition always draws."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from plotly.offline import get_plotlyjs, get_plotlyjs_version

BASIC_TYPES = frozenset({"scatter", "bar", "pie"})
BASIC_ENV = "CRISISBOARD_PLOTLY_BASIC"  # another folder holding plotly.js-basic-dist-min (its package folder)
BASIC_FOLDER = Path(__file__).resolve().parents[2] / "publish-assets" / "node_modules" / "plotly.js-basic-dist-min"


@dataclass(frozen=True)
class Bundle:
    """The JavaScript written as assets/plotly.min.js, and which bundle it is."""

    script: bytes
    name: str  # "plotly.js-basic-dist-min 4.1.1" or "plotly.js 4.1.1 (full)"
    reason: str = ""  # why the full bundle was written, when it was


def basic_folder() -> Path:
    return Path(os.environ.get(BASIC_ENV) or BASIC_FOLDER)


def _basic(folder: Path) -> tuple[bytes | None, str]:
    try:
        version = json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
        script = (folder / "plotly-basic.min.js").read_bytes()
    except (OSError, ValueError, KeyError):
        return None, f"the basic bundle is not installed in {folder} (make plotly-basic)"
    if version != get_plotlyjs_version():
        return None, f"the basic bundle is plotly.js {version}, plotly.py draws with {get_plotlyjs_version()}"
    return script, ""


def plotly_bundle(trace_types: set[str]) -> Bundle:
    """The bundle for an edition whose traces are of `trace_types`: the basic one when it is installed, of
    plotly.py's plotly.js version, and holds every type; else the full one (with the reason)."""
    script, reason = _basic(basic_folder())
    missing = sorted(trace_types - BASIC_TYPES)
    if script is not None and not missing:
        return Bundle(script, f"plotly.js-basic-dist-min {get_plotlyjs_version()}")
    if script is not None:
        reason = f"the basic bundle does not draw {', '.join(missing)}"
    return Bundle(get_plotlyjs().encode("utf-8"), f"plotly.js {get_plotlyjs_version()} (full)", reason)
