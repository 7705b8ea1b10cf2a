"""A tenant's local concepts: clear ids, found by search for that tenant only."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from tests.match.two_tenants import BATTERY_OPERATOR, build

from lotsen.errors import InvalidInput
from lotsen.services import local_concepts, taxonomy
from lotsen.services.access import SYSTEM
from lotsen.taxonomy.local import is_local, make_id, slugify

SKILL = "uenm_75h_fEh"  # Yrkesmatematik, industriell tillverkning


def test_local_ids_are_readable_and_never_collide() -> None:
    assert slugify("Battericellsoperatör") == "battericellsoperator"
    assert make_id("lulea-boden", "Formeringstekniker") == "local:lulea-boden:formeringstekniker"
    taken = ["local:umea:tekniker"]
    assert make_id("umea", "Tekniker", taken) == "local:umea:tekniker-2"
    assert is_local("local:umea:tekniker") and not is_local(BATTERY_OPERATOR)
    with pytest.raises(InvalidInput):
        make_id("umea", "!!!")


def _ids(engine: Engine, query: str, actor: object, types: list[str] | None = None) -> list[str]:
    found = taxonomy.search(query, types, 10, engine=engine, actor=actor)  # type: ignore[arg-type]
    return [hit["concept_id"] for hit in found["results"]]


def test_a_local_occupation_is_found_by_its_tenant_only(engine: Engine) -> None:
    region = build(engine)
    made = local_concepts.add_local(engine, "occupation-name",
                                    "Battericellsoperatör", BATTERY_OPERATOR,
                                    synonyms=["cellmästare"], actor=region.lotsare)
    local_id = made["concept_id"]
    mine = taxonomy.search("battericellsop", ["occupation-name"], 5, engine=engine,
                           actor=region.lotsare)["results"]
    assert mine[0]["concept_id"] == local_id and mine[0]["ssyk4"] == "8132"
    assert local_id in _ids(engine, "cellmästare", region.lotsare)  # its synonym
    assert local_id in _ids(engine, "battericells", region.employer_actor)  # same tenant
    assert local_id not in _ids(engine, "battericellsop", region.other_lotsare)
    assert local_id not in _ids(engine, "cellmästare", region.other_lotsare)
    assert local_id not in _ids(engine, "battericellsop", SYSTEM)
    # Asking for skills only leaves a local occupation out.
    assert local_id not in _ids(engine, "battericellsop", region.lotsare, ["skill"])


def test_a_local_skill_anchors_to_a_skill(engine: Engine) -> None:
    region = build(engine)
    with pytest.raises(InvalidInput):  # an occupation cannot anchor a skill
        local_concepts.add_local(engine, "skill", "Formering av celler",
                                 BATTERY_OPERATOR, actor=region.lotsare)
    made = local_concepts.add_local(engine, "skill", "Formering av celler",
                                    SKILL, actor=region.lotsare)
    assert made["concept_id"] == "local:lulea-boden:formering-av-celler"
    assert made["concept_id"] in _ids(engine, "formering", region.lotsare, ["skill"])
    listed = local_concepts.list_local(engine, actor=region.lotsare)["results"]
    assert [(r["preferred_label"], r["anchor_id"]) for r in listed] == [
        ("Formering av celler", SKILL)]
