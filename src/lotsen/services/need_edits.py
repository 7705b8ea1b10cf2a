"""Write competence needs within the actor's reach: the employer's self-service form,
and edits guarded by optimistic locking so two people never overwrite each other.

Every edit names the ``version`` it started from. The UPDATE itself checks that
version (SQLAlchemy's ``version_id_col``), so even twenty writers racing on one
need on PostgreSQL cannot lose an update: all but one get :class:`Conflict`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from lotsen.errors import Conflict, InvalidInput, LimitExceeded, NotFound
from lotsen.limits import MAX_HEADCOUNT
from lotsen.services.access import Actor, require, scope
from lotsen.services.results import Record
from lotsen.services.results.people import EmployerChoice, NeedFormOptions
from lotsen.store.db import transaction, writers_race
from lotsen.store.models import CompetenceNeed, LocalConcept, Organization, Tenant
from lotsen.store.records import need_to_dict, upsert_need
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.local import is_local
from lotsen.taxonomy.model import OCCUPATION, SKILL

STATUSES = ("open", "filled", "cancelled")
EDITABLE = (
    "title", "headcount", "start_date", "status", "description", "municipality_code",
    "min_swedish_level", "occupation_id",
)
NULLABLE = ("description", "min_swedish_level")


def _conflict(need_id: int, expected: int, current: int | None) -> Conflict:
    now = f" (nu version {current})" if current is not None else ""
    return Conflict(
        f"Behovet {need_id} har ändrats av någon annan sedan du öppnade det: du utgick från "
        f"version {expected}{now}. Ladda om behovet, se vad som ändrats och gör din ändring igen."
    )


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the fields a user may change; messages name the field."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(
            f"cannot change {', '.join(sorted(unknown))}; editable: {', '.join(EDITABLE)}",
            "changes",
        )
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if value is None and name not in NULLABLE:
            raise InvalidInput("får inte vara tomt", name)
        if name == "headcount":
            if (not isinstance(value, int) or isinstance(value, bool)
                    or not 1 <= value <= MAX_HEADCOUNT):
                raise LimitExceeded(f"headcount must be a whole number 1–{MAX_HEADCOUNT}",
                                    "headcount", quantity="headcount", limit=MAX_HEADCOUNT,
                                    value=value)
        elif name == "start_date":
            try:
                value = value if isinstance(value, date) else date.fromisoformat(str(value))
            except ValueError:
                raise InvalidInput("startdatum ska skrivas ÅÅÅÅ-MM-DD", "start_date") from None
        elif name == "status":
            if value not in STATUSES:
                raise InvalidInput(f"status ska vara en av {', '.join(STATUSES)}", "status")
        elif name == "municipality_code":
            load_taxonomy().municipality(str(value))
        elif name == "occupation_id":
            if not is_local(str(value)):  # a local one is checked against the need's tenant
                load_taxonomy().require(str(value), OCCUPATION)
        elif name == "title":
            value = str(value).strip()
            if not 1 <= len(value) <= 300:
                raise InvalidInput("rubriken ska vara 1–300 tecken", "title")
        elif value is not None and not isinstance(value, str):
            raise InvalidInput("ska vara text", name)
        clean[name] = value
    return clean


def update_need(
    engine: Engine, need_id: int, changes: Mapping[str, Any], expected_version: int, *,
    actor: Actor,
) -> Record:
    """Apply ``changes`` if the need is still at ``expected_version``; else Conflict."""
    clean = _clean(changes)
    query = scope(actor, "needs", "write").rows(
        select(CompetenceNeed).where(CompetenceNeed.id == need_id))
    lost = partial(_conflict, need_id, expected_version, None)
    with writers_race(lost, StaleDataError), transaction(engine) as session:
        need = session.scalars(
            query.options(selectinload(CompetenceNeed.skills),
                          selectinload(CompetenceNeed.employer))
        ).one_or_none()
        if need is None:
            raise NotFound(f"no need with id {need_id}", code="need_not_found",
                           params={"need_id": need_id})
        if need.version != expected_version:
            raise _conflict(need_id, expected_version, need.version)
        if is_local(str(clean.get("occupation_id") or "")):
            _local_occupation_label(session, need.tenant_id, clean["occupation_id"])
        for name, value in clean.items():
            setattr(need, name, value)
        session.flush()  # the versioned UPDATE: 0 rows if someone got there first
        return need_to_dict(need)


def _local_occupation_label(session: Session, tenant_id: int, occupation_id: str) -> str:
    """The label of a local occupation of ``tenant_id``; another tenant's is unknown here."""
    label = session.scalars(select(LocalConcept.label).where(
        LocalConcept.concept_id == occupation_id,
        LocalConcept.tenant_id == tenant_id,
        LocalConcept.type == OCCUPATION,
    )).one_or_none()
    if label is None:
        raise InvalidInput("välj ett yrke i listan", "occupation_id")
    return label


