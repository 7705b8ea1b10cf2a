"""Who is acting, and what they may see: decided here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select

from lotsen.errors import PermissionDenied

ROLES = ("system", "admin", "analyst", "lotsare", "employer", "provider", "officer")


@dataclass(frozen=True)
class Actor:
    """The user (or process) a service acts for."""

    role: str
    tenant_id: int | None = None
    organization_id: int | None = None
    user_id: int | None = None

    @property
    def sees_all_tenants(self) -> bool:
        return self.role in ("system", "admin")


SYSTEM = Actor("system")


def scope_to_tenant(query: Select[Any], model: Any, actor: Actor) -> Select[Any]:
    """Limit a query on a tenant-owned table to what ``actor`` may see."""
    if actor.sees_all_tenants:
        return query
    if actor.tenant_id is None:
        raise PermissionDenied("this account belongs to no tenant; ask an administrator")
    return query.where(model.tenant_id == actor.tenant_id)


def require_personal_data_access(actor: Actor) -> None:
    """Only roles that work with job seekers read personal (pseudonymous) records."""
    if actor.role not in ("system", "admin", "lotsare", "officer"):
        raise PermissionDenied(
            f"the role {actor.role!r} may not read personal data; ask a lotsare or officer"
        )
