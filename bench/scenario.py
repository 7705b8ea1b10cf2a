"""Benchmark the scenario Monte Carlo: 10,000 runs x 20 years x 15 municipalities.

Run from the repository root::

    .venv/bin/python bench/scenario.py            # the figures of docs/performance.md
    .venv/bin/python bench/scenario.py --json     # the same as JSON

The scenario is a battery factory in Skellefteå with the 14 nearest municipalities as
its commuting area (15 places), 20 years (2025-2044), 20 uncertain parameters. The
timed call is the first full-size call of the public ``run_scenario`` (sampling, jobs,
households, the cohort-component response by age and sex, welfare, bands for 41 metrics
x 15 places x 20 years, area totals, occupation and vacancy-chain tables, sensitivity),
after one 100-run warm-up that loads the shipped data.

Baselines in the same process: (1) the same call with 100 runs, per run; (2) a per-run
Python loop over the same model that projects each run's population year by year
(``method="direct"``, one run at a time, bands left out), timed on ``--loop-runs`` runs
and extrapolated to 10,000.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import tracemalloc
from typing import Any

from lotsen.scenario import parse_scenario, run_scenario
from lotsen.scenario.model import prepare, simulate
from lotsen.scenario.ranges import sample
from lotsen.scenario.region import build_region
from lotsen.scenario.regional_data import distance_km, municipalities

HOST = "2482"
PLACES = 15
LIMIT_S = 10.0


def bench_scenario() -> Any:
    nearest = sorted(municipalities(), key=lambda code: distance_km(HOST, code))[:PLACES]
    area = ", ".join(f'"{code}"' for code in nearest if code != HOST)
    text = f"""
name = "Benchmark: battery factory, 15 municipalities"
municipality = "{HOST}"
industry = "battery-manufacturing"
realisation = {{ low = 0.4, mode = 0.9, high = 1.0 }}
[years]
start = 2025
end = 2044
[direct_jobs]
2026 = 500
2028 = 2500
2031 = 5000
[construction]
workers = {{ 2025 = 1000, 2027 = 3000, 2030 = 500, 2031 = 0 }}
[commuting]
area = [{area}]
"""
    return parse_scenario(text, "bench.toml")


def per_run_loop(scenario: Any, runs: int, seed: int) -> float:
    """Seconds for the obvious implementation: one run at a time, each run's population
    projected year by year (the model's ``direct`` method), results kept for the bands."""
    region = build_region(scenario)
    inputs = prepare(scenario, region)
    draws = sample(scenario.parameters, runs, seed)
    start = time.perf_counter()
    kept: list[dict[str, Any]] = []
    for run in range(runs):
        one = {name: values[run: run + 1] for name, values in draws.items()}
        kept.append(dict(simulate(inputs, one, method="direct")))
    return time.perf_counter() - start


def timed(function: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--loop-runs", type=int, default=50,
                        help="runs of the per-run loop baseline (extrapolated)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    scenario = bench_scenario()
    _, cold = timed(run_scenario, scenario, runs=100, seed=args.seed)
    cpu = time.process_time()
    result, seconds = timed(run_scenario, scenario, runs=args.runs, seed=args.seed)
    cpu = time.process_time() - cpu
    load = os.getloadavg()[0]
    _, repeat = timed(run_scenario, scenario, runs=args.runs, seed=args.seed)
    places, years = len(result.region.places), len(result.years)
    small, small_seconds = timed(run_scenario, scenario, runs=100, seed=args.seed)
    loop_per_run = per_run_loop(scenario, args.loop_runs, args.seed) / args.loop_runs
    tracemalloc.start()
    run_scenario(scenario, runs=args.runs, seed=args.seed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures = {
        "runs": args.runs, "years": years, "municipalities": places,
        "metrics": len(result.bands), "parameters_varying": len(result.sensitivity),
        "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
        "load_average_1min": round(load, 2), "repeat_seconds": round(repeat, 3),
        "runs_per_second": round(args.runs / seconds),
        "cells_per_second": round(args.runs * years * places / seconds),
        "limit_seconds": LIMIT_S, "within_limit": seconds < LIMIT_S,
        "stages_s": {k: round(v, 3) for k, v in result.timing.items()},
        "peak_traced_mib": round(peak / 2**20, 1),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "first_call_100_runs_s": round(cold, 3),
        "baseline_100_runs_s": round(small_seconds, 3),
        "per_run_ms_at_100": round(small_seconds / 100 * 1000, 3),
        "per_run_ms_at_full": round(seconds / args.runs * 1000, 4),
        "ratio_per_run_100_vs_full": round((small_seconds / 100) / (seconds / args.runs), 1),
        "loop_runs": args.loop_runs,
        "loop_per_run_ms": round(loop_per_run * 1000, 1),
        "loop_extrapolated_s": round(loop_per_run * args.runs, 1),
        "speedup_vs_loop": round(loop_per_run * args.runs / seconds, 1),
        "p50_population_added_last_year": round(float(small.area["population_added"][1, -1])),
    }
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"scenario Monte Carlo: {args.runs:,} runs x {years} years x {places} "
              f"municipalities, {figures['metrics']} metrics")
        print(f"  time            {seconds:8.2f} s   (limit {LIMIT_S:.0f} s: "
              f"{'ok' if seconds < LIMIT_S else 'TOO SLOW'})")
        print(f"  CPU time        {cpu:8.2f} s   (load average {load:.1f} on "
              f"{os.cpu_count()} cores when it ran)")
        print(f"  same call again {repeat:8.2f} s   (memory pages already mapped)")
        print(f"  stages          {figures['stages_s']}")
        print(f"  runs/s          {figures['runs_per_second']:8,}")
        print(f"  peak traced     {figures['peak_traced_mib']:8.1f} MiB   (max RSS "
              f"{figures['max_rss_mib']:.0f} MiB)")
        print(f"  100 runs        {small_seconds:8.3f} s   = {figures['per_run_ms_at_100']} ms/run "
              f"vs {figures['per_run_ms_at_full']} ms/run at {args.runs:,} "
              f"(x{figures['ratio_per_run_100_vs_full']})")
        print(f"  per-run loop    {figures['loop_per_run_ms']:8.1f} ms/run -> "
              f"{figures['loop_extrapolated_s']:,.0f} s for {args.runs:,} runs "
              f"(vectorised is x{figures['speedup_vs_loop']} faster)")
    return 0 if seconds < LIMIT_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
