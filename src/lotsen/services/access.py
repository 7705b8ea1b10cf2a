"""Who is acting, and what they may see or change: decided here and nowhere else.

The policy is the two tables ``READ`` and ``WRITE`` below: for each kind of record,
the roles that may touch it and how far their reach goes. Every service narrows
its queries with :func:`scoped` (or the older :func:`scope_to_tenant`), so a
record outside the actor's reach is simply not found — the same answer as for an
id that does not exist, which keeps other tenants' ids from being probed.

Reaches:
- ``all``: every tenant (system admin; the regional analyst for non-personal kinds).
- ``tenant``: rows of the actor's tenant (a municipality or a group such as Luleå+Boden).
- ``organization``: rows of the actor's own organisation (employer, education provider).
- ``consented``: people of the actor's tenant with an active consent, plus people of
  any tenant whose active consent has the purpose ``cross_tenant``. Personal data
  never crosses tenants otherwise.

Aggregates (counts per occupation, municipality, gaps, scenarios) hold no personal
data and are shared region-wide with every signed-in role (:func:`require_aggregates`).
Saved scenario runs are aggregates too: every role reads every tenant's; only the
account that saved one, or an administrator, deletes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, false, or_, select
from sqlalchemy.orm import Session

from lotsen.errors import InvalidInput, NotFound, PermissionDenied
from lotsen.settings import get_settings
from lotsen.store.models import (
    CompetenceNeed,
    Consent,
    EducationProgram,
    LocalConcept,
    Organization,
    Person,
    ProfileVersion,
    Tenant,
)

ROLES = ("system", "admin", "analyst", "lotsare", "employer", "provider", "officer")
# Roles an administrator can give an account ("system" is for batch jobs only).
ACCOUNT_ROLES = ("admin", "analyst", "lotsare", "employer", "provider", "officer")
ROLE_LABELS = {
    "system": "System",
    "admin": "Systemadministratör",
    "analyst": "Regional analytiker",
    "lotsare": "Kompetenslots",
    "employer": "Arbetsgivare",
    "provider": "Utbildningsanordnare",
    "officer": "Handläggare arbetssökande",
}
# Roles that must belong to a tenant, and those that must also belong to an organisation.
TENANT_ROLES = ("lotsare", "employer", "provider", "officer")
ORGANIZATION_ROLES = {"employer": "employer", "provider": "education_provider"}

CROSS_TENANT_PURPOSE = "cross_tenant"
PERSONAL_KINDS = ("people",)

MODELS: dict[str, Any] = {
    "needs": CompetenceNeed,
    "people": Person,
    "programs": EducationProgram,
    "organizations": Organization,
    "profiles": ProfileVersion,
    "local_concepts": LocalConcept,
}

_ADMIN = {"system": "all", "admin": "all"}
READ: dict[str, dict[str, str]] = {
    "needs": {**_ADMIN, "analyst": "all", "lotsare": "tenant", "officer": "tenant",
              "employer": "organization"},
    "people": {**_ADMIN, "lotsare": "consented", "officer": "consented"},
    "programs": {**_ADMIN, "analyst": "all", "lotsare": "tenant", "officer": "tenant",
                 "provider": "organization"},
    "organizations": {**_ADMIN, "analyst": "all", "lotsare": "tenant", "officer": "tenant",
                      "employer": "organization", "provider": "organization"},
    # A tenant's profile edits and local concepts hold no personal data: everyone of
    # the tenant reads them (an employer's need form starts from the profile), the
    # regional analyst reads every tenant's.
    **{kind: {**_ADMIN, "analyst": "all", "lotsare": "tenant", "officer": "tenant",
              "employer": "tenant", "provider": "tenant"}
       for kind in ("profiles", "local_concepts")},
}
# Writing people (update, export on request, erase) reaches the whole own tenant:
# a person who withdrew consent must still be exportable and erasable.
WRITE: dict[str, dict[str, str]] = {
    "needs": {**_ADMIN, "lotsare": "tenant", "employer": "organization"},
    "people": {**_ADMIN, "officer": "tenant"},
    "programs": {**_ADMIN, "provider": "organization"},
    "organizations": {**_ADMIN, "lotsare": "tenant"},
    "profiles": {**_ADMIN, "lotsare": "tenant"},
    "local_concepts": {**_ADMIN, "lotsare": "tenant"},
    # Users' own words for concepts change search for every tenant: only the roles that
    # keep the vocabulary add them (a municipality's lotsar meet the words employers use).
    "synonyms": {**_ADMIN, "lotsare": "all"},
}
POLICIES = {"read": READ, "write": WRITE}


@dataclass(frozen=True)
class Actor:
    """The user (or process) a service acts for."""

    role: str
    tenant_id: int | None = None
    organization_id: int | None = None
    user_id: int | None = None
    username: str | None = None

    @property
    def sees_all_tenants(self) -> bool:
        return self.role in ("system", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role in ("system", "admin")

    @property
    def label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


SYSTEM = Actor("system")


def reach(actor: Actor, kind: str, action: str = "read") -> str | None:
    """How far ``actor`` reaches for ``action`` on ``kind``; None = not at all."""
    return POLICIES[action].get(kind, {}).get(actor.role)


def may(actor: Actor, kind: str, action: str = "read") -> bool:
    return reach(actor, kind, action) is not None


def require(actor: Actor, kind: str, action: str = "read") -> str:
    found = reach(actor, kind, action)
    if found is None:
        verb = "läsa" if action == "read" else "ändra"
        raise PermissionDenied(
            f"Rollen {actor.label.lower()} får inte {verb} {_KIND_LABELS.get(kind, kind)}."
        )
    if found != "all" and actor.tenant_id is None:
        raise PermissionDenied(
            "Kontot hör inte till någon kommun (tenant); be en administratör koppla det."
        )
    if found == "organization" and actor.organization_id is None:
        raise PermissionDenied(
            "Kontot hör inte till någon organisation; be en administratör koppla det."
        )
    return found


_KIND_LABELS = {
    "needs": "kompetensbehov",
    "people": "arbetssökande (personuppgifter)",
    "programs": "utbildningar",
    "organizations": "organisationer",
    "accounts": "konton",
    "audit": "loggen över personuppgifter",
    "synonyms": "synonymer i taxonomin",
    "profiles": "yrkesprofiler",
    "local_concepts": "lokala yrken och kompetenser",
    "saved_scenarios": "sparade scenarier",
}


def active_consent_clause(purpose: str | None = None, today: date | None = None) -> Any:
    """SQL: the person has a consent that is neither withdrawn nor expired."""
    valid_days = get_settings().consent_valid_days
    cutoff = (today or date.today()) - timedelta(days=valid_days)
    conditions = [
        Consent.person_id == Person.id,
        Consent.withdrawn_at.is_(None),
        Consent.given_at >= cutoff,
    ]
    if purpose is not None:
        conditions.append(Consent.purpose == purpose)
    return exists(select(Consent.id).where(*conditions))


def _organization_column(model: Any) -> Any:
    if model is CompetenceNeed:
        return CompetenceNeed.employer_id
    if model is EducationProgram:
        return EducationProgram.provider_id
    if model is Organization:
        return Organization.id
    return None


def scoped(query: Select[Any], kind: str, actor: Actor, action: str = "read") -> Select[Any]:
    """Narrow ``query`` (over ``MODELS[kind]``) to the rows ``actor`` may ``action``."""
    found = require(actor, kind, action)
    model = MODELS[kind]
    if found == "all":
        return query
    if found == "tenant":
        return query.where(model.tenant_id == actor.tenant_id)
    if found == "organization":
        column = _organization_column(model)
        if column is None:
            return query.where(false())
        return query.where(model.tenant_id == actor.tenant_id, column == actor.organization_id)
    if found == "consented":
        return query.where(
            or_(
                and_(Person.tenant_id == actor.tenant_id, active_consent_clause()),
                active_consent_clause(CROSS_TENANT_PURPOSE),
            )
        )
    raise AssertionError(f"unknown reach {found!r}")


def scope_to_tenant(query: Select[Any], model: Any, actor: Actor) -> Select[Any]:
    """Limit a query on a tenant-owned table to what ``actor`` may read.

    Known kinds follow the full policy; any other tenant-owned table falls back to
    the actor's own tenant (admins see all), which is the safe default.
    """
    for kind, known in MODELS.items():
        if known is model:
            return scoped(query, kind, actor)
    if actor.sees_all_tenants:
        return query
    if actor.tenant_id is None:
        raise PermissionDenied("Kontot hör inte till någon kommun (tenant); be en administratör.")
    return query.where(model.tenant_id == actor.tenant_id)


def require_personal_data_access(actor: Actor) -> None:
    """Only roles that work with job seekers read personal (pseudonymous) records."""
    if not may(actor, "people", "read"):
        raise PermissionDenied(
            f"Rollen {actor.label.lower()} får inte läsa personuppgifter; "
            "be en kompetenslots eller handläggare."
        )


def require_admin(actor: Actor, kind: str = "accounts") -> None:
    if not actor.is_admin:
        raise PermissionDenied(
            f"Bara en systemadministratör får hantera {_KIND_LABELS.get(kind, kind)}."
        )


def require_aggregates(actor: Actor) -> None:
    """Region-wide aggregates carry no personal data: every known role may see them."""
    if actor.role not in ROLES:
        raise PermissionDenied(f"Okänd roll {actor.role!r}.")


def require_saved_scenario_read(actor: Actor) -> None:
    """Saved scenario runs are aggregates (jobs, population, welfare demand per year and
    municipality; no personal data): every signed-in role reads every tenant's."""
    require_aggregates(actor)


