"""Establishment impact: what a large establishment does to a region, year by year.

>>> from lotsen.scenario import load_scenario, run_scenario, scenario_needs
>>> result = run_scenario(load_scenario("examples/scenarios/skelleftea-gigafactory.toml"))
>>> result.to_dict()["area"][0]["metrics"]["direct_jobs"]  # doctest: +SKIP

See docs/scenarios.md for the file format and the model.
"""

from __future__ import annotations

from lotsen.scenario.needs import scenario_needs
from lotsen.scenario.parse import load_scenario, parse_scenario
from lotsen.scenario.ranges import Range
from lotsen.scenario.result import ScenarioResult
from lotsen.scenario.run import run_scenario
from lotsen.scenario.schema import Scenario

__all__ = [
    "Range",
    "Scenario",
    "ScenarioResult",
    "load_scenario",
    "parse_scenario",
    "run_scenario",
    "scenario_needs",
]
