"""Demo accounts, one per role and demo tenant, so `make demo` can be logged into.

Only made for synthetic tenants (the demo region). Their passwords are printed by
`lotsen demo` and are public: a real installation never has these accounts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from lotsen.auth import passwords
from lotsen.services.access import ROLE_LABELS, Actor, require_admin
from lotsen.services.results.accounts import DemoAccount
from lotsen.store.db import transaction
from lotsen.store.models import (
    CompetenceNeed,
    EducationProgram,
    Organization,
    Tenant,
    UserAccount,
)

# role -> (username prefix, demo password)
DEMO_LOGINS = {
    "admin": ("admin", "demo-admin-lotsen"),
    "analyst": ("analytiker", "demo-analytiker-lotsen"),
    "lotsare": ("lots", "demo-lots-lotsen"),
    "officer": ("handlaggare", "demo-handlaggare-lotsen"),
    "employer": ("arbetsgivare", "demo-arbetsgivare-lotsen"),
    "provider": ("anordnare", "demo-anordnare-lotsen"),
}


def _busiest(session: Any, tenant_id: int, kind: str) -> int | None:
    """The employer with most needs / provider with most programs: a lively demo."""
    if kind == "employer":
        owner, counted = CompetenceNeed.employer_id, CompetenceNeed.id
    else:
        owner, counted = EducationProgram.provider_id, EducationProgram.id
    row = session.execute(
        select(Organization.id)
        .join_from(Organization, counted.table, owner == Organization.id)
        .where(Organization.tenant_id == tenant_id)
        .group_by(Organization.id)
        .order_by(func.count(counted).desc(), Organization.id)
        .limit(1)
    ).first()
    return int(row[0]) if row else None


def create_demo_accounts(engine: Engine, *, actor: Actor) -> list[DemoAccount]:
    """Create or reset the demo accounts; returns username, password, role, tenant."""
    require_admin(actor)
    hashes = {role: passwords.hash_password(pw) for role, (_, pw) in DEMO_LOGINS.items()}
    made: list[DemoAccount] = []
    with transaction(engine) as session:
        tenants = session.scalars(
            select(Tenant).where(Tenant.is_synthetic).order_by(Tenant.id)
        ).all()
        if not tenants:
            return []
        wanted: list[tuple[str, str, Tenant | None, int | None]] = [
            ("admin", "admin", None, None),
            ("analyst", "analytiker", None, None),
        ]
        for member_of in tenants:
            for role in ("lotsare", "officer", "employer", "provider"):
                org_id = None
                if role in ("employer", "provider"):
                    org_id = _busiest(session, member_of.id, role)
                    if org_id is None:
                        continue
                wanted.append(
                    (role, f"{DEMO_LOGINS[role][0]}.{member_of.slug}", member_of, org_id)
                )
        for role, username, tenant, org_id in wanted:
            org = session.get(Organization, org_id) if org_id else None
            org_name = org.name if org else None
            user = session.scalars(
                select(UserAccount).where(UserAccount.username == username)
            ).one_or_none()
            if user is None:
                user = UserAccount(username=username, auth_epoch=1, failed_logins=0)
                session.add(user)
            elif not user.is_demo:
                continue  # never overwrite a real account that happens to share the name
            suffix = f", {org_name}" if org_name else ""
            user.display_name = f"{ROLE_LABELS[role]} (demo){suffix}"
            user.password_hash = hashes[role]
            user.role = role
            user.tenant_id = tenant.id if tenant else None
            user.organization_id = org_id
            user.is_active = True
            user.is_demo = True
            user.locked_until = None
            made.append(
                {
                    "username": username,
                    "password": DEMO_LOGINS[role][1],
                    "role": role,
                    "role_label": ROLE_LABELS[role],
                    "tenant": tenant.slug if tenant else "hela regionen",
                    "organization": org_name,
                }
            )
    return made
