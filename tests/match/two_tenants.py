"""Two small tenants on one database, for profile and local concept tests: Luleå+Boden
(whose lotsare edits and defines) and Umeå (who must never see any of it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from lotsen.services.access import Actor
from lotsen.store.db import transaction
from lotsen.store.models import Tenant
from lotsen.store.records import upsert_organization, upsert_person
from lotsen.taxonomy import load_taxonomy

BATTERY_OPERATOR = "jk4K_uNT_BkL"  # Operatör batteritillverkning, SSYK 8132
TRUCK_DRIVER = "GQSf_fnq_kjF"  # Truckförare, SSYK 8344
LULEA, UMEA = "2580", "2480"


@dataclass
class TwoTenants:
    engine: Engine
    home: int
    other: int
    employer: int  # Luleå's employer
    other_employer: int
    lotsare: Actor
    other_lotsare: Actor
    employer_actor: Actor
    analyst: Actor


def battery_skills() -> list[str]:
    return sorted(s.id for s in load_taxonomy().skills_of(BATTERY_OPERATOR))


def person_record(source_id: str, occupation: str, skills: list[str], code: str = LULEA,
                  years: float = 3.0) -> dict[str, Any]:
    return {
        "source_id": source_id,
        "pseudonym": f"P{source_id.upper():0>10}"[:12],
        "municipality_code": code,
        "education_level": "3",
        "available_from": "2026-01-01",
        "max_commute_km": 80.0,
        "occupations": [{"occupation_id": occupation, "years": years}],
        "skills": skills,
        "consents": [{"purpose": "matching", "given_at": "2026-11-01"}],
    }


def build(engine: Engine) -> TwoTenants:
    with transaction(engine) as session:
        home = Tenant(slug="lulea-boden", name="Luleå och Boden", municipality_codes=[LULEA])
        other = Tenant(slug="umea", name="Umeå", municipality_codes=[UMEA])
        session.add_all([home, other])
        session.flush()
        employer = upsert_organization(session, home.id, {
            "source_id": "e1", "kind": "employer", "name": "Cellfabriken AB",
            "municipality_code": LULEA})
        other_employer = upsert_organization(session, other.id, {
            "source_id": "e2", "kind": "employer", "name": "Umeverken AB",
            "municipality_code": UMEA})
        session.flush()
        ids = (home.id, other.id, employer.id, other_employer.id)
    return TwoTenants(
        engine, *ids,
        lotsare=Actor("lotsare", tenant_id=ids[0], user_id=11, username="lots.lulea"),
        other_lotsare=Actor("lotsare", tenant_id=ids[1], user_id=12, username="lots.umea"),
        employer_actor=Actor("employer", tenant_id=ids[0], organization_id=ids[2], user_id=13,
                             username="hr.cellfabriken"),
        analyst=Actor("analyst", user_id=14, username="analytiker"),
    )


def add_people(region: TwoTenants, people: list[dict[str, Any]], tenant: int | None = None) -> None:
    with transaction(region.engine) as session:
        for rec in people:
            upsert_person(session, tenant or region.home, rec)
