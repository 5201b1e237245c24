"""Rendering figures to PNG, SVG and PDF with Kaleido and the machine's Chromium (Debian's ``chromium``): no
download, no MathJax, through one persistent Kaleido whose calls are serialised (it is not thread-safe).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading

import plotly.graph_objects as go

from crisisboard.export.kaleido_internals import open_kaleido
from crisisboard.export.presets import PRESETS

FORMATS = ("png", "svg", "pdf")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
INSTALL_HINT = ("Image export needs Chromium, which is not installed. On Debian or Ubuntu: "
                "sudo apt-get install chromium (make test installs it when run as root).")


class ExportUnavailable(RuntimeError):
    """Image export cannot run here (no Chromium); the message says what to install."""


def find_chromium() -> str | None:
    """The Chromium Kaleido will use: $BROWSER_PATH, else Debian's, else one on the PATH."""
    for candidate in (os.environ.get("BROWSER_PATH", ""), *CHROMIUM_CANDIDATES):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def export_available() -> bool:
    return find_chromium() is not None



TABS = 2  # Chromium tabs: a pack renders two figures at a time on this 2-core machine


class _Renderer:
    """One Kaleido (one Chromium, TABS tabs) on its own event-loop thread, shared by the process.

    Every request gets its own future, so concurrent callers can never receive each other's
    images (Kaleido's own sync server shares one result queue). After a render Kaleido reloads
    the tab before it can be used again; here that reload runs in the background instead of
    inside the caller's wait, which halves the time of a single warm export.
    """

    def __init__(self) -> None:
        chromium = find_chromium()
        if chromium is None:
            raise ExportUnavailable(INSTALL_HINT)
        os.environ.setdefault("BROWSER_PATH", chromium)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="crisisboard-kaleido", daemon=True)
        self._thread.start()
        self._kaleido = self._call(open_kaleido(TABS))

    def _call(self, coroutine):  # noqa: ANN001, ANN202
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def render_many(self, jobs: list[tuple[go.Figure, dict]]) -> list[bytes]:
        async def run() -> list[bytes]:
            return list(await asyncio.gather(*(self._kaleido.calc_fig(fig, opts=opts) for fig, opts in jobs)))

        return self._call(run())


_RENDERER: _Renderer | None = None
_RENDERER_LOCK = threading.Lock()


def _renderer() -> _Renderer:
    global _RENDERER
    with _RENDERER_LOCK:
        if _RENDERER is None:
            _RENDERER = _Renderer()
        return _RENDERER


def _opts(fmt: str, preset_name: str) -> dict:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    preset = PRESETS[preset_name]
    return dict(format=fmt, width=preset.width, height=preset.height,
                scale=preset.png_scale if fmt == "png" else 1)


def render_many(jobs: list[tuple[go.Figure, str, str]]) -> list[bytes]:
    """Render (figure, format, preset) jobs, two at a time, in order.

    Raises
    ------
    ExportUnavailable
        When no Chromium is installed.
    ValueError
        For an unknown format or preset.
    """
    prepared = [(fig, _opts(fmt, preset)) for fig, fmt, preset in jobs]
    if find_chromium() is None:
        raise ExportUnavailable(INSTALL_HINT)
    return _renderer().render_many(prepared)


def render(fig: go.Figure, fmt: str, preset_name: str = "slide") -> bytes:
    """The figure as PNG, SVG or PDF bytes."""
    return render_many([(fig, fmt, preset_name)])[0]
