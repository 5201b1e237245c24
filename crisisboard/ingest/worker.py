"""Extraction off the server's own process: each release's text-quality flags and candidate claims are found
in a worker process (`python -m crisisboard.ingest.worker`, niced, stopped, killed, after EXTRACTION_SECONDS),
at most EXTRACTIONS_AT_ONCE at a time per server process (a worker is kept between jobs, so at most that many
exist), and the result is kept per text, so that a rerun of the page (every tick in the table) does not
extract again. The server's process only
waits on a pipe, so other visitors' pages keep running while a release is read.

The bounds are in crisisboard.ingest.limits; a text over them, a busy server or a worker that runs out of
time is an ExtractionRefused with a plain message, and nothing else changes (the text stays where it was)."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import resource
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date

import pandas as pd

from crisisboard.data.crisis import Crisis
from crisisboard.ingest.extract import Candidate, Flag, extract_candidates, quality_flags
from crisisboard.ingest import limits
from crisisboard.ingest.limits import EXTRACTIONS_AT_ONCE, MAX_TEXT_CHARS, WAIT_FOR_A_WORKER_SECONDS, WORKER_NICENESS

LOG = logging.getLogger("crisisboard")
KEPT = 32  # results kept per process (one release's candidates: a few hundred kB at most)


@dataclass(frozen=True)
class Extraction:
    """What the page shows of a release's text: its quality flags, candidate claims and the extractor's warnings."""

    flags: tuple[Flag, ...]
    candidates: tuple[Candidate, ...]
    warnings: tuple[str, ...]
    seconds: float  # of CPU in the worker, for the log and the benchmarks
    ran: tuple[float, float] = (0.0, 0.0)  # when the worker started and ended (time.time())
    niceness: int = 0  # the worker's


class ExtractionRefused(RuntimeError):
    """Extraction did not run or did not finish; the message says so plainly for the page."""


@dataclass(frozen=True)
class _Job:
    text: str
    published: date | None
    places: pd.DataFrame
    crisis: Crisis


_SLOTS = threading.BoundedSemaphore(EXTRACTIONS_AT_ONCE)
_KEPT: dict[tuple, Extraction] = {}  # oldest first: a dict keeps the order of insertion
_KEPT_LOCK = threading.Lock()
_RUNNING: dict[tuple, threading.Event] = {}  # the same text asked twice at once is extracted once


def text_key(text: str, published: date | None, version: str) -> tuple:
    """What a result depends on: the text (by hash), the publication date and the data version (its places and
    crisis definition)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return digest, published.isoformat() if published else "", version


def kept(key: tuple) -> Extraction | None:
    with _KEPT_LOCK:
        if key in _KEPT:
            _KEPT[key] = _KEPT.pop(key)  # now the newest
            return _KEPT[key]
    return None


def _keep(key: tuple, result: Extraction) -> None:
    with _KEPT_LOCK:
        _KEPT.pop(key, None)
        _KEPT[key] = result
        while len(_KEPT) > KEPT:
            del _KEPT[next(iter(_KEPT))]


def extract(text: str, published: date | None, places: pd.DataFrame, crisis: Crisis, version: str) -> Extraction:
    """The flags and candidates of `text`, from a worker process (or kept from an earlier run), within
    limits.EXTRACTION_SECONDS.

    Raises
    ------
    ExtractionRefused
        For a text over MAX_TEXT_CHARS, when every worker stays busy for WAIT_FOR_A_WORKER_SECONDS, or when the
        worker runs out of time or fails.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise ExtractionRefused(f"The text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}. Keep only "
                                "the article's own text (or split a long report into its parts) and try again.")
    key, seconds = text_key(text, published, version), limits.EXTRACTION_SECONDS
    while True:
        if (result := kept(key)) is not None:
            return result
        with _KEPT_LOCK:
            running = _RUNNING.get(key)
            if running is None:
                _RUNNING[key] = threading.Event()
                break
        running.wait(seconds + WAIT_FOR_A_WORKER_SECONDS)  # the same text, asked by another session: share it
        if kept(key) is None:
            raise ExtractionRefused("The same text is still being read for another visitor, or could not be. "
                                    "Try again in a minute: your text is kept.")
    try:
        if not _SLOTS.acquire(timeout=WAIT_FOR_A_WORKER_SECONDS):
            raise ExtractionRefused("Other releases are being read right now. Try again in a minute: your text is "
                                    "kept.")
        try:
            result = _in_worker(_Job(text, published, places, crisis), seconds)
        finally:
            _SLOTS.release()
        _keep(key, result)
        return result
    finally:
        with _KEPT_LOCK:
            _RUNNING.pop(key).set()


class _Worker:
    """One worker process (`python -m crisisboard.ingest.worker`), kept between jobs so that a release does not
    wait for Python and pandas to start: a job and its answer are length-prefixed pickles over its pipes."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "crisisboard.ingest.worker"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)

    def ask(self, job: _Job, seconds: float) -> Extraction | BaseException | None:
        """The answer within `seconds`, or None (the worker is then stopped)."""
        frame = pickle.dumps(job)
        self.process.stdin.write(struct.pack(">Q", len(frame)) + frame)
        self.process.stdin.flush()
        answer: list = []
        reader = threading.Thread(target=lambda: answer.append(_read_frame(self.process.stdout)), daemon=True)
        reader.start()
        reader.join(seconds)
        if reader.is_alive() or not answer or answer[0] is None:
            self.stop()
            reader.join(5)
            return None
        return pickle.loads(answer[0])  # noqa: S301 - our own worker's answer, over its own pipe

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(10)


