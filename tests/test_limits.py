"""Issue 14, findings 2 and 3: one bound per quantity, the same on every path, no loop
proportional to a count, and long work at most once per user at a time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.imports.conftest import csv_bytes, need, rejected, sqlite_engine  # noqa: F401

from lotsen.errors import InvalidInput, TooManyRequests, WorkBeyondBudget
from lotsen.limits import MAX_HEADCOUNT, MAX_PROPOSALS, MAX_SCENARIO_CELLS, MAX_SEATS
from lotsen.match.proposal import propose
from lotsen.messages import render
from lotsen.services import gaps, scenarios
from lotsen.services import long_work as long_work_module
from lotsen.services.access import SYSTEM, Actor
from lotsen.services.long_work import long_work
from lotsen.services.matching import tools
from lotsen.store.db import open_database
from lotsen.web.app import create_app

SNICKARE_SSYK = "7115"
EMPLOYER = Actor(role="employer", tenant_id=1, organization_id=1, user_id=77, username="e")


@pytest.fixture(scope="module")
def client(demo_sqlite_url: str) -> TestClient:
    return TestClient(create_app(demo_sqlite_url))


def test_a_proposal_for_a_huge_gap_takes_no_time() -> None:
    t = tools()
    rows = [{"ssyk4": SNICKARE_SSYK, "gap": 10**15, "employer_name": "A", "must_skills": [],
             "nice_skills": [], "municipality_code": "2482", "demand": 10**15,
             "source": "need"}]
    start = time.perf_counter()
    proposal = propose(t.taxonomy, t.relations, rows[0], rows, [], set())
    assert time.perf_counter() - start < 1
    assert proposal["employers"] == [{"name": "A", "gap": 10**15}]


@pytest.mark.parametrize(("body", "field"), [
    ({"scenario_needs": [{"year": 2027, "municipality_code": "2482", "ssyk4": SNICKARE_SSYK,
                          "headcount": 10**15}]}, "headcount"),
    ({"proposals": 1_000_000}, "proposals"),
    ({"scenario_needs": [{"year": 10**12, "municipality_code": "2482", "ssyk4": SNICKARE_SSYK,
                          "headcount": 5}]}, "year"),
])
def test_post_gaps_refuses_out_of_bound_numbers_at_once(client: TestClient, body: dict[str, object],
                                                        field: str) -> None:
    start = time.perf_counter()
    answer = client.post("/api/v1/gaps", json=body)
    assert time.perf_counter() - start < 5
    assert answer.status_code == 422, answer.text
    assert field in answer.text


def test_the_service_bounds_hold_without_the_api_schema(demo_sqlite_url: str) -> None:
    from lotsen.store.db import open_database
    engine = open_database(demo_sqlite_url)
    huge = [{"year": 2027, "municipality_code": "2482", "ssyk4": SNICKARE_SSYK,
             "headcount": MAX_HEADCOUNT + 1}]
    with pytest.raises(InvalidInput, match="headcount"):
        gaps.gap_report(engine, huge, actor=SYSTEM)
    with pytest.raises(InvalidInput, match="proposals"):
        gaps.gap_report(engine, proposals=MAX_PROPOSALS + 1, actor=SYSTEM)


def test_a_needs_import_refuses_a_headcount_the_api_refuses(sqlite_engine: Engine) -> None:  # noqa: F811
    rows = [need(), need(source_id="N-2", headcount=str(MAX_HEADCOUNT + 1)),
            need(source_id="N-3", headcount="1000000000000")]
    problems = rejected(sqlite_engine, "needs", csv_bytes(rows), "behov.csv")
    found = {(p.row, p.column) for p in problems}
    assert found == {(3, "headcount"), (4, "headcount")}
    assert all(f"{MAX_HEADCOUNT:,}".replace(",", " ") in p.message for p in problems)


def test_a_programs_import_refuses_seats_beyond_the_bound(sqlite_engine: Engine,  # noqa: F811
                                                          tmp_path: Path) -> None:
    from tests.imports.test_needs_programs import PROGRAM
    rows = [{**PROGRAM, "seats": str(MAX_SEATS + 1)}, {**PROGRAM, "source_id": "YH-2",
                                                       "seats": "1e12"}]
    problems = rejected(sqlite_engine, "programs", csv_bytes(rows), "utb.csv")
    assert {(p.row, p.column) for p in problems} == {(2, "seats"), (3, "seats")}


def test_runs_times_years_times_places_is_bounded() -> None:
    text = (scenarios.EXAMPLES / "skelleftea-gigafactory.toml").read_text("utf-8")
    with pytest.raises(InvalidInput) as caught:
        # Twenty thousand runs of a scenario stretched to 2100 over its places.
        scenarios.run_scenario_text(text.replace("end = 2037", "end = 2100"), "toml",
                                    "s.toml", runs=scenarios.MAX_RUNS, actor=SYSTEM)
    assert caught.value.code == "limit_exceeded"
    assert f"{MAX_SCENARIO_CELLS:,}" in caught.value.message


def test_long_work_runs_once_per_user_and_refuses_in_swedish() -> None:
    text = (scenarios.EXAMPLES / "skelleftea-gigafactory.toml").read_text("utf-8")
    with long_work("scenariokörning", actor=EMPLOYER, kind="scenario_cells"):
        with pytest.raises(TooManyRequests) as caught:
            scenarios.run_scenario_text(text, "toml", "s.toml", runs=7, seed=3,
                                        actor=EMPLOYER)
        # Another user is not held up by this one.
        other = Actor(role="employer", tenant_id=1, organization_id=1, user_id=78)
        with long_work("scenariokörning", actor=other, kind="scenario_cells"):
            pass
    assert caught.value.http_status == 429
    assert "pågår redan" in render(caught.value)
    # Once the first finished, the same user may run again.
    assert scenarios.run_scenario_text(text, "toml", "s.toml", runs=7, seed=3,
                                       actor=EMPLOYER)["run"]["runs"] == 7


def test_long_work_beyond_the_budget_is_refused_before_it_starts(
    demo_sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """LOTSEN_WORK_SECONDS is a wall-clock budget per request: work estimated (from the
    rate such work ran at in this process) to take longer is refused with 413 in Swedish
    before it starts."""
    text = (scenarios.EXAMPLES / "skelleftea-gigafactory.toml").read_text("utf-8")
    long_work_module.forget_timings()
    ran = scenarios.run_scenario_text(text, "toml", "s.toml", runs=200, seed=1, actor=EMPLOYER)
    assert ran["run"]["runs"] == 200  # within the default budget of 60 s
    rate = long_work_module.estimate_seconds("scenario_cells", 1)
    assert rate != long_work_module.SEED_SECONDS_PER_UNIT["scenario_cells"]  # measured
    monkeypatch.setenv("LOTSEN_WORK_SECONDS", "0.001")
    start = time.perf_counter()
    with pytest.raises(WorkBeyondBudget) as caught:
        scenarios.run_scenario_text(text, "toml", "s.toml", runs=2_000, seed=2,
                                    actor=EMPLOYER)
    assert time.perf_counter() - start < 1  # refused, not run
    assert caught.value.http_status == 413 and caught.value.code == "limit_exceeded"
    said = render(caught.value)
    assert "skulle ta omkring" in said and "mer än de 0,001 sekunder" in said, said
    with pytest.raises(WorkBeyondBudget):
        gaps.gap_report(open_database(demo_sqlite_url), scenario_needs=[{
            "year": 2027, "municipality_code": "2482", "ssyk4": "7212", "headcount": 5}],
            actor=EMPLOYER)
    # The system (CLI, warm-up) is not refused: the operator's own runs have no budget.
    assert scenarios.run_scenario_text(text, "toml", "s.toml", runs=50, seed=3,
                                       actor=SYSTEM)["run"]["runs"] == 50
