"""Convert the raw JobTech taxonomy snapshots into the compact file the package ships.

Run at build time (``python scripts/build_taxonomy.py``), never at run time. The
current snapshot (2025/26) wins where both snapshots hold a concept; concepts only
in the 2019 snapshot are kept and marked ``deprecated`` (for occupation names:
replaced), so old ads and imports still resolve.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# 2019 type names that differ from the current API's names.
TYPE_ALIASES = {"occupation-group": "ssyk-level-4", "driving-license": "driving-licence"}

# For these 2019 types the legacy id *is* the national code (SSYK, kommun, län, SUN).
LEGACY_ID_IS_CODE = {
    "occupation-group",
    "municipality",
    "region",
    "sun-education-field-1",
    "sun-education-field-2",
    "sun-education-field-3",
    "sun-education-level-1",
    "sun-education-level-2",
    "sun-education-level-3",
}

# The 2019-12 dump's "region" also holds 1,294 European NUTS regions; Lotsen works on
# Swedish län only, which the 2019 snapshot already has with their county codes.
SKIPPED_LEGACY_TYPES = {"region"}

DATA_FILE = "taxonomy.json.gz"
GEOMETRY_FILE = "municipalities.geojson.gz"


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _sha256(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build(shared_data: Path, out_dir: Path) -> dict[str, Any]:
    """Build ``taxonomy.json.gz`` and the municipality geometry into ``out_dir``."""
    tax = shared_data / "taxonomy"
    regional = shared_data / "regional"
    inputs = [
        tax / "current" / "concepts.csv",
        tax / "current" / "relations.csv",
        tax / "current" / "relations_ssyk4_skill.csv",
        tax / "concepts.csv",
        tax / "relations.csv",
        tax / "concepts_legacy_2019-12-02.csv",
        tax / "relations_legacy_2018-12.csv",
        regional / "se_municipality_centroids.csv",
        regional / "se_municipalities_2024.geojson",
    ]
    concepts: dict[str, dict[str, Any]] = {}

    for row in _rows(tax / "current" / "concepts.csv"):
        concepts[row["concept_id"]] = {
            "id": row["concept_id"],
            "type": row["type"],
            "label": row["preferred_label"],
            "code": row["code"] or None,
            "definition": row["definition"] or None,
            "deprecated": False,
            "extra": {},
        }
    for row in _rows(tax / "concepts.csv"):
        raw_type = row["type"]
        extra: dict[str, Any] = {}
        if row["legacy_id"]:
            extra["legacy_id"] = row["legacy_id"]
        for key in ("lat", "lon"):
            if row[key]:
                extra[key] = float(row[key])
        for key in ("municipality_code", "country_code"):
            if row[key]:
                extra[key] = row[key]
        existing = concepts.get(row["concept_id"])
        if existing is not None:
            existing["extra"].update(extra)
            if not existing["definition"] and row["description"]:
                existing["definition"] = row["description"]
            continue
        ctype = TYPE_ALIASES.get(raw_type, raw_type)
        concepts[row["concept_id"]] = {
            "id": row["concept_id"],
            "type": ctype,
            "label": row["preferred_label"],
            "code": row["legacy_id"]
            if raw_type in LEGACY_ID_IS_CODE and row["legacy_id"]
            else None,
            "definition": row["description"] or None,
            # Types the current API no longer serves are still valid concepts; only
            # occupation names and skills have current replacements.
            "deprecated": ctype in {"occupation-name", "skill"},
            "extra": extra,
        }
    for row in _rows(tax / "concepts_legacy_2019-12-02.csv"):
        if row["concept_id"] in concepts or row["type"] in SKIPPED_LEGACY_TYPES:
            continue
        ctype = TYPE_ALIASES.get(row["type"], row["type"])
        concepts[row["concept_id"]] = {
            "id": row["concept_id"],
            "type": ctype,
            "label": row["preferred_label"],
            "code": None,
            "definition": None,
            "deprecated": ctype in {"occupation-name", "skill"},
            "extra": {"legacy_id": row["legacy_ams_taxonomy_id"]}
            if row["legacy_ams_taxonomy_id"]
            else {},
        }

    relations: dict[tuple[str, str, str], list[Any]] = {}

    def add(src: str, rel: str, dst: str, weight: float | None, origin: str) -> None:
        if src not in concepts or dst not in concepts:
            return
        key = (src, rel, dst)
        if key not in relations:
            relations[key] = [src, rel, dst, weight, origin]

    for row in _rows(tax / "current" / "relations.csv"):
        weight = float(row["weight"]) if row["weight"] else None
        add(row["from_concept_id"], row["relation"], row["to_concept_id"], weight, "current")
    for row in _rows(tax / "current" / "relations_ssyk4_skill.csv"):
        add(row["from_concept_id"], row["relation"], row["to_concept_id"], None, "current")
    for row in _rows(tax / "relations.csv"):
        add(row["from_concept_id"], row["relation"], row["to_concept_id"], None, "2019")
    for row in _rows(tax / "relations_legacy_2018-12.csv"):
        add(row["from_concept_id"], row["relation"], row["to_concept_id"], None, "2018")

    by_code = {c["code"]: c for c in concepts.values() if c["type"] == "municipality" and c["code"]}
    for row in _rows(regional / "se_municipality_centroids.csv"):
        municipality = by_code.get(row["municipality_code"])
        if municipality is None:
            continue
        municipality["extra"].update(
            {
                "lat": float(row["centroid_lat"]),
                "lon": float(row["centroid_lon"]),
                "county_code": row["county_code"],
                "area_km2": float(row["area_km2"]),
                "x_sweref99tm": int(row["centroid_x_sweref99tm"]),
                "y_sweref99tm": int(row["centroid_y_sweref99tm"]),
            }
        )

    meta = {
        "name": "JobTech Taxonomy (Arbetsförmedlingen), current ≈ v27–v31 (2025/26) "
        "joined with the 2019-12 snapshot",
        "licence": "Arbetsförmedlingen open data (JobTech Taxonomy), cited as CC0; "
        "municipality geometry and centroids SCB via sjbrg/swedish-geodata and "
        "borstell/swemapdata, CC0 1.0",
        "sources": "see src/lotsen/taxonomy/data/SOURCE.md",
        "input_sha256": _sha256(inputs),
        "built_at": datetime.now(UTC).strftime("%Y-%m-%d"),
        "concepts": len(concepts),
        "relations": len(relations),
    }
    payload = {
        "meta": meta,
        "concept_fields": ["id", "type", "label", "code", "definition", "deprecated", "extra"],
        "concepts": [
            [
                c["id"],
                c["type"],
                c["label"],
                c["code"],
                c["definition"],
                c["deprecated"],
                c["extra"],
            ]
            for c in sorted(concepts.values(), key=lambda c: c["id"])
        ],
        "relations": sorted(relations.values(), key=lambda r: (r[0], r[1], r[2])),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the gzip byte-identical between rebuilds of the same inputs.
    with gzip.GzipFile(out_dir / DATA_FILE, "wb", mtime=0) as handle:
        handle.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    with gzip.GzipFile(out_dir / GEOMETRY_FILE, "wb", mtime=0) as handle:
        handle.write((regional / "se_municipalities_2024.geojson").read_bytes())
    return meta
