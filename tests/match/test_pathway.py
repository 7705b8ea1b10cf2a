"""Pathways: set cover over programs, in order, SFI first when Swedish is too low."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.match.conftest import BODEN, LULEA, TRUCK_DRIVER, person

from lotsen.match.need import NeedSpec
from lotsen.match.pathway import PathwayPlanner
from lotsen.taxonomy import Taxonomy

TODAY = date(2026, 11, 23)


def program(pid: int, form: str, skills: list[str], **overrides: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": pid,
        "name": f"{form} {pid}",
        "form": form,
        "provider_name": "Komvux Luleå (syntetisk)",
        "municipality_code": LULEA,
        "distance_learning": False,
        "duration_weeks": 10,
        "seats": 20,
        "starts": ["2027-01-10", "2027-09-01", "2028-01-10"],
        "skills": skills,
        "occupations": [TRUCK_DRIVER],
        "min_swedish_level": None,
    }
    rec.update(overrides)
    return rec


def test_low_sfi_person_starts_with_sfi_when_the_program_requires_sfi_d(
    taxonomy: Taxonomy, parts: dict[str, Any], truck_skills: list[str]
) -> None:
    need = NeedSpec(TRUCK_DRIVER, LULEA, date(2027, 6, 1), must_skills=tuple(truck_skills[:2]))
    programs = [
        program(1, "YH", truck_skills[:2], min_swedish_level="sfi_d"),
        program(2, "SFI", [], duration_weeks=40, municipality_code=BODEN),
    ]
    planner = PathwayPlanner(taxonomy, parts["grid"])
    plan = planner.plan(person(1, swedish_level="sfi_b"), need, programs, TODAY)
    assert [s["form"] for s in plan["steps"]] == ["SFI", "YH"]
    sfi, yh = plan["steps"]
    assert sfi["duration_weeks"] == 20  # B → D: two of the four courses
    assert yh["start"] is not None and yh["start"] >= sfi["end"]
    assert plan["uncovered_skills"] == []
    native = planner.plan(person(2), need, programs, TODAY)
    assert [s["form"] for s in native["steps"]] == ["YH"]


def test_greedy_cover_prefers_short_programs_and_reports_what_nothing_teaches(
    taxonomy: Taxonomy, parts: dict[str, Any], truck_skills: list[str]
) -> None:
    a, b, c = truck_skills[:3]
    need = NeedSpec(TRUCK_DRIVER, LULEA, date(2027, 6, 1), must_skills=(a, b, c))
    programs = [
        program(1, "university", [a, b], duration_weeks=120),
        program(2, "AUB", [a], duration_weeks=2),
        program(3, "Komvux", [b], duration_weeks=10),
    ]
    plan = PathwayPlanner(taxonomy, parts["grid"]).plan(person(1), need, programs, TODAY)
    assert [s["program_id"] for s in plan["steps"]] == [2, 3]
    assert [u["concept_id"] for u in plan["uncovered_skills"]] == [c]
    assert "Ingen utbildning i regionen lär ut" in plan["summary"]
    done = PathwayPlanner(taxonomy, parts["grid"]).plan(
        person(2, skills=[a, b, c]), need, programs, TODAY
    )
    assert done["steps"] == [] and done["missing_skills"] == []
