"""Back-tests of the population projection: project from an origin year with only the data
up to it and set the result beside SCB's actual population.

Without a scenario the rows come from :func:`lotsen.scenario.backtest.backtest` (the
projection, with bands from the model's own error, by sex). With a scenario (its
establishment starting the year after the origin) the scenario's Monte Carlo gives the
bands: ramp, parameters and the model's error together, both sexes only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from lotsen.errors import InvalidInput, LimitExceeded
from lotsen.scenario import load_scenario, parse_scenario, run_scenario
from lotsen.scenario.backtest import GROUPS
from lotsen.scenario.backtest import backtest as baseline_backtest
from lotsen.scenario.demography import default_window
from lotsen.scenario.regional_data import observed
from lotsen.scenario.schema import Scenario
from lotsen.services.access import Actor, require_aggregates
from lotsen.services.results.regional import Backtest
from lotsen.services.scenarios import DEFAULT_RUNS, MAX_RUNS

METRIC = {"0": "age_0", "1–5": "age_1_5", "6–15": "age_6_15", "16–19": "age_16_19",
          "20–64": "age_20_64", "65–79": "age_65_79", "80+": "age_80_plus",
          "total": "population"}


def _with_scenario(code: str, origin: int, to: int, scenario: Scenario, runs: int,
                   seed: int) -> Backtest:
    if scenario.municipality != code:
        raise InvalidInput(f"the scenario's municipality is {scenario.municipality}, the "
                           f"back-test's {code}", "municipality")
    if scenario.start != origin + 1:
        raise InvalidInput(f"the scenario starts in {scenario.start}; a back-test from "
                           f"{origin} needs start = {origin + 1}", "years.start")
    if not 1 <= runs <= MAX_RUNS:
        raise LimitExceeded(f"runs must be between 1 and {MAX_RUNS:,}, got {runs}", "runs",
                            quantity="runs", limit=MAX_RUNS, value=runs)
    # Only the years up to the origin: the fit window ends there, whatever the file says.
    scenario = replace(scenario, fit_years=default_window(origin), end=max(scenario.end, to))
    result = run_scenario(scenario, runs=runs, seed=seed)
    rows: list[dict[str, Any]] = []
    for t, year in enumerate(result.years):
        if year > to:
            break
        actual = observed(code, year)
        for group, metric in METRIC.items():
            low, mid, high = result.band(metric, code)[:, t]
            lo, hi = GROUPS[group]
            rows.append({
                "year": year, "age_group": group, "sex": "all",
                "projected_p10": round(float(low), 1), "projected_p50": round(float(mid), 1),
                "projected_p90": round(float(high), 1),
                "actual": None if actual is None else round(float(actual[:, lo:hi].sum()), 1),
            })
    model = next(row for row in result.assumptions["model"]
                 if row["assumption"].startswith("Population:"))
    return {"municipality_code": code, "origin": origin, "to": to,
            "scenario": scenario.name, "runs": runs, "seed": seed,
            "notes": [model["assumption"]], "rows": rows}


def backtest(code: str, origin: int, to: int, *, scenario_file: str | Path | None = None,
             scenario_text: str | None = None, kind: str = "toml",
             runs: int = DEFAULT_RUNS, seed: int = 0, actor: Actor) -> Backtest:
    """``{"rows": [{year, age_group, sex, projected_p10/p50/p90, actual}], ...}``."""
    require_aggregates(actor)
    if scenario_file is not None:
        return _with_scenario(code, origin, to, load_scenario(scenario_file), runs, seed)
    if scenario_text is not None:
        if kind not in ("toml", "yaml"):
            raise InvalidInput(f"unknown scenario format {kind!r}; use toml or yaml", "format")
        scenario = parse_scenario(scenario_text, f"scenario.{kind}", kind)
        return _with_scenario(code, origin, to, scenario, runs, seed)
    return cast(Backtest, baseline_backtest(code, origin, to))
