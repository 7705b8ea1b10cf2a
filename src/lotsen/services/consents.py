"""A job seeker's consents: recorded and withdrawn by the officer who meets them, each
change written to the audit trail in the same transaction.

Withdrawing keeps the row (with the date) so the history shows what was allowed when;
a withdrawal takes effect in matching at once (services/matching re-checks stored
consent for every ranked person). Recording a purpose that is already active is
refused: the date of the consent the person gave stays what it was.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from lotsen.errors import Conflict, InvalidInput, NotFound
from lotsen.labels import label
from lotsen.services import invalidation
from lotsen.services.access import Actor, scope
from lotsen.services.audit import record
from lotsen.services.results.accounts import ConsentChange, ConsentGiven, ConsentWithdrawn
from lotsen.store.db import transaction
from lotsen.store.models import AuditEntry, Consent, Person
from lotsen.types import CONSENT_PURPOSES

ENTITY = "consent"


def _person(session: Any, actor: Actor, person_id: int) -> Person:
    person = session.scalars(
        scope(actor, "people", "write").rows(select(Person)).where(Person.id == person_id)
    ).one_or_none()
    if person is None:
        raise NotFound(f"no person {person_id}", code="person_not_found",
                       params={"person_id": person_id})
    return person


def record_consent(
    engine: Engine, person_id: int, purpose: str, given_at: date | None = None, *, actor: Actor,
) -> ConsentGiven:
    """Record that the person consented to ``purpose`` (today unless ``given_at``)."""
    if purpose not in CONSENT_PURPOSES:
        raise InvalidInput(f"unknown consent purpose {purpose!r}", "purpose",
                           code="unknown_consent_purpose",
                           params={"purpose": purpose, "known": list(CONSENT_PURPOSES)})
    with transaction(engine) as session:
        person = _person(session, actor, person_id)
        active = session.scalars(select(Consent).where(
            Consent.person_id == person.id, Consent.purpose == purpose,
            Consent.withdrawn_at.is_(None))).first()
        if active is not None:
            raise Conflict(f"consent to {purpose} is already recorded", code="consent_active",
                           params={"purpose": purpose})
        consent = Consent(person_id=person.id, purpose=purpose,
                          given_at=given_at or date.today())
        session.add(consent)
        session.flush()
        record(session, "create", ENTITY, person.id,
               f"samtycke till {label('consent_purpose', purpose)} givet", actor=actor)
        given = ConsentGiven(id=consent.id, purpose=purpose,
                             given_at=consent.given_at.isoformat())
    invalidation.changed(invalidation.Topic.PEOPLE, engine)
    return given


def withdraw_consent(
    engine: Engine, person_id: int, purpose: str, *, actor: Actor,
) -> ConsentWithdrawn:
    """Withdraw the person's active consent to ``purpose`` as of today."""
    with transaction(engine) as session:
        person = _person(session, actor, person_id)
        active = session.scalars(select(Consent).where(
            Consent.person_id == person.id, Consent.purpose == purpose,
            Consent.withdrawn_at.is_(None))).all()
        if not active:
            raise NotFound(f"no active consent to {purpose}", code="consent_not_active",
                           params={"purpose": purpose})
        for consent in active:
            consent.withdrawn_at = date.today()
        record(session, "update", ENTITY, person.id,
               f"samtycke till {label('consent_purpose', purpose)} återkallat", actor=actor)
    invalidation.changed(invalidation.Topic.PEOPLE, engine)
    return {"purpose": purpose, "withdrawn_at": date.today().isoformat()}


def consent_trail(engine: Engine, person_id: int, *, actor: Actor) -> list[ConsentChange]:
    """The audit lines of the person's consent changes, newest first."""
    with transaction(engine) as session:
        _person(session, actor, person_id)
        rows = session.scalars(select(AuditEntry).where(
            AuditEntry.entity == ENTITY, AuditEntry.entity_id == person_id,
        ).order_by(AuditEntry.id.desc()).limit(50)).all()
        return [{"at": r.at.isoformat(timespec="minutes"), "by": r.username or r.role,
                 "detail": r.detail} for r in rows]
