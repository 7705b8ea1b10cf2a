"""Logging in and out, and what ends a login: server-side sessions, passwords, deactivation.

A login is a row in ``user_session``; the cookie carries a random id whose SHA-256
is stored, so logout, a password change or a deactivation ends it at once (a signed
cookie alone would live out its age). Failed logins slow down one account name from
one client address (``auth.throttle``) rather than lock the account, which anyone
could do to anyone; the answer never tells whether the account exists. The failures
are counted in the database (``store/leases.py``): every worker process sees them all.
"""

from __future__ import annotations

from datetime import timedelta
from math import ceil

from sqlalchemy import Engine, delete, func, or_, select, update
from sqlalchemy.orm import Session

from lotsen.auth import passwords, throttle, tokens
from lotsen.errors import NotAuthenticated, TooManyRequests
from lotsen.services.access import Actor, require_admin
from lotsen.services.accounts import account_to_dict, actor_of_account, find_account
from lotsen.services.results.accounts import Account, Login
from lotsen.settings import get_settings
from lotsen.store import leases
from lotsen.store.db import transaction
from lotsen.store.models import ApiToken, UserAccount, UserSession, utcnow

LOGIN_FAILED = "Fel användarnamn eller lösenord."


def _end_logins(session: Session, user: UserAccount, keep_tokens: bool = False) -> None:
    """Every open login of ``user`` ends now; its API tokens too unless kept on purpose."""
    now = utcnow()
    user.auth_epoch += 1
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if not keep_tokens:
        session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )


def set_password(
    engine: Engine, username: str, password: str, *, actor: Actor, keep_tokens: bool = False
) -> None:
    """An admin resets anyone's password; everyone else only their own. Every session
    ends, and so do the account's API tokens unless ``keep_tokens`` says otherwise: a
    password change is what one does when something leaked."""
    if actor.username != username.strip().lower():
        require_admin(actor)
    passwords.check_strength(password)
    with transaction(engine) as session:
        user = find_account(session, username)
        user.password_hash = passwords.hash_password(password)
        _end_logins(session, user, keep_tokens)
        user.failed_logins = 0
        user.locked_until = None


def set_active(engine: Engine, username: str, active: bool, *, actor: Actor) -> Account:
    require_admin(actor)
    with transaction(engine) as session:
        user = find_account(session, username)
        user.is_active = active
        _end_logins(session, user, keep_tokens=active)
        return account_to_dict(user)


def login(engine: Engine, username: str, password: str, client: str = "-") -> Login:
    """Check a password and open a server-side session; returns ``{"user_id", "epoch",
    "sid", ...}`` for the session cookie. Failures slow down this name from this client
    address (``auth.throttle``); the answer never tells whether the account exists."""
    name = username.strip().lower()
    key = f"login:{name}|{client}"
    failures = leases.read(engine, key)
    wait = 0.0 if failures is None else throttle.wait_seconds(
        failures[0], failures[1].timestamp(), utcnow().timestamp())
    if wait > 0:
        raise TooManyRequests(
            f"För många felaktiga försök. Vänta {ceil(wait)} sekunder och försök igen."
        )
    now = utcnow()
    with transaction(engine) as session:
        user = session.scalars(
            select(UserAccount).where(UserAccount.username == name)
        ).one_or_none()
        ok = passwords.verify_password(user.password_hash if user else None, password)
        if user is None or not user.is_active or not ok:
            failed = True
        else:
            failed = False
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            if passwords.needs_rehash(user.password_hash):
                user.password_hash = passwords.hash_password(password)
            sid = tokens.new_session_id()
            session.add(UserSession(
                user_id=user.id, sid_hash=tokens.token_hash(sid), created_at=now,
                expires_at=now + timedelta(hours=get_settings().session_hours),
            ))
            result = Login(**account_to_dict(user), user_id=user.id, epoch=user.auth_epoch, sid=sid)
    if failed:
        leases.add_one(engine, key, throttle.KEEP_SECONDS)
        raise NotAuthenticated(LOGIN_FAILED)
    leases.give_back(engine, key)
    return result


def logout(engine: Engine, sid: str | None) -> None:
    """End the session whose cookie carries ``sid`` (no-op for an unknown one)."""
    if not sid:
        return
    with transaction(engine) as session:
        session.execute(
            update(UserSession)
            .where(UserSession.sid_hash == tokens.token_hash(sid),
                   UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def actor_for_session(engine: Engine, user_id: int, epoch: int, sid: str | None) -> Actor | None:
    """The account behind a session cookie, or None when it was logged out, expired,
    ended by a password change or the account disabled."""
    if not sid:
        return None
    with transaction(engine) as session:
        row = session.scalars(
            select(UserSession).where(UserSession.sid_hash == tokens.token_hash(sid))
        ).one_or_none()
        if (row is None or row.user_id != user_id or row.revoked_at is not None
                or row.expires_at <= utcnow()):
            return None
        user = session.get(UserAccount, user_id)
        if user is None or not user.is_active or user.auth_epoch != epoch:
            return None
        return actor_of_account(user)


def purge_ended_sessions(session: Session, dry_run: bool = False) -> int:
    """Delete the rows of sessions that ended (logged out, revoked or expired), and
    expired counts of failed logins and long work; run by ``lotsen retention run`` so
    the tables hold only live ones."""
    if not dry_run:
        leases.purge_expired(session)
    ended = or_(UserSession.revoked_at.is_not(None), UserSession.expires_at <= utcnow())
    if dry_run:
        return int(session.scalar(select(func.count()).select_from(UserSession).where(ended))
                   or 0)
    return int(session.execute(delete(UserSession).where(ended)).rowcount or 0)  # type: ignore[attr-defined]
