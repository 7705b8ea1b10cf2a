"""Where the defaults of the vacancy chain and of the in-migrant households come from.

Run from the repository root (reads ../shared/data, prints markdown)::

    .venv/bin/python scripts/derive_job_parameters.py [--data ../shared/data]

1. ``vacancy_chain.employed_share``: the employment rate, at the ages of the people who
   would be hired, of the residents of Luleå, Piteå and Boden pooled (SCB TAB3205,
   employed by broad age group and sex, 2022–2024, over the shipped population). TAB3205
   counts people where they work, so the pooled rate is bounded: times the share of
   the three's workplaces held by their own residents (TAB1830) it is a lower bound
   (residents working outside the five staged municipalities are missed), uncorrected an
   upper bound (in-commuters counted as residents). Ages are weighted by the age/sex
   profile of SCB's in-migrants 2025 (the model's profile of who takes the jobs).
2. ``local_hire_share_spinoff``: the share ``l`` for which a fraction ``s`` of spin-off
   jobs ends with residents who were not employed, ``l (1 - e) / (1 - l e) = s``
   (Bartik 1993: s about 1/4, range 0.15–0.40), at the employed share ``e`` above.
3. ``households.*``: adults per household from SCB's households by type (TAB1533:
   single = 1 adult, couples = 2, others = persons minus children), 2017 and 2024; workers
   per in-migrant household ``1 + (A - 1) x p`` with ``p`` the partner's employment rate
   (the 25–54 rate above, or lower for a partner who moved with the job); adults per
   in-migrant worker = A / workers.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

from lotsen.scenario.model import adult_profile
from lotsen.scenario.regional_data import observed

ROOT = Path(__file__).resolve().parents[1]
POOL = ("2580", "2581", "2582")  # Luleå, Piteå, Boden: population by age ships for these
STAGED = POOL + ("2560", "2514")  # TAB1830 covers commuting into these five
YEARS = (2022, 2023, 2024)
# Age groups the model's adults fall in, from TAB3205's overlapping groups.
BANDS = {"20–24": (20, 25), "25–54": (25, 55), "55–64": (55, 65)}


def _number(text: str) -> float | None:
    return None if text.strip() in ("..", "") else float(text)


def employed(data: Path) -> dict[tuple[str, int, int, str], float]:
    """(code, year, sex 0/1, band) -> employed persons, by place of work (TAB3205)."""
    raw: dict[tuple[str, int, int, str], float] = {}
    with (data / "employment_age_profile.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for year in YEARS:
                value = _number(row[f"000002XJ {year}"])
                if value is not None:
                    raw[(row["Region"], year, int(row["Kon"]) - 1, row["Alder"])] = value
    out = {}
    for (code, year, sex, band), value in raw.items():
        if band != "25-54":
            continue
        group = {name: raw[(code, year, sex, name)] for name in ("15-24", "16-64", "20-64")}
        # 16–19 = 16–64 minus 20–64; 15-year-olds hardly work, so 20–24 = 15–24 minus it.
        young = group["15-24"] - (group["16-64"] - group["20-64"])
        out[(code, year, sex, "20–24")] = young
        out[(code, year, sex, "25–54")] = value
        out[(code, year, sex, "55–64")] = group["20-64"] - value - young
    return out


def own_share(data: Path) -> dict[int, float]:
    """Per year: jobs in the pool held by people living in the pool, over all its jobs."""
    held: dict[int, float] = defaultdict(float)
    total: dict[int, float] = defaultdict(float)
    with (data / "commuting_flows.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Kon"] != "1+2" or row["Arbetsstallekommun"] not in POOL:
                continue
            for year in YEARS:
                value = _number(row[f"000000QT {year}"]) or 0.0
                total[year] += value
                if row["Bostadskommun"] in POOL:
                    held[year] += value
    return {year: held[year] / total[year] for year in YEARS}


def employment_rates(data: Path) -> dict[int, dict[str, float]]:
    """Per year: the pool's employment rate by band (both sexes) and at the ages of the
    in-migrant profile, on the place-of-work basis (an upper bound, see the module)."""
    counts = employed(data)
    profile = adult_profile()
    out = {}
    for year in YEARS:
        population = sum(observed(code, year) for code in POOL)
        rates: dict[str, float] = {}
        hire = 0.0
        for band, (low, high) in BANDS.items():
            work = [sum(counts[(c, year, s, band)] for c in POOL) for s in (0, 1)]
            people = [float(population[s, low:high].sum()) for s in (0, 1)]
            rates[band] = sum(work) / sum(people)
            hire += sum(profile[s, low:high].sum() * work[s] / people[s] for s in (0, 1))
        rates["hires"] = hire
        out[year] = rates
    return out


def households(data: Path) -> dict[tuple[str, int], tuple[float, float]]:
    """(code, year) -> (adults per household, persons per household), TAB1533."""
    sums: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    children = {"UB": 0, "M1B": 1, "M2B": 2}
    with (data / "households_by_type.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        kind, kids = row["Hushallstyp"], row["Barn"]
        if "SAKNAS" in (kind, kids):
            continue
        for year in (2017, 2024):
            count = float(row[f"BE0101C¤ {year}"])
            persons = float(row[f"BE0101C$ {year}"])
            if count == 0:
                continue
            if kind.startswith("ES"):
                adults = count
            elif kind.startswith(("SM", "SB")):
                adults = 2 * count
            elif kids in children:
                adults = persons - children[kids] * count
            else:  # other households with 3+ children: two adults assumed
                adults = 2 * count
            cell = sums[(row["Region"], year)]
            cell[0] += count
            cell[1] += adults
            cell[2] += persons
    return {key: (a / n, p / n) for key, (n, a, p) in sums.items()}


def spinoff_local(employed_share: float, non_employed_end: float) -> float:
    """Solve l (1 - e) / (1 - l e) = s for the first local-hire share l."""
    e, s = employed_share, non_employed_end
    return s / (1.0 - e + s * e)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path,
                        default=ROOT.parent / "shared" / "data" / "regional" / "scb" / "components")
    args = parser.parse_args(argv)
    rates, share = employment_rates(args.data), own_share(args.data)
    print("### Employment rate of residents, Luleå + Piteå + Boden (TAB3205, TAB1830)\n")
    print("Lower bound = place-of-work rate x share of the pool's jobs held by its own "
          "residents; upper bound = the place-of-work rate.\n")
    print("| year | own residents' share of jobs | 20–24 | 25–54 | 55–64 | at the ages of "
          "in-migrants (hires) |")
    print("|---:|---:|---|---|---|---|")
    for year in YEARS:
        r, k = rates[year], share[year]
        cells = [f"{r[b] * k:.2f}–{r[b]:.2f}" for b in (*BANDS, "hires")]
        print(f"| {year} | {k:.3f} | " + " | ".join(cells) + " |")
    hires = [rates[y]["hires"] * share[y] for y in YEARS] + [rates[y]["hires"] for y in YEARS]
    middle = (min(hires) + max(hires)) / 2
    print(f"\nHires' rate over 2022–2024: {min(hires):.2f}–{max(hires):.2f}, middle "
          f"{middle:.2f}; 25–54 up to {max(rates[y]['25–54'] for y in YEARS):.2f}.\n")
    print("### Spin-off local-hire share for which a share s of spin-off jobs ends with "
          "residents who were not employed (Bartik 1993)\n")
    print("| employed share e | s = 0.15 | s = 0.25 | s = 0.40 |")
    print("|---:|---:|---:|---:|")
    for e in (0.65, round(middle, 2)):
        print(f"| {e:.2f} | " + " | ".join(f"{spinoff_local(e, s):.2f}"
                                          for s in (0.15, 0.25, 0.40)) + " |")
    print("\n### Households (TAB1533): adults and persons per household\n")
    found = households(args.data)
    print("| region | adults 2017 | persons 2017 | adults 2024 | persons 2024 |")
    print("|---|---:|---:|---:|---:|")
    for code in (*STAGED, "00"):
        a17, p17 = found[(code, 2017)]
        a24, p24 = found[(code, 2024)]
        print(f"| {code} | {a17:.2f} | {p17:.2f} | {a24:.2f} | {p24:.2f} |")
    prime = max(rates[y]["25–54"] for y in YEARS)
    print("\n### Adults per in-migrant worker = A / (1 + (A − 1) x partner's employment)\n")
    print("| adults per household A | partner employed 0.5 | 0.7 | "
          f"{prime:.2f} (25–54 rate) |")
    print("|---:|---:|---:|---:|")
    for adults in (1.40, 1.55, 1.70):
        print(f"| {adults:.2f} | " + " | ".join(
            f"{adults / (1 + (adults - 1) * p):.2f}" for p in (0.5, 0.7, prime)) + " |")
    print("\nThe model before: A = 1.7 and 1.25 workers per household, 1.36 adults per "
          "worker (a partner employment of 0.36).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
