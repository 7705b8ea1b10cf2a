"""The residents' e-service: a person registers themself, with consent, no account.

The person is stored pseudonymously in the tenant of the municipality they live
in. Consent to matching is required (without it nothing may be stored); sharing
with the whole region (``cross_tenant``) and statistics are opt-in. The answer
is the pseudonym: the person's reference when they later ask for export or erasure.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from lotsen.errors import InvalidInput
from lotsen.services import audit
from lotsen.services.access import (
    CROSS_TENANT_PURPOSE,
    SYSTEM,
    Actor,
    require_self_registration,
)
from lotsen.services.results.imports import RegistrationOptions
from lotsen.store.db import transaction
from lotsen.store.models import Person, Tenant
from lotsen.store.records import upsert_person
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.model import OCCUPATION

SWEDISH_LEVELS = ("native", "SFI A", "SFI B", "SFI C", "SFI D", "SAS")
OPTIONAL_PURPOSES = (CROSS_TENANT_PURPOSE, "statistics")


def registration_options(engine: Engine, *, actor: Actor) -> RegistrationOptions:
    """The municipalities a resident can register in (those some tenant serves)."""
    require_self_registration(actor)
    taxonomy = load_taxonomy()
    with transaction(engine) as session:
        tenants = session.scalars(select(Tenant)).all()
        codes = sorted({code for tenant in tenants for code in tenant.municipality_codes})
    municipalities = [(code, taxonomy.municipality(code).label) for code in codes]
    return {
        "municipalities": sorted(municipalities, key=lambda m: m[1]),
        "swedish_levels": SWEDISH_LEVELS,
    }


def _tenant_for(session: Any, code: str) -> int:
    for tenant in session.scalars(select(Tenant).order_by(Tenant.id)):
        if code in tenant.municipality_codes:
            return int(tenant.id)
    raise InvalidInput(f"kommunen {code} är inte ansluten till Lotsen", "municipality_code")


def register_person(engine: Engine, form: Mapping[str, Any], today: date | None = None, *,
                    actor: Actor) -> str:
    """Store the person; returns their pseudonym."""
    require_self_registration(actor)
    today = today or date.today()
    if not form.get("consent_matching"):
        raise InvalidInput(
            "du behöver samtycka till att uppgifterna används för matchning mot jobb och "
            "utbildningar – annars kan vi inte spara något",
            "consent_matching",
        )
    code = str(form.get("municipality_code") or "")
    if not code:
        raise InvalidInput("välj kommun", "municipality_code")
    load_taxonomy().municipality(code)
    occupations = []
    occupation_id = str(form.get("occupation_id") or "")
    if occupation_id:
        load_taxonomy().require(occupation_id, OCCUPATION)
        years = form.get("years") or 0
        try:
            years_value = float(years)
        except (TypeError, ValueError):
            raise InvalidInput("skriv antal år som ett tal", "years") from None
        if not 0 <= years_value <= 60:
            raise InvalidInput("antal år ska vara 0–60", "years")
        occupations.append({"occupation_id": occupation_id, "years": years_value})
    swedish = str(form.get("swedish_level") or "native")
    if swedish not in SWEDISH_LEVELS:
        raise InvalidInput(f"svenska: välj en av {', '.join(SWEDISH_LEVELS)}", "swedish_level")
    available = form.get("available_from") or None
    if available:
        try:
            date.fromisoformat(str(available))
        except ValueError:
            raise InvalidInput("skriv datum som ÅÅÅÅ-MM-DD", "available_from") from None
    consents = [{"purpose": "matching", "given_at": today}]
    consents += [
        {"purpose": purpose, "given_at": today}
        for purpose in OPTIONAL_PURPOSES
        if form.get(f"consent_{purpose}")
    ]
    with transaction(engine) as session:
        tenant_id = _tenant_for(session, code)
        pseudonym = f"P{secrets.randbits(40):010X}"
        while session.scalar(select(Person.id).where(Person.pseudonym == pseudonym)):
            pseudonym = f"P{secrets.randbits(40):010X}"
        person = upsert_person(
            session,
            tenant_id,
            {
                "source_id": f"self-{pseudonym}",
                "pseudonym": pseudonym,
                "municipality_code": code,
                "swedish_level": swedish,
                "newly_arrived": swedish != "native",
                "available_from": available,
                "occupations": occupations,
                "licences": [],
                "consents": consents,
            },
        )
        session.flush()
        audit.record(session, "register", "person", person.id, "självregistrering", actor=SYSTEM)
    return pseudonym
