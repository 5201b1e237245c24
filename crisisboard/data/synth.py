"""Synthetic datasets for scale tests: ``python -m crisisboard synth --claims N --out DIR``.

Every row is plainly synthetic (publishers "Synthetic publisher …", URLs on example.org, quotes
that say "(synthetic)"), valid under every rule of data/README.md, with a realistic spread of
metrics, dates, places, grades, qualifiers and relays. The places are the real gazetteer, so the
maps draw them. Deterministic for a given seed.
"""

from __future__ import annotations

import csv
import random
from datetime import timedelta
from pathlib import Path

from crisisboard.data import PROJECT_ROOT, schema
from crisisboard.data.crisis import CRISIS_FILE, read_crisis

METRIC_WEIGHTS = {"killed": 30, "injured": 15, "hospitalized": 2, "missing": 1, "displaced_internal": 5,
                  "displaced_total": 12, "affected": 5, "refugees_crossed": 14, "refugees_at_border": 4,
                  "refugees_returned": 3, "refugees_remaining": 2, "detained": 1, "buildings_destroyed": 3,
                  "buildings_damaged": 1, "buildings_damaged_or_destroyed": 2}
SCALE = {"killed": 200, "injured": 1500, "hospitalized": 900, "missing": 50, "displaced_internal": 300_000,
         "displaced_total": 400_000, "affected": 1_000_000, "refugees_crossed": 100_000,
         "refugees_at_border": 15_000, "refugees_returned": 70_000, "refugees_remaining": 15_000, "detained": 300,
         "buildings_destroyed": 1_800, "buildings_damaged": 2_000, "buildings_damaged_or_destroyed": 1_900}
CLAIMANTS = [("Synthetic ministry", "government", "B", "official"), ("Synthetic UN agency", "un_agency", "B", "estimate"),
             ("Synthetic NGO", "ngo", "B", "not_stated"), ("Synthetic council", "local_official", "C", "unconfirmed"),
             ("Synthetic wire", "media", "C", "reported"), ("unknown", "unknown", "F", "reported"),
             ("Synthetic commission", "commission", "B", "official")]
QUALIFIERS = [("exact", 40), ("about", 20), ("at_least", 12), ("more_than", 10), ("up_to", 6), ("between", 6),
              ("fewer_than", 1), ("vague", 5)]


def _figure(rng: random.Random, metric: str, qualifier: str) -> tuple[str, str, str, str]:
    """(figure_text, low, high, vague_term) for a qualifier, as data/README.md's table wants them."""
    value = max(1, int(SCALE[metric] * rng.lognormvariate(0, 0.6)))
    if qualifier == "vague":
        term = rng.choice(schema.VAGUE_TERMS)
        return term.replace("_", " "), "", "", term
    if qualifier == "between":
        return f"between {value:,} and {value * 2:,}", str(value), str(value * 2), ""
    words = {"exact": "", "about": "about ", "at_least": "at least ", "more_than": "more than ", "up_to": "up to ",
             "fewer_than": "fewer than "}[qualifier]
    low = "" if qualifier in ("up_to", "fewer_than") else str(value)
    high = "" if qualifier in ("at_least", "more_than") else str(value)
    return f"{words}{value:,}", low, high, ""


def _scope(statement: int) -> tuple[str, ...]:
    """A statement's scope and notes (a partial claim's notes say what part): every fifth statement is partial.
    Taken from the statement's number, so the random stream is that of a dataset without scopes."""
    return ("partial", "synthetic partial count: one town") if statement % 5 == 0 else ("crisis", "")


def write_synthetic(out: Path, n_claims: int, seed: int = 2010, base: Path | None = None) -> dict[str, int]:
    """Write sources.csv, claims.csv, places.csv and incidents.csv of a synthetic dataset into `out`, with the
    places and the crisis definition of the dataset `base` (default: the shipped data/)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    base = base or PROJECT_ROOT / "data"
    places_csv = base / "places.csv"
    (out / "places.csv").write_bytes(places_csv.read_bytes())
    (out / CRISIS_FILE).write_bytes((base / CRISIS_FILE).read_bytes())
    with places_csv.open(encoding="utf-8") as handle:
        place_ids = [row["place_id"] for row in csv.DictReader(handle)]
    n_sources = max(1, n_claims // 4)
    crisis = read_crisis(base)
    start = crisis.window.start + timedelta(days=1)  # releases from the crisis's second day
    cited = {source_id for route in crisis.routes for source_id in route.source_ids}
    with (base / "sources.csv").open(encoding="utf-8", newline="") as handle:  # the texts the crisis cites, as they are
        real = [row for row in csv.DictReader(handle) if row["source_id"] in cited]
    with (out / "sources.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(schema.SOURCE_COLUMNS)
        writer.writerows([row[column] for column in schema.SOURCE_COLUMNS] for row in real)
        for i in range(n_sources):
            day = start + timedelta(days=int(rng.expovariate(1 / 10)) % 300)
            writer.writerow([f"syn-s{i}", f"Synthetic publisher {i % 97}", rng.choice(schema.PUBLISHER_TYPES),
                             f"Synthetic release {i}", f"https://example.org/synthetic/{i}", "", day.isoformat(),
                             rng.choice(("exact", "exact", "inferred")), "en", "", "synthetic row"])
    # the crisis's own group of people (crisis.toml groups) and the country its refugees cross into (refuge_country,
    # else a country of its geodata): nothing of one crisis is written here
    group = crisis.groups[0] if crisis.groups else "all"
    destination = crisis.extraction.refuge_country or sorted(crisis.geo.iso3)[0]
    metrics, weights = zip(*METRIC_WEIGHTS.items())
    qualifiers, q_weights = zip(*QUALIFIERS)
    with (out / "claims.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(schema.CLAIM_FIELDS)
        for i in range(n_claims):
            if i % 3 == 0:  # a new statement, relayed by about three texts (same metric and claimant)
                metric = rng.choices(metrics, weights)[0]
                claimant, claimant_type, reliability, status = rng.choice(CLAIMANTS)
                credibility = str(rng.choice((1, 2, 2, 2, 3, 3, 4, 5, 6)))
            qualifier = rng.choices(qualifiers, q_weights)[0]
            figure, low, high, vague = _figure(rng, metric, qualifier)
            as_of = start + timedelta(days=int(rng.expovariate(1 / 8)) % 50)
            source = rng.randrange(n_sources)
            statement = f"st-syn-{i // 3}"
            scope, note = _scope(i // 3)
            writer.writerow([
                f"syn-c{i}", f"syn-s{source}", statement,
                f"(synthetic) {claimant} said {figure} {metric.replace('_', ' ')}", figure, metric,
                rng.choice(("all", "all", "all", group, "civilians")), low, high, qualifier, vague,
                as_of.isoformat(), rng.choice(schema.DATE_PRECISION), rng.choice(place_ids), claimant, claimant_type,
                rng.choice(("", "", "Synthetic wire", "Synthetic wire > Synthetic paper")), status,
                rng.choice(schema.CLAIM_KINDS), scope, reliability, credibility, "synthetic grade", note,
                destination if metric == schema.CROSSED else ""])
    with (out / "incidents.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(schema.INCIDENT_COLUMNS)
        for i in range(max(5, n_claims // 1000)):
            day = start + timedelta(days=rng.randrange(50))
            writer.writerow([f"i-syn-{i}", day.isoformat(), "", "exact", rng.choice(place_ids),
                             rng.choice(schema.INCIDENT_KINDS), f"Synthetic incident {i}.", f"syn-s{i % n_sources}"])
    return {"claims": n_claims, "sources": n_sources}
