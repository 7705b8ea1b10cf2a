"""How far off the population is after a site closes when leavers are drawn at the
movers' age profile rather than from the in-migrants as they have aged. On 1e1db15 (where
they were) it printed the residues in docs/scenarios.md; since leavers are a share of
everyone who came (``model.staying``) it prints 0 (tests/scenario/test_scenario_model.py
checks the same).

Skellefteå, deterministic runs, two cases: in-migrant households whose 3,000 direct
jobs (reached in 2024) are all gone in 2025; and, with no jobs, construction workers
who register (share 0.5 of the 80 % lodged) while a site of 2,000 grows and leave as it
ends in 2021–2023. A share ``d`` of them leaves when the jobs go. Everyone arrived
before anyone left, so had the leavers been a share of everyone who came, as they have
aged, with the children born here, the response after the fall would be exactly
``(1 - d)`` times the response with nobody leaving (the projection is linear). The
residue ``run(d) - (1 - d) x run(0)`` is printed by age group, also as a share of the
peak added 20–64.

    PYTHONPATH=src python scripts/leaver_ages.py
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from lotsen.scenario import Range, Scenario, parse_scenario, run_scenario
from lotsen.scenario.result import ScenarioResult

FloatArray = NDArray[np.float64]

SCENARIO = """\
name = "Leavers' ages"
municipality = "2482"
occupation_mix = "battery-cell-factory"
years = { start = 2018, end = 2034 }
direct_jobs = { 2019 = 200, 2022 = 1500, 2024 = 3000, 2025 = 0 }
construction = { workers = { 2018 = 500, 2020 = 2000, 2023 = 0 } }
ramp = { delay_years = 0 }
"""
GROUPS = ("age_0", "age_1_5", "age_6_15", "age_16_19", "age_20_64", "age_65_79",
          "age_80_plus", "population")
SHOWN = (2026, 2028, 2030, 2034)


def leaving(scenario: Scenario, share: float, registered: float, jobs: bool,
            site: bool = True) -> Scenario:
    fixed = {n: Range.fixed(r.mode) for n, r in scenario.parameters.items()}
    fixed.update({"households.departure_share": Range.fixed(share),
                  "households.arrival_lag_years": Range.fixed(0.0),
                  "construction.registered_share": Range.fixed(registered),
                  "construction.commuter_share": Range.fixed(0.8)})
    return replace(scenario, parameters=fixed,
                   direct_jobs=scenario.direct_jobs if jobs else {},
                   construction_workers=scenario.construction_workers if site else {})


def main() -> None:
    base = parse_scenario(SCENARIO, "leavers.toml")
    nothing = run_scenario(leaving(base, 0.0, 0.0, False, site=False), deterministic=True)

    def added(result: ScenarioResult, group: str) -> FloatArray:
        out: FloatArray = result.area[group][1] - nothing.area[group][1]
        return out

    cases = (("in-migrant households, jobs fall to 0 in 2025", 0.0, True),
             ("registered construction workers only (share 0.5), site ends in 2023", 0.5,
              False))
    for label, registered, jobs in cases:
        stay = run_scenario(leaving(base, 0.0, registered, jobs), deterministic=True)
        peak = float(added(stay, "age_20_64").max())
        print(f"\n{label}; peak added 20–64 with nobody leaving: {peak:,.0f}")
        for share in (1.0, 0.7):
            run = run_scenario(leaving(base, share, registered, jobs), deterministic=True)
            print(f"departure share {share}: residue (persons, % of that peak) in {SHOWN}")
            for group in GROUPS:
                cells = []
                for year in SHOWN:
                    i = stay.years.index(year)
                    residue = added(run, group)[i] - (1.0 - share) * added(stay, group)[i]
                    cells.append(f"{residue:+7.0f} ({100 * residue / peak:+5.1f} %)")
                print(f"  {group:12s} " + "  ".join(cells))


if __name__ == "__main__":
    main()
