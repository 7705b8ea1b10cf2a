"""Migration 0004 (profiles, local concepts) on both backends: up, down, up again, and
local concept ids longer than JobTech's fit the widened need and person columns."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect, select

from lotsen.store.db import _alembic_config, schema_status, transaction
from lotsen.store.models import CompetenceNeed, Person, Tenant
from lotsen.store.records import upsert_need, upsert_organization, upsert_person

LONG_ID = "local:lulea-boden:" + "battericellsoperator-formering-och-aldring"  # 59 characters


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def test_0004_goes_down_and_up_again(engine: Engine) -> None:
    assert schema_status(engine)[0] >= "0004"  # later migrations build on it
    assert {"local_concept", "profile_version"} <= _tables(engine)
    command.downgrade(_alembic_config(engine), "0003")
    engine.dispose()
    assert not {"local_concept", "profile_version"} & _tables(engine)
    command.upgrade(_alembic_config(engine), "head")
    engine.dispose()
    assert {"local_concept", "profile_version"} <= _tables(engine)


def test_local_ids_fit_needs_and_people(engine: Engine) -> None:
    with transaction(engine) as session:
        tenant = Tenant(slug="lulea-boden", name="Luleå och Boden")
        session.add(tenant)
        session.flush()
        employer = upsert_organization(session, tenant.id, {
            "source_id": "e", "kind": "employer", "name": "E", "municipality_code": "2580"})
        session.flush()
        upsert_need(session, tenant.id, employer.id, {
            "source_id": "n", "occupation_id": LONG_ID, "title": "Battericellsoperatör",
            "headcount": 2, "start_date": "2027-03-01", "municipality_code": "2580",
            "must_skills": [LONG_ID + "-skill"]})
        upsert_person(session, tenant.id, {
            "source_id": "p", "pseudonym": "P0000000001", "municipality_code": "2580",
            "occupations": [{"occupation_id": LONG_ID, "years": 1}],
            "skills": [LONG_ID + "-skill"]})
    with transaction(engine) as session:
        need = session.scalars(select(CompetenceNeed)).one()
        assert need.occupation_id == LONG_ID
        assert [s.skill_id for s in need.skills] == [LONG_ID + "-skill"]
        person = session.scalars(select(Person)).one()
        assert [o.occupation_id for o in person.occupations] == [LONG_ID]
