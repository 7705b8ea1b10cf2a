"""List what is stored — needs, people, programs, organisations — within the actor's scope."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import selectinload

from lotsen.errors import InvalidInput, LimitExceeded, NotFound
from lotsen.limits import MAX_ID, MAX_SEATS
from lotsen.services import audit
from lotsen.services.access import Actor, require_personal_data_access, scope
from lotsen.services.results import Page, Record
from lotsen.store.db import transaction
from lotsen.store.models import (
    CompetenceNeed,
    EducationProgram,
    Organization,
    Person,
    PersonOccupation,
)
from lotsen.store.records import (
    need_to_dict,
    organization_to_dict,
    person_to_dict,
    program_to_dict,
)

MAX_LIMIT = 10_000

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
            selectinload(Person.validations),
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

# What the list of people shows (``brief=True``): a few columns and the occupation with
# the most years — one query per page instead of every skill, language, licence and
# consent of every listed person (~1,400 ORM rows per page of 50).
_MAIN_OCCUPATION = (
    select(PersonOccupation.occupation_id)
    .where(PersonOccupation.person_id == Person.id)
    .order_by(PersonOccupation.years.desc(), PersonOccupation.occupation_id)
    .limit(1)
    .scalar_subquery()
)
BRIEF_PEOPLE = (
    Person.id,
    Person.tenant_id,
    Person.pseudonym,
    Person.municipality_code,
    Person.swedish_level,
    Person.newly_arrived,
    Person.available_from,
    _MAIN_OCCUPATION.label("occupation"),
)

FILTERS = {
    "needs": ("status", "municipality_code", "occupation_id", "employer_id"),
    "people": ("municipality_code",),
    "programs": ("form", "municipality_code", "provider_id"),
    "organizations": ("kind", "municipality_code"),
}


def list_records(
    engine: Engine, kind: str, limit: int = 100, offset: int = 0,
    filters: Mapping[str, Any] | None = None, brief: bool = False, *, actor: Actor,
) -> Page[Record]:
    """One page of one kind of record, and the total in the actor's reach.

    ``brief`` lists people by the columns of their list page only (``BRIEF_PEOPLE``,
    with ``occupation`` the one with most years); other kinds are always whole.
    """
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    if not 0 < limit <= MAX_LIMIT:
        raise LimitExceeded(f"limit must be between 1 and {MAX_LIMIT}, got {limit}", "limit",
                            quantity="page_size", limit=MAX_LIMIT, value=limit)
    if not 0 <= offset <= MAX_ID:
        raise LimitExceeded(f"offset must be between 0 and {MAX_ID}, got {offset}", "offset",
                            quantity="offset", limit=MAX_ID, value=offset)
    if kind == "people":
        require_personal_data_access(actor)
    model, to_dict, options = KINDS[kind]
    query = scope(actor, kind).rows(select(model))
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
        page = query.order_by(model.id).limit(limit).offset(offset)
        if brief and kind == "people":
            results = [_brief_person(row._asdict())
                       for row in session.execute(page.with_only_columns(*BRIEF_PEOPLE))]
        else:
            results = [to_dict(r) for r in session.scalars(page.options(*options))]
        if kind == "people":
            audit.people_shown(session, [r["id"] for r in results], "lista", actor=actor)
        return Page(results=results, total=total, limit=limit, offset=offset)


def _brief_person(row: dict[str, Any]) -> dict[str, Any]:
    if row["available_from"] is not None:
        row["available_from"] = row["available_from"].isoformat()
    return row


def get_record(
    engine: Engine, kind: str, record_id: int, action: str = "read", *, actor: Actor,
) -> Record:
    """One record within ``actor``'s reach for ``action`` ("write" reaches people who
    withdrew consent: the officer must still see them to record a new one or erase)."""
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    if kind == "people":
        require_personal_data_access(actor)
    if not 0 < record_id <= MAX_ID:
        raise NotFound(f"no {SINGULAR[kind]} with id {record_id}")
    model, to_dict, options = KINDS[kind]
    query = scope(actor, kind, action).rows(select(model).where(model.id == record_id))
    with transaction(engine) as session:
        row = session.scalars(query.options(*options)).one_or_none()
        if row is None:
            # The same answer whether the id does not exist or belongs to another tenant.
            raise NotFound(f"no {SINGULAR[kind]} with id {record_id}")
        if kind == "people":
            audit.record(session, "read", "person", record_id, actor=actor)
        return to_dict(row)


def _whole(value: Any, label: str, low: int, high: int) -> int:
    text = str(value).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(f"{label} ska vara ett heltal {low}–{high}, inte {text!r}.")
    return int(text)


def _program_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The editable fields of a program, checked: the form sends strings."""
    clean: dict[str, Any] = {}
    if "name" in changes:
        name = str(changes["name"]).strip()
        if not 0 < len(name) <= 300:
            raise InvalidInput("Utbildningen behöver ett namn (högst 300 tecken).")
        clean["name"] = name
    if "seats" in changes:
        clean["seats"] = _whole(changes["seats"], "Antal platser", 0, MAX_SEATS)
    if "duration_weeks" in changes:
        clean["duration_weeks"] = _whole(changes["duration_weeks"], "Antal veckor", 1, 520)
    if "distance_learning" in changes:
        clean["distance_learning"] = changes["distance_learning"] in (True, "on", "1", "true")
    if "starts" in changes:
        raw = changes["starts"]
        parts = raw.replace(",", " ").split() if isinstance(raw, str) else list(raw)
        try:
            clean["starts"] = sorted({date.fromisoformat(str(p)).isoformat() for p in parts})
        except ValueError:
            raise InvalidInput(
                f"Startdatum skrivs ÅÅÅÅ-MM-DD, åtskilda med komma, inte {raw!r}."
            ) from None
    return clean


def update_program(
    engine: Engine, program_id: int, changes: Mapping[str, Any], *, actor: Actor,
) -> Record:
    """An education provider edits its own program (administrators any): name, seats,
    weeks, distance learning and start dates. Outside the actor's reach: not found."""
    query = scope(actor, "programs", "write").rows(
        select(EducationProgram).where(EducationProgram.id == program_id))
    if not 0 < program_id <= MAX_ID:
        raise NotFound(f"no program with id {program_id}")
    clean = _program_changes(changes)
    with transaction(engine) as session:
        program = session.scalars(
            query.options(selectinload(EducationProgram.provider))
        ).one_or_none()
        if program is None:
            raise NotFound(f"no program with id {program_id}")
        for key, value in clean.items():
            setattr(program, key, value)
        session.flush()
        return program_to_dict(program)
