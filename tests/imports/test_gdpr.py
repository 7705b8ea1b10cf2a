"""Export and erasure of a person: everything out, then nothing left anywhere."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, MetaData, select
from tests.imports.conftest import csv_bytes, person, run

from lotsen.errors import NotFound, PermissionDenied
from lotsen.services.access import SYSTEM, Actor
from lotsen.services.people import dependent_tables, erase_person, export_person
from lotsen.services.records import list_records
from lotsen.store.db import transaction
from lotsen.store.models import AuditEntry


def _every_value(engine: Engine) -> list[str]:
    """Every value in every column of every table of the database, as text."""
    metadata = MetaData()
    metadata.reflect(engine)
    values = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                values.extend(str(v) for v in row if v is not None)
    return values


def _import_two(engine: Engine) -> dict[str, dict[str, object]]:
    run(engine, "people", csv_bytes([
        person(source_id="AF-SECRET-77", consent_statistics_date="2026-11-03"),
        person(source_id="AF-2", skills="Omvårdnad"),
    ]))
    return {p["source_id"]: p for p in list_records(engine, "people", actor=SYSTEM)["results"]}


def test_child_tables_are_discovered_from_the_schema() -> None:
    names = {table.name for table, _, _ in dependent_tables()}
    assert {"person_occupation", "person_skill", "person_language", "person_licence",
            "consent"} <= names


def test_export_holds_every_row_about_the_person(engine: Engine) -> None:
    people = _import_two(engine)
    target = people["AF-SECRET-77"]
    export = export_person(engine, str(target["pseudonym"]), actor=SYSTEM)
    tables = export["tables"]
    assert tables["person"][0]["source_id"] == "AF-SECRET-77"
    assert {r["purpose"] for r in tables["consent"]} == {"matching", "statistics"}
    assert len(tables["person_skill"]) == 2 and len(tables["person_licence"]) == 1
    assert all(r["person_id"] == target["id"] for name, rows in tables.items()
               if name != "person" for r in rows)
    assert export["record"] == target
    assert export_person(engine, int(str(target["id"])), actor=SYSTEM)["tables"] == tables


def test_erase_leaves_no_trace_in_any_table(engine: Engine) -> None:
    people = _import_two(engine)
    target, other = people["AF-SECRET-77"], people["AF-2"]
    pseudonym = str(target["pseudonym"])
    assert any(pseudonym in v for v in _every_value(engine))
    result = erase_person(engine, pseudonym, actor=SYSTEM)
    assert result["rows_deleted"]["person"] == 1 and result["rows_deleted"]["consent"] == 2
    values = _every_value(engine)
    assert not any(pseudonym in v or "AF-SECRET-77" in v for v in values)
    with pytest.raises(NotFound):
        export_person(engine, pseudonym, actor=SYSTEM)
    with pytest.raises(NotFound):
        export_person(engine, int(str(target["id"])), actor=SYSTEM)
    assert pseudonym not in str(export_person(engine, str(other["pseudonym"]), actor=SYSTEM))
    remaining = list_records(engine, "people", actor=SYSTEM)["results"]
    assert remaining == [other]  # the other person and all their rows untouched
    with transaction(engine) as session:
        erased = session.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).one()
        assert erased.entity == "person" and erased.entity_id == target["id"]


def test_only_roles_that_may_change_people_export_or_erase(sqlite_engine: Engine) -> None:
    people = _import_two(sqlite_engine)
    pseudonym = str(people["AF-2"]["pseudonym"])
    with pytest.raises(PermissionDenied):
        export_person(sqlite_engine, pseudonym, actor=Actor("analyst"))
    with pytest.raises(PermissionDenied):
        erase_person(sqlite_engine, pseudonym,
                     actor=Actor("employer", tenant_id=1, organization_id=1))
    with pytest.raises(NotFound):  # another tenant's officer: not found, not forbidden
        erase_person(sqlite_engine, pseudonym, actor=Actor("officer", tenant_id=99))
    assert export_person(sqlite_engine, pseudonym, actor=Actor("officer", tenant_id=1))
