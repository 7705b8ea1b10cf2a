"""Counts with an expiry in the database, so that every worker process (and every
server on the same database) sees the same: a user's long-work slot, the failed logins
of one account name from one client address. A row past its expiry counts as absent;
a crashed worker's slot therefore frees itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lotsen.store.db import transaction
from lotsen.store.models import WorkLease, utcnow


def take(engine: Engine, key: str, seconds: float) -> bool:
    """Hold ``key`` for at most ``seconds``; False when someone holds it already."""
    now = utcnow()
    with transaction(engine) as session:
        session.execute(delete(WorkLease).where(WorkLease.key == key,
                                                WorkLease.expires_at <= now))
    try:
        with transaction(engine) as session:
            session.add(WorkLease(key=key, count=1, at=now,
                                  expires_at=now + timedelta(seconds=seconds)))
    except IntegrityError:
        return False  # the primary key: another process holds it
    return True


def give_back(engine: Engine, key: str) -> None:
    with transaction(engine) as session:
        session.execute(delete(WorkLease).where(WorkLease.key == key))


def read(engine: Engine, key: str) -> tuple[int, datetime] | None:
    """(count, when last counted) of a live ``key``, else None."""
    with transaction(engine) as session:
        row = session.execute(select(WorkLease.count, WorkLease.at).where(
            WorkLease.key == key, WorkLease.expires_at > utcnow())).one_or_none()
    return None if row is None else (int(row[0]), row[1])


def add_one(engine: Engine, key: str, keep_seconds: float) -> int:
    """Add one to ``key`` (kept ``keep_seconds`` after this); the new count."""
    now = utcnow()
    until = now + timedelta(seconds=keep_seconds)
    for _ in range(3):  # an insert racing another process's insert: update then
        with transaction(engine) as session:
            session.execute(delete(WorkLease).where(WorkLease.key == key,
                                                    WorkLease.expires_at <= now))
            done = session.execute(
                update(WorkLease).where(WorkLease.key == key)
                .values(count=WorkLease.count + 1, at=now, expires_at=until)
                .returning(WorkLease.count)).scalar_one_or_none()
            if done is not None:
                return int(done)
        try:
            with transaction(engine) as session:
                session.add(WorkLease(key=key, count=1, at=now, expires_at=until))
            return 1
        except IntegrityError:
            continue
    return 1


def purge_expired(session: Session) -> None:
    """Delete every row past its expiry (a name tried once is never looked up again)."""
    session.execute(delete(WorkLease).where(WorkLease.expires_at <= utcnow()))
