"""Derive the scenario model's SCB component data from the shared raw extracts.

Run from the repository root (reads ../shared/data, writes the package's data folder)::

    .venv/bin/python scripts/build_scenario_rates.py [--data ../shared/data]

Writes ``src/lotsen/scenario/data/scb_components.csv`` with one row per value:
``series, code, year, sex, age, value`` where

* ``births``: live births in ``year`` by mother's age attained in the year (15..49, 49 =
  "49+"), both sexes of the child (sex 0), SCB TAB1264 (BE0101E2), 2006–2024;
* ``boys``: live boys born in ``year`` (age 0, sex 1), the same table;
* ``deaths``: deaths in ``year`` by age attained in the year (0..100, 100 = "100+") and
  sex, SCB TAB959 (BE0101D8), 2006–2024 — only Luleå, Piteå, Boden (SCB publishes these
  for every municipality, but only they are staged; Umeå and Skellefteå have none);
* ``q2024``: SCB's national death probability in 2024 by age (0..99, 100 copies 99) and
  sex, all birth regions (code 90), SCB TAB5248 (the 2024 forecast's base year);
* ``improvement``: the same forecast's mean annual decline of that probability 2024→2050;
* ``net_migration``: direct net migration in 2025 by age (0..100) and sex, SCB TAB6640
  (noise-protected, about ±3 per cell), Luleå, Piteå, Boden;
* ``in_migration``: gross in-migration (domestic + immigration) in 2025 by age and sex,
  the same table, all five staged Norrbotten municipalities (Luleå, Boden, Piteå,
  Älvsbyn, Kalix): the age/sex profile of people who move to a job market in the north;
* ``dwellings``: the housing stock on 31 Dec by tenure (``sex`` column = tenure: 1 rental,
  2 tenant-owned, 3 owner-occupied, 4 other; age 0), summed over building types, SCB
  TAB824 (BO0104T04), 2013–2025, the same five Norrbotten municipalities.

Only municipalities whose population by age and sex ships are kept (the model needs both).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "lotsen" / "scenario" / "data" / "scb_components.csv"
KEEP = ("2480", "2482", "2580", "2581", "2582")
FIRST, LAST = 2006, 2024


def _age(text: str) -> int:
    return int(text.split("+")[0])  # "49+", "100+", and SCB's "100+1" class of 2025


def build(data: Path) -> list[tuple[str, str, int, int, int, str]]:
    comp = data / "regional" / "scb" / "components"
    rows: list[tuple[str, str, int, int, int, str]] = []
    births: dict[tuple[str, int, int], int] = {}
    boys: dict[tuple[str, int], int] = {}
    with open(comp / "births_pre2025.csv", encoding="utf-8") as handle:
        for line in csv.reader(handle):
            if line[0] == "Region" or line[0] not in KEEP:
                continue
            for offset, value in enumerate(line[3:]):
                year = FIRST + offset
                key = (line[0], year, _age(line[1]))
                births[key] = births.get(key, 0) + int(value)
                if line[2] == "1":
                    boys[(line[0], year)] = boys.get((line[0], year), 0) + int(value)
    rows += [("births", c, y, 0, a, str(v)) for (c, y, a), v in sorted(births.items())]
    rows += [("boys", c, y, 1, 0, str(v)) for (c, y), v in sorted(boys.items())]
    with open(comp / "deaths_pre2025.csv", encoding="utf-8") as handle:
        for line in csv.reader(handle):
            if line[0] == "Region" or line[0] not in KEEP:
                continue
            for offset, value in enumerate(line[3:]):
                rows.append(("deaths", line[0], FIRST + offset, int(line[2]),
                             min(_age(line[1]), 100), value))
    with open(comp / "raps_mortality_forecast.csv", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        years = [int(h.split()[-1]) for h in header[3:]]
        for line in reader:
            if line[0] != "90":
                continue
            values = [float(v) for v in line[3:]]
            sex, age = int(line[1]), int(line[2])
            decline = 1.0 - (values[-1] / values[0]) ** (1.0 / (years[-1] - years[0]))
            for a in ([age, 100] if age == 99 else [age]):
                rows.append(("q2024", "00", years[0], sex, a, f"{values[0]:.6g}"))
                rows.append(("improvement", "00", years[0], sex, a, f"{decline:.6g}"))
    with open(comp / "migration_2025.csv", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        net = header.index("00000868 2025")  # in, out, immigration, emigration, NET, ...
        moved_in = header.index("0000086B 2025")  # IN total (domestic + immigration)
        for line in reader:
            if line[0] in KEEP:
                rows.append(("net_migration", line[0], 2025, int(line[2]),
                             min(_age(line[1]), 100), line[net]))
            rows.append(("in_migration", line[0], 2025, int(line[2]),
                         min(_age(line[1]), 100), line[moved_in]))
    tenure = {"1": 1, "2": 2, "3": 3, "ÖVRIGT": 4}
    stock: dict[tuple[str, int, int], int] = {}
    with open(comp / "housing_stock.csv", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        years = [int(h.split()[-1]) for h in header[3:]]
        for line in reader:
            for year, value in zip(years, line[3:], strict=True):
                key = (line[0], year, tenure[line[2]])
                stock[key] = stock.get(key, 0) + int(value)
    rows += [("dwellings", c, y, t, 0, str(v)) for (c, y, t), v in sorted(stock.items())]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    rows = build(args.data)
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["series", "code", "year", "sex", "age", "value"])
        writer.writerows(rows)
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} rows")


if __name__ == "__main__":
    main()
