"""The trail of who read or changed personal data, and when.

Services that touch personal data call :func:`record` inside their own
transaction, so the entry lands exactly when the read or change does (and not at
all when it fails). Entries are kept ``LOTSEN_AUDIT_RETENTION_DAYS`` and then
deleted by ``lotsen retention run``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from lotsen.errors import InvalidInput
from lotsen.services.access import Actor, require_admin
from lotsen.services.results import Page
from lotsen.services.results.accounts import AuditLine
from lotsen.store.db import transaction
from lotsen.store.models import AuditEntry

ACTIONS = ("read", "list", "export", "create", "update", "delete", "erase", "register")


def record(
    session: Session, action: str, entity: str, entity_id: int | None = None,
    detail: str | None = None, *, actor: Actor,
) -> None:
    """Add one audit entry to ``session`` (committed with the caller's transaction)."""
    if action not in ACTIONS:
        raise InvalidInput(f"unknown audit action {action!r}; use one of {', '.join(ACTIONS)}")
    session.add(
        AuditEntry(
            user_id=actor.user_id,
            username=actor.username,
            role=actor.role,
            tenant_id=actor.tenant_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=(detail or None) and detail[:500],
        )
    )


def people_shown(
    session: Session, person_ids: Sequence[int], what: str, *, actor: Actor
) -> None:
    """The one audit line for a response that shows people (a list, a need's
    candidates, an allocation): who saw how many, and which ids, in ``session``."""
    if not person_ids:
        return
    ids = list(dict.fromkeys(person_ids))
    record(session, "list", "person", None,
           f"{what}: {len(ids)} personer: id {', '.join(str(i) for i in ids[:200])}",
           actor=actor)


def people_shown_now(engine: Engine, person_ids: Sequence[int], what: str, *,
                     actor: Actor) -> None:
    """:func:`people_shown` in a transaction of its own, for services that read
    people from the in-memory matching index rather than the database."""
    if person_ids:
        with transaction(engine) as session:
            people_shown(session, person_ids, what, actor=actor)


def _entry_to_dict(entry: AuditEntry) -> AuditLine:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(timespec="seconds"),
        "user_id": entry.user_id,
        "username": entry.username,
        "role": entry.role,
        "tenant_id": entry.tenant_id,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "detail": entry.detail,
    }


def list_entries(
    engine: Engine, entity: str | None = None, entity_id: int | None = None, limit: int = 100,
    offset: int = 0, *, actor: Actor,
) -> Page[AuditLine]:
    """Newest first; only administrators read the trail (it names who did what)."""
    require_admin(actor, "audit")
    if not 0 < limit <= 10_000:
        raise InvalidInput(f"limit must be between 1 and 10000, got {limit}")
    query = select(AuditEntry)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    with transaction(engine) as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(
            query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
        ).all()
        return {
            "results": [_entry_to_dict(r) for r in rows],
            "total": total,
            "limit": limit,
            "offset": offset,
        }


def purge_before(session: Session, cutoff: datetime, dry_run: bool = False) -> int:
    """Delete entries older than ``cutoff``; returns how many (would be) deleted."""
    count = session.scalar(select(func.count()).where(AuditEntry.at < cutoff)) or 0
    if not dry_run and count:
        session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff))
    return int(count)
