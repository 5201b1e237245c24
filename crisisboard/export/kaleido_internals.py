"""The one door to Kaleido's internals.

After a render Kaleido reloads the tab before it can be used again. Kaleido runs that reload inside the
caller's wait, in its private ``_return_kaleido_tab``; here it runs in the background instead, which halves
the time of a single warm export. ``tests/test_internals.py`` pins the Kaleido version this was written for
and checks that the private method still exists.
"""

from __future__ import annotations

import asyncio

import kaleido

WRITTEN_FOR = "1.5.0"  # kaleido, as pinned in constraints.txt


class BackgroundReload(kaleido.Kaleido):
    """Kaleido, reloading each used tab in the background."""

    _pending: set = set()

    async def _return_kaleido_tab(self, tab) -> None:  # noqa: ANN001 - Kaleido's tab
        task = asyncio.get_running_loop().create_task(super()._return_kaleido_tab(tab))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)


async def open_kaleido(tabs: int) -> kaleido.Kaleido:
    """A started Kaleido with `tabs` tabs."""
    engine = BackgroundReload(n=tabs, mathjax=False, timeout=120)
    await engine.open()
    return engine
