"""Retention: delete what may no longer be kept, on a schedule (`lotsen retention run`).

- A person is deleted when none of their consents is active (each is withdrawn or
  older than ``LOTSEN_CONSENT_VALID_DAYS``) and the last one ended more than
  ``LOTSEN_RETENTION_DAYS`` ago. A person with no consent at all counts from when
  they were stored.
- Audit entries older than ``LOTSEN_AUDIT_RETENTION_DAYS`` are deleted.
- After any erasure (here or by an officer since the last run) the person tables are
  rewritten so the erased rows leave no bytes in the database files
  (``store/reclaim.py``).
- Rows of ended logins (logged out, revoked, expired) are deleted.

Each deleted person leaves an audit entry (action ``erase``, detail ``retention``)
naming only the id, so the deletion itself can be shown later.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import selectinload

from lotsen.services import audit, logins
from lotsen.services import people as people_service
from lotsen.services.access import Actor, require_admin
from lotsen.services.people import PERSON as PERSON_TABLE
from lotsen.services.people import dependent_tables
from lotsen.services.results.imports import RetentionRun
from lotsen.settings import get_settings
from lotsen.store.db import transaction
from lotsen.store.models import AuditEntry, Person, utcnow
from lotsen.store.reclaim import reclaim


def _ended_on(person: Person, valid_days: int) -> date | None:
    """When the person's last consent ended, or None while one is still active."""
    ends = []
    for consent in person.consents:
        expires = consent.given_at + timedelta(days=valid_days)
        end = min(consent.withdrawn_at, expires) if consent.withdrawn_at else expires
        ends.append(end)
    if not ends:
        return person.created_at.date()
    return max(ends)


def _expired_people(engine: Engine, today: date, retention_days: int, valid_days: int) -> list[int]:
    """Ids of the people past retention; reads in chunks to bound memory."""
    cutoff = today - timedelta(days=retention_days)
    found: list[int] = []
    last_id = 0
    with transaction(engine) as session:
        while True:
            chunk = session.scalars(
                select(Person)
                .where(Person.id > last_id)
                .options(selectinload(Person.consents))
                .order_by(Person.id)
                .limit(2000)
            ).all()
            if not chunk:
                return found
            for person in chunk:
                ended = _ended_on(person, valid_days)
                if ended is not None and ended <= today and ended < cutoff:
                    found.append(person.id)
            last_id = chunk[-1].id
            session.expunge_all()


def _erased_since(engine: Engine, since: datetime) -> bool:
    with transaction(engine) as session:
        return session.scalar(
            select(AuditEntry.id).where(AuditEntry.action == "erase", AuditEntry.at >= since)
            .limit(1)
        ) is not None


def run(
    engine: Engine, dry_run: bool = False, today: date | None = None, *, actor: Actor,
) -> RetentionRun:
    """Apply the retention policy; with ``dry_run`` only report what would go."""
    require_admin(actor, "retention")
    settings = get_settings()
    today = today or date.today()
    people = _expired_people(engine, today, settings.retention_days, settings.consent_valid_days)
    audit_cutoff = datetime.combine(today, datetime.min.time()) - timedelta(
        days=settings.audit_retention_days
    )
    with transaction(engine) as session:
        audit_deleted = audit.purge_before(session, audit_cutoff, dry_run)
        sessions_deleted = logins.purge_ended_sessions(session, dry_run)
    if not dry_run:
        for person_id in people:
            # The GDPR erasure: every row that refers to the person goes, in one
            # transaction per person, with its own audit line.
            people_service.erase_person(engine, person_id, actor=actor)
            with transaction(engine) as session:
                audit.record(session, "erase", "person", person_id, "retention", actor=actor)
    reclaimed = None
    if not dry_run and (people or _erased_since(engine, utcnow() - timedelta(days=1))):
        # Erasures (by retention or by an officer since yesterday's run) leave dead rows
        # whose bytes linger in the files until rewritten.
        tables = [PERSON_TABLE, *dict.fromkeys(t.name for t, _, _ in dependent_tables())]
        reclaimed = reclaim(engine, tables)
    return {
        "dry_run": dry_run,
        "reclaimed": reclaimed,
        "today": today.isoformat(),
        "retention_days": settings.retention_days,
        "consent_valid_days": settings.consent_valid_days,
        "audit_retention_days": settings.audit_retention_days,
        "people_deleted": len(people),
        "person_ids": people,
        "audit_entries_deleted": audit_deleted,
        "ended_sessions_deleted": sessions_deleted,
    }

