"""The access policy at the service layer: each role sees its reach and nothing more."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lotsen.errors import NotFound, PermissionDenied
from lotsen.services import records
from lotsen.services.access import Actor, scope
from lotsen.store.db import transaction
from lotsen.store.models import CompetenceNeed, Person, Tenant

from .conftest import CANARY, HOME, OTHER, Region

pytestmark = pytest.mark.auth


def _all(region: Region, kind: str, actor: Actor) -> list[dict]:
    return records.list_records(region.engine, kind, limit=10_000, actor=actor)["results"]


def test_lotsare_sees_only_own_tenant_needs_programs_and_organisations(region: Region) -> None:
    home = region.tenants[HOME]
    for kind in ("needs", "programs", "organizations"):
        rows = _all(region, kind, region.actors["lotsare"])
        assert rows and {r["tenant_id"] for r in rows} == {home}, kind


def test_people_cross_tenants_only_with_cross_tenant_consent(region: Region) -> None:
    for role in ("lotsare", "officer"):
        seen = {p["pseudonym"]: p for p in _all(region, "people", region.actors[role])}
        assert CANARY["cross"] in seen  # Umeå person who consented to the whole region
        assert CANARY["person"] not in seen  # Umeå person who did not
        assert CANARY["withdrawn"] not in seen  # own tenant, consent withdrawn
        others = {p["tenant_id"] for p in seen.values() if p["pseudonym"] != CANARY["cross"]}
        assert others == {region.tenants[HOME]}
        with pytest.raises(NotFound):
            records.get_record(region.engine, "people", region.ids["person"],
                               actor=region.actors[role])


def test_every_visible_person_has_an_active_consent(region: Region) -> None:
    for person in _all(region, "people", region.actors["officer"]):
        assert any(c["withdrawn_at"] is None for c in person["consents"]), person["pseudonym"]


@pytest.mark.parametrize("role", ["analyst", "employer", "provider"])
def test_roles_without_personal_data_are_refused_people(region: Region, role: str) -> None:
    with pytest.raises(PermissionDenied):
        records.list_records(region.engine, "people", actor=region.actors[role])
    with pytest.raises(PermissionDenied):
        records.get_record(region.engine, "people", region.ids["cross"], actor=region.actors[role])


def test_analyst_reads_non_personal_records_region_wide(region: Region) -> None:
    tenants = {r["tenant_id"] for r in _all(region, "needs", region.actors["analyst"])}
    assert tenants == set(region.tenants.values())


def test_employer_sees_only_its_own_organisation(region: Region) -> None:
    employer = region.actors["employer"]
    needs = _all(region, "needs", employer)
    assert needs and {n["employer_id"] for n in needs} == {employer.organization_id}
    assert [o["id"] for o in _all(region, "organizations", employer)] == [
        employer.organization_id
    ]
    with pytest.raises(NotFound):  # same tenant, another employer
        records.get_record(region.engine, "needs", region.ids["own_tenant_need"], actor=employer)
    with pytest.raises(PermissionDenied):
        records.list_records(region.engine, "programs", actor=employer)


def test_provider_sees_only_its_own_programs(region: Region) -> None:
    provider = region.actors["provider"]
    programs = _all(region, "programs", provider)
    assert programs and {p["provider_id"] for p in programs} == {provider.organization_id}
    with pytest.raises(PermissionDenied):
        records.list_records(region.engine, "needs", actor=provider)


def test_guessing_ids_of_other_tenants_finds_nothing(region: Region) -> None:
    """Every id of the other tenant answers exactly like an id that does not exist."""
    officer = region.actors["officer"]
    with transaction(region.engine) as session:
        other = session.scalars(select(Tenant.id).where(Tenant.slug == OTHER)).one()
        their_needs = session.scalars(
            select(CompetenceNeed.id).where(CompetenceNeed.tenant_id == other)
        ).all()
        their_people = session.scalars(select(Person.id).where(Person.tenant_id == other)).all()
    messages = set()
    for kind, ids in (("needs", their_needs), ("people", their_people)):
        for record_id in ids:
            if record_id == region.ids["cross"]:
                continue
            with pytest.raises(NotFound) as caught:
                records.get_record(region.engine, kind, record_id, actor=officer)
            messages.add(str(caught.value).replace(str(record_id), "N"))
        with pytest.raises(NotFound) as missing:
            records.get_record(region.engine, kind, 99_999_999, actor=officer)
        messages.add(str(missing.value).replace("99999999", "N"))
    assert messages == {"no need with id N", "no person with id N"}


def test_account_without_tenant_is_refused_not_widened(region: Region) -> None:
    lost = Actor("lotsare", tenant_id=None, user_id=999)
    with pytest.raises(PermissionDenied, match="kommun"):
        records.list_records(region.engine, "needs", actor=lost)
    # The one scoping function (used by other modules) follows the same policy.
    with pytest.raises(PermissionDenied):
        scope(lost, "needs").rows(select(CompetenceNeed))

