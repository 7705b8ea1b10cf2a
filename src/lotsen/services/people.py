"""A job seeker's rights over their data (GDPR art. 15 and 17): export it all, erase it all.

"All" is found, not listed: every table whose foreign key points at ``person`` (and
every table pointing at those, and so on) is read or cleared, so tables added later —
match results, allocations — are covered without touching this module as long as
they reference the person by foreign key (or by a ``person_id`` column).

Export and erasure write an audit line (``services/audit.py``) naming the action, the
internal row id, the tenant and the actor — never the pseudonym or source id: the
audit trail must not keep what was erased.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Connection, Engine, Table, delete, select, text
from sqlalchemy.orm import Session, selectinload

from lotsen.errors import NotFound
from lotsen.services import audit as audit_log
from lotsen.services import invalidation
from lotsen.services.access import Actor, scope
from lotsen.services.results.people import PersonErased, PersonExport
from lotsen.store.db import transaction
from lotsen.store.models import Base, Person, Tenant
from lotsen.store.records import person_to_dict

PERSON = "person"


def dependent_tables(parent: str = PERSON) -> list[tuple[Table, Column[Any], Table]]:
    """``(table, column, referenced table)`` for every table that hangs off ``parent``,
    parents before children (deletion goes in reverse)."""
    found: list[tuple[Table, Column[Any], Table]] = []
    frontier = [Base.metadata.tables[parent]]
    seen = {parent}
    while frontier:
        current = frontier.pop(0)
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                refers = any(fk.column.table is current for fk in column.foreign_keys)
                implicit = current.name == PERSON and column.name == "person_id" and not (
                    column.foreign_keys)
                if (refers or implicit) and table is not current:
                    found.append((table, column, current))
                    if table.name not in seen:
                        seen.add(table.name)
                        frontier.append(table)
    return found


def find_person(session: Session, ref: str | int, *, actor: Actor) -> Person:
    """The person by id or pseudonym, within what ``actor`` may change (export/erase on
    request reach the whole own tenant, consent or not — see services/access.py)."""
    text_ref = str(ref).strip()
    query = scope(actor, "people", "write").rows(select(Person)).options(
        selectinload(Person.occupations), selectinload(Person.skills),
        selectinload(Person.languages), selectinload(Person.licences),
        selectinload(Person.consents), selectinload(Person.validations))
    query = query.where(Person.id == int(text_ref)) if text_ref.isdigit() else query.where(
        Person.pseudonym == text_ref)
    person = session.scalars(query).one_or_none()
    if person is None:
        # The same answer for "does not exist" and "belongs to another tenant".
        raise NotFound(f"no person {text_ref!r}: give the id or the pseudonym (P...)")
    return person


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _parent_keys(column: Column[Any], parent: Table, person_id: int,
                 tables: dict[str, list[dict[str, Any]]]) -> list[Any]:
    """The values of ``column`` that point at this person's rows of ``parent``."""
    if parent.name == PERSON:
        return [person_id]
    referenced = next(iter(column.foreign_keys)).column.name
    return sorted({row[referenced] for row in tables.get(parent.name, [])})


def _rows_of(conn: Connection, person_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row in every dependent table, by table name."""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, column, parent in dependent_tables():
        keys = _parent_keys(column, parent, person_id, tables)
        if keys:
            rows = conn.execute(select(table).where(column.in_(keys)))
            tables.setdefault(table.name, []).extend(
                {k: _jsonable(v) for k, v in row._mapping.items()} for row in rows)
    return tables


def export_person(engine: Engine, ref: str | int, *, actor: Actor) -> PersonExport:
    """Everything stored about one person, as plain JSON-able data."""
    with transaction(engine) as session:
        person = find_person(session, ref, actor=actor)
        conn = session.connection()
        person_table = Base.metadata.tables[PERSON]
        row = conn.execute(select(person_table).where(person_table.c.id == person.id)).one()
        tenant = session.get(Tenant, person.tenant_id)
        export: PersonExport = {
            "exported_at": datetime.now().isoformat(timespec="seconds"),
            "about": "Allt Lotsen lagrar om personen. Lotsen lagrar inga namn, "
                     "personnummer eller kontaktuppgifter.",
            "tenant": {"slug": tenant.slug, "name": tenant.name} if tenant else None,
            "record": person_to_dict(person),
            "tables": {PERSON: [{k: _jsonable(v) for k, v in row._mapping.items()}],
                       **_rows_of(conn, person.id)},
        }
        audit(session, "export", PERSON, person.id, {"tenant_id": person.tenant_id}, actor=actor)
        return export


def erase_person(engine: Engine, ref: str | int, *, actor: Actor) -> PersonErased:
    """Delete the person and every row that refers to them; returns rows deleted per table."""
    with transaction(engine) as session:
        person = find_person(session, ref, actor=actor)
        person_id, tenant_id = person.id, person.tenant_id
        session.expunge(person)
        conn = session.connection()
        if conn.dialect.name == "sqlite":
            # Zero the freed pages so the erased rows do not linger in the file; the
            # setting stays on this pooled connection, which only makes deletes slower.
            conn.execute(text("PRAGMA secure_delete=ON"))
        rows = _rows_of(conn, person_id)
        deleted: dict[str, int] = {}
        for table, column, parent in reversed(dependent_tables()):
            keys = _parent_keys(column, parent, person_id, rows)
            if keys:
                result = conn.execute(delete(table).where(column.in_(keys)))
                deleted[table.name] = deleted.get(table.name, 0) + result.rowcount
        person_table = Base.metadata.tables[PERSON]
        deleted[PERSON] = conn.execute(
            delete(person_table).where(person_table.c.id == person_id)).rowcount
        audit(session, "erase", PERSON, person_id,
              {"tenant_id": tenant_id, "rows_deleted": deleted}, actor=actor)
    invalidation.changed(invalidation.Topic.PEOPLE, engine)
    return PersonErased(erased=True, person_id=person_id, rows_deleted=deleted)


def audit(
    session: Session, action: str, entity: str, entity_id: int | None, details: dict[str, Any], *,
    actor: Actor,
) -> None:
    """One audit line in the caller's transaction (lands with the change, or not at all).

    ``details`` never holds a pseudonym or source id: the trail outlives the person.
    """
    audit_log.record(session, action, entity, entity_id,
                     json.dumps(details, ensure_ascii=False, default=str), actor=actor)