def require_saved_scenario_save(actor: Actor) -> None:
    """Every signed-in role that runs scenarios may save a run to share with the region."""
    require_aggregates(actor)


def may_delete_saved_scenario(actor: Actor, created_by: int | None) -> bool:
    """The account that saved a run, and system administrators, may delete it."""
    if actor.is_admin:
        return True
    return actor.user_id is not None and actor.user_id == created_by


def require_saved_scenario_delete(actor: Actor, created_by: int | None) -> None:
    if not may_delete_saved_scenario(actor, created_by):
        raise PermissionDenied(
            "Bara den som sparade scenariot eller en systemadministratör får ta bort det."
        )


def tenant_filter(actor: Actor) -> int | None:
    """The tenant to narrow a dashboard to, or None for region-wide."""
    return None if actor.sees_all_tenants or actor.role == "analyst" else actor.tenant_id


def acting_tenant(
    session: Session, actor: Actor, kind: str, action: str = "read", slug: str | None = None
) -> Tenant | None:
    """The tenant whose ``kind`` rows ``actor`` acts on: their own, or — for roles that
    reach every tenant — the one named by ``slug`` (None when not named and reading).

    Naming another tenant than one's own answers like a missing tenant, so tenant
    slugs cannot be probed either.
    """
    found = require(actor, kind, action)
    if found != "all":
        own = session.get(Tenant, actor.tenant_id)
        if own is None or slug not in (None, "", own.slug):
            raise NotFound(f"no tenant {slug!r}")
        return own
    if not slug:
        if action == "write":
            raise InvalidInput("välj kommun (tenant) att ändra för, t.ex. --tenant lulea-boden",
                               "tenant")
        return None
    tenant = session.scalars(select(Tenant).where(Tenant.slug == slug)).one_or_none()
    if tenant is None:
        raise NotFound(f"no tenant {slug!r}")
    return tenant


