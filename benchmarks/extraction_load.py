"""Other visitors while releases are extracted (issue #30): the p95 of ANOTHER session's filter change, idle and
while four sessions paste a release into Add a release at once.

usage:
  PYTHONPATH=. .venv/bin/python benchmarks/extraction_load.py                          # this tree's code
  PYTHONPATH=. .venv/bin/python benchmarks/extraction_load.py --project /path/to/main  # another tree's code
  options: --chars 200000 (each pasted text) --extractions 4 --changes 20 (idle filter changes) --data DIR

It starts a real Streamlit server of `--project`'s dashboard.py on a free 127.0.0.1 port (no [auth]: local mode,
so the pasting sessions may add a release), on `--data` (default: the project's data/). Sessions are headless
browser tabs (benchmarks/wsclient.py speaks Streamlit's websocket protocol). First the observer alone changes
the Timeline's metric filter `--changes` times, 0.5 s apart as a reader would (idle figure); then four sessions each paste their own text (a
release of `--chars` characters, different per session so that nothing is shared) while the observer keeps
changing the filter until the last paste's run has finished. Latency = from sending the change to the end of
the run it causes. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
for _path in (PROJECT / "benchmarks", PROJECT / "deploy"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from cluster import free_port, wait_healthy  # noqa: E402
from wsclient import StreamlitClientError, StreamlitSession  # noqa: E402

SENTENCES = ("At least 15 people were killed and 120 injured in the city on Friday, officials said. "
             "Aid agencies estimated that thousands had fled towards the border. ")


def release(number: int, chars: int) -> str:
    head = (f"URL: https://example.org/load-{number}\nTITLE: Load test release {number}\nPUBLISHER: Load Wire\n"
            f"DATE: 2010-06-13\n\nRelease number {number}. ")
    return (head + SENTENCES * (chars // len(SENTENCES) + 1))[:chars]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def serve_command(project: Path, port: int) -> list[str]:
    """The app of `project` as `make run` serves it: `serve --local` (issue #30; without it the pastes would be
    refused as an anonymous visitor's), or `streamlit run` for a tree from before that command."""
    if (project / "crisisboard" / "app" / "server.py").exists():
        return [sys.executable, "-m", "crisisboard", "serve", "--local", "--port", str(port), "--address", "127.0.0.1"]
    return [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true"]


def code_line(project: Path) -> str:
    """Which tree and commit is measured, on how many cores, under what load."""
    commit = subprocess.run(["git", "-C", str(project), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip() or "?"
    return f"code: {project} ({commit}); {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"


class Server:
    def __init__(self, project: Path, data: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, CRISISBOARD_DATA=str(data), PYTHONPATH=str(project))
        self.process = subprocess.Popen(serve_command(project, self.port), cwd=project, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_healthy(self.url, 90, self.process)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def observer(url: str, stop: asyncio.Event | None, changes: int, think: float = 0.5) -> list[float]:
    """The other visitor: the Timeline, switching the metric filter back and forth, `think` seconds apart."""
    latencies: list[float] = []
    async with StreamlitSession(url, "timeline", timeout=300) as session:
        await session.open()
        options = session.last.widget_by_key("filter_metric").options[:2]
        i = 0
        while (stop is None and i < changes) or (stop is not None and not stop.is_set()):
            _, seconds = await session.set_widget("filter_metric", [options[i % 2]])
            latencies.append(seconds)
            i += 1
            await asyncio.sleep(think)
    return latencies


async def paster(url: str, number: int, chars: int) -> tuple[float, str]:
    """A staff member pasting a release: the seconds until the page answered, and what it said first."""
    async with StreamlitSession(url, "add_release", timeout=600) as session:
        await session.open()
        started = time.perf_counter()
        result, _ = await session.set_widget("release_text", release(number, chars))
        said = next((t for t in result.texts if "candidates" in t or "limit" in t or "longer than" in t
                     or "busy" in t or "being read" in t), "")
        return time.perf_counter() - started, said[:90]


async def run(url: str, extractions: int, chars: int, changes: int) -> None:
    await observer(url, None, 3, 0)  # warm-up: data loaded, charts cached
    idle = await observer(url, None, changes)
    print(f"idle: {len(idle)} filter changes, p50 {statistics.median(idle):.2f} s, p95 {p95(idle):.2f} s, "
          f"max {max(idle):.2f} s")
    stop = asyncio.Event()
    watching = asyncio.create_task(observer(url, stop, 0))
    await asyncio.sleep(1.0)
    started = time.perf_counter()
    pastes = await asyncio.gather(*[paster(url, i, chars) for i in range(extractions)], return_exceptions=True)
    wall = time.perf_counter() - started
    stop.set()
    busy = await watching
    print(f"while {extractions} pastes of {chars:,} characters ran ({wall:.1f} s in all): {len(busy)} filter "
          f"changes, p50 {statistics.median(busy):.2f} s, p95 {p95(busy):.2f} s, max {max(busy):.2f} s")
    for i, outcome in enumerate(pastes):
        if isinstance(outcome, BaseException):
            print(f"  paste {i}: failed: {type(outcome).__name__}: {outcome}")
        else:
            print(f"  paste {i}: answered in {outcome[0]:.1f} s: {outcome[1]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=PROJECT, help="the tree whose app to run")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--extractions", type=int, default=4)
    parser.add_argument("--changes", type=int, default=20)
    args = parser.parse_args()
    project = args.project.resolve()
    server = Server(project, (args.data or project / "data").resolve())
    try:
        print(f"{code_line(project)} (other processes of the machine share them)")
        asyncio.run(run(server.url, args.extractions, args.chars, args.changes))
    except StreamlitClientError as error:
        print(f"failed: {error}")
    finally:
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        server.stop()


if __name__ == "__main__":
    main()
