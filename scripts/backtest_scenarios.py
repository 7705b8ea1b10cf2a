"""Back-tests of the scenario model: the figures of docs/validation.md.

Run from the repository root::

    .venv/bin/python scripts/backtest_scenarios.py > /tmp/backtest.md

1. Population projection without an establishment (Piteå, Boden): the cohort-component
   model fitted on 2006–2017 against a naive linear trend fitted on the same years,
   both projected to 2024 in this run, compared with SCB's actual numbers.
2. Skellefteå with what was known in 2017, against SCB's population 2018–2024 and the
   job figures published later (shared/data/establishments.md); plus a hindsight run
   fed with the jobs that did come, to separate input error from model error.
3. Tesla Nevada with what was known in 2014, against the figures published later.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import numpy as np

from lotsen.scenario import load_scenario, parse_scenario, run_scenario
from lotsen.scenario.regional_data import observed

ROOT = Path(__file__).resolve().parents[1]
BACKTESTS = ROOT / "examples" / "scenarios" / "backtests"
GROUPS = {"total": (0, 101), "1–5": (1, 6), "6–15": (6, 16), "80+": (80, 101)}
FIT, PROJECT = (2006, 2017), (2018, 2024)


def fmt(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def pct(error: float) -> str:
    return f"{error:+.1%}"


def actual(code: str, year: int, group: str = "total") -> float:
    population = observed(code, year)
    assert population is not None
    lo, hi = GROUPS[group]
    return float(population[:, lo:hi].sum())


def naive_trend(code: str, group: str) -> dict[int, float]:
    """Least-squares line through the fit years, extrapolated."""
    years = np.arange(FIT[0], FIT[1] + 1)
    values = np.array([actual(code, int(y), group) for y in years])
    slope, intercept = np.polyfit(years, values, 1)
    return {y: float(slope * y + intercept) for y in range(PROJECT[0], PROJECT[1] + 1)}


def cohort_projection(code: str) -> dict[str, dict[int, float]]:
    """The model's baseline for ``code``: a scenario with no jobs, fitted on FIT."""
    scenario = parse_scenario(f"""
name = "No establishment"
municipality = "{code}"
[years]
start = {PROJECT[0]}
end = {PROJECT[1]}
[direct_jobs]
{PROJECT[0]} = 0
[demography]
fit_years = {{ start = {FIT[0]}, end = {FIT[1]} }}
""", f"baseline-{code}.toml")
    result = run_scenario(scenario, deterministic=True)
    metric = {"total": "population", "1–5": "age_1_5", "6–15": "age_6_15",
              "80+": "age_80_plus"}
    return {group: dict(zip(result.years, result.band(name, code)[1].tolist(), strict=True))
            for group, name in metric.items()}


