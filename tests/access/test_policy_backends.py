"""The consent and tenant rules are SQL: check them on every backend (PostgreSQL too)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from lotsen.errors import NotFound
from lotsen.services import records
from lotsen.services.access import Actor
from lotsen.store.db import transaction
from lotsen.store.models import Tenant
from lotsen.store.records import upsert_person

from .conftest import CANARY, HOME, OTHER, _person, add_canaries

pytestmark = pytest.mark.auth


def test_people_scope_on_this_backend(engine: Engine) -> None:
    with transaction(engine) as session:
        for slug, codes in ((HOME, ["2580", "2582"]), (OTHER, ["2480"])):
            session.add(Tenant(slug=slug, name=slug, municipality_codes=codes))
    ids = add_canaries(engine)
    with transaction(engine) as session:
        home = session.query(Tenant).filter_by(slug=HOME).one().id
    officer = Actor("officer", tenant_id=home, user_id=1)
    seen = {p["pseudonym"] for p in records.list_records(engine, "people",
                                                         actor=officer)["results"]}
    # Home tenant: only a withdrawn consent; Umeå: one with and one without cross_tenant.
    assert seen == {CANARY["cross"]}
    with pytest.raises(NotFound):
        records.get_record(engine, "people", ids["person"], actor=officer)
    needs = records.list_records(engine, "needs", actor=Actor("lotsare", tenant_id=home))["results"]
    assert [n["title"] for n in needs] == [CANARY["own_tenant_need"]]


def test_reach_follows_the_purpose_on_this_backend(engine: Engine) -> None:
    """Statistics-only, a re-given consent after a withdrawal, and a withdrawal after a
    consent: one by one, only the latest matching consent opens a person (finding 7)."""
    today = date.today()
    with transaction(engine) as session:
        home = Tenant(slug=HOME, name=HOME, municipality_codes=["2580"])
        session.add(home)
        session.flush()
        people = {
            "stats-only": [{"purpose": "matching", "given_at": today - timedelta(days=30),
                            "withdrawn_at": today - timedelta(days=5)},
                           {"purpose": "statistics", "given_at": today - timedelta(days=30)}],
            "regiven": [{"purpose": "matching", "given_at": today - timedelta(days=30),
                         "withdrawn_at": today - timedelta(days=20)},
                        {"purpose": "matching", "given_at": today - timedelta(days=3)}],
            "withdrawn-later": [{"purpose": "matching", "given_at": today - timedelta(days=30)},
                                {"purpose": "matching", "given_at": today - timedelta(days=10),
                                 "withdrawn_at": today - timedelta(days=2)}],
        }
        rows = {name: upsert_person(session, home.id, _person(name, name, "2580", consents))
                for name, consents in people.items()}
        session.flush()
        ids = {name: row.id for name, row in rows.items()}
        home_id = home.id
    officer = Actor("officer", tenant_id=home_id, user_id=1)
    seen = {p["pseudonym"] for p in records.list_records(engine, "people",
                                                         actor=officer)["results"]}
    assert seen == {"regiven"}
    for name in ("stats-only", "withdrawn-later"):
        with pytest.raises(NotFound):
            records.get_record(engine, "people", ids[name], actor=officer)
    assert records.get_record(engine, "people", ids["regiven"], actor=officer)["pseudonym"] == \
        "regiven"
