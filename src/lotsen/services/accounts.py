"""Accounts: create and list them, and turn an account into the Actor it acts as.

Logging in and out, passwords and deactivation are in ``services/logins.py``; API
tokens in ``services/api_tokens.py``.

Membership (tenant, organisation) is checked when an account is made, so an
employer account always points at an employer of its own tenant. What an
account may then see is decided by services/access.py alone.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lotsen.auth import passwords
from lotsen.errors import Conflict, InvalidInput, NotFound
from lotsen.services.access import (
    ACCOUNT_ROLES,
    ORGANIZATION_ROLES,
    ROLE_LABELS,
    TENANT_ROLES,
    Actor,
    require_admin,
)
from lotsen.services.results.accounts import Account, TenantChoice
from lotsen.store.db import transaction
from lotsen.store.models import Organization, Tenant, UserAccount

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")


def account_to_dict(user: UserAccount) -> Account:
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
) -> Account:
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
        raise Conflict(f"there is already an account {username!r}",
                       code="account_exists", params={"username": username}) from None


def tenant_choices(engine: Engine, *, actor: Actor) -> list[TenantChoice]:
    """The tenants an administrator can put a new account in (slug and name)."""
    require_admin(actor)
    with transaction(engine) as session:
        tenants = session.scalars(select(Tenant).order_by(Tenant.name)).all()
        return [{"slug": t.slug, "name": t.name} for t in tenants]


def list_accounts(engine: Engine, *, actor: Actor) -> list[Account]:
    require_admin(actor)
    with transaction(engine) as session:
        users = session.scalars(select(UserAccount).order_by(UserAccount.username)).all()
        return [account_to_dict(u) for u in users]


def find_account(session: Session, username: str) -> UserAccount:
    user = session.scalars(
        select(UserAccount).where(UserAccount.username == username.strip().lower())
    ).one_or_none()
    if user is None:
        raise NotFound(f"no account {username!r}; list them with `lotsen accounts list`",
                       code="account_not_found", params={"username": username})
    return user
