"""Rule-based, explainable extraction of casualty and displacement figures from a release's text.

Offline, never raises on odd input. Every candidate carries the rule that fired (`why`) and a verbatim
quote (`text[start:end]`). Vocabulary: see data/README.md.

Pipeline per text (crisisboard.ingest.extract.candidates): find the figures of each sentence (figures:
digits, number words, vague orders of magnitude; hard negatives dropped: years, dates, times, money,
percentages, ages, units, ids; ranges joined; the qualifier read just before), decide what each counts
(metrics), when (dates), and who says it, whom it covers and where (originators, from the crisis
definition's patterns). Text-quality flags are separate (flags).
"""

from crisisboard.ingest.extract.candidates import Candidate, extract_candidates
from crisisboard.ingest.extract.flags import quality_flags
from crisisboard.ingest.extract.originators import read_places
from crisisboard.ingest.extract.release import Flag, Release, parse_release

__all__ = ["Candidate", "Release", "Flag", "parse_release", "extract_candidates", "quality_flags", "read_places"]
