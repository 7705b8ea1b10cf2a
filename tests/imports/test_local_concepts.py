"""Import files may name a tenant's local occupations and skills: resolved for that
tenant, reported as unresolved for any other."""

from __future__ import annotations

from sqlalchemy import Engine
from tests.imports.conftest import csv_bytes, person, rejected, run
from tests.match.two_tenants import BATTERY_OPERATOR, build

from lotsen.services import local_concepts, records
from lotsen.services.access import SYSTEM

SKILL = "uenm_75h_fEh"


def test_a_person_with_a_local_occupation_label_resolves_for_that_tenant(
    engine: Engine,
) -> None:
    region = build(engine)
    occupation = local_concepts.add_local(engine, "occupation-name",
                                          "Battericellsoperatör", BATTERY_OPERATOR,
                                          synonyms=["Celloperatör"],
                                          actor=region.lotsare)["concept_id"]
    skill = local_concepts.add_local(engine, "skill", "Formering av celler",
                                     SKILL, actor=region.lotsare)["concept_id"]
    data = csv_bytes([
        person(source_id="AF-1", occupations="battericellsoperatör:2",
               skills="Formering av celler;MAG-svetsning"),
        person(source_id="AF-2", occupations=f"{occupation}:1", skills=""),
        person(source_id="AF-3", occupations="celloperatör", skills=""),
    ])
    summary = run(engine, "people", data, tenant="lulea-boden")
    assert summary["created"] == 3
    people = {p["source_id"]: p for p in records.list_records(engine, "people",
                                                              actor=SYSTEM)["results"]}
    assert [o["occupation_id"] for o in people["AF-1"]["occupations"]] == [occupation]
    assert skill in people["AF-1"]["skills"]
    assert [o["occupation_id"] for o in people["AF-2"]["occupations"]] == [occupation]
    assert [o["occupation_id"] for o in people["AF-3"]["occupations"]] == [occupation]

    # Umeå's file cannot name Luleå's concepts, neither by id nor by label.
    by_id = rejected(engine, "people", csv_bytes([
        person(source_id="U-1", occupations=f"{occupation}:1", skills="")]), tenant="umea")
    assert any("som kommunen själv lagt till" in p.message for p in by_id)
    run(engine, "people", csv_bytes([
        person(source_id="U-2", occupations="Battericellsoperatör", skills="")]), tenant="umea")
    people = {p["source_id"]: p for p in records.list_records(engine, "people",
                                                              actor=SYSTEM)["results"]}
    # The taxonomy's own keyword "battericellsoperatör" leads Umeå to the standard concept.
    assert [o["occupation_id"] for o in people["U-2"]["occupations"]] == [BATTERY_OPERATOR]
