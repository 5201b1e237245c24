"""The review store's bounds (issue #30, crisisboard.data.limits): how large a real 250-figure release is as a
proposal, how large one can be with every field at its longest, and the time to propose, read and approve a
250-figure release on the CSV store.

usage: PYTHONPATH=. .venv/bin/python benchmarks/bench_review.py [--data data]
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from crisisboard.data import limits, schema
from crisisboard.data.backends import CsvStore
from crisisboard.data.load import load_dataset
from crisisboard.data.users import Actor
from crisisboard.ingest.extract import extract_candidates
from crisisboard.ingest.intake import accepted_claims, candidates_frame, source_row

ANA, REV = Actor("ana@example.org", "analyst"), Actor("rev@example.org", "reviewer")
LONGEST = {"quote": "quote", "figure_text": "short", "claimant": "short", "relayed_by": "line",
           "grade_rationale": "line", "notes": "notes"}  # a claim's free-text fields and their kind (rules.py)


def release_text(data: Path, figures: int) -> tuple[str, list]:
    """A release with `figures` figures (two a sentence), as an officer pastes one, and its candidates."""
    dataset = load_dataset(data)
    places = list(dataset.places["name"])[:20]
    text = " ".join(f"On {10 + i % 15} June officials in {places[i % len(places)]} said {100 + i * 7} people were "
                    f"killed and {2000 + i * 13} were displaced, according to the regional health ministry "
                    "spokesperson quoted by local media." for i in range(figures // 2))
    candidates, _ = extract_candidates(text, date(2010, 6, 20), dataset.places, dataset.crisis)
    return text, candidates


def payload_of(claims: list[dict[str, str]]) -> int:
    source = source_row("https://example.org/bench", "Bench Paper", "media", "A benchmark release",
                        date(2010, 6, 20), "exact", "en", "")
    return len(json.dumps({"source": source, "claims": claims}, ensure_ascii=False, sort_keys=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("data"))
    args = parser.parse_args()
    _, candidates = release_text(args.data, 270)
    frame = candidates_frame(candidates)
    frame["accept"] = True
    claims = accepted_claims(frame)[:250]
    size = payload_of(claims)
    print(f"a release of {len(claims)} extracted figures, all ticked: {size:,} characters as a proposal "
          f"({size // len(claims):,} a claim); csv's default field limit is 131,072")
    longest = {**claims[0], **{f: "x" * schema.MAX_CHARS[kind] for f, kind in LONGEST.items()}}
    worst = payload_of([longest]) - payload_of([])
    print(f"a claim with every free-text field at its longest: {worst:,} characters; 250 such claims "
          f"{worst * 250:,}, {limits.MAX_RELEASE_CLAIMS} {worst * limits.MAX_RELEASE_CLAIMS:,} "
          f"(the bound: {limits.MAX_PROPOSAL_CHARS:,})")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "data"
        shutil.copytree(args.data, folder)
        store = CsvStore(folder)
        source = source_row("https://example.org/bench", "Bench Paper", "media", "A benchmark release",
                            date(2010, 6, 20), "exact", "en", "")
        start = time.perf_counter()
        proposal = store.propose_release(source, claims, ANA, "benchmark").proposal
        proposed = time.perf_counter()
        assert len(store.proposals()) == 1
        read = time.perf_counter()
        report = store.approve(proposal.proposal_id, REV, "benchmark").report
        approved = time.perf_counter()
    print(f"CSV store, {len(claims)} figures: proposed (tried on a copy) {proposed - start:.2f} s, proposals read "
          f"{read - proposed:.3f} s, approved {approved - read:.2f} s ({len(report.claim_ids)} claims written)")


if __name__ == "__main__":
    main()
