"""Run a scenario: sample the ranges, simulate all runs at once, reduce to bands."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from lotsen.errors import InvalidInput
from lotsen.scenario.assumptions import describe
from lotsen.scenario.metrics import KEY_OUTPUTS, WELFARE_STAFF
from lotsen.scenario.model import ERROR_GROUP, prepare, simulate
from lotsen.scenario.occupations import occupation_table, vacancy_chain_table
from lotsen.scenario.parse import load_scenario
from lotsen.scenario.projection import FloatArray
from lotsen.scenario.ranges import modes, rank_correlations, sample
from lotsen.scenario.region import build_region
from lotsen.scenario.result import ScenarioResult
from lotsen.scenario.schema import Scenario
from lotsen.scenario.values import Values, bands

MAX_RUNS = 200_000


def _sensitivity(draws: dict[str, FloatArray], outputs: dict[str, FloatArray],
                 scenario: Scenario) -> list[dict[str, Any]]:
    varying = [n for n in sorted(draws) if not n.startswith("_")
               and (n not in scenario.parameters or not scenario.parameters[n].is_fixed)]
    runs = next(iter(draws.values())).shape[0]
    if not varying or runs < 3:
        return []
    inputs = np.stack([draws[n] for n in varying], axis=1)
    names = list(outputs)
    rho = rank_correlations(inputs, np.stack([outputs[n] for n in names], axis=1))
    strength = np.abs(rho).max(axis=1)
    rows: list[dict[str, Any]] = []
    for rank, i in enumerate(np.argsort(-strength, kind="stable"), start=1):
        rows.append({
            "rank": rank, "parameter": varying[i],
            "rank_correlation": {out: round(float(rho[i, j]), 3) for j, out in enumerate(names)},
            "max_abs": round(float(strength[i]), 3),
        })
    return rows


def run_scenario(scenario: Scenario | str | Path, runs: int = 1000, seed: int | None = 0, *,
                 deterministic: bool = False, method: str | None = None,
                 keep_samples: bool = False, demographic_error: bool = True) -> ScenarioResult:
    """Monte Carlo over the scenario's ranges (or one run at the modes if ``deterministic``).

    ``method`` is "kernel" (default for Monte Carlo: population response by linear
    superposition) or "direct" (project every run's population year by year; default for
    the deterministic run). ``keep_samples`` keeps every run's arrays in the result.
    ``demographic_error`` draws the baseline's own error measured by the back-tests
    (Monte Carlo only); off, only the scenario's ranges vary.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if not deterministic and not 1 <= runs <= MAX_RUNS:
        raise InvalidInput(f"runs must be between 1 and {MAX_RUNS:,}, got {runs}")
    method = method or ("direct" if deterministic else "kernel")
    if method not in ("kernel", "direct"):
        raise InvalidInput(f"method must be 'kernel' or 'direct', got {method!r}")
    timing: dict[str, float] = {}
    clock = time.perf_counter()
    region = build_region(scenario)
    inputs = prepare(scenario, region)
    timing["prepare_s"] = time.perf_counter() - clock

    clock = time.perf_counter()
    draws = modes(scenario.parameters) if deterministic else sample(
        scenario.parameters, runs, 0 if seed is None else seed)
    if not deterministic:
        # Whether the establishment shrinks in a run: a uniform draw against its probability.
        draws["_closure.draw"] = np.random.default_rng(
            [0 if seed is None else seed, 11]).random(runs)
    if not deterministic and demographic_error:
        # The demographic model's own error (backtest.model_error), one draw per run.
        # The demographic model's own error (backtest.model_error): per run a common
        # draw and one per age group (model._baseline_errors).
        normal = np.random.default_rng([0 if seed is None else seed, 7]).standard_normal(
            (len(ERROR_GROUP), runs))
        draws["demography.error"] = normal[0]
        for name, row in zip(list(ERROR_GROUP)[1:], normal[1:], strict=True):
            draws[f"_demography.error.{name}"] = row
    per_place: dict[str, FloatArray] = {}
    per_area: dict[str, FloatArray] = {}
    series: dict[str, FloatArray] = {}
    kept: dict[str, FloatArray] = {}
    memo: dict[str, tuple[FloatArray, FloatArray]] = {}
    for name, values in simulate(inputs, draws, method):
        if not isinstance(values, Values):
            series[name] = values
            continue
        per_place[name] = values.place_bands(memo)
        area = values.area()
        per_area[name] = bands(area)
        series[name] = area
        if keep_samples:
            kept[name] = values.array()
    timing["simulate_s"] = time.perf_counter() - clock

    clock = time.perf_counter()
    categories = {"direct": series["_direct"], "indirect": series["_indirect"],
                  "induced": series["_induced"],
                  **{metric: series[metric] for metric in WELFARE_STAFF}}
    occupations = occupation_table(scenario, categories)
    chain = vacancy_chain_table(scenario, series,
                                draws["vacancy_chain.same_occupation_share"])
    sensitivity = _sensitivity(draws, {k: series[k][:, -1] for k in KEY_OUTPUTS}, scenario)
    assumptions, sources = describe(scenario, region)
    timing["tables_s"] = time.perf_counter() - clock
    return ScenarioResult(
        scenario=scenario, region=region, runs=1 if deterministic else runs,
        seed=None if deterministic else seed, method=method, bands=per_place, area=per_area,
        occupations=occupations, vacancy_chain=chain, sensitivity=sensitivity,
        assumptions=assumptions, sources=sources, samples=kept if keep_samples else None,
        timing=timing)