_IDLE: list[_Worker] = []  # started workers waiting for a job (at most EXTRACTIONS_AT_ONCE: see _SLOTS)


def _read_frame(stream) -> bytes | None:  # noqa: ANN001 - a binary pipe
    head = stream.read(8)
    if len(head) < 8:
        return None
    size = struct.unpack(">Q", head)[0]
    body = stream.read(size)
    return body if len(body) == size else None


def _in_worker(job: _Job, seconds: float) -> Extraction:
    """Called holding one of _SLOTS: an idle worker (or a new one) does the job."""
    started = time.perf_counter()
    with _KEPT_LOCK:
        worker = _IDLE.pop() if _IDLE else None
    if worker is None or worker.process.poll() is not None:
        worker = _Worker()
    try:
        answer = worker.ask(job, seconds)
    except OSError:  # the worker's pipe broke: it died between jobs
        worker.stop()
        worker = _Worker()
        answer = worker.ask(job, seconds)
    if answer is None:
        LOG.warning("extraction stopped after %.0f s (%d characters)", seconds, len(job.text))
        raise ExtractionRefused(f"Finding the figures in this text took longer than {seconds:g} seconds, so it was "
                                "stopped. Shorten the text (keep only the article) and try again: your text is "
                                "kept.")
    with _KEPT_LOCK:
        _IDLE.append(worker)
    if isinstance(answer, BaseException):
        LOG.error("extraction failed in the worker: %r", answer)
        raise ExtractionRefused("Finding the figures in this text failed. Try again; if it fails again, keep "
                                "only the article's own text.")
    LOG.info("extraction: %d characters, %.1f s in the worker, %.1f s in all", len(job.text), answer.seconds,
             time.perf_counter() - started)
    return answer


def _work(job: _Job) -> Extraction:
    started, cpu = time.time(), time.process_time()
    flags = quality_flags(job.text)
    candidates, warnings = extract_candidates(job.text, job.published, job.places, job.crisis)
    return Extraction(tuple(flags), tuple(candidates), tuple(warnings), time.process_time() - cpu,
                      (started, time.time()), os.nice(0))


def main() -> None:
    """The worker: length-prefixed pickled _Jobs on stdin, each answered by a pickled Extraction (or the exception
    it raised) on stdout, until stdin closes (the server stopped). Niced, and each job stopped by the kernel
    after EXTRACTION_SECONDS (+5) of CPU if the server did not stop it first."""
    os.nice(WORKER_NICENESS)
    while (frame := _read_frame(sys.stdin.buffer)) is not None:
        job = pickle.loads(frame)  # noqa: S301 - from the server process that started us
        used = resource.getrusage(resource.RUSAGE_SELF)
        budget = int(used.ru_utime + used.ru_stime + limits.EXTRACTION_SECONDS) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (budget, resource.RLIM_INFINITY))
        try:
            answer: Extraction | BaseException = _work(job)
        except Exception as error:  # noqa: BLE001 - sent back to the server, which says so on the page
            answer = error
        frame = pickle.dumps(answer)
        sys.stdout.buffer.write(struct.pack(">Q", len(frame)) + frame)
        sys.stdout.buffer.flush()


if __name__ == "__main__":  # run as a script, this file is __main__: answer with the module's own classes
    from crisisboard.ingest.worker import main as worker_main

    worker_main()
