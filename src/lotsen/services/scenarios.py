"""Establishment scenarios: validate a scenario file, run it, return plain data.

Thin over :mod:`lotsen.scenario`; scenarios touch no database and no tenant data, so
there is no transaction or permission check here (yet: saved scenarios would add both).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lotsen.scenario import load_scenario, run_scenario, scenario_needs

DEFAULT_RUNS = 1000


def validate_scenario_file(path: str | Path) -> dict[str, Any]:
    """Check a scenario file; raises InvalidInput naming the key and line when bad."""
    scenario = load_scenario(path)
    return {
        "file": str(path), "valid": True, "name": scenario.name,
        "municipality_code": scenario.municipality,
        "years": {"start": scenario.start, "end": scenario.end},
        "industry": scenario.industry, "occupation_template": scenario.occupation_template,
        "commuting_area": list(scenario.area),
        "parameters_from_file": sorted(scenario.overridden),
        "uncertain_parameters": sorted(n for n, r in scenario.parameters.items()
                                       if not r.is_fixed),
    }


def run_scenario_file(path: str | Path, runs: int = DEFAULT_RUNS,
                      seed: int = 0) -> dict[str, Any]:
    """Run a scenario file's Monte Carlo; the result document plus its occupation needs."""
    result = run_scenario(load_scenario(path), runs=runs, seed=seed)
    document = result.to_dict()
    document["needs"] = scenario_needs(result)
    return document
