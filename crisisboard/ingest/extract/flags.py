"""Text-quality flags: scraping artefacts, truncation, mixed languages and contradictions. Never alters text."""

from __future__ import annotations

import re

from crisisboard.ingest.extract.candidates import MAX_CHARS, Candidate, extract_candidates
from crisisboard.ingest.extract.release import Flag, _to_text


def _norm_token(tok: str) -> str:
    t = re.sub(r"[^\w]", "", tok.lower())
    return t.rstrip("s")


def quality_flags(text: str) -> list[Flag]:
    """Artefacts, truncation, mixed languages and contradictions. Never alters text."""
    try:
        if not isinstance(text, str):
            text = _to_text(text)
        body = text[:MAX_CHARS]
        return _artefacts(body) + _truncation(body) + _mixed_scripts(body) + _contradictions(body)
    except Exception as exc:  # noqa: BLE001
        return [Flag("artefact", f"quality check failed: {type(exc).__name__}", "")]


def _artefacts(body: str) -> list[Flag]:
    """Runs of repeated tag tokens (scraping artefacts)."""
    flags = []
    toks = list(re.finditer(r"\S+", body))
    run_start = 0
    for j in range(1, len(toks) + 1):
        same = j < len(toks) and _norm_token(toks[j].group(0)) and \
            _norm_token(toks[j].group(0)) == _norm_token(toks[j - 1].group(0))
        if not same:
            if j - run_start >= 3 and len(flags) < 20:
                s, e = toks[run_start].start(), toks[j - 1].end()
                flags.append(Flag("artefact", f"{j - run_start} near-identical tokens in a row "
                                  f"(scraping artefact?)", body[s:e][:200]))
            run_start = j
    return flags


def _truncation(body: str) -> list[Flag]:
    stripped = body.rstrip()
    if re.search(r"\[PARTIAL", body):
        m = re.search(r"\[PARTIAL[^\]]*\]?", body)
        return [Flag("truncated", "the text is marked as a partial copy", m.group(0)[:200])]
    if stripped and not re.search(r"[.!?…\"'”’)\]»]$", stripped):
        return [Flag("truncated", "the text ends without terminal punctuation (cut off?)", stripped[-80:])]
    return []


def _mixed_scripts(body: str) -> list[Flag]:
    """Paragraphs in several scripts."""
    scripts = set()
    example = {}
    for para in re.split(r"\n\s*\n|\n", body):
        counts = {"latin": len(re.findall(r"[A-Za-z]", para)), "cyrillic": len(re.findall(r"[\u0400-\u04ff]", para)),
                  "arabic": len(re.findall(r"[\u0600-\u06ff]", para)), "cjk": len(re.findall(r"[\u4e00-\u9fff]", para))}
        top = max(counts, key=counts.get)
        if counts[top] >= 20:
            scripts.add(top)
            example.setdefault(top, para.strip()[:120])
    if len(scripts) <= 1:
        return []
    return [Flag("mixed_language", "paragraphs in several scripts: " + ", ".join(sorted(scripts)),
                 " | ".join(example[s] for s in sorted(scripts))[:300])]


def _contradictions(body: str) -> list[Flag]:
    """Different figures of one metric and population from one originator for one moment."""
    cands, _ = extract_candidates(body)
    groups: dict[tuple, list[Candidate]] = {}
    for c in cands:
        if c.qualifier == "vague" or not c.claimant:
            continue
        groups.setdefault((c.metric, c.population, c.claimant, c.as_of), []).append(c)
    flags = []
    for (metric, pop, claimant, as_of), cs in groups.items():
        values = {(c.low, c.high) for c in cs}
        if len(values) > 1:
            flags.append(Flag("contradiction", f"{len(values)} different figures for {metric} ({pop}) from {claimant}"
                                               f" as of {as_of or 'unknown'}", " | ".join(c.quote for c in cs)[:300]))
    return flags
