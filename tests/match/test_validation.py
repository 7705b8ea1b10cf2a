"""Validated prior learning: recorded with who/how/when under the people policy, counted
as held by matching and pathways (with its source), and the gap report's "one validation
away" — on the demo region, SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, func, select
from tests.cli_runner import run_cli
from tests.conftest import BACKENDS, fresh_url
from tests.match.conftest import TRUCK_DRIVER, person

from lotsen.errors import InvalidInput, NotFound, PermissionDenied
from lotsen.match.index import PeopleIndex
from lotsen.match.need import NeedSpec
from lotsen.match.scorer import Matcher
from lotsen.match.validation import readiness
from lotsen.services import gaps, matching, validations
from lotsen.services.access import SYSTEM, Actor
from lotsen.services.demo import build_demo
from lotsen.services.records import list_records
from lotsen.store.db import forget_engines, open_database, transaction
from lotsen.store.models import AuditEntry, Person, SkillValidation, Tenant


@pytest.fixture(params=BACKENDS)
def demo(request: pytest.FixtureRequest, tmp_path: Path, demo_sqlite_url: str) -> Iterator[Engine]:
    """A demo region of its own (these tests write): a copy of the shared SQLite demo, or
    PostgreSQL built afresh."""
    if request.param == "sqlite":
        source = sqlite3.connect(demo_sqlite_url.removeprefix("sqlite:///"))
        target = sqlite3.connect(tmp_path / "demo.db")
        source.backup(target)
        source.close()
        target.close()
        url = f"sqlite:///{tmp_path / 'demo.db'}"
    else:
        url = fresh_url(request.param, tmp_path)
        build_demo(open_database(url), seed=7, people=400, actor=SYSTEM)
    yield open_database(url)
    forget_engines()


def _officer(engine: Engine, person_id: int) -> Actor:
    with transaction(engine) as session:
        tenant = session.scalar(select(Person.tenant_id).where(Person.id == person_id))
    return Actor("officer", tenant_id=tenant, user_id=None, username="anna.handlaggare")


def _open_needs(engine: Engine) -> list[dict[str, Any]]:
    return matching.open_needs(engine, actor=SYSTEM)


def _away(engine: Engine) -> tuple[PeopleIndex, Matcher, list[tuple[dict[str, Any], np.ndarray]]]:
    t = matching.tools()
    index = t.cache.get(engine)
    matcher = t.matcher(index)
    found = []
    for need in _open_needs(engine):
        close, _ = readiness(index, matcher, NeedSpec.from_record(need))
        if len(close):
            found.append((need, close))
    return index, matcher, found


def test_demo_people_have_synthetic_validations(demo: Engine) -> None:
    with transaction(demo) as session:
        rows = session.scalars(select(SkillValidation)).all()
        people = session.scalar(select(func.count()).select_from(Person))
    assert 0 < len({r.person_id for r in rows}) < people
    assert {r.validated_by for r in rows} == {"demo-validerare (syntetisk)"}
    assert {r.method for r in rows} <= {"industry", "komvux", "certificate"}


def test_validation_records_who_how_and_when_and_is_audited(demo: Engine) -> None:
    someone = list_records(demo, "people", actor=SYSTEM, limit=50)["results"][7]
    actor = _officer(demo, someone["id"])
    occupation = someone["occupations"][0]["occupation_id"]
    skills = someone["skills"][:2]
    day = (date.today() - timedelta(days=30)).isoformat()
    before = len(someone["validations"])
    got = validations.validate(demo, someone["pseudonym"], occupation, skills, "komvux", day,
                               actor=actor)
    mine = [v for v in got["validations"] if v["occupation_id"] == occupation
            and v["skill_id"] in skills]
    assert len(mine) == 2
    assert {(v["method"], v["method_label"], v["validated_on"], v["validated_by"])
            for v in mine} == {("komvux", "Komvux validering", day, "anna.handlaggare")}
    assert all(v["skill_label"] and v["occupation_label"] for v in mine)
    # The same skill against the same profile again: how and when replaced, not doubled.
    again = validations.validate(demo, someone["id"], occupation, skills[:1], "certificate",
                                 actor=actor)
    assert len(again["validations"]) == len(got["validations"])
    assert {v["method"] for v in again["validations"] if v["skill_id"] == skills[0]
            and v["occupation_id"] == occupation} == {"certificate"}
    assert len(got["validations"]) >= before + 1
    with transaction(demo) as session:
        lines = session.scalars(select(AuditEntry).where(
            AuditEntry.entity == "person", AuditEntry.entity_id == someone["id"],
            AuditEntry.action == "update")).all()
    assert len(lines) == 2 and all(someone["pseudonym"] not in (a.detail or "") for a in lines)
    assert all(a.username == "anna.handlaggare" for a in lines)
    removed = validations.remove(demo, someone["id"], mine[1]["id"], actor=actor)
    assert mine[1]["id"] not in {v["id"] for v in removed["validations"]}


@pytest.mark.parametrize(("change", "field"), [
    ({"method": "hearsay"}, "method"),
    ({"skills": []}, "skills"),
    ({"skills": [TRUCK_DRIVER]}, "skills"),  # an occupation is not a skill
    ({"occupation": "not-a-concept"}, "occupation_id"),
    ({"on": (date.today() + timedelta(days=2)).isoformat()}, "validated_on"),
    ({"on": "2026-13-01"}, "validated_on"),
])
def test_bad_input_is_refused_naming_the_field(demo_sqlite_url: str, tmp_path: Path,
                                               change: dict[str, Any], field: str) -> None:
    engine = open_database(demo_sqlite_url)
    someone = list_records(engine, "people", actor=SYSTEM, limit=1)["results"][0]
    args: dict[str, Any] = {"occupation": someone["occupations"][0]["occupation_id"],
                            "skills": someone["skills"][:1], "method": "industry", "on": None}
    args.update(change)
    with pytest.raises(InvalidInput) as caught:
        validations.validate(engine, someone["id"], args["occupation"], args["skills"],
                             args["method"], args["on"], actor=SYSTEM)
    assert caught.value.location == field


def test_only_who_may_change_people_validates_and_only_in_their_tenant(demo: Engine) -> None:
    someone = list_records(demo, "people", actor=SYSTEM, limit=1)["results"][0]
    args = (someone["id"], someone["occupations"][0]["occupation_id"], someone["skills"][:1],
            "industry")
    own = _officer(demo, someone["id"]).tenant_id
    with transaction(demo) as session:
        other = session.scalar(select(Tenant.id).where(Tenant.id != own))
    for refused in (Actor("analyst"), Actor("lotsare", tenant_id=own),
                    Actor("employer", tenant_id=own, organization_id=1)):
        with pytest.raises(PermissionDenied):
            validations.validate(demo, *args, actor=refused)
    with pytest.raises(NotFound):  # another tenant's officer: as if the person did not exist
        validations.validate(demo, *args, actor=Actor("officer", tenant_id=other))
    with pytest.raises(PermissionDenied):
        validations.of_person(demo, someone["id"], actor=Actor("analyst"))


def test_meets_requirements_agrees_with_the_scorers_filter(demo_sqlite_url: str) -> None:
    engine = open_database(demo_sqlite_url)
    t = matching.tools()
    index = t.cache.get(engine)
    matcher = t.matcher(index)
    rows = np.arange(len(index))
    for need in _open_needs(engine)[:60]:
        spec = NeedSpec.from_record(need)
        eligible, _, _ = matcher.score_all(spec)
        assert np.array_equal(matcher.meets_requirements(spec, rows), eligible), need["id"]


def test_a_validated_skill_counts_as_held_and_says_where_it_comes_from(demo: Engine) -> None:
    """Someone lacking one skall-krav of a need: validating it raises the must-skill part,
    moves it to the matched skills with its source, and the pathway no longer teaches it."""
    t = matching.tools()
    index = t.cache.get(demo)
    matcher = t.matcher(index)
    for need in _open_needs(demo):
        spec = NeedSpec.from_record(need)
        ranking = matcher.top(spec, 10)
        for row in ranking.rows:
            lacking = [s for s in spec.must_skills if not index.has_skill(int(row), s)]
            if len(lacking) == 1:
                break
        else:
            continue
        break
    person_id = int(index.person_ids[int(row)])
    before = next(r for r in matching.match_need(demo, need["id"], 10, actor=SYSTEM)["results"]
                  if r["person_id"] == person_id)
    assert lacking[0] in {m["concept_id"] for m in before["missing_skills"]}
    pathway = matching.pathway(demo, person_id, need["id"], actor=SYSTEM)
    assert lacking[0] in {m["concept_id"] for m in pathway["missing_skills"]}
    validations.validate(demo, person_id, need["occupation_id"], lacking, "industry",
                         actor=_officer(demo, person_id))
    after = next(r for r in matching.match_need(demo, need["id"], 10, actor=SYSTEM)["results"]
                 if r["person_id"] == person_id)
    assert after["parts"]["must_skills"] > before["parts"]["must_skills"]
    held = {m["concept_id"]: m for m in after["matched_skills"]}
    assert held[lacking[0]]["source"] == "validerad" and held[lacking[0]]["validated"]
    assert held[lacking[0]]["validation"]["validated_by"] == "anna.handlaggare"
    assert "branschvalidering mot" in held[lacking[0]]["validation"]["text"]
    assert all(m["source"] == "egen uppgift" for k, m in held.items() if k != lacking[0]
               and not m["validated"])
    assert any(r.startswith("Validerad: ") for r in after["reasons"])
    assert any("validerade)" in r for r in after["reasons"])
    pathway = matching.pathway(demo, person_id, need["id"], actor=SYSTEM)
    assert lacking[0] not in {m["concept_id"] for m in pathway["missing_skills"]}
    source = {h["concept_id"]: h for h in pathway["held_skills"]}[lacking[0]]
    assert source["validated"] and source["validation"]["method"] == "industry"


def _brute_force_away(engine: Engine, need: dict[str, Any], matcher: Matcher,
                      index: PeopleIndex) -> set[int]:
    """From the stored records, without the index's postings: who holds every skall-krav
    (stated or validated), with at least one not validated, among those the scorer's
    filter lets through."""
    spec = NeedSpec.from_record(need)
    eligible, _, _ = matcher.score_all(spec)
    found = set()
    for rec in list_records(engine, "people", actor=SYSTEM, limit=10_000)["results"]:
        validated = {v["skill_id"] for v in rec["validations"]}
        held = set(rec["skills"]) | validated
        row = index.row_of(rec["id"])
        if row is None or not eligible[row] or not set(spec.must_skills) <= held:
            continue
        if not set(spec.must_skills) <= validated:
            found.add(rec["id"])
    return found


def test_one_validation_away_in_the_gap_report(demo: Engine, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    index, matcher, found = _away(demo)
    assert found, "the demo region has people one validation away"
    need, close = found[0]
    assert {int(index.person_ids[r]) for r in close} == _brute_force_away(demo, need, matcher,
                                                                          index)
    report = gaps.gap_report(demo, actor=SYSTEM)
    group = matching.tools().taxonomy.ssyk4(need["occupation_id"])
    assert group is not None
    row = {o["ssyk4"]: o for o in report["by_occupation"]}[group.code]
    people_in_group: set[int] = set()
    for other, rows in found:
        other_group = matching.tools().taxonomy.ssyk4(other["occupation_id"])
        if other_group is not None and other_group.code == group.code:
            people_in_group |= {int(r) for r in rows}
    assert row["one_validation_away"] == len(people_in_group) > 0
    assert report["totals"]["one_validation_away"] == len(
        {int(r) for _, rows in found for r in rows})
    detail = {d["need_id"]: d for d in report["rows"] if d["need_id"] is not None}
    if need["id"] in detail:
        assert detail[need["id"]]["one_validation_away"] == len(close)
    # Validating every skall-krav of one of them moves that person to "validated".
    person_id = int(index.person_ids[int(close[0])])
    validations.validate(demo, person_id, need["occupation_id"], need["must_skills"],
                         "certificate", actor=_officer(demo, person_id))
    index, matcher, _ = _away(demo)
    after_close, after_done = readiness(index, matcher, NeedSpec.from_record(need))
    row_of = index.row_of(person_id)
    assert row_of not in set(after_close.tolist()) and row_of in set(after_done.tolist())
    assert len(after_close) == len(close) - 1
    after = gaps.gap_report(demo, actor=SYSTEM)
    assert after["totals"]["validated"] >= report["totals"]["validated"] + 1
    monkeypatch.setenv("LOTSEN_DATABASE_URL", demo.url.render_as_string(hide_password=False))
    code, out, err = run_cli(capsys, "gaps", "--json")
    assert code == 0, err
    printed = json.loads(out)
    assert printed["totals"]["one_validation_away"] == after["totals"]["one_validation_away"]
    assert {o["ssyk4"]: o["one_validation_away"] for o in printed["by_occupation"]} == {
        o["ssyk4"]: o["one_validation_away"] for o in after["by_occupation"]}
    assert "En validering bort (personer)" in gaps.gaps_csv(after, "by_occupation")


def test_cli_validate_list_and_unvalidate(demo: Engine, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", demo.url.render_as_string(hide_password=False))
    someone = list_records(demo, "people", actor=SYSTEM, limit=5)["results"][3]
    occupation = someone["occupations"][0]["occupation_id"]
    code, out, err = run_cli(capsys, "people", "validate", someone["pseudonym"],
                             "--occupation", occupation, "--skill", someone["skills"][0],
                             "--method", "industry", "--date", "2026-10-01", "--json")
    assert code == 0, err
    made = json.loads(out)
    mine = [v for v in made["validations"] if v["skill_id"] == someone["skills"][0]
            and v["occupation_id"] == occupation]
    assert mine[0]["validated_on"] == "2026-10-01"
    assert mine[0]["validated_by"].endswith("(kommandorad)")
    code, out, _ = run_cli(capsys, "people", "validations", str(someone["id"]), "--json")
    assert json.loads(out)["validations"] == made["validations"]
    code, out, _ = run_cli(capsys, "people", "unvalidate", str(someone["id"]),
                           str(mine[0]["id"]), "--json")
    assert code == 0 and mine[0]["id"] not in {v["id"] for v in json.loads(out)["validations"]}
    code, _, err = run_cli(capsys, "people", "validate", str(someone["id"]), "--occupation",
                           occupation, "--skill", someone["skills"][0], "--method", "rykte")
    assert code != 0 and "rykte" in err


def test_api_routes(demo: Engine) -> None:
    from fastapi.testclient import TestClient

    from lotsen.web.app import create_app

    client = TestClient(create_app(demo.url.render_as_string(hide_password=False)))
    someone = list_records(demo, "people", actor=SYSTEM, limit=5)["results"][2]
    body = {"occupation_id": someone["occupations"][0]["occupation_id"],
            "skills": someone["skills"][:2], "method": "komvux", "validated_on": "2026-09-15"}
    made = client.post(f"/api/v1/people/{someone['pseudonym']}/validations", json=body)
    assert made.status_code == 201, made.text
    listed = client.get(f"/api/v1/people/{someone['id']}/validations").json()
    assert listed["validations"] == made.json()["validations"]
    assert {v["validated_on"] for v in listed["validations"]
            if v["skill_id"] in body["skills"]} == {"2026-09-15"}
    bad = client.post(f"/api/v1/people/{someone['id']}/validations",
                      json={**body, "method": "rykte"})
    assert bad.status_code == 422
    gone = listed["validations"][0]["id"]
    removed = client.delete(f"/api/v1/people/{someone['id']}/validations/{gone}")
    assert removed.status_code == 200
    assert gone not in {v["id"] for v in removed.json()["validations"]}
    assert client.delete(f"/api/v1/people/{someone['id']}/validations/{gone}").status_code == 404
    report = client.get("/api/v1/gaps").json()
    assert "one_validation_away" in report["totals"]
    assert all("one_validation_away" in o for o in report["by_occupation"])


def test_the_index_tells_stated_from_validated(build: Callable[..., PeopleIndex]) -> None:
    index = build([
        person(1, skills=["a", "b"], validations=[{"skill_id": "b"}, {"skill_id": "c"}]),
        person(2, skills=["b"]),
    ])
    assert index.holders("b").tolist() == [0, 1]  # stated and validated: one posting
    assert index.holders("c").tolist() == [0]  # validated only: held
    assert index.validated_holders("b").tolist() == [0]
    assert index.is_validated(0, "c") and not index.is_validated(1, "b")
    assert index.validated_holders("a").tolist() == []


def test_the_index_refreshes_only_the_validated_person(demo: Engine) -> None:
    """Migration 0009's triggers note a validation in person_change: the cached index
    patches that one person in (no full load), and taking it back patches it out."""
    t = matching.tools()
    index = t.cache.fresh(demo)
    someone = list_records(demo, "people", actor=SYSTEM, limit=20)["results"][11]
    unlisted = next(s.id for s in t.taxonomy.skills_of(someone["occupations"][0]["occupation_id"])
                    if s.id not in someone["skills"])
    row = index.row_of(someone["id"])
    assert row is not None and not index.has_skill(row, unlisted)
    made = validations.validate(demo, someone["id"], someone["occupations"][0]["occupation_id"],
                                [unlisted], "certificate", actor=_officer(demo, someone["id"]))
    index = t.cache.get(demo)
    assert t.cache.last is not None and t.cache.last.kind == "people"
    assert t.cache.last.people_read == 1
    row = index.row_of(someone["id"])
    assert row is not None
    assert index.has_skill(row, unlisted) and index.is_validated(row, unlisted)
    assert unlisted in index.skills_of_row(row)
    gone = next(v["id"] for v in made["validations"] if v["skill_id"] == unlisted)
    validations.remove(demo, someone["id"], gone, actor=_officer(demo, someone["id"]))
    index = t.cache.get(demo)
    assert t.cache.last is not None and t.cache.last.kind == "people"
    row = index.row_of(someone["id"])
    assert row is not None
    assert not index.has_skill(row, unlisted) and not index.is_validated(row, unlisted)