def _check_skills(session: Session, tenant_id: int, skills: list[str]) -> None:
    """Skills come from the profile's suggestions or the search: a taxonomy skill, or a
    local skill of the need's own tenant — anything else is a tampered form."""
    local = [s for s in skills if is_local(s)]
    known = set(session.scalars(select(LocalConcept.concept_id).where(
        LocalConcept.tenant_id == tenant_id, LocalConcept.type == SKILL,
        LocalConcept.concept_id.in_(local or [""]))))
    taxonomy = load_taxonomy()
    for skill in skills:
        if skill in known:
            continue
        concept = taxonomy.find(skill)
        if concept is None or concept.type != SKILL:
            raise InvalidInput(f"{skill!r} är ingen kompetens i taxonomin", "must_skills")


def need_form_options(engine: Engine, *, actor: Actor) -> NeedFormOptions:
    """What the need form offers ``actor``: the employers they may register for."""
    reach = require(actor, "needs", "write")
    employers: list[EmployerChoice] = []
    if reach != "organization":
        query = scope(actor, "organizations").rows(
            select(Organization).where(Organization.kind == "employer"))
        with transaction(engine) as session:
            employers = [
                {"id": o.id, "name": o.name, "municipality_code": o.municipality_code}
                for o in session.scalars(query.order_by(Organization.name))
            ]
    # "Ort" starts at the account's own municipality: its organisation's, else the
    # municipality its tenant is named after (Skellefteå for Skellefteå's lotsar).
    home = None
    with transaction(engine) as session:
        if actor.organization_id is not None:
            org = session.get(Organization, actor.organization_id)
            home = org.municipality_code if org else None
        if home is None and actor.tenant_id is not None:
            tenant = session.get(Tenant, actor.tenant_id)
            codes = list(tenant.municipality_codes or []) if tenant else []
            named = [c for c in codes if tenant and load_taxonomy().municipality(c).label
                     in tenant.name.split(" (")[0]]
            home = (named or codes)[0] if codes else None
    return {"employers": employers, "own_organization": reach == "organization",
            "home_municipality": home}


def submit_need(engine: Engine, rec: Mapping[str, Any], *, actor: Actor) -> Record:
    """Register a new open need. An employer's need is always its own organisation's;
    a lotsare picks an employer of their tenant."""
    within = scope(actor, "needs", "write")
    occupation_id = str(rec.get("occupation_id") or "")
    if not occupation_id:
        raise InvalidInput("välj ett yrke i listan", "occupation_id")
    # A tenant's local occupation is checked against the employer's tenant below.
    label = None if is_local(occupation_id) else load_taxonomy().require(
        occupation_id, OCCUPATION).label
    clean = _clean({
        "headcount": rec.get("headcount"),
        "start_date": rec.get("start_date"),
        "municipality_code": rec.get("municipality_code"),
        "title": rec.get("title") or label or "-",
        "description": rec.get("description") or None,
    })
    employer_id = within.organization_id or rec.get("employer_id")
    if not isinstance(employer_id, int):
        raise InvalidInput("välj arbetsgivare", "employer_id")
    employer_query = select(Organization).where(
        Organization.id == employer_id, Organization.kind == "employer"
    )
    with transaction(engine) as session:
        employer = session.scalars(scope(actor, "organizations").rows(employer_query)).one_or_none()
        if employer is None:
            raise NotFound(f"no employer with id {employer_id}",
                           code="employer_not_found", params={"employer": employer_id})
        if label is None:
            found = _local_occupation_label(session, employer.tenant_id, occupation_id)
            if not rec.get("title"):
                clean["title"] = found
        must = [str(x) for x in rec.get("must_skills") or []]
        nice = [str(x) for x in rec.get("nice_skills") or []]
        _check_skills(session, employer.tenant_id, must + nice)
        need = upsert_need(
            session,
            employer.tenant_id,
            employer.id,
            {
                **clean,
                "occupation_id": occupation_id,
                "status": "open",
                "must_skills": must,
                "nice_skills": nice,
            },
        )
        session.flush()
        session.refresh(need)
        return need_to_dict(need)
