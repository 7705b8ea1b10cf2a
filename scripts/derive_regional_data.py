"""Derive the compact regional statistics Lotsen ships (``src/lotsen/regional/data``).

Run from the repository root with the shared data folder's ``regional/`` directory:

    python scripts/derive_regional_data.py ../shared/data/regional

Every output is a plain CSV summed or filtered from the SCB/MYH files described in
``src/lotsen/regional/data/SOURCES.md``; the sha256 of each input is printed so the
shipped files can be traced to the exact inputs.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "lotsen" / "regional" / "data"
BANDS = ("16-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65-69")
# Municipalities of Norrbotten whose inflows from every municipality SCB's TAB1830 extract holds.
INFLOW_TARGETS = ("2580", "2582", "2581", "2560", "2514")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"wrote {name}: {len(rows)} rows")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def employment(src: Path) -> None:
    path = src / "labour" / "scb_yreg60bas_county24_25_ssyk4_sex_2020_2024.csv"
    print(path.name, _sha(path))
    acc: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: {"men": 0, "women": 0})
    for row in _rows(path):
        acc[(row["county_code"], row["code_4"], row["year"])][row["sex"]] += int(row["value"])
    rows = [[c, s, y, v["men"], v["women"], v["men"] + v["women"]]
            for (c, s, y), v in sorted(acc.items())]
    _write("employment_county_ssyk4.csv",
           ["county_code", "ssyk4", "year", "men", "women", "employed"], rows)


def age_profile(src: Path) -> None:
    path = src / "labour" / "scb_yreg54bas_national_ssyk4_age_2020_2024.csv"
    print(path.name, _sha(path))
    acc: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for row in _rows(path):
        band = row["age_group"].replace(" years", "")
        acc[(row["ssyk4"], row["year"])][band] = int(row["employees"])
    rows = [[s, y, *(v.get(b, 0) for b in BANDS)] for (s, y), v in sorted(acc.items())]
    _write("age_profile_national_ssyk4.csv", ["ssyk4", "year", *BANDS], rows)


def commuting(src: Path) -> None:
    """Both-sexes flows, home -> work, from the 14x14 matrix and the five inflow tables."""
    matrix = src / "commuting" / "scb_arregpend2_norrbotten_2020_2024.csv"
    inflow = src / "scb" / "components" / "commuting_flows.csv"
    print(matrix.name, _sha(matrix))
    print(inflow.name, _sha(inflow))
    flows: dict[tuple[str, str, str], int] = defaultdict(int)
    for row in _rows(matrix):
        flows[(row["year"], row["residence_code"], row["workplace_code"])] += int(row["employed"])
    for row in _rows(inflow):
        if row["Kon"] != "1+2":
            continue
        for year in range(2020, 2025):
            value = row[f"000000QT {year}"]
            key = (str(year), row["Bostadskommun"], row["Arbetsstallekommun"])
            if value not in ("..", "") and key not in flows:
                flows[key] = int(value)
    rows = [[y, h, w, n] for (y, h, w), n in sorted(flows.items()) if n > 0]
    _write("commuting_flows.csv", ["year", "home_code", "work_code", "employed"], rows)


def municipalities(src: Path) -> None:
    """Each municipality with its county, urban population 2020 and a population-weighted
    point (mean of its urban localities, weighted by inhabitants) for commuting distances."""
    centroids = src / "se_municipality_centroids.csv"
    localities = src / "se_localities_tatorter_2020.csv"
    print(centroids.name, _sha(centroids))
    print(localities.name, _sha(localities))
    pop: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for row in _rows(localities):
        n = int(row["population_2020"])
        acc = pop[row["municipality_code"]]
        acc[0] += n
        acc[1] += n * float(row["lat"])
        acc[2] += n * float(row["lon"])
    rows: list[list[object]] = []
    for row in _rows(centroids):
        n, lat, lon = pop.get(row["municipality_code"], [0.0, 0.0, 0.0])
        point = (lat / n, lon / n) if n else (float(row["inner_point_lat"]),
                                              float(row["inner_point_lon"]))
        rows.append([row["municipality_code"], row["municipality_name"], row["county_code"],
                     row["county_name"], int(n), f"{point[0]:.4f}", f"{point[1]:.4f}"])
    _write("municipalities.csv", ["municipality_code", "municipality_name", "county_code",
                                  "county_name", "urban_population_2020", "lat", "lon"], rows)


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/regional")
    OUT.mkdir(parents=True, exist_ok=True)
    employment(src)
    age_profile(src)
    commuting(src)
    municipalities(src)


if __name__ == "__main__":
    main()
