"""Editable, versioned skill profiles and local occupations, on SQLite and PostgreSQL:
history and revert, edits that change what a new need starts from and who ranks first,
local occupations matched through their anchor, and one tenant's edits never seen by another."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from tests.match.two_tenants import (
    BATTERY_OPERATOR,
    LULEA,
    TRUCK_DRIVER,
    TwoTenants,
    add_people,
    battery_skills,
    build,
    person_record,
)

from lotsen.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from lotsen.services import local_concepts, matching, need_edits, profiles
from lotsen.store.db import transaction
from lotsen.store.models import AuditEntry
from lotsen.taxonomy import load_taxonomy

WELDING = "rxrQ_Nyy_k6y"  # an occupation of another group, for "no leak" checks


@pytest.fixture
def region(engine: Engine) -> TwoTenants:
    return build(engine)


def _skills(profile: dict[str, Any]) -> list[str]:
    return [s["concept_id"] for s in profile["skills"]]


def _suggested(region: TwoTenants, occupation: str = BATTERY_OPERATOR) -> dict[str, list[str]]:
    data = profiles.need_suggestions(region.engine, occupation, actor=region.lotsare)
    return {k: [s["concept_id"] for s in data[k]] for k in ("must", "nice")}


def _need(region: TwoTenants, occupation: str, suggested: dict[str, list[str]]) -> int:
    made = need_edits.submit_need(region.engine, {
        "occupation_id": occupation, "headcount": 1, "start_date": "2027-03-01",
        "municipality_code": LULEA, "employer_id": region.employer,
        "must_skills": suggested["must"], "nice_skills": suggested["nice"]}, actor=region.lotsare)
    return int(made["id"])


def test_each_edit_is_a_version_that_can_be_shown_and_reverted(region: TwoTenants) -> None:
    engine, lotsare = region.engine, region.lotsare
    computed = profiles.show(engine, BATTERY_OPERATOR, actor=lotsare)
    assert computed["version"] == 0 and computed["editable"]
    first, second = _skills(computed)[:2]
    extra = next(s.id for s in load_taxonomy().skills_of(TRUCK_DRIVER)
                 if s.id not in _skills(computed))

    v1 = profiles.edit(engine, BATTERY_OPERATOR,
                       [{"op": "remove", "skill_id": first}], "inte här", actor=lotsare)
    assert v1["version"] == 1 and first not in _skills(v1)
    assert [r["concept_id"] for r in v1["removed"]] == [first]
    v2 = profiles.edit(engine, BATTERY_OPERATOR, [
        {"op": "add", "skill_id": extra, "weight": 0.9, "must": True},
        {"op": "set", "skill_id": second, "weight": 0.1},
    ], "cellfabrikens krav", expected_version=1, actor=lotsare)
    added = next(s for s in v2["skills"] if s["concept_id"] == extra)
    assert added["strength"] == 0.9 and added["must"] is True
    assert added["origins"][-1]["label"] == "redigerad av lots.lulea"
    assert next(s for s in v2["skills"] if s["concept_id"] == second)["strength"] == 0.1

    history = profiles.history(engine, BATTERY_OPERATOR, actor=lotsare)
    assert [v["version"] for v in history["versions"]] == [2, 1]
    assert history["versions"][0]["by"] == "lots.lulea"
    assert history["versions"][0]["comment"] == "cellfabrikens krav"
    assert {(c["op"], c["skill_id"]) for c in history["versions"][0]["changes"]} == {
        ("add", extra), ("set", second)}

    old = profiles.show(engine, BATTERY_OPERATOR, version=1, actor=lotsare)
    assert old["version"] == 1 and old["latest_version"] == 2 and extra not in _skills(old)

    v3 = profiles.revert(engine, BATTERY_OPERATOR, 1, actor=lotsare)
    assert v3["version"] == 3 and _skills(v3) == _skills(old)
    assert profiles.history(engine, BATTERY_OPERATOR, actor=lotsare)["versions"][0]["comment"] == (
        "Återställd till version 1")
    v4 = profiles.revert(engine, BATTERY_OPERATOR, 0, actor=lotsare)
    assert _skills(v4) == _skills(computed) and v4["removed"] == []

    with pytest.raises(Conflict):  # a colleague saved version 4 since we loaded version 3
        profiles.edit(engine, BATTERY_OPERATOR,
                      [{"op": "remove", "skill_id": second}], expected_version=3, actor=lotsare)
    with pytest.raises(InvalidInput):  # reverting to what it already is changes nothing
        profiles.revert(engine, BATTERY_OPERATOR, 0, actor=lotsare)
    with pytest.raises(InvalidInput):
        profiles.edit(engine, BATTERY_OPERATOR, [{"op": "add", "skill_id": WELDING}], actor=lotsare)
    with transaction(engine) as session:
        audited = session.scalar(select(func.count()).where(AuditEntry.entity == "profile"))
    assert audited == 4


def test_a_removed_skill_is_no_longer_suggested_for_a_new_need(region: TwoTenants) -> None:
    before = _suggested(region)
    offered = before["must"] + before["nice"]
    assert offered
    dropped, promoted = offered[0], offered[-1]
    profiles.edit(region.engine, BATTERY_OPERATOR, [
        {"op": "remove", "skill_id": dropped},
        {"op": "set", "skill_id": promoted, "must": True},
    ], actor=region.lotsare)
    after = _suggested(region)
    assert dropped not in after["must"] + after["nice"]
    assert promoted in after["must"]
    # Umeå's lotsare still gets the computed suggestions.
    theirs = profiles.need_suggestions(region.engine, BATTERY_OPERATOR, actor=region.other_lotsare)
    assert dropped in [s["concept_id"] for s in theirs["must"] + theirs["nice"]]


def test_a_must_have_added_to_the_profile_changes_who_ranks_first(region: TwoTenants) -> None:
    base = _suggested(region)
    offered = base["must"] + base["nice"]
    special = next(s for s in battery_skills() if s not in offered)
    add_people(region, [
        person_record("broad", BATTERY_OPERATOR, offered),  # everything the profile says
        person_record("niche", BATTERY_OPERATOR, [special]),  # only the one skill
    ])
    before = matching.match_need(region.engine, _need(region, BATTERY_OPERATOR, base), 5,
                                 actor=region.lotsare)
    assert before["results"][0]["pseudonym"].endswith("BROAD")

    profiles.edit(region.engine, BATTERY_OPERATOR,
                  [{"op": "add", "skill_id": special, "must": True}], actor=region.lotsare)
    edited = _suggested(region)
    assert special in edited["must"]
    after = matching.match_need(region.engine, _need(region, BATTERY_OPERATOR, edited), 5,
                                actor=region.lotsare)
    assert after["results"][0]["pseudonym"].endswith("NICHE")
    broad = [r for r in after["results"] if r["pseudonym"].endswith("BROAD")]
    assert not broad or special in {s["concept_id"] for s in broad[0]["missing_skills"]}


def test_a_need_for_a_local_occupation_finds_people_of_its_anchor(region: TwoTenants) -> None:
    local = local_concepts.add_local(region.engine, "occupation-name",
                                     "Battericellsoperatör", BATTERY_OPERATOR,
                                     "Sköter cellproduktionen", ["celloperatör"],
                                     actor=region.lotsare)
    assert local["concept_id"] == "local:lulea-boden:battericellsoperator"
    assert local["ssyk4"] == "8132"
    add_people(region, [
        person_record("anchor", BATTERY_OPERATOR, []),
        person_record("local", local["concept_id"], []),
        person_record("welder", WELDING, []),
    ])
    need_id = _need(region, local["concept_id"], {"must": [], "nice": []})
    result = matching.match_need(region.engine, need_id, 5, actor=region.lotsare)
    assert result["need"]["occupation_label"] == "Battericellsoperatör"
    ranked = [r["pseudonym"][-6:] for r in result["results"]]
    assert set(ranked[:2]) == {"ANCHOR", "0LOCAL"}
    assert ranked.index("ANCHOR") < ranked.index("WELDER") if "WELDER" in ranked else True
    # ... and a standard need counts a person's local occupation as its anchor.
    standard = matching.match_need(
        region.engine, _need(region, BATTERY_OPERATOR, {"must": [], "nice": []}), 5,
        actor=region.lotsare)
    scores = {r["pseudonym"][-6:]: r["score"] for r in standard["results"]}
    assert scores["0LOCAL"] == scores["ANCHOR"]
    # A local skill as skall-krav: matched by the people who have it, named in Swedish.
    cells = local_concepts.add_local(region.engine, "skill",
                                     "Formering av celler", battery_skills()[0],
                                     actor=region.lotsare)["concept_id"]
    add_people(region, [person_record("former", BATTERY_OPERATOR, [cells])])
    matching.tools().cache.forget(region.engine)  # it trusts itself for 2 s by design
    skilled = matching.match_need(
        region.engine, _need(region, local["concept_id"], {"must": [cells], "nice": []}), 5,
        actor=region.lotsare)
    top = skilled["results"][0]
    assert top["pseudonym"].endswith("FORMER")
    assert top["matched_skills"] == [
        {"concept_id": cells, "label": "Formering av celler", "requirement": "must",
         "source": "egen uppgift", "validated": False}]
    assert skilled["need"]["must_skill_labels"] == ["Formering av celler"]
    others = [r for r in skilled["results"] if not r["pseudonym"].endswith("FORMER")]
    assert all("Saknar: Formering av celler" in r["reasons"] for r in others)
    # The local occupation's profile is its anchor's, with its own edits on top.
    own = profiles.show(region.engine, local["concept_id"], actor=region.lotsare)
    assert own["occupation"]["preferred_label"] == "Battericellsoperatör"
    assert own["anchor"]["concept_id"] == BATTERY_OPERATOR
    assert _skills(own) == _skills(profiles.show(region.engine, BATTERY_OPERATOR,
                                                 actor=region.lotsare))


def test_another_tenant_never_sees_nor_changes_the_edits(region: TwoTenants) -> None:
    engine = region.engine
    local = local_concepts.add_local(engine, "occupation-name",
                                     "Formeringstekniker", BATTERY_OPERATOR, actor=region.lotsare)
    skill = _skills(profiles.show(engine, BATTERY_OPERATOR, actor=region.lotsare))[0]
    profiles.edit(engine, BATTERY_OPERATOR, [{"op": "remove", "skill_id": skill}],
                  actor=region.lotsare)

    other = region.other_lotsare
    theirs = profiles.show(engine, BATTERY_OPERATOR, actor=other)
    assert theirs["version"] == 0 and skill in _skills(theirs)
    assert profiles.history(engine, BATTERY_OPERATOR, actor=other)["versions"] == []
    assert local_concepts.list_local(engine, actor=other)["results"] == []
    for call in (
        lambda: local_concepts.get_local(engine, local["concept_id"], actor=other),
        lambda: profiles.show(engine, local["concept_id"], actor=other),
        lambda: profiles.edit(engine, BATTERY_OPERATOR,
                              [{"op": "add", "skill_id": skill}], tenant="lulea-boden",
                              actor=other),
        lambda: profiles.edit(engine, local["concept_id"],
                              [{"op": "add", "skill_id": skill}], actor=other),
        lambda: local_concepts.add_local(engine, "occupation-name", "Smygare",
                                         BATTERY_OPERATOR, tenant="lulea-boden", actor=other),
        lambda: need_edits.submit_need(engine, {
            "occupation_id": local["concept_id"], "headcount": 1, "start_date": "2027-03-01",
            "municipality_code": "2480", "employer_id": region.other_employer}, actor=other),
    ):
        with pytest.raises((NotFound, InvalidInput)):
            call()
    # A need moves to a local occupation of its own tenant only.
    mine = _need(region, BATTERY_OPERATOR, {"must": [], "nice": []})
    moved = need_edits.update_need(engine, mine,
                                   {"occupation_id": local["concept_id"]}, 1, actor=region.lotsare)
    assert moved["occupation_id"] == local["concept_id"]
    theirs_need = need_edits.submit_need(engine, {
        "occupation_id": BATTERY_OPERATOR, "headcount": 1, "start_date": "2027-03-01",
        "municipality_code": "2480", "employer_id": region.other_employer}, actor=other)["id"]
    with pytest.raises(InvalidInput):
        need_edits.update_need(engine, theirs_need,
                               {"occupation_id": local["concept_id"]}, 1, actor=other)
    # The tenant's employer reads the profile (its need form starts there) but cannot edit.
    assert profiles.show(engine, BATTERY_OPERATOR, actor=region.employer_actor)["version"] == 1
    with pytest.raises(PermissionDenied):
        profiles.edit(engine, BATTERY_OPERATOR,
                      [{"op": "add", "skill_id": skill}], actor=region.employer_actor)
    # The regional analyst reads any tenant's edits when naming it, and changes none.
    assert profiles.show(engine, BATTERY_OPERATOR, "lulea-boden",
                         actor=region.analyst)["version"] == 1
    assert len(local_concepts.list_local(engine, actor=region.analyst)["results"]) == 1
    with pytest.raises(PermissionDenied):
        profiles.revert(engine, BATTERY_OPERATOR, 0, tenant="lulea-boden", actor=region.analyst)


def test_racing_editors_lose_no_edit(region: TwoTenants) -> None:
    """Eight lotsar save at once, each from the version they loaded: every edit lands
    as its own version (losers get a conflict, reload and save again)."""
    engine, writers = region.engine, 8
    extra = [s.id for s in load_taxonomy().skills_of(TRUCK_DRIVER)
             if s.id not in set(battery_skills())][:writers]
    barrier = threading.Barrier(writers)
    conflicts = [0]
    lock = threading.Lock()

    def editor(skill: str) -> None:
        seen = profiles.show(engine, BATTERY_OPERATOR, actor=region.lotsare)["version"]
        barrier.wait()
        while True:
            try:
                profiles.edit(engine, BATTERY_OPERATOR,
                              [{"op": "add", "skill_id": skill}], expected_version=seen,
                              actor=region.lotsare)
                return
            except Conflict:
                with lock:
                    conflicts[0] += 1
                seen = profiles.show(engine, BATTERY_OPERATOR, actor=region.lotsare)["version"]

    threads = [threading.Thread(target=editor, args=(s,)) for s in extra]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    final = profiles.show(engine, BATTERY_OPERATOR, actor=region.lotsare)
    assert final["version"] == writers
    assert set(extra) <= set(_skills(final))
    assert conflicts[0] >= 1  # they did race
    versions = profiles.history(engine, BATTERY_OPERATOR, actor=region.lotsare)["versions"]
    assert [v["version"] for v in versions] == list(range(writers, 0, -1))
