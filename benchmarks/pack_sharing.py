"""The briefing pack asked for by several visitors at once (issue #30): time and summed resident memory.

usage:
  PYTHONPATH=. .venv/bin/python benchmarks/pack_sharing.py                          # this tree's code
  PYTHONPATH=. .venv/bin/python benchmarks/pack_sharing.py --project /path/to/main  # another tree's code
  options: --sessions 3 --data DIR

It starts a real Streamlit server of `--project`'s dashboard.py on a free 127.0.0.1 port, on `--data` (default:
the project's data/), opens `--sessions` headless sessions on the Overview with the same filters
(benchmarks/wsclient.py), and has them all press "Make a briefing pack (ZIP)" at once (first click), then again
(second click). For each round: the seconds until every session's page answered, and the peak of the summed
resident memory (VmRSS) of the server and all its child processes (Kaleido's Chromium among them), sampled every
0.1 s, against the figure before the round. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
for _path in (PROJECT / "benchmarks", PROJECT / "deploy"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from extraction_load import Server, code_line  # noqa: E402
from loadtest import rss_mb  # noqa: E402
from wsclient import StreamlitSession  # noqa: E402


class Peak:
    """The highest summed RSS of a process tree while it runs (sampled in a thread)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb([self.pid]))
            time.sleep(0.1)

    def __enter__(self) -> "Peak":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def click(session: StreamlitSession) -> tuple[float, bool]:
    result, seconds = await session.click("make_pack")
    return seconds, any(label == "Download the briefing pack" for label in session.buttons.values())


async def run(url: str, pid: int, sessions: int) -> None:
    opened = [StreamlitSession(url, "", timeout=600) for _ in range(sessions)]
    for session in opened:
        await session.__aenter__()
        await session.open()
    try:
        for round_name in ("first click", "second click"):
            before = rss_mb([pid])
            with Peak(pid) as peak:
                started = time.perf_counter()
                answers = await asyncio.gather(*[click(session) for session in opened])
                wall = time.perf_counter() - started
            after = rss_mb([pid])
            each = ", ".join(f"{seconds:.1f} s" for seconds, _ in answers)
            offered = sum(ok for _, ok in answers)
            print(f"{round_name}: {sessions} sessions at once, all answered in {wall:.1f} s (each: {each}); "
                  f"download offered to {offered}; summed RSS before {before:,.0f} MB, peak {peak.peak:,.0f} MB, "
                  f"after {after:,.0f} MB")
    finally:
        for session in opened:
            await session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=PROJECT, help="the tree whose app to run")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--sessions", type=int, default=3)
    args = parser.parse_args()
    project = args.project.resolve()
    server = Server(project, (args.data or project / "data").resolve())
    try:
        print(f"{code_line(project)}; server alone: {rss_mb([server.process.pid]):,.0f} MB")
        asyncio.run(run(server.url, server.process.pid, args.sessions))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
