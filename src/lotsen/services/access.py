"""Who is acting, and what they may see or change: decided here and nowhere else.

The policy is the two tables ``READ`` and ``WRITE`` below: for each kind of record,
the roles that may touch it and how far their reach goes. Every service narrows
its queries through :func:`scope` (one scoping function), so a
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
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, and_, exists, false, or_, select
from sqlalchemy.orm import Session, aliased

from lotsen.errors import InvalidInput, NotFound, PermissionDenied
from lotsen.match.levels import CROSS_TENANT, MATCHING, consent_cutoff
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

SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])  # any columns

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

CROSS_TENANT_PURPOSE = CROSS_TENANT
MATCHING_PURPOSE = MATCHING
PERSONAL_KINDS = ("people",)

MODELS: dict[str, Any] = {
    "needs": CompetenceNeed,
    "need_shares": CompetenceNeed,
    "tenants": Tenant,
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
    # Per-skill shares of needs (an occupation's computed profile) are an aggregate:
    # who reads needs reads them as far as the needs, a provider over its own tenant.
    "need_shares": {**_ADMIN, "analyst": "all", "lotsare": "tenant", "officer": "tenant",
                    "employer": "organization", "provider": "tenant"},
    "accounts": _ADMIN,
    "audit": _ADMIN,
    # Which tenants an actor works in (to import into, to list as choices).
    "tenants": {**_ADMIN, **{role: "tenant" for role in TENANT_ROLES}},
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
    # Ingesting job ads feeds the region-wide statistics: the regional analyst's task.
    "ads": {**_ADMIN, "analyst": "all"},
    "accounts": _ADMIN,
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
# Someone not signed in: a resident on the public registration form, a caller of the
# public taxonomy search. Not a role: it reaches no kind of record (READ and WRITE do
# not name it), only reference data and the self-registration form.
PUBLIC = Actor("public")


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
    "need_shares": "yrkesprofiler ur kompetensbehov",
    "ads": "jobbannonser",
}


def active_consent_clause(purpose: str, today: date | None = None) -> Any:
    """SQL: the person's latest consent for ``purpose`` is active (neither withdrawn nor
    expired). The one consent rule, the same as ``match.levels.has_consent`` applies to
    loaded records: a withdrawal counts until a later, fresh consent for that purpose,
    and a consent for one purpose never stands in for another
    (``tests/access/test_consent_rule.py`` keeps the copies in step)."""
    cutoff = consent_cutoff(today)
    later = aliased(Consent)
    newer = exists(
        select(later.id).where(
            later.person_id == Consent.person_id,
            later.purpose == Consent.purpose,
            or_(
                later.given_at > Consent.given_at,
                and_(later.given_at == Consent.given_at, later.id > Consent.id),
            ),
        )
    )
    return exists(
        select(Consent.id).where(
            Consent.person_id == Person.id,
            Consent.purpose == purpose,
            Consent.withdrawn_at.is_(None),
            Consent.given_at >= cutoff,
            ~newer,
        )
    )


def _organization_column(model: Any) -> Any:
    if model is CompetenceNeed:
        return CompetenceNeed.employer_id
    if model is EducationProgram:
        return EducationProgram.provider_id
    if model is Organization:
        return Organization.id
    return None


@dataclass(frozen=True)
class Scope:
    """How far one actor reaches for one action on one kind of record: the one answer
    every service narrows its queries, its tenant and its aggregates by."""

    actor: Actor
    kind: str
    action: str
    reach: str  # all | tenant | organization | consented

    @property
    def region_wide(self) -> bool:
        return self.reach == "all"

    @property
    def tenant_id(self) -> int | None:
        """The tenant this scope is bound to; None when it reaches every tenant."""
        return None if self.region_wide else self.actor.tenant_id

    @property
    def organization_id(self) -> int | None:
        """The organisation this scope is bound to (an employer's or provider's own)."""
        return self.actor.organization_id if self.reach == "organization" else None

    def rows(self, query: SelectT, model: Any = None) -> SelectT:
        """Narrow ``query`` (over ``model``, default ``MODELS[kind]``) to the rows in reach."""
        model = MODELS[self.kind] if model is None else model
        actor = self.actor
        if self.reach == "all":
            return query
        if self.reach == "tenant":
            own = model.id if model is Tenant else model.tenant_id
            return query.where(own == actor.tenant_id)
        if self.reach == "organization":
            column = _organization_column(model)
            if column is None:
                return query.where(false())
            return query.where(model.tenant_id == actor.tenant_id,
                               column == actor.organization_id)
        if self.reach == "consented":
            # Reach follows the purpose: one by one, people are read for matching only,
            # so a person who keeps just the statistics consent is in aggregates alone.
            return query.where(
                active_consent_clause(MATCHING_PURPOSE),
                or_(
                    Person.tenant_id == actor.tenant_id,
                    active_consent_clause(CROSS_TENANT_PURPOSE),
                ),
            )
        raise AssertionError(f"unknown reach {self.reach!r}")

    def tenant(self, session: Session, slug: str | None = None) -> Tenant | None:
        """The tenant the actor acts on: their own, or — for a region-wide reach — the
        one named by ``slug`` (None when not named and reading).

        Naming another tenant than one's own answers like a missing tenant, so tenant
        slugs cannot be probed either.
        """
        if not self.region_wide:
            own = session.get(Tenant, self.actor.tenant_id)
            if own is None or slug not in (None, "", own.slug):
                raise NotFound(f"no tenant {slug!r}", code="tenant_not_found",
                               params={"tenant": slug})
            return own
        if not slug:
            if self.action == "write":
                raise InvalidInput(
                    "välj kommun (tenant) att ändra för, t.ex. --tenant lulea-boden", "tenant")
            return None
        tenant = session.scalars(select(Tenant).where(Tenant.slug == slug)).one_or_none()
        if tenant is None:
            raise NotFound(f"no tenant {slug!r}", code="tenant_not_found",
                               params={"tenant": slug})
        return tenant


def scope(actor: Actor, kind: str, action: str = "read") -> Scope:
    """What ``actor`` may ``action`` on ``kind``; refused (PermissionDenied) when nothing.

    Every tenant and role decision of the services goes through here: the rows a query
    returns (:meth:`Scope.rows`), the tenant written to (:meth:`Scope.tenant`) and the
    tenant an aggregate is narrowed to (:attr:`Scope.tenant_id`).
    """
    return Scope(actor, kind, action, require(actor, kind, action))


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


def may_manage_token(actor: Actor, owner_id: int | None) -> bool:
    """An API token is revoked by the account it belongs to, or by an administrator."""
    return actor.is_admin or (actor.user_id is not None and actor.user_id == owner_id)


def require_aggregates(actor: Actor) -> None:
    """Region-wide aggregates carry no personal data: every known role may see them."""
    if actor.role not in ROLES:
        raise PermissionDenied(f"Okänd roll {actor.role!r}.")


def require_reference_data(actor: Actor) -> None:
    """Reference data holds nothing of any tenant (the national taxonomy, occupation names
    for a title, what the shipped job-ad model reads in a text, a blank import template,
    whether the data is the synthetic demo): every role reads it, and so does the public."""
    if actor.role not in ROLES and actor != PUBLIC:
        raise PermissionDenied(f"Okänd roll {actor.role!r}.")


def require_self_registration(actor: Actor) -> None:
    """The residents' form is public by design (the edge limits its rate); a signed-in
    role may fill it in on a resident's behalf."""
    require_reference_data(actor)


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


def may_import(actor: Actor, kind: str) -> bool:
    """Files name employers, providers and people freely, so importing ``kind`` takes a
    tenant-wide (or region-wide) write reach, never an organisation's."""
    return reach(actor, kind, "write") in ("all", "tenant")


def import_scope(actor: Actor, kind: str) -> Scope:
    """The write scope of an import of ``kind``; refused for an organisation's reach."""
    found = scope(actor, kind, "write")
    if found.reach not in ("all", "tenant"):
        raise PermissionDenied(f"Rollen {actor.label.lower()} kan inte importera filer; "
                               "be en kompetenslots, handläggare eller administratör.")
    return found


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
    "regional": lambda a: a.role in ROLES,  # published register statistics only
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