def may_import(actor: Actor, kind: str) -> bool:
    """Files name employers, providers and people freely, so importing ``kind`` takes a
    tenant-wide (or region-wide) write reach, never an organisation's."""
    return reach(actor, kind, "write") in ("all", "tenant")


# Every page of the web app and who may open it, decided from the tables above; the
# menu shows only what the acting role may open, and a page refused here answers 403.
PAGES: dict[str, Callable[[Actor], bool]] = {
    "needs": lambda a: may(a, "needs"),
    "register_need": lambda a: may(a, "needs", "write"),
    "people": lambda a: may(a, "people"),
    "matching": lambda a: may(a, "people") and may(a, "needs"),
    "allocation": lambda a: may(a, "people") and may(a, "needs"),
    "programs": lambda a: may(a, "programs"),
    "organizations": lambda a: may(a, "organizations"),
    "taxonomy": lambda a: a.role in ROLES,
    "ads": lambda a: a.role in ROLES,
    "gaps": lambda a: a.role in ROLES,
    "transitions": lambda a: a.role in ROLES,
    "scenarios": lambda a: a.role in ROLES,
    "profiles": lambda a: may(a, "profiles"),
    "local_concepts": lambda a: may(a, "local_concepts"),
    "import": lambda a: any(may_import(a, kind) for kind in ("needs", "people", "programs")),
    "accounts": lambda a: a.is_admin,
    "audit": lambda a: a.is_admin,
}


def may_open(actor: Actor, page: str) -> bool:
    return PAGES[page](actor)


def require_page(actor: Actor, page: str) -> None:
    """Refuse a page before any work is done; the message names the role."""
    if not may_open(actor, page):
        raise PermissionDenied(f"Rollen {actor.label.lower()} får inte öppna sidan; "
                               "behöver du den, be en administratör om en annan roll.")
