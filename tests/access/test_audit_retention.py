"""The audit trail records who read personal data; retention deletes on schedule."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from lotsen.errors import PermissionDenied
from lotsen.services import audit, records, retention
from lotsen.services.access import PUBLIC, SYSTEM, Actor
from lotsen.services.self_registration import register_person
from lotsen.store.db import open_database, transaction
from lotsen.store.models import AuditEntry, Consent, Person, SkillValidation, Tenant
from lotsen.store.records import upsert_person

from .conftest import HOME, Region, auth_app

pytestmark = pytest.mark.auth


def test_reading_a_person_leaves_an_audit_line_naming_the_reader(region: Region) -> None:
    officer = region.actors["officer"]
    person_id = records.list_records(region.engine, "people", limit=1,
                                     actor=officer)["results"][0]["id"]
    records.get_record(region.engine, "people", person_id, actor=officer)
    trail = audit.list_entries(region.engine, "person", person_id, actor=SYSTEM)["results"]
    assert trail[0]["action"] == "read"
    assert trail[0]["username"] == officer.username and trail[0]["role"] == "officer"
    listed = audit.list_entries(region.engine, "person", None, limit=500, actor=SYSTEM)["results"]
    assert any(e["action"] == "list" and str(person_id) in (e["detail"] or "") for e in listed)


def test_only_admins_read_the_trail(region: Region) -> None:
    for role in ("lotsare", "officer", "analyst"):
        with pytest.raises(PermissionDenied):
            audit.list_entries(region.engine, actor=region.actors[role])


def test_a_failed_read_leaves_no_line(region: Region) -> None:
    before = audit.list_entries(region.engine, "person", region.ids["person"],
                                actor=SYSTEM)["total"]
    with pytest.raises(Exception):  # noqa: B017 - NotFound: outside the officer's tenant
        records.get_record(region.engine, "people", region.ids["person"],
                           actor=region.actors["officer"])
    after = audit.list_entries(region.engine, "person", region.ids["person"], actor=SYSTEM)["total"]
    assert after == before


@pytest.fixture
def small_engine(tmp_path: Path) -> Engine:
    engine = open_database(f"sqlite:///{tmp_path / 'r.db'}")
    with transaction(engine) as session:
        session.add(Tenant(slug="t", name="T", municipality_codes=["2580"]))
    return engine


VALIDATED = [{"skill_id": "kM3z_axv_hj1", "occupation_id": "jk4K_uNT_BkL", "method": "komvux",
              "validated_on": "2025-05-01", "validated_by": "validerare"}]


def _add(engine: Engine, source: str, consents: list[dict],
         validations: list[dict] | None = None) -> int:
    with transaction(engine) as session:
        tenant = session.scalars(select(Tenant.id)).one()
        person = upsert_person(session, tenant, {"source_id": source, "pseudonym": source,
                                                 "municipality_code": "2580",
                                                 "consents": consents,
                                                 "validations": validations or []})
        session.flush()
        return person.id


def test_retention_deletes_only_people_whose_consent_ended_long_ago(
    small_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOTSEN_RETENTION_DAYS", "90")
    monkeypatch.setenv("LOTSEN_CONSENT_VALID_DAYS", "730")
    today = date(2026, 11, 1)
    day = lambda n: today - timedelta(days=n)  # noqa: E731
    active = _add(small_engine, "active", [{"purpose": "matching", "given_at": day(30)}],
                  VALIDATED)
    keep = {
        active,
        _add(small_engine, "recently-withdrawn",
             [{"purpose": "matching", "given_at": day(300), "withdrawn_at": day(10)}]),
        _add(small_engine, "one-still-active",
             [{"purpose": "matching", "given_at": day(900), "withdrawn_at": day(800)},
              {"purpose": "statistics", "given_at": day(20)}]),
    }
    gone = {
        _add(small_engine, "withdrawn-long-ago",
             [{"purpose": "matching", "given_at": day(400), "withdrawn_at": day(200)}]),
        _add(small_engine, "expired", [{"purpose": "matching", "given_at": day(900)}],
             VALIDATED),
    }
    with transaction(small_engine) as session:
        session.add(AuditEntry(role="system", action="read", entity="person",
                               at=today - timedelta(days=800)))
        session.add(AuditEntry(role="system", action="read", entity="person",
                               at=today - timedelta(days=10)))
    dry = retention.run(small_engine, dry_run=True, today=today, actor=SYSTEM)
    assert set(dry["person_ids"]) == gone and dry["audit_entries_deleted"] == 1
    with transaction(small_engine) as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 5

    done = retention.run(small_engine, today=today, actor=SYSTEM)
    assert done["people_deleted"] == 2
    with transaction(small_engine) as session:
        assert set(session.scalars(select(Person.id))) == keep
        assert session.scalar(
            select(func.count()).select_from(Consent).where(Consent.person_id.in_(gone))
        ) == 0
        # Validated skills are personal data too: they go with the person, the kept stay.
        assert list(session.scalars(select(SkillValidation.person_id))) == [active]
        erased = session.scalars(
            select(AuditEntry.entity_id).where(AuditEntry.action == "erase",
                                               AuditEntry.detail == "retention")
        ).all()
        assert set(erased) == gone
    with pytest.raises(PermissionDenied):
        retention.run(small_engine, today=today, actor=Actor("lotsare", tenant_id=1, user_id=5))


def test_self_registration_stores_a_pseudonymous_person_with_consent(region: Region) -> None:
    pseudonym = register_person(region.engine, {
        "municipality_code": "2582", "consent_matching": "1", "consent_cross_tenant": "1",
        "swedish_level": "SFI C", "years": "2",
    }, actor=PUBLIC)
    assert re.fullmatch(r"P[0-9A-F]{10}", pseudonym)
    with transaction(region.engine) as session:
        person = session.scalars(select(Person).where(Person.pseudonym == pseudonym)).one()
        tenant = session.get(Tenant, person.tenant_id)
        assert tenant is not None and tenant.slug == HOME  # Boden belongs to Luleå+Boden
        assert sorted(c.purpose for c in person.consents) == ["cross_tenant", "matching"]
        assert person.newly_arrived


def test_registration_page_needs_consent_and_a_csrf_token(region: Region) -> None:
    client = TestClient(auth_app(region.url))
    page = client.get("/registrera")
    assert page.status_code == 200 and "Samtycke" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    form = {"municipality_code": "2580", "csrf_token": token}
    refused = client.post("/registrera", data=form)
    assert refused.status_code == 422 and "samtycka" in refused.text
    done = client.post("/registrera", data={**form, "consent_matching": "1"})
    assert done.status_code == 200
    assert re.search(r'data-testid="pseudonym">P[0-9A-F]{10}<', done.text)
    no_token = TestClient(auth_app(region.url)).post(
        "/registrera", data={"municipality_code": "2580", "consent_matching": "1"})
    assert no_token.status_code == 403
