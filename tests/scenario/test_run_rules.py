"""Rules of a scenario run that live in the service, whichever edge asks."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from lotsen.errors import InvalidInput
from lotsen.services import saved_scenarios, scenarios
from lotsen.services.access import SYSTEM
from lotsen.services.scenarios import NO_OVERRIDES, Overrides, RunRequest


def test_the_local_hire_range_is_given_whole_or_not_at_all() -> None:
    assert Overrides.of(1200.0) == Overrides(1200.0, None)
    assert Overrides.of(None, 0.2, 0.3, 0.4).local_hire_share == (0.2, 0.3, 0.4)
    with pytest.raises(InvalidInput) as caught:
        Overrides.of(None, None, 0.5, None)
    assert caught.value.code == "incomplete_range"
    assert caught.value.location == "local_hire_share"


def test_a_plain_example_is_referred_to_by_name_anything_else_by_key() -> None:
    plain = {"example": "boden-steel-hydrogen", "key": "abc",
             "run": {"runs": scenarios.DEFAULT_RUNS}}
    assert scenarios.gap_reference(plain, NO_OVERRIDES) == "boden-steel-hydrogen"
    assert scenarios.gap_reference(plain, Overrides(900.0)) == "abc"
    assert scenarios.gap_reference({**plain, "run": {"runs": 40}}, NO_OVERRIDES) == "abc"
    assert scenarios.gap_reference({**plain, "example": None}, NO_OVERRIDES) == "abc"


def test_a_result_gone_from_memory_is_run_again_and_saved(engine: Engine) -> None:
    again = RunRequest(example="boden-steel-hydrogen", runs=20, seed=3)
    first = scenarios.run(again, actor=SYSTEM)
    scenarios.results.invalidate()  # a restart, or another worker
    saved = saved_scenarios.save_run(engine, "Boden igen", first["key"], again, actor=SYSTEM)
    assert saved["result"]["area"] == first["area"]  # same inputs and seed: same result
    scenarios.results.invalidate()
    with pytest.raises(Exception, match="run the scenario again"):
        saved_scenarios.save_run(engine, "Utan källa", first["key"], actor=SYSTEM)
