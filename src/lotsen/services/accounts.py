"""Accounts: create them, log in, turn a session or an API token back into an Actor.

Membership (tenant, organisation) is checked when an account is made, so an
employer account always points at an employer of its own tenant. What an
account may then see is decided by services/access.py alone.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from math import ceil
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lotsen.auth import passwords, tokens
from lotsen.auth.throttle import THROTTLE
from lotsen.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, TooManyRequests
from lotsen.services.access import (
    ACCOUNT_ROLES,
    ORGANIZATION_ROLES,
    ROLE_LABELS,
    TENANT_ROLES,
    Actor,
    may_manage_token,
    require_admin,
)
from lotsen.settings import get_settings
from lotsen.store.db import transaction
from lotsen.store.models import ApiToken, Organization, Tenant, UserAccount, UserSession, utcnow

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
LOGIN_FAILED = "Fel användarnamn eller lösenord."


def account_to_dict(user: UserAccount) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "role_label": ROLE_LABELS.get(user.role, user.role),
        "tenant_id": user.tenant_id,
        "organization_id": user.organization_id,
        "is_active": user.is_active,
        "is_demo": user.is_demo,
        "last_login_at": user.last_login_at.isoformat(timespec="seconds")
        if user.last_login_at
        else None,
    }


def actor_of_account(user: UserAccount) -> Actor:
    return Actor(
        role=user.role,
        tenant_id=user.tenant_id,
        organization_id=user.organization_id,
        user_id=user.id,
        username=user.username,
    )


def _membership(
    session: Session, role: str, tenant_slug: str | None, organization_id: int | None
) -> tuple[int | None, int | None]:
    if role not in ACCOUNT_ROLES:
        raise InvalidInput(f"unknown role {role!r}; use one of {', '.join(ACCOUNT_ROLES)}", "role")
    tenant_id = None
    if tenant_slug:
        tenant = session.scalars(select(Tenant).where(Tenant.slug == tenant_slug)).one_or_none()
        if tenant is None:
            known = ", ".join(session.scalars(select(Tenant.slug).order_by(Tenant.slug)))
            raise InvalidInput(f"no tenant {tenant_slug!r}; use one of: {known}", "tenant")
        tenant_id = tenant.id
    if role in TENANT_ROLES and tenant_id is None:
        raise InvalidInput(f"the role {role} needs a tenant (--tenant SLUG)", "tenant")
    if role in ORGANIZATION_ROLES:
        if organization_id is None:
            raise InvalidInput(f"the role {role} needs an organisation (--organization ID)", "org")
        org = session.get(Organization, organization_id)
        if org is None or org.tenant_id != tenant_id or org.kind != ORGANIZATION_ROLES[role]:
            raise InvalidInput(
                f"organisation {organization_id} is not a {ORGANIZATION_ROLES[role]} "
                f"of tenant {tenant_slug}",
                "organization",
            )
    elif organization_id is not None:
        raise InvalidInput(f"the role {role} does not belong to an organisation", "organization")
    return tenant_id, organization_id


def create_account(
    engine: Engine, username: str, password: str, role: str, tenant_slug: str | None = None,
    organization_id: int | None = None, display_name: str = "", is_demo: bool = False, *,
    actor: Actor,
) -> dict[str, Any]:
    require_admin(actor)
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InvalidInput(
            "a username is 2–100 of a-z, 0-9 and . _ @ - (starting with a letter or digit)",
            "username",
        )
    if not is_demo:
        passwords.check_strength(password)
    password_hash = passwords.hash_password(password)
    try:
        with transaction(engine) as session:
            tenant_id, organization_id = _membership(session, role, tenant_slug, organization_id)
            user = UserAccount(
                username=username,
                display_name=display_name or username,
                password_hash=password_hash,
                role=role,
                tenant_id=tenant_id,
                organization_id=organization_id,
                is_active=True,
                is_demo=is_demo,
                auth_epoch=1,
                failed_logins=0,
            )
            session.add(user)
            session.flush()
            return account_to_dict(user)
    except IntegrityError:
        raise Conflict(f"there is already an account {username!r}") from None


def tenant_choices(engine: Engine, *, actor: Actor) -> list[dict[str, Any]]:
    """The tenants an administrator can put a new account in (slug and name)."""
    require_admin(actor)
    with transaction(engine) as session:
        tenants = session.scalars(select(Tenant).order_by(Tenant.name)).all()
        return [{"slug": t.slug, "name": t.name} for t in tenants]


def list_accounts(engine: Engine, *, actor: Actor) -> list[dict[str, Any]]:
    require_admin(actor)
    with transaction(engine) as session:
        users = session.scalars(select(UserAccount).order_by(UserAccount.username)).all()
        return [account_to_dict(u) for u in users]


def _account(session: Session, username: str) -> UserAccount:
    user = session.scalars(
        select(UserAccount).where(UserAccount.username == username.strip().lower())
    ).one_or_none()
    if user is None:
        raise NotFound(f"no account {username!r}; list them with `lotsen accounts list`")
    return user


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
        user = _account(session, username)
        user.password_hash = passwords.hash_password(password)
        _end_logins(session, user, keep_tokens)
        user.failed_logins = 0
        user.locked_until = None


def set_active(engine: Engine, username: str, active: bool, *, actor: Actor) -> dict[str, Any]:
    require_admin(actor)
    with transaction(engine) as session:
        user = _account(session, username)
        user.is_active = active
        _end_logins(session, user, keep_tokens=active)
        return account_to_dict(user)


def login(engine: Engine, username: str, password: str, client: str = "-") -> dict[str, Any]:
    """Check a password and open a server-side session; returns ``{"user_id", "epoch",
    "sid", ...}`` for the session cookie. Failures slow down this name from this client
    address (``auth.throttle``); the answer never tells whether the account exists."""
    name = username.strip().lower()
    wait = THROTTLE.wait_seconds(name, client)
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
            result = {**account_to_dict(user), "user_id": user.id, "epoch": user.auth_epoch,
                      "sid": sid}
    if failed:
        THROTTLE.failed(name, client)
        raise NotAuthenticated(LOGIN_FAILED)
    THROTTLE.succeeded(name, client)
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


def actor_for_token(engine: Engine, token: str) -> Actor | None:
    if not tokens.looks_like_token(token):
        return None
    now = utcnow()
    with transaction(engine) as session:
        row = session.scalars(
            select(ApiToken).where(ApiToken.token_hash == tokens.token_hash(token))
        ).one_or_none()
        if row is None or row.revoked_at is not None:
            return None
        if row.expires_at is not None and row.expires_at <= now:
            return None
        user = session.get(UserAccount, row.user_id)
        if user is None or not user.is_active:
            return None
        # Coarse "last used": one write per token per minute at most, not per request.
        if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
            row.last_used_at = now
        return actor_of_account(user)


def create_token(
    engine: Engine, username: str, name: str, days: int | None = 365, *, actor: Actor,
) -> dict[str, Any]:
    """A new API token; the plain token is in the answer once and never again."""
    if actor.username != username.strip().lower():
        require_admin(actor)
    if not name.strip():
        raise InvalidInput("give the token a name that says what uses it", "name")
    longest = get_settings().token_max_days
    days = longest if days is None else days
    if not 0 < days <= longest:
        raise InvalidInput(
            f"days must be between 1 and {longest} (LOTSEN_TOKEN_MAX_DAYS), got {days}", "days"
        )
    plain = tokens.new_token()
    with transaction(engine) as session:
        user = _account(session, username)
        row = ApiToken(
            user_id=user.id,
            name=name.strip()[:100],
            token_hash=tokens.token_hash(plain),
            prefix=tokens.display_prefix(plain),
            expires_at=utcnow() + timedelta(days=days),
        )
        session.add(row)
        session.flush()
        return {**token_to_dict(row), "token": plain}


def token_to_dict(row: ApiToken) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat(timespec="seconds") if value else None

    return {
        "id": row.id,
        "name": row.name,
        "prefix": row.prefix,
        "created_at": iso(row.created_at),
        "expires_at": iso(row.expires_at),
        "last_used_at": iso(row.last_used_at),
        "revoked": row.revoked_at is not None,
    }


def list_tokens(engine: Engine, username: str, *, actor: Actor) -> list[dict[str, Any]]:
    if actor.username != username.strip().lower():
        require_admin(actor)
    with transaction(engine) as session:
        user = _account(session, username)
        rows = session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
        ).all()
        return [token_to_dict(r) for r in rows]


def revoke_token(engine: Engine, token_id: int, *, actor: Actor) -> None:
    with transaction(engine) as session:
        row = session.get(ApiToken, token_id)
        if row is None or not may_manage_token(actor, row.user_id):
            raise NotFound(f"no API token with id {token_id}")
        row.revoked_at = row.revoked_at or utcnow()
