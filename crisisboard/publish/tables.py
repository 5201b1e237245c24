"""The approved data of a crisis folder as an edition's data files: the four CSV files (the columns' names, then
a row of HXL hashtags), claims.json and claims.parquet. Approved means the folder's files as
crisisboard.data.load.load_dataset validates them, never proposals; retracted claims are left out."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from crisisboard.data import schema
from crisisboard.data.load import Dataset, load_dataset

# one HXL hashtag per column (https://hxlstandard.org/); a column not listed gets #meta+<column>
HXL = {
    "claims.csv": {
        "claim_id": "#meta+id", "source_id": "#meta+source+id", "statement_id": "#meta+statement+id",
        "quote": "#description+quote", "figure_text": "#description+figure", "metric": "#indicator+metric",
        "population": "#population+type", "low": "#affected+num+min", "high": "#affected+num+max",
        "qualifier": "#meta+qualifier", "vague_term": "#meta+vague", "as_of": "#date+reported",
        "as_of_precision": "#date+precision", "place_id": "#loc+id", "claimant": "#org+claimant+name",
        "claimant_type": "#org+claimant+type", "relayed_by": "#org+relay+name",
        "status_in_text": "#status+text", "claim_kind": "#meta+kind", "scope": "#meta+scope",
        "source_reliability": "#meta+grade+reliability", "info_credibility": "#meta+grade+credibility",
        "grade_rationale": "#description+grade", "notes": "#description+notes", "destination": "#country+code+dest",
    },
    "sources.csv": {
        "source_id": "#meta+source+id", "publisher": "#org+publisher+name", "publisher_type": "#org+publisher+type",
        "title": "#meta+title", "url": "#meta+url", "archive_url": "#meta+url+archive", "published": "#date+published",
        "published_precision": "#date+precision", "language": "#meta+lang", "corpus_file": "#meta+file",
        "notes": "#description+notes",
    },
    "places.csv": {
        "place_id": "#loc+id", "name": "#loc+name", "kind": "#loc+type", "country": "#country+code",
        "admin1": "#adm1+name", "lat": "#geo+lat", "lon": "#geo+lon", "precision": "#geo+precision",
        "geonames_id": "#loc+code+geonames", "coord_source": "#meta+source+geo",
    },
    "incidents.csv": {
        "incident_id": "#event+id", "date_start": "#date+start", "date_end": "#date+end",
        "date_precision": "#date+precision", "place_id": "#loc+id", "kind": "#event+type",
        "summary": "#description+event", "source_ids": "#meta+source+id+list",
    },
}


@dataclass(frozen=True)
class Approved:
    """What an edition publishes: the four tables as text (every cell a string, as the files hold it), the
    ids of the retracted claims, and the loaded dataset (for its crisis and version)."""

    tables: dict[str, pd.DataFrame]
    retracted_ids: frozenset[str]
    dataset: Dataset


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def approved(data_dir: Path) -> Approved:
    """The approved data of `data_dir` (DataValidationError when it breaks a rule: nothing is published)."""
    dataset = load_dataset(data_dir)
    tables = {name: _read(Path(data_dir) / name) for name in schema.FILES}
    claims = tables["claims.csv"]
    retracted = set(dataset.retracted["claim_id"].astype(str)) if len(dataset.retracted) else set()
    kept = claims[~claims["claim_id"].isin(retracted)]
    tables["claims.csv"] = kept.drop(columns=[c for c in ("retracted",) if c in kept.columns]).reset_index(drop=True)
    return Approved(tables=tables, retracted_ids=frozenset(retracted), dataset=dataset)


def hxl_row(name: str, columns: list[str]) -> list[str]:
    """The HXL hashtag of each column of file `name`."""
    tags = HXL.get(name, {})
    return [tags.get(column, f"#meta+{column.replace('_', '')}") for column in columns]


def csv_bytes(name: str, frame: pd.DataFrame) -> bytes:
    """`frame` as CSV: its column names, the HXL row, then the rows (UTF-8, \\n line ends)."""
    tags = pd.DataFrame([hxl_row(name, list(frame.columns))], columns=frame.columns)
    buffer = io.StringIO()
    pd.concat([tags, frame], ignore_index=True).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def data_files(data: Approved) -> dict[str, bytes]:
    """The edition's data files by their path inside it."""
    files = {f"data/{name}": csv_bytes(name, frame) for name, frame in data.tables.items()}
    records = data.tables["claims.csv"].to_dict(orient="records")
    files["claims.json"] = json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")
    buffer = io.BytesIO()
    data.tables["claims.csv"].to_parquet(buffer, index=False)
    files["claims.parquet"] = buffer.getvalue()
    return files


def content_hash(files: dict[str, bytes]) -> str:
    """The hash that says whether the data changed: of the four CSV files only (Parquet bytes may vary)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in files if p.startswith("data/")):
        digest.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    return digest.hexdigest()


def claims_of(csv_text: bytes) -> dict[str, dict[str, str]]:
    """An edition's data/claims.csv read back (its HXL row skipped), by claim id."""
    frame = pd.read_csv(io.BytesIO(csv_text), dtype=str, keep_default_na=False, skiprows=[1])
    return {str(row["claim_id"]): row for row in frame.to_dict(orient="records")}
