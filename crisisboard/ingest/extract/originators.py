"""Who states a figure, what the text calls it, whom it covers and where: from the crisis definition's
patterns for its places, originators and groups of people (crisisboard.data.crisis)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from crisisboard.data.crisis import Extraction
from crisisboard.data.load import data_dir_from_env


def read_places(path=None) -> pd.DataFrame:
    """places.csv as strings (empty frame with the key columns when unreadable)."""
    p = Path(path) if path is not None else data_dir_from_env() / "places.csv"
    try:
        return pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except Exception:  # noqa: BLE001
        return pd.DataFrame(columns=["place_id", "name", "kind", "country"])


def _gazetteer(places: pd.DataFrame | None, extraction: Extraction) -> list[tuple[re.Pattern, str]]:
    """Place patterns in order: the crisis definition's spellings (of places the table has), then each place's
    own name."""
    ids: set[str] | None = None
    extra: list[tuple[str, str]] = []
    if places is not None:
        try:
            ids = set(places["place_id"].astype(str))
            for pid, name in zip(places["place_id"].astype(str), places["name"].astype(str)):
                base = re.sub(r"\s*\(.*\)$", "", name).strip()
                if base:
                    extra.append((re.escape(base), pid))
        except Exception:  # noqa: BLE001
            ids = None
    pairs = [(alias.pattern, alias.place) for alias in extraction.places if ids is None or alias.place in ids] + extra
    out = []
    for pat, pid in pairs:
        try:
            out.append((re.compile(r"(?<![\w-])(?:" + pat + r")(?![\w])"), pid))
        except re.error:
            continue
    return out


@dataclass(frozen=True)
class _Rules:
    """A crisis's patterns, compiled: places, originators and groups of people."""

    gazetteer: list
    claimants: list  # (regex, canonical claimant, type)
    populations: list  # (regex, population, requires, excluded_by, kept_by)
    countries: tuple[str, str]  # (home, refuge) regexes: where people are displaced, where they flee to
    refuge_place: str | None  # the place refugee figures are about when the sentence names the refuge
    refuge_country: str  # the ISO alpha-2 code of the refuge: a refugees_crossed figure's destination
    home_places: frozenset[str]  # places a refugee figure is moved from to refuge_place


@lru_cache(maxsize=16)
def _compiled(place_ids: tuple, names: tuple, extraction: Extraction) -> _Rules:
    places = pd.DataFrame({"place_id": list(place_ids), "name": list(names)}) if place_ids else None
    flags = re.I

    def optional(pattern: str | None) -> re.Pattern | None:
        return re.compile(pattern, flags) if pattern else None

    return _Rules(
        _gazetteer(places, extraction),
        [(re.compile(r"(?<![\w])(?:" + c.pattern + r")(?![\w])", flags), c.name, c.type) for c in extraction.claimants],
        [(re.compile(r"(?<![\w])(?:" + p.pattern + r")(?![\w])", flags), p.population, optional(p.requires),
          optional(p.excluded_by), optional(p.kept_by)) for p in extraction.populations],
        (extraction.home or "(?!)", extraction.refuge or "(?!)"), extraction.refuge_place, extraction.refuge_country or "",
        frozenset(extraction.home_places))


def _rules(places: pd.DataFrame | None, extraction: Extraction) -> _Rules:
    if places is None or "place_id" not in places or "name" not in places:
        return _compiled((), (), extraction)
    return _compiled(tuple(places["place_id"].astype(str)), tuple(places["name"].astype(str)), extraction)





def _claimant(sentence: str, rel: int, claimants: list) -> tuple[str, str, str]:
    """(claimant, type, rule) nearest a reporting verb or an 'according to'."""
    best = None
    for rx, canon, ctype in claimants:
        for m in rx.finditer(sentence):
            dist = abs(m.start() - rel)
            ctx = sentence[max(0, m.start() - 25):m.end() + 40].lower()
            bonus = 0 if re.search(r"according\s+to|said|says|say\b|reported|estimate|told|quoted|"
                                   r"figures|recorded|registered|announced|data|сообщ|по\s+данным",
                                   ctx) else 1000
            score = dist + bonus
            if best is None or score < best[0]:
                best = (score, canon or m.group(0).strip(), ctype)
    if best is None:
        m = re.search(r"according\s+to\s+(?:the\s+)?([^,.;]{3,60})", sentence, re.I)
        if m:
            return m.group(1).strip(), "unknown", "according to"
        return "", "unknown", ""
    return best[1], best[2], "claimant word"


def _status(sentence: str) -> str:
    low = sentence.lower()
    if re.search(r"unconfirmed|unverified|not\s+(?:been\s+)?confirmed|неподтвержд", low):
        return "unconfirmed"
    if re.search(r"\bconfirmed\b|подтвержд", low):
        return "confirmed"
    if re.search(r"\bofficial(?:ly)?\b|официальн", low):
        return "official"
    if re.search(r"\bestimat\w*|по\s+оценк", low):
        return "estimate"
    if re.search(r"\breportedly\b|\bwere\s+reported\b|\bare\s+reported\b|\breports?\s+(?:say|said|suggest)|"
                 r"по\s+(?:имеющимся\s+)?данным|по\s+сообщени", low):
        return "reported"
    return "not_stated"


def _population(near: str, sentence: str, populations: list) -> str:
    for rx, population, requires, excluded_by, kept_by in populations:
        if rx.search(near):
            if excluded_by is not None and excluded_by.search(near) and not (kept_by and kept_by.search(near)):
                continue
            if requires is not None and not requires.search(near):
                continue
            return population
    if re.search(r"only\s+the\s+adults|adults\s+only|counting\s+only\s+adults", sentence, re.I):
        return "adults"
    return "all"



def _place(sentence: str, rel: int, rules: _Rules, metric: str) -> str:
    """The place nearest the figure; a refugee figure placed in the crisis's own country moves to the refuge
    when the sentence names it."""
    best = None
    for rx, pid in rules.gazetteer:
        for m in rx.finditer(sentence):
            # a longer, more specific match at the same spot wins (gazetteer is ordered)
            dist = abs(m.start() - rel)
            if best is None or dist < best[0] - 0 and not (best[2][0] <= m.start() < best[2][1]):
                best = (dist, pid, (m.start(), m.end()))
    if best is None:
        return ""
    pid = best[1]
    if metric in ("refugees_crossed", "refugees_remaining") and pid in rules.home_places and rules.refuge_place:
        if re.search(rules.countries[1], sentence):
            return rules.refuge_place
    return pid
