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
    flags: list[Flag] = []
    try:
        if not isinstance(text, str):
            text = _to_text(text)
        body = text[:MAX_CHARS]
        # 1. repeated tag tokens
        toks = list(re.finditer(r"\S+", body))
        run_start = 0
        reported = 0
        for j in range(1, len(toks) + 1):
            same = j < len(toks) and _norm_token(toks[j].group(0)) and \
                _norm_token(toks[j].group(0)) == _norm_token(toks[j - 1].group(0))
            if not same:
                if j - run_start >= 3 and reported < 20:
                    s, e = toks[run_start].start(), toks[j - 1].end()
                    flags.append(Flag("artefact", f"{j - run_start} near-identical tokens in a row "
                                      f"(scraping artefact?)", body[s:e][:200]))
                    reported += 1
                run_start = j
        # 2. truncation
        stripped = body.rstrip()
        if re.search(r"\[PARTIAL", body):
            m = re.search(r"\[PARTIAL[^\]]*\]?", body)
            flags.append(Flag("truncated", "the text is marked as a partial copy", m.group(0)[:200]))
        elif stripped and not re.search(r"[.!?…\"'”’)\]»]$", stripped):
            flags.append(Flag("truncated", "the text ends without terminal punctuation (cut off?)",
                              stripped[-80:]))
        # 3. mixed language paragraphs
        scripts = set()
        example = {}
        for para in re.split(r"\n\s*\n|\n", body):
            latin = len(re.findall(r"[A-Za-z]", para))
            cyr = len(re.findall(r"[\u0400-\u04ff]", para))
            arab = len(re.findall(r"[\u0600-\u06ff]", para))
            cjk = len(re.findall(r"[\u4e00-\u9fff]", para))
            counts = {"latin": latin, "cyrillic": cyr, "arabic": arab, "cjk": cjk}
            top = max(counts, key=counts.get)
            if counts[top] >= 20:
                scripts.add(top)
                example.setdefault(top, para.strip()[:120])
        if len(scripts) > 1:
            flags.append(Flag("mixed_language", "paragraphs in several scripts: " + ", ".join(sorted(scripts)),
                              " | ".join(example[s] for s in sorted(scripts))[:300]))
        # 4. contradictions
        cands, _ = extract_candidates(body)
        groups: dict[tuple, list[Candidate]] = {}
        for c in cands:
            if c.qualifier == "vague" or not c.claimant:
                continue
            groups.setdefault((c.metric, c.population, c.claimant, c.as_of), []).append(c)
        for (metric, pop, claimant, as_of), cs in groups.items():
            values = {(c.low, c.high) for c in cs}
            if len(values) > 1:
                flags.append(Flag("contradiction",
                                  f"{len(values)} different figures for {metric} ({pop}) from {claimant}"
                                  f" as of {as_of or 'unknown'}",
                                  " | ".join(c.quote for c in cs)[:300]))
    except Exception as exc:  # noqa: BLE001
        flags.append(Flag("artefact", f"quality check failed: {type(exc).__name__}", ""))
    return flags
