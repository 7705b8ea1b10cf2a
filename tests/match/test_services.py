"""Matching services on real databases: consent, allocation, gaps, transitions, profiles."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from tests.match.conftest import LULEA, TRUCK_DRIVER, person

from lotsen.match.allocation import greedy_by_need
from lotsen.services import gaps, matching
from lotsen.services.access import SYSTEM
from lotsen.services.records import list_records
from lotsen.store.db import transaction
from lotsen.store.models import Consent, Tenant
from lotsen.store.records import upsert_need, upsert_organization, upsert_person


def withdrawn_ids(engine: Engine) -> set[int]:
    with transaction(engine) as session:
        return {
            p
            for (p,) in session.execute(
                select(Consent.person_id).where(
                    Consent.purpose == "matching", Consent.withdrawn_at.is_not(None)
                )
            )
        }


def test_people_who_withdrew_consent_never_appear_in_the_demo(demo_engine: Engine) -> None:
    withdrawn = withdrawn_ids(demo_engine)
    assert withdrawn  # the demo has some
    needs = list_records(demo_engine, "needs", limit=40, actor=SYSTEM)["results"]
    seen: set[int] = set()
    for need in needs:
        seen |= {
            r["person_id"] for r in matching.match_need(demo_engine, need["id"], 500,
                                                        actor=SYSTEM)["results"]
        }
    assert seen and not seen & withdrawn
    placed = matching.allocate(demo_engine, actor=SYSTEM)
    assert not {p["person_id"] for r in placed["results"] for p in r["people"]} & withdrawn


def test_a_withdrawal_counts_at_once_even_with_a_cached_index(
    engine: Engine, truck_skills: list[str]
) -> None:
    with transaction(engine) as session:
        tenant = Tenant(slug="t", name="T", municipality_codes=[LULEA])
        session.add(tenant)
        session.flush()
        employer = upsert_organization(
            session,
            tenant.id,
            {"source_id": "e", "kind": "employer", "name": "E", "municipality_code": LULEA},
        )
        session.flush()
        need = upsert_need(
            session,
            tenant.id,
            employer.id,
            {
                "source_id": "n",
                "occupation_id": TRUCK_DRIVER,
                "title": "Truckförare",
                "headcount": 2,
                "start_date": "2027-02-01",
                "municipality_code": LULEA,
                "must_skills": truck_skills[:3],
            },
        )
        for i in range(3):
            rec = person(i, source_id=f"p{i}", skills=truck_skills[: i + 1])
            upsert_person(session, tenant.id, rec)
        session.flush()
        need_id = need.id
    first = matching.match_need(engine, need_id, 10, actor=SYSTEM)
    assert [r["pseudonym"] for r in first["results"]] == ["T0002", "T0001", "T0000"]
    best = first["results"][0]["person_id"]
    with transaction(engine) as session:
        session.execute(
            update(Consent).where(Consent.person_id == best).values(withdrawn_at=date(2026, 11, 1))
        )
    again = matching.match_need(engine, need_id, 10, actor=SYSTEM)
    assert best not in {r["person_id"] for r in again["results"]}
    assert len(again["results"]) == 2


def test_allocation_respects_headcounts_and_beats_greedy(demo_engine: Engine) -> None:
    placed = matching.allocate(demo_engine, actor=SYSTEM)
    assert placed["assigned"] > 0
    people = [p["person_id"] for r in placed["results"] for p in r["people"]]
    assert len(people) == len(set(people))  # nobody twice
    assert all(r["filled"] <= r["headcount"] for r in placed["results"])
    assert placed["total_fit"] >= placed["greedy"]["total_fit"]
    assert placed["total_fit"] >= placed["edge_greedy_total_fit"] - 1.0  # rounding of costs
    assert all(p["score"] >= placed["min_score"] for r in placed["results"] for p in r["people"])


def test_greedy_baseline_keeps_headcounts() -> None:
    import numpy as np

    from lotsen.match.allocation import Edges, solve_flow

    # need 0 (1 seat) and need 1 (1 seat) both want person 0 most; greedy by need order
    # gives person 0 to need 0, the optimum gives need 1 its much better fit.
    edges = Edges(
        need=np.array([0, 0, 1, 1], dtype=np.int32),
        row=np.array([0, 1, 0, 1], dtype=np.int32),
        score=np.array([90, 85, 95, 10], dtype=np.float32),
    )
    capacity = np.array([1, 1])
    greedy = greedy_by_need(edges, capacity, np.array([0, 1]))
    best = solve_flow(edges, capacity)
    assert float(edges.score[greedy].sum()) == 100.0
    assert float(edges.score[best].sum()) == 180.0


def test_gap_report_surfaces_the_roofers_nobody_trains(demo_engine: Engine) -> None:
    report = gaps.gap_report(demo_engine, proposals=30, actor=SYSTEM)
    roofers = next(o for o in report["by_occupation"] if o["ssyk4"] == "7121")
    assert roofers["gap"] > 0 and roofers["no_program_in_region"]
    assert "7121" in {o["ssyk4"] for o in report["without_program"]}
    proposal = next(p for p in report["proposals"] if p["ssyk4"] == "7121")
    assert proposal["no_program_in_region"] and proposal["skills_to_teach"]
    assert proposal["form"] in ("Komvux", "AUB")
    # Suitable providers run programs in the same SSYK-2 area (71, building trades).
    assert proposal["providers"] and all(p["area"] == "SSYK 71" for p in proposal["providers"])
    gaps_sorted = [o["gap"] for o in report["by_occupation"]]
    assert gaps_sorted == sorted(gaps_sorted, reverse=True)
    t = report["totals"]
    assert t["demand"] == t["filled"] + t["from_programs"] + t["gap"]


def test_scenario_needs_add_demand(demo_engine: Engine) -> None:
    base = gaps.gap_report(demo_engine, proposals=0, actor=SYSTEM)["totals"]["demand"]
    extra = [{"year": 2028, "municipality_code": "2482", "ssyk4": "7121", "headcount": 40}]
    report = gaps.gap_report(demo_engine, scenario_needs=extra, proposals=0, actor=SYSTEM)
    assert report["totals"]["demand"] == base + 40
    assert any(r["source"] == "scenario" and r["quarter"] == "2028-K1" for r in report["rows"])


def test_pathway_for_a_low_sfi_person_starts_with_sfi(demo_engine: Engine) -> None:
    people = list_records(demo_engine, "people", limit=1000, actor=SYSTEM)["results"]
    low = [p for p in people if p["swedish_level"] in ("sfi_a", "sfi_b")]
    needs = [
        n
        for n in list_records(demo_engine, "needs", limit=1000, actor=SYSTEM)["results"]
        if n["min_swedish_level"] == "sfi_d"
    ]
    plan = matching.pathway(demo_engine, low[0]["id"], needs[0]["id"], actor=SYSTEM)
    assert plan["steps"][0]["form"] == "SFI"
    assert plan["need"]["id"] == needs[0]["id"]


def test_transitions_use_substitutability_and_skill_overlap(demo_engine: Engine) -> None:
    data = matching.transitions(demo_engine, TRUCK_DRIVER, 10, actor=SYSTEM)
    labels = {r["preferred_label"]: r for r in data["results"]}
    assert labels["Lagerarbetare/Terminalarbetare"]["substitutability"] == 25.0
    assert any(r["substitutability"] == 0 and r["skill_overlap"] > 0 for r in data["results"])
    assert data["entry_points"]  # occupations without educational requirements
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_profile_names_its_sources(demo_engine: Engine, taxonomy: Any) -> None:
    data = matching.profile(demo_engine, TRUCK_DRIVER, actor=SYSTEM)
    by_id = {s["concept_id"]: s for s in data["skills"]}
    assert {s.id for s in taxonomy.skills_of(TRUCK_DRIVER)} <= set(by_id)
    assert data["counts"]["needs"] > 0
    top = data["skills"][0]
    assert top["sources"]["taxonomy"] and top["sources"]["needs_must"] > 0


def test_employers_may_not_see_ranked_people(demo_engine: Engine) -> None:
    from lotsen.errors import PermissionDenied
    from lotsen.services.access import Actor

    with pytest.raises(PermissionDenied):
        matching.match_need(demo_engine, 1, 5,
                            actor=Actor("employer", tenant_id=1, organization_id=1))
