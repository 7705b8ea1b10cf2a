"""Editing and deleting a tenant's local concepts, on SQLite and PostgreSQL: a rename is
found under the new label only, a new anchor changes matching at once, a used concept is
never deleted silently, a replacement moves every use, and another tenant gets 404."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from tests.cli_runner import run_cli
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
from lotsen.services import local_concepts, matching, need_edits, profiles, taxonomy
from lotsen.services.access import SYSTEM
from lotsen.store.db import open_database, transaction
from lotsen.store.models import (
    AuditEntry,
    CompetenceNeed,
    EducationProgram,
    NeedSkill,
    PersonOccupation,
    PersonSkill,
    ProfileVersion,
)
from lotsen.store.records import upsert_organization, upsert_program
from lotsen.web.app import create_app


@pytest.fixture
def region(engine: Engine) -> TwoTenants:
    return build(engine)


def _found(region: TwoTenants, query: str) -> list[str]:
    hits = taxonomy.search(query, ["occupation-name"], 10, engine=region.engine,
                           actor=region.lotsare)["results"]
    return [h["concept_id"] for h in hits]


def _need(region: TwoTenants, occupation: str, must: list[str] | None = None) -> int:
    made = need_edits.submit_need(region.engine, {
        "occupation_id": occupation, "headcount": 1, "start_date": "2027-03-01",
        "municipality_code": LULEA, "employer_id": region.employer,
        "must_skills": must or [], "nice_skills": []}, actor=region.lotsare)
    return int(made["id"])


def _program(region: TwoTenants, occupations: list[str], skills: list[str]) -> int:
    with transaction(region.engine) as session:
        provider = upsert_organization(session, region.home, {
            "source_id": "p1", "kind": "education_provider", "name": "Cellskolan",
            "municipality_code": LULEA})
        session.flush()
        program = upsert_program(session, region.home, provider.id, {
            "source_id": f"prog-{len(occupations)}-{len(skills)}", "name": "Cellkurs",
            "form": "YH", "municipality_code": LULEA, "duration_weeks": 20, "seats": 10,
            "occupations": occupations, "skills": skills})
        session.flush()
        return program.id


def _ranked(result: dict[str, Any]) -> list[str]:
    return [r["pseudonym"][-6:] for r in result["results"]]


def test_a_rename_is_found_under_the_new_label_only(region: TwoTenants) -> None:
    made = local_concepts.add_local(region.engine, "occupation-name",
                                    "Battericellsoperatör", BATTERY_OPERATOR,
                                    synonyms=["cellmästare"], actor=region.lotsare)
    local_id = made["concept_id"]
    assert local_id in _found(region, "battericellsop")  # the index is cached now
    edited = local_concepts.edit_local(region.engine, local_id,
                                       label="Formeringsoperatör", synonyms=["cellformerare"],
                                       description="Laddar nya celler första gången",
                                       actor=region.lotsare)
    assert edited["concept_id"] == local_id  # the id stays
    assert edited["preferred_label"] == "Formeringsoperatör"
    assert set(edited["changed"]) == {"label", "synonyms", "description"}
    assert local_id in _found(region, "formeringsop")
    assert local_id in _found(region, "cellformerare")
    assert local_id not in _found(region, "battericellsop")
    assert local_id not in _found(region, "cellmästare")
    # Nothing changed: no new audit entry; "" clears the description.
    again = local_concepts.edit_local(region.engine, local_id,
                                      label="Formeringsoperatör", description="",
                                      actor=region.lotsare)
    assert again["changed"] == ["description"] and again["description"] is None
    with transaction(region.engine) as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity == "local_concept").order_by(AuditEntry.id)).all()
    assert actions == ["create", "update", "update"]
    with pytest.raises(InvalidInput):  # an anchor of the wrong type
        local_concepts.edit_local(region.engine, local_id,
                                  anchor_id=battery_skills()[0], actor=region.lotsare)
    with pytest.raises(InvalidInput):
        local_concepts.edit_local(region.engine, local_id, label="x", actor=region.lotsare)


def test_a_new_anchor_changes_matching_at_once(region: TwoTenants) -> None:
    local_id = local_concepts.add_local(region.engine, "occupation-name",
                                        "Battericellsoperatör", BATTERY_OPERATOR,
                                        actor=region.lotsare)["concept_id"]
    add_people(region, [
        person_record("anchor", BATTERY_OPERATOR, []),
        person_record("trucks", TRUCK_DRIVER, []),
        person_record("local", local_id, []),
    ])
    matching.tools().cache.forget(region.engine)
    need_id = _need(region, local_id)
    before = matching.match_need(region.engine, need_id, 5, actor=region.lotsare)
    assert set(_ranked(before)[:2]) == {"ANCHOR", "0LOCAL"}
    assert before["results"][0]["score"] > {
        r["pseudonym"][-6:]: r["score"] for r in before["results"]}.get("TRUCKS", 0.0)

    edited = local_concepts.edit_local(region.engine, local_id,
                                       anchor_id=TRUCK_DRIVER, actor=region.lotsare)
    assert edited["anchor_id"] == TRUCK_DRIVER and edited["ssyk4"] == "8344"
    # No forget() here: the edit itself makes the people index reload.
    after = matching.match_need(region.engine, need_id, 5, actor=region.lotsare)
    assert set(_ranked(after)[:2]) == {"TRUCKS", "0LOCAL"}
    scores = {r["pseudonym"][-6:]: r["score"] for r in after["results"]}
    assert scores["0LOCAL"] == scores["TRUCKS"]
    # The signature alone notices the change too (other processes have no forget()).
    from lotsen.match.loading import signature

    stamp = signature(region.engine)
    local_concepts.edit_local(region.engine, local_id,
                              anchor_id=BATTERY_OPERATOR, actor=region.lotsare)
    assert signature(region.engine) != stamp
    hits = taxonomy.search("battericellsop", ["occupation-name"], 5, engine=region.engine,
                           actor=region.lotsare)["results"]
    assert hits[0]["concept_id"] == local_id and hits[0]["ssyk4"] == "8132"


def _uses(engine: Engine, concept_id: str) -> dict[str, int]:
    with transaction(engine) as session:
        programs = session.scalars(select(EducationProgram)).all()
        return {
            "needs": int(session.scalar(select(func.count()).select_from(CompetenceNeed).where(
                CompetenceNeed.occupation_id == concept_id)) or 0)
            + int(session.scalar(select(func.count()).select_from(NeedSkill).where(
                NeedSkill.skill_id == concept_id)) or 0),
            "people": int(session.scalar(select(func.count()).select_from(PersonOccupation).where(
                PersonOccupation.occupation_id == concept_id)) or 0)
            + int(session.scalar(select(func.count()).select_from(PersonSkill).where(
                PersonSkill.skill_id == concept_id)) or 0),
            "programs": sum(concept_id in (p.occupations or []) + (p.skills or [])
                            for p in programs),
        }


def test_a_used_occupation_is_refused_then_replaced_without_loss(region: TwoTenants) -> None:
    engine = region.engine
    local_id = local_concepts.add_local(engine, "occupation-name",
                                        "Battericellsoperatör", BATTERY_OPERATOR,
                                        actor=region.lotsare)["concept_id"]
    add_people(region, [person_record("a", local_id, []), person_record("b", local_id, []),
                        person_record("both", BATTERY_OPERATOR, [], years=1.0)])
    with transaction(engine) as session:  # one person has the local and the standard one
        both = session.scalars(select(PersonOccupation.person_id).where(
            PersonOccupation.occupation_id == BATTERY_OPERATOR)).one()
        session.add(PersonOccupation(person_id=both, occupation_id=local_id, years=4.0))
    need_ids = [_need(region, local_id), _need(region, local_id), _need(region, local_id)]
    program = _program(region, [local_id, BATTERY_OPERATOR], [])
    profiles.edit(engine, local_id,
                  [{"op": "remove", "skill_id": battery_skills()[0]}], actor=region.lotsare)
    assert local_concepts.usage(engine, local_id, actor=region.lotsare) == {
        "needs": 3, "people": 3, "programs": 1}

    with pytest.raises(Conflict) as refused:
        local_concepts.delete_local(engine, local_id, actor=region.lotsare)
    message = str(refused.value)
    assert "3 behov, 3 personer och 1 utbildningar" in message
    assert "3 needs, 3 people, 1 programs" in message
    assert local_concepts.get_local(engine, local_id, actor=region.lotsare)  # still there
    with pytest.raises(InvalidInput):  # a skill cannot replace an occupation
        local_concepts.delete_local(engine, local_id, battery_skills()[0], actor=region.lotsare)
    with pytest.raises(InvalidInput):  # nor an unknown concept
        local_concepts.delete_local(engine, local_id, "local:umea:nej", actor=region.lotsare)

    standard_before = _uses(engine, BATTERY_OPERATOR)
    done = local_concepts.delete_local(engine, local_id, BATTERY_OPERATOR, actor=region.lotsare)
    assert done["moved"] == {"needs": 3, "people": 3, "programs": 1}
    assert done["profile_versions_removed"] == 1
    assert _uses(engine, local_id) == {"needs": 0, "people": 0, "programs": 0}
    after = _uses(engine, BATTERY_OPERATOR)
    # The person who had both keeps one row (the longer experience): nobody is lost.
    assert after == {"needs": standard_before["needs"] + 3,
                     "people": standard_before["people"] + 2, "programs": 1}
    with transaction(engine) as session:
        assert session.get(PersonOccupation, (both, BATTERY_OPERATOR)).years == 4.0
        assert [session.get(CompetenceNeed, n).version for n in need_ids] == [2, 2, 2]
        assert session.get(EducationProgram, program).occupations == [BATTERY_OPERATOR]
        assert session.scalar(select(func.count()).select_from(ProfileVersion).where(
            ProfileVersion.occupation_id == local_id)) == 0
        audit = session.scalars(select(AuditEntry.detail).where(
            AuditEntry.entity == "local_concept", AuditEntry.action == "delete")).one()
    assert BATTERY_OPERATOR in audit
    with pytest.raises(NotFound):
        local_concepts.get_local(engine, local_id, actor=region.lotsare)
    # The needs are matched as before (the anchor was the same).
    assert matching.match_need(engine, need_ids[0], 5, actor=region.lotsare)["results"]


def test_a_local_skill_moves_to_another_local_skill(region: TwoTenants) -> None:
    engine = region.engine
    skill = battery_skills()[0]
    old = local_concepts.add_local(engine, "skill", "Formering av celler",
                                   skill, actor=region.lotsare)["concept_id"]
    new = local_concepts.add_local(engine, "skill", "Cellformering", skill, actor=region.lotsare,
                                   )["concept_id"]
    add_people(region, [person_record("a", BATTERY_OPERATOR, [old]),
                        person_record("b", BATTERY_OPERATOR, [old, new])])
    need_id = _need(region, BATTERY_OPERATOR, [old])
    _program(region, [], [old, skill])
    with pytest.raises(Conflict):
        local_concepts.delete_local(engine, old, actor=region.lotsare)
    done = local_concepts.delete_local(engine, old, new, actor=region.lotsare)
    assert done["moved"] == {"needs": 1, "people": 2, "programs": 1}
    assert _uses(engine, old) == {"needs": 0, "people": 0, "programs": 0}
    assert _uses(engine, new) == {"needs": 1, "people": 2, "programs": 1}
    with transaction(engine) as session:
        assert session.get(NeedSkill, (need_id, new)).requirement == "must"
    # An unused concept deletes directly.
    unused = local_concepts.add_local(engine, "skill", "Oanvänd", skill, actor=region.lotsare)
    assert local_concepts.delete_local(engine, unused["concept_id"],
                                       actor=region.lotsare)["moved"] == {
        "needs": 0, "people": 0, "programs": 0}
    assert [r["concept_id"] for r in local_concepts.list_local(engine, actor=region.lotsare)[
        "results"]] == [new]


def test_only_the_tenants_lotsare_and_admins_edit_or_delete(region: TwoTenants) -> None:
    engine = region.engine
    local_id = local_concepts.add_local(engine, "occupation-name",
                                        "Battericellsoperatör", BATTERY_OPERATOR,
                                        actor=region.lotsare)["concept_id"]
    other = region.other_lotsare
    for call in (
        lambda: local_concepts.edit_local(engine, local_id, label="Kapat", actor=other),
        lambda: local_concepts.delete_local(engine, local_id, actor=other),
        lambda: local_concepts.delete_local(engine, local_id, BATTERY_OPERATOR, actor=other),
        lambda: local_concepts.edit_local(engine, "local:lulea-boden:finns-ej",
                                          label="Nej", actor=region.lotsare),
    ):
        with pytest.raises(NotFound):
            call()
    for actor in (region.employer_actor, region.analyst):
        with pytest.raises(PermissionDenied):
            local_concepts.edit_local(engine, local_id, label="Kapat", actor=actor)
        with pytest.raises(PermissionDenied):
            local_concepts.delete_local(engine, local_id, actor=actor)
    # A replacement must be the same tenant's: another tenant's local concept is unknown.
    theirs = local_concepts.add_local(engine, "occupation-name", "Umeyrke",
                                      BATTERY_OPERATOR, actor=other)["concept_id"]
    add_people(region, [person_record("a", local_id, [])])
    with pytest.raises(InvalidInput):
        local_concepts.delete_local(engine, local_id, theirs, actor=region.lotsare)
    assert local_concepts.edit_local(engine, local_id, label="Cellare", actor=SYSTEM)[
        "preferred_label"] == "Cellare"
    shown = local_concepts.get_local(engine, local_id, actor=region.lotsare)
    assert shown["preferred_label"] == "Cellare"


def test_the_api_edits_and_deletes(region: TwoTenants, db_url: str) -> None:
    client = TestClient(create_app(db_url))
    made = client.post("/api/v1/local-concepts", json={
        "label": "Battericellsoperatör", "anchor_id": BATTERY_OPERATOR,
        "tenant": "lulea-boden"}).json()
    local_id = made["concept_id"]
    patched = client.patch(f"/api/v1/local-concepts/{local_id}",
                           json={"label": "Cellare", "anchor_id": TRUCK_DRIVER})
    assert patched.status_code == 200, patched.text
    assert patched.json()["preferred_label"] == "Cellare"
    assert patched.json()["anchor_id"] == TRUCK_DRIVER
    assert client.patch(f"/api/v1/local-concepts/{local_id}",
                        json={"anchor_id": "nope"}).status_code == 422
    add_people(region, [person_record("a", local_id, [])])
    refused = client.delete(f"/api/v1/local-concepts/{local_id}")
    assert refused.status_code == 409 and "1 personer" in refused.text
    moved = client.delete(f"/api/v1/local-concepts/{local_id}",
                          params={"replace_with": TRUCK_DRIVER})
    assert moved.status_code == 200, moved.text
    assert moved.json()["moved"]["people"] == 1
    assert client.get(f"/api/v1/local-concepts/{local_id}").status_code == 404
    assert client.delete(f"/api/v1/local-concepts/{local_id}").status_code == 404


def test_the_cli_edits_and_deletes(db_url: str, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    region = build(open_database(db_url))
    monkeypatch.setenv("LOTSEN_DATABASE_URL", db_url)

    def run(*argv: str) -> Any:
        code, out, err = run_cli(capsys, *argv)
        assert code == 0, err
        return json.loads(out)

    made = run("concepts", "add-local", "--tenant", "lulea-boden", "--label",
               "Formeringstekniker", "--anchor", BATTERY_OPERATOR, "--json")
    local_id = made["concept_id"]
    edited = run("concepts", "edit-local", local_id, "--label", "Formeringsoperatör",
                 "--synonym", "formerare", "--synonym", "cellformerare", "--anchor",
                 TRUCK_DRIVER, "--json")
    assert edited["concept_id"] == local_id and edited["preferred_label"] == "Formeringsoperatör"
    assert edited["synonyms"] == ["formerare", "cellformerare"]
    assert edited["anchor_id"] == TRUCK_DRIVER
    found = run("taxonomy", "search", "cellformerare", "--tenant", "lulea-boden", "--json")
    assert found["results"][0]["concept_id"] == local_id
    add_people(region, [person_record("a", local_id, [])])
    code, _, err = run_cli(capsys, "concepts", "delete-local", local_id)
    assert code != 0 and "1 personer" in err and len(err.strip().splitlines()) == 1
    done = run("concepts", "delete-local", local_id, "--replace-with", TRUCK_DRIVER, "--json")
    assert done["moved"] == {"needs": 0, "people": 1, "programs": 0}
    assert run("concepts", "list-local", "--json")["results"] == []
