"""A demo region with accounts for every role and *canaries*: records of one tenant
(Umeå) with unmistakable text, which no actor of another tenant may ever see."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select

from lotsen.services import api_tokens, scenarios
from lotsen.services.access import SYSTEM, Actor
from lotsen.services.demo_accounts import create_demo_accounts
from lotsen.services.logins import actor_for_session, login
from lotsen.store.db import open_database, transaction
from lotsen.store.models import (
    LocalConcept,
    Organization,
    ProfileVersion,
    SavedScenario,
    Tenant,
    WorkLease,
)
from lotsen.store.records import upsert_need, upsert_organization, upsert_person, upsert_program
from lotsen.taxonomy.search import get_search_index

HOME = "lulea-boden"  # the tenant the tested actors belong to
OTHER = "umea"  # the tenant whose data must not leak
CANARY = {
    "person": "PCANARY00001",
    "cross": "PCANARYCROSS",
    "withdrawn": "PCANARYWDRWN",
    "stats_only": "PCANARYSTATS",
    "need": "KANARIEBEHOV-UMEA",
    "own_tenant_need": "KANARIEBEHOV-ANNAN-ARBETSGIVARE",
    "org": "Kanarie Umeå AB",
    "program": "Kanarieutbildning Umeå",
    "local": "KANARIEYRKE-UMEA",
    "profile": "KANARIEPROFIL-UMEA",
}
LOCAL_CANARY = "local:umea:kanarieyrke-umea"  # Umeå's own occupation, probed by id

def _occupation() -> str:
    """A real occupation (Undersköterska) so other modules can process the canaries."""
    hits = get_search_index().search("undersköterska", types=["occupation-name"], limit=1)
    return str(hits[0].concept_id)


OCCUPATION = _occupation()


@dataclass
class Region:
    url: str
    engine: Engine
    tenants: dict[str, int]
    ids: dict[str, int]
    logins: dict[str, dict[str, Any]]
    actors: dict[str, Actor]
    tokens: dict[str, str]


def _copy_sqlite(source_url: str, target: Path) -> str:
    source = sqlite3.connect(source_url.removeprefix("sqlite:///"))
    dest = sqlite3.connect(target)
    source.backup(dest)
    source.close()
    dest.close()
    return f"sqlite:///{target}"


def _person(source_id: str, pseudonym: str, code: str, consents: list[dict[str, Any]]) -> dict:
    return {
        "source_id": source_id,
        "pseudonym": pseudonym,
        "municipality_code": code,
        "occupations": [{"occupation_id": OCCUPATION, "years": 3}],
        "consents": consents,
    }


def add_canaries(engine: Engine) -> dict[str, int]:
    """Umeå records that must stay in Umeå, and one other-employer need in Luleå."""
    today = date.today()
    with transaction(engine) as session:
        tenants = {t.slug: t.id for t in session.scalars(select(Tenant))}
        other, home = tenants[OTHER], tenants[HOME]
        org = upsert_organization(
            session, other,
            {"source_id": "canary-org", "kind": "employer", "name": CANARY["org"],
             "municipality_code": "2480"},
        )
        provider = upsert_organization(
            session, other,
            {"source_id": "canary-prov", "kind": "education_provider", "name": "Kanarieskolan",
             "municipality_code": "2480"},
        )
        home_org = upsert_organization(
            session, home,
            {"source_id": "canary-home-org", "kind": "employer", "name": "Annan Arbetsgivare AB",
             "municipality_code": "2580"},
        )
        session.flush()
        need = {"occupation_id": OCCUPATION, "headcount": 7, "start_date": "2027-01-01",
                "municipality_code": "2480"}
        ids = {
            "need": upsert_need(session, other, org.id,
                                {**need, "source_id": "canary-need", "title": CANARY["need"]}),
            "own_tenant_need": upsert_need(
                session, home, home_org.id,
                {**need, "source_id": "canary-home-need", "title": CANARY["own_tenant_need"],
                 "municipality_code": "2580"}),
            "program": upsert_program(
                session, other, provider.id,
                {"source_id": "canary-program", "name": CANARY["program"], "form": "YH",
                 "municipality_code": "2480", "duration_weeks": 40, "seats": 20}),
            "person": upsert_person(session, other, _person(
                "canary-person", CANARY["person"], "2480",
                [{"purpose": "matching", "given_at": today - timedelta(days=10)}])),
            "cross": upsert_person(session, other, _person(
                "canary-cross", CANARY["cross"], "2480",
                [{"purpose": "matching", "given_at": today - timedelta(days=10)},
                 {"purpose": "cross_tenant", "given_at": today - timedelta(days=10)}])),
            "withdrawn": upsert_person(session, home, _person(
                "canary-withdrawn", CANARY["withdrawn"], "2580",
                [{"purpose": "matching", "given_at": today - timedelta(days=400),
                  "withdrawn_at": today - timedelta(days=200)}])),
            # Withdrew matching, kept "anonymous statistics": in aggregates only.
            "stats_only": upsert_person(session, home, _person(
                "canary-stats-only", CANARY["stats_only"], "2580",
                [{"purpose": "matching", "given_at": today - timedelta(days=40),
                  "withdrawn_at": today - timedelta(days=5)},
                 {"purpose": "statistics", "given_at": today - timedelta(days=40)}])),
        }
        # Umeå's own occupation and its profile edits: no other tenant may see them.
        session.add(LocalConcept(
            tenant_id=other, concept_id=LOCAL_CANARY, type="occupation-name",
            label=CANARY["local"], anchor_id=OCCUPATION, synonyms=[], created_by="canary"))
        for occupation in (OCCUPATION, LOCAL_CANARY):
            session.add(ProfileVersion(
                tenant_id=other, occupation_id=occupation, version=1, comment=CANARY["profile"],
                state={"canary-skill": {"removed": True, "by": CANARY["profile"]}},
                changes=[{"op": "remove", "skill_id": "canary-skill"}], username="canary"))
        # A run an Umeå account saved: every role reads it (aggregates), but only its
        # creator (an account none of the tested actors is) or an admin deletes it.
        run = scenarios.run_example("boden-steel-hydrogen", runs=50, actor=SYSTEM)
        saved = SavedScenario(
            tenant_id=other, created_by=987654, created_by_name="kanarie.umea",
            name="Kanariescenario Umeå", document="", kind="yaml", runs=50, seed=0,
            overrides={}, result=dict(run))
        session.add(saved)
        session.flush()
        result = {name: row.id for name, row in ids.items()}
        result["saved"] = saved.id
        result["org"] = org.id
        result["provider"] = provider.id
        result["home_org"] = home_org.id
        return result


def build_region(url: str) -> Region:
    engine = open_database(url)
    ids = add_canaries(engine)
    logins = {row["username"]: row for row in create_demo_accounts(engine, actor=SYSTEM)}
    with transaction(engine) as session:
        tenants = {t.slug: t.id for t in session.scalars(select(Tenant))}
        assert session.get(Organization, ids["org"]) is not None
    chosen = {
        "admin": "admin",
        "analyst": "analytiker",
        "lotsare": f"lots.{HOME}",
        "officer": f"handlaggare.{HOME}",
        "employer": f"arbetsgivare.{HOME}",
        "provider": f"anordnare.{HOME}",
        "other_officer": f"handlaggare.{OTHER}",
    }
    actors: dict[str, Actor] = {}
    tokens: dict[str, str] = {}
    for key, username in chosen.items():
        user = login(engine, username, logins[username]["password"])
        actors[key] = actor_for_session(  # type: ignore[assignment]
            engine, user["user_id"], user["epoch"], user["sid"])
        tokens[key] = api_tokens.create_token(engine, username, "tests", actor=SYSTEM)["token"]
    return Region(url, engine, tenants, ids, logins, actors, tokens)


@pytest.fixture(scope="session")
def region_url(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A private copy of the demo database (these tests write to it)."""
    return _copy_sqlite(demo_sqlite_url, tmp_path_factory.mktemp("access") / "region.db")


@pytest.fixture(scope="session")
def region(region_url: str) -> Region:
    return build_region(region_url)


@pytest.fixture(autouse=True)
def fresh_attempt_counts(request: pytest.FixtureRequest) -> None:
    """Every test starts with no counted attempts at the public forms. The counts live
    in the shared region's database (``services/rate_limits``), and every test client
    posts from the same address, so without this the tests' registrations and failed
    logins would add up across tests into a 429 that depends on their order."""
    if "region" in request.fixturenames:
        engine = request.getfixturevalue("region").engine
        with transaction(engine) as session:
            session.execute(delete(WorkLease).where(WorkLease.key.startswith("rate:")))


def auth_app(url: str) -> Any:
    """The app with LOTSEN_AUTH=on, whatever the test process default is."""
    import os

    from lotsen.settings import reset_settings
    from lotsen.web.app import create_app

    before = os.environ.get("LOTSEN_AUTH")
    os.environ["LOTSEN_AUTH"] = "on"
    reset_settings()
    try:
        return create_app(url)
    finally:
        if before is None:
            del os.environ["LOTSEN_AUTH"]
        else:
            os.environ["LOTSEN_AUTH"] = before
        reset_settings()