def section_projection() -> None:
    print("## 1. Population projection without an establishment\n")
    print(f"Fit on {FIT[0]}–{FIT[1]}, projected {PROJECT[0]}–{PROJECT[1]}; actual = SCB.\n")
    summary = []
    for code, name in (("2581", "Piteå"), ("2582", "Boden")):
        model = cohort_projection(code)
        print(f"### {name} ({code}), total population\n")
        print("| year | actual | cohort-component | error | naive trend | error |")
        print("|---|---:|---:|---:|---:|---:|")
        trend = naive_trend(code, "total")
        errors_model, errors_trend = [], []
        for year in range(PROJECT[0], PROJECT[1] + 1):
            truth = actual(code, year)
            em, et = model["total"][year] / truth - 1, trend[year] / truth - 1
            errors_model.append(abs(em))
            errors_trend.append(abs(et))
            print(f"| {year} | {fmt(truth)} | {fmt(model['total'][year])} | {pct(em)} | "
                  f"{fmt(trend[year])} | {pct(et)} |")
        print(f"\nMean absolute error {PROJECT[0]}–{PROJECT[1]}: cohort-component "
              f"{np.mean(errors_model):.2%}, naive trend {np.mean(errors_trend):.2%}.\n")
        for group in GROUPS:
            truth = actual(code, PROJECT[1], group)
            group_trend = naive_trend(code, group)[PROJECT[1]]
            summary.append((name, group, truth, model[group][PROJECT[1]], group_trend))
    print(f"### Age groups in {PROJECT[1]}\n")
    print("| municipality | ages | actual | cohort-component | error | naive trend | error |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, group, truth, cohort, trend in summary:
        print(f"| {name} | {group} | {fmt(truth)} | {fmt(cohort)} | {pct(cohort / truth - 1)} | "
              f"{fmt(trend)} | {pct(trend / truth - 1)} |")
    print()


def section_skelleftea(runs: int, seed: int) -> None:
    print("## 2. Skellefteå (Northvolt Ett), known in 2017\n")
    scenario = load_scenario(BACKTESTS / "skelleftea-known-2017.toml")
    known = run_scenario(scenario, runs=runs, seed=seed)
    hindsight_jobs = {2018: 0.0, 2022: 1500.0, 2024: 3000.0}
    hindsight = run_scenario(replace(scenario, direct_jobs=hindsight_jobs), runs=runs, seed=seed)
    print(f"{runs:,} runs, seed {seed}. Host municipality 2482; P50 (P10–P90).\n")
    print("| year | actual | baseline (no factory) | model 2017: population | error P50 | "
          "inside P10–P90 | hindsight jobs: population | error P50 |")
    print("|---|---:|---:|---:|---:|:---:|---:|---:|")
    for y, year in enumerate(known.years):
        if year > 2024:
            break
        truth = actual("2482", year)
        base = known.band("population_baseline", "2482")[1, y]
        lo, mid, hi = known.band("population", "2482")[:, y]
        h_mid = hindsight.band("population", "2482")[1, y]
        print(f"| {year} | {fmt(truth)} | {fmt(base)} | {fmt(mid)} ({fmt(lo)}–{fmt(hi)}) | "
              f"{pct(mid / truth - 1)} | {'yes' if lo <= truth <= hi else 'no'} | "
              f"{fmt(h_mid)} | {pct(h_mid / truth - 1)} |")
    y24 = known.years.index(2024)
    effect = actual("2482", 2024) - known.band("population_baseline", "2482")[1, y24]
    print(f"\nActual 2024 minus the model's own no-factory baseline: {fmt(effect)} people "
          "(an estimate of the realised effect, which also holds everything else that "
          "happened).")
    print(f"Model's added population in 2482, 2024: known-2017 "
          f"{fmt(known.band('population_added', '2482')[1, y24])}, hindsight jobs "
          f"{fmt(hindsight.band('population_added', '2482')[1, y24])}.\n")
    print("| quantity | model (known 2017) | published later | source |")
    print("|---|---:|---:|---|")
    direct = known.band("direct_jobs", "2482")[1]
    year = known.years.index
    jobs = known.area["total_jobs"][:, year(2025)]
    rows = [
        ("direct jobs, end 2022", fmt(direct[year(2022)]), "> 1,500 on site (early 2023)",
         "Recycling International 2023"),
        ("direct jobs, 2024", fmt(direct[year(2024)]), "~3,000 staff, ~1,000 cut (Sept)",
         "ArcticToday 2024-09-23"),
        ("direct jobs, 2025", fmt(direct[year(2025)]), "~1,200 kept after bankruptcy",
         "March 2025"),
        ("all new jobs in the area, 2025",
         f"{fmt(jobs[1])} ({fmt(jobs[0])}–{fmt(jobs[2])})",
         "14,000–15,000 *expected* by 2025; 8,000–15,000 planned (2019)",
         "OECD 2023; planning chief 2019"),
    ]
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


def section_nevada(runs: int, seed: int) -> None:
    print("## 3. Tesla Gigafactory Nevada, known in 2014\n")
    result = run_scenario(BACKTESTS / "nevada-tesla-known-2014.toml", runs=runs, seed=seed)
    year = result.years.index
    direct = result.area["direct_jobs"][1]
    mid_2018 = (direct[year(2017)] + direct[year(2018)]) / 2
    commuters = result.area["filled_by_commuters"][1, year(2018)] / result.area[
        "total_jobs"][1, year(2018)]
    storey = result.band("population", "US-NV-STOREY")[:, year(2018)]
    washoe_homes = result.band("housing_units_added", "US-NV-WASHOE")[:, year(2016)]
    pupils = result.band("pupils_added", "US-NV-WASHOE")[:, year(2018)]
    added_2019 = result.area["population_added"][:, year(2019)]
    jobs_2019 = result.area["total_jobs"][:, year(2019)]

    def band(values: np.ndarray) -> str:
        return f"{fmt(values[1])} ({fmt(values[0])}–{fmt(values[2])})"

    print(f"{runs:,} runs, seed {seed}. P50 (P10–P90).\n")
    print("| quantity | model (known 2014) | published later | kind |")
    print("|---|---:|---:|---|")
    rows = [
        ("direct jobs, mid-2018", fmt(mid_2018), "7,059 (2018-06-30)", "outcome (GOED)"),
        ("jobs held by non-residents, 2018", f"{commuters:.0%}", "7 % (93 % Nevada residents)",
         "outcome (GOED)"),
        ("construction workforce", "3,000 (input)", "17,000 direct + 7,900 indirect, 2015–2018",
         "outcome (GOED)"),
        ("Storey County population, 2018", band(storey), "~4,000", "outcome (RCG 2024)"),
        ("Washoe: added dwellings, 2016", band(washoe_homes), "4,600 new homes planned (all "
         "growth, not only Tesla)", "context (KUNR 2016)"),
        ("Washoe: added pupils, 2018", band(pupils), "2 elementary + 1/5 middle + 1/5 high "
         "school", "context (WCSD 2016)"),
        ("population added, 2019, 4 counties", band(added_2019), "+42,400 to +64,700 "
         "(5 counties)", "later projection (EPIC 2015)"),
        ("all new jobs, 2019", band(jobs_2019), "+47,400 to +56,600 (5 counties)",
         "later projection (EPIC 2015)"),
    ]
    for county, remi in (("US-NV-WASHOE", "18,000"), ("US-NV-LYON", "9,000"),
                         ("US-NV-CARSON", "5,000"), ("US-NV-STOREY", "700")):
        added = result.band("population_added", county)[:, year(2032)]
        rows.append((f"{county} population added, 2032", band(added), remi,
                     "same-time projection (REMI 2014)"))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args(argv)
    section_projection()
    section_skelleftea(args.runs, args.seed)
    section_nevada(args.runs, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
