"""Many concurrent readers of a static site, as a small asyncio HTTP/1.1 client (no dependency): each reader holds
one keep-alive connection and, until the time is up, fetches a page and then each of its assets in turn (as a
browser with an empty cache does, but over one connection instead of six), asking for gzip as browsers do.

Used by benchmarks/bench_publish.py; alone:

    .venv/bin/python benchmarks/static_readers.py http://127.0.0.1:8700/kyrgyzstan-2010/latest/index.html \
        --readers 50 --seconds 10 [--asset /kyrgyzstan-2010/latest/assets/plotly.min.js ...]

Prints requests per second and latency percentiles; asserts nothing. The client runs in one Python process: on a
small machine it, not nginx, may be the limit (the figures say how many requests it got through, not nginx's
ceiling).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Tally:
    """What the readers saw: each request's seconds, each page view's seconds (page + assets), bytes, errors."""

    requests: list[float] = field(default_factory=list)
    views: list[float] = field(default_factory=list)
    body_bytes: int = 0
    errors: list[str] = field(default_factory=list)


def percentile(values: list[float], q: float) -> float | None:
    """The nearest-rank percentile (as benchmarks/loadtest.py computes it)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int]:
    """(status, body bytes) of one response; the body read whole (Content-Length or chunked)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        size = int(headers["content-length"])
        await reader.readexactly(size)
        return status, size
    if headers.get("transfer-encoding", "").lower() == "chunked":
        size = 0
        while True:
            chunk = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(chunk + 2)
            size += chunk
            if chunk == 0:
                return status, size
    raise ValueError(f"a response without length: {lines[0]}")


async def _one_reader(host: str, port: int, paths: list[str], deadline: float, tally: Tally) -> None:
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError as error:
        tally.errors.append(f"connect: {error}")
        return
    try:
        while time.perf_counter() < deadline:
            view_start = time.perf_counter()
            for path in paths:
                start = time.perf_counter()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: gzip\r\n"
                             "User-Agent: crisisboard-readers\r\n\r\n".encode("latin-1"))
                await writer.drain()
                status, size = await _read_response(reader)
                tally.requests.append(time.perf_counter() - start)
                tally.body_bytes += size
                if status != 200:
                    tally.errors.append(f"{path}: HTTP {status}")
            tally.views.append(time.perf_counter() - view_start)
    except (OSError, ValueError, asyncio.IncompleteReadError) as error:
        tally.errors.append(f"{type(error).__name__}: {error}")
    finally:
        writer.close()


async def run_readers(url: str, assets: list[str], readers: int, seconds: float) -> dict:
    """`readers` concurrent readers fetching `url` then `assets` (paths on the same host) for `seconds`."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    paths = [parts.path + (f"?{parts.query}" if parts.query else ""), *assets]
    tally = Tally()
    start = time.perf_counter()
    deadline = start + seconds
    await asyncio.gather(*(_one_reader(host, port, paths, deadline, tally) for _ in range(readers)))
    wall = time.perf_counter() - start
    return {"readers": readers, "seconds": wall, "requests": len(tally.requests), "views": len(tally.views),
            "requests_per_s": len(tally.requests) / wall, "views_per_s": len(tally.views) / wall,
            "request_p50": percentile(tally.requests, 0.5), "request_p95": percentile(tally.requests, 0.95),
            "view_p50": percentile(tally.views, 0.5), "view_p95": percentile(tally.views, 0.95),
            "mb_per_s": tally.body_bytes / wall / 1e6, "errors": len(tally.errors), "error_messages": tally.errors[:5]}


def line(result: dict) -> str:
    """One result as a printed line."""
    def ms(value: float | None) -> str:
        return "-" if value is None else f"{value * 1000:.1f} ms"

    return (f"{result['readers']:>4} readers: {result['requests_per_s']:8.0f} requests/s "
            f"(p50 {ms(result['request_p50'])}, p95 {ms(result['request_p95'])}); {result['views_per_s']:7.1f} "
            f"page views/s (p50 {ms(result['view_p50'])}, p95 {ms(result['view_p95'])}); "
            f"{result['mb_per_s']:.1f} MB/s sent (gzip); errors {result['errors']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the page (http://127.0.0.1:PORT/...)")
    parser.add_argument("--asset", action="append", default=[], help="a path fetched after the page (repeatable)")
    parser.add_argument("--readers", default="50,500", help="concurrent readers, comma-separated (default 50,500)")
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args(argv)
    for count in (int(n) for n in args.readers.split(",")):
        print(line(asyncio.run(run_readers(args.url, args.asset, count, args.seconds))), flush=True)


if __name__ == "__main__":
    main()
