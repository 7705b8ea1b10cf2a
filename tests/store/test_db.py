"""The store: migrations, bad database URLs, atomic transactions, optimistic locking."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.orm.exc import StaleDataError

from lotsen.errors import DatabaseError, SchemaTooNew
from lotsen.store.db import forget_engines, open_database, schema_status, transaction
from lotsen.store.models import CompetenceNeed, Organization, Tenant
from lotsen.store.records import upsert_need, upsert_organization


def _tenant_with_employer(engine: Engine) -> tuple[int, int]:
    with transaction(engine) as session:
        tenant = Tenant(slug="t", name="T")
        session.add(tenant)
        session.flush()
        org = upsert_organization(
            session,
            tenant.id,
            {
                "source_id": "e1",
                "kind": "employer",
                "name": "Verkstaden AB",
                "municipality_code": "2482",
            },
        )
        session.flush()
        return tenant.id, org.id


NEED = {
    "source_id": "n1",
    "occupation_id": "rxrQ_Nyy_k6y",
    "title": "Svetsare",
    "headcount": 3,
    "start_date": "2027-03-01",
    "municipality_code": "2482",
    "must_skills": ["a", "b"],
    "nice_skills": ["b", "c"],
}


def test_schema_is_at_head_after_open(engine: Engine) -> None:
    current, head = schema_status(engine)
    assert current == head


def test_upsert_by_source_id_updates_instead_of_duplicating(engine: Engine) -> None:
    tenant_id, org_id = _tenant_with_employer(engine)
    with transaction(engine) as session:
        upsert_need(session, tenant_id, org_id, NEED)
    with transaction(engine) as session:
        upsert_need(session, tenant_id, org_id, {**NEED, "headcount": 5})
    with transaction(engine) as session:
        needs = session.scalars(select(CompetenceNeed)).all()
        assert [n.headcount for n in needs] == [5]
        # a skill listed as both must and nice stays must
        assert {(s.skill_id, s.requirement) for s in needs[0].skills} == {
            ("a", "must"),
            ("b", "must"),
            ("c", "nice"),
        }


def test_failed_transaction_leaves_nothing(engine: Engine) -> None:
    tenant_id, _ = _tenant_with_employer(engine)
    with pytest.raises(RuntimeError), transaction(engine) as session:
        upsert_organization(
            session,
            tenant_id,
            {"source_id": "e2", "kind": "employer", "name": "Halv AB", "municipality_code": "2580"},
        )
        session.flush()
        raise RuntimeError("import broke half-way")
    with transaction(engine) as session:
        names = session.scalars(select(Organization.name)).all()
    assert names == ["Verkstaden AB"]


def test_concurrent_edit_of_a_need_is_detected(engine: Engine) -> None:
    tenant_id, org_id = _tenant_with_employer(engine)
    with transaction(engine) as session:
        need_id = upsert_need(session, tenant_id, org_id, NEED).id
        session.flush()
        need_id = session.scalars(select(CompetenceNeed.id)).one()
    with transaction(engine) as a_session:
        mine = a_session.get(CompetenceNeed, need_id)
        assert mine is not None
        with transaction(engine) as other:
            theirs = other.get(CompetenceNeed, need_id)
            assert theirs is not None
            theirs.headcount = 9
        mine.headcount = 4
        with pytest.raises(StaleDataError):
            a_session.flush()
        a_session.rollback()
    with transaction(engine) as session:
        need = session.get(CompetenceNeed, need_id)
        assert need is not None and need.headcount == 9


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        open_database(f"sqlite:///{tmp_path / 'nope' / 'x.db'}")


def test_database_of_a_newer_schema_is_refused_and_untouched(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    engine = open_database(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    forget_engines()
    with pytest.raises(SchemaTooNew, match="upgrade Lotsen"):
        open_database(url)
    raw = create_engine(url)
    with raw.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    raw.dispose()
    assert version == "9999_future"


def test_a_folder_in_place_of_the_database_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "x.db").mkdir()
    with pytest.raises(DatabaseError, match="is not a file"):
        open_database(f"sqlite:///{tmp_path / 'x.db'}")
