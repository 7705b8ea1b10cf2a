"""List what is stored — needs, people, programs, organisations — within the actor's scope."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import selectinload

from lotsen.errors import InvalidInput, NotFound
from lotsen.services import audit
from lotsen.services.access import SYSTEM, Actor, require_personal_data_access, scoped
from lotsen.store.db import transaction
from lotsen.store.models import CompetenceNeed, EducationProgram, Organization, Person
from lotsen.store.records import (
    need_to_dict,
    organization_to_dict,
    person_to_dict,
    program_to_dict,
)

MAX_LIMIT = 10_000
MAX_ID = 2**31 - 1  # PostgreSQL integer: no row has a larger id

KINDS: dict[str, tuple[Any, Callable[[Any], dict[str, Any]], tuple[Any, ...]]] = {
    "needs": (
        CompetenceNeed,
        need_to_dict,
        (selectinload(CompetenceNeed.skills), selectinload(CompetenceNeed.employer)),
    ),
    "people": (
        Person,
        person_to_dict,
        (
            selectinload(Person.occupations),
            selectinload(Person.skills),
            selectinload(Person.languages),
            selectinload(Person.licences),
            selectinload(Person.consents),
        ),
    ),
    "programs": (EducationProgram, program_to_dict, (selectinload(EducationProgram.provider),)),
    "organizations": (Organization, organization_to_dict, ()),
}

SINGULAR = {
    "needs": "need",
    "people": "person",
    "programs": "program",
    "organizations": "organization",
}

FILTERS = {
    "needs": ("status", "municipality_code", "occupation_id", "employer_id"),
    "people": ("municipality_code",),
    "programs": ("form", "municipality_code", "provider_id"),
    "organizations": ("kind", "municipality_code"),
}


def list_records(
    engine: Engine,
    kind: str,
    actor: Actor = SYSTEM,
    limit: int = 100,
    offset: int = 0,
    filters: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """``{"results": [...], "total": n, "limit", "offset"}`` for one kind of record."""
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    if not 0 < limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if not 0 <= offset <= MAX_ID:
        raise InvalidInput(f"offset must be between 0 and {MAX_ID}, got {offset}")
    if kind == "people":
        require_personal_data_access(actor)
    model, to_dict, options = KINDS[kind]
    query = scoped(select(model), kind, actor)
    for name, value in (filters or {}).items():
        if value is None:
            continue
        if name not in FILTERS[kind]:
            raise InvalidInput(
                f"{kind} cannot be filtered by {name!r}; use {', '.join(FILTERS[kind])}"
            )
        query = query.where(getattr(model, name) == value)
    with transaction(engine) as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(
            query.options(*options).order_by(model.id).limit(limit).offset(offset)
        ).all()
        if kind == "people" and rows:
            audit.record(
                session, actor, "list", "person", None,
                f"{len(rows)} personer: id {', '.join(str(r.id) for r in rows[:200])}",
            )
        return {
            "results": [to_dict(r) for r in rows],
            "total": total,
            "limit": limit,
            "offset": offset,
        }


def get_record(engine: Engine, kind: str, record_id: int, actor: Actor = SYSTEM) -> dict[str, Any]:
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    if kind == "people":
        require_personal_data_access(actor)
    if not 0 < record_id <= MAX_ID:
        raise NotFound(f"no {SINGULAR[kind]} with id {record_id}")
    model, to_dict, options = KINDS[kind]
    query = scoped(select(model).where(model.id == record_id), kind, actor)
    with transaction(engine) as session:
        row = session.scalars(query.options(*options)).one_or_none()
        if row is None:
            # The same answer whether the id does not exist or belongs to another tenant.
            raise NotFound(f"no {SINGULAR[kind]} with id {record_id}")
        if kind == "people":
            audit.record(session, actor, "read", "person", record_id)
        return to_dict(row)
