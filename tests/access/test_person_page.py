"""The officer's person page (needs that fit, pathway, consent with its audit line, CSV
and Excel export), candidates linking to it, score parts against their maximum, Enter
in the occupation searches, and "Ort" starting at the user's own municipality."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from lotsen.store.db import transaction
from lotsen.store.models import Person, Tenant

from .conftest import CANARY, HOME, Region, auth_app

pytestmark = pytest.mark.auth


@pytest.fixture(scope="module")
def clients(region: Region) -> dict[str, TestClient]:
    app = auth_app(region.url)
    return {role: TestClient(app, headers={"authorization": f"Bearer {region.tokens[role]}"})
            for role in ("officer", "lotsare")}


def _home_person(region: Region) -> int:
    """A person of the home tenant with an active matching consent."""
    with transaction(region.engine) as session:
        tenant = session.scalars(select(Tenant.id).where(Tenant.slug == HOME)).one()
        for person in session.scalars(select(Person).where(Person.tenant_id == tenant)
                                      .order_by(Person.id)):
            if any(c.purpose == "matching" and c.withdrawn_at is None for c in person.consents):
                return person.id
    raise AssertionError("no consenting person in the home tenant")


def test_person_page_shows_fitting_needs_pathway_and_exports(
    region: Region, clients: dict[str, TestClient]
) -> None:
    person_id = _home_person(region)
    page = clients["officer"].get(f"/arbetssokande/{person_id}")
    assert page.status_code == 200
    assert 'data-testid="person-fits"' in page.text
    fits = re.findall(r'<a href="/behov/(\d+)">', page.text)
    assert fits, "no fitting need listed"
    scores = [int(s) for s in re.findall(r"<strong>(\d+) av 100</strong>", page.text)]
    assert scores and all(0 <= s <= 100 for s in scores)
    assert "matchning mot behov" in page.text and ">matching<" not in page.text
    exported = clients["officer"].get(f"/arbetssokande/{person_id}/export.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Tabell", "Rad", "Fält", "Värde"] and len(rows) > 5
    book = load_workbook(io.BytesIO(
        clients["officer"].get(f"/arbetssokande/{person_id}/export.xlsx").content))
    assert book.worksheets[0].max_row == len(rows)


def test_consent_is_withdrawn_and_recorded_with_an_audit_line(
    region: Region, clients: dict[str, TestClient]
) -> None:
    person_id = _home_person(region)
    officer = clients["officer"]
    gone = officer.post(f"/arbetssokande/{person_id}/samtycke",
                        data={"purpose": "matching", "action": "withdraw"},
                        follow_redirects=True)
    assert gone.status_code == 200 and "Samtycket är återkallat" in gone.text
    assert "samtycke till matchning mot behov återkallat" in gone.text
    again = officer.post(f"/arbetssokande/{person_id}/samtycke",
                         data={"purpose": "matching", "action": "record"},
                         follow_redirects=True)
    assert "samtycke till matchning mot behov givet" in again.text
    twice = officer.post(f"/arbetssokande/{person_id}/samtycke",
                         data={"purpose": "matching", "action": "record"})
    assert twice.status_code in (409, 422) and 'role="alert"' in twice.text
    # A lotsare reads people but does not change their consents.
    refused = clients["lotsare"].post(f"/arbetssokande/{person_id}/samtycke",
                                      data={"purpose": "matching", "action": "withdraw"})
    assert refused.status_code in (403, 404)


def test_candidates_link_to_the_person_and_parts_show_their_maximum(
    clients: dict[str, TestClient]
) -> None:
    listing = clients["lotsare"].get("/matchning").text
    need = re.search(r'href="/behov/(\d+)#vem-kan"', listing)
    assert need
    page = clients["lotsare"].get(f"/behov/{need.group(1)}").text
    if "Ingen arbetssökande uppfyller kraven" not in page:
        assert re.search(r'<h3><a href="/arbetssokande/\d+">P[0-9A-F]{10}</a>', page)
        assert re.search(r"<td>\d+(,\d)? av \d+</td>", page)


def test_enter_in_the_occupation_searches_takes_the_best_hit(
    clients: dict[str, TestClient]
) -> None:
    page = clients["lotsare"].get("/overgangar", params={"q": "truckförare"}).text
    assert 'data-testid="transitions"' in page
    profile = clients["lotsare"].get("/yrkesprofiler", params={"q": "truckförare"}).text
    assert "Truckförare" in profile and 'data-testid="profile' in profile


def test_ort_starts_at_the_users_own_municipality(clients: dict[str, TestClient]) -> None:
    form = clients["lotsare"].get("/registrera-behov").text
    assert re.search(r'<option value="2580" selected>Luleå</option>', form)


def test_a_statistics_only_person_is_in_aggregates_alone(
    region: Region, clients: dict[str, TestClient]
) -> None:
    """Finding 7: a person of the officer's own tenant who withdrew matching consent but
    kept "anonymous statistics" is read one by one nowhere: not the API, not the lists or
    their CSV, and the person page shows the officer only the consents (to record a new one
    when the person asks), no profile; export and erasure on request still reach them."""
    person_id = region.ids["stats_only"]
    pseudonym = CANARY["stats_only"]
    for role, client in clients.items():
        assert client.get(f"/api/v1/people/{person_id}").status_code == 404, role
        page = client.get(f"/arbetssokande/{person_id}")
        if role == "lotsare":
            assert page.status_code == 404
        else:  # the officer records consents: the history and the form, no profile
            assert page.status_code == 200 and 'data-testid="person-restricted"' in page.text
            assert 'data-testid="person-facts"' not in page.text
            assert "Kompetenser" not in page.text and "Behov som passar" not in page.text
        for path in ("/api/v1/people?limit=500", f"/api/v1/people?q={pseudonym}",
                     f"/arbetssokande?q={pseudonym}", "/arbetssokande",
                     "/arbetssokande?format=csv"):
            response = client.get(path)
            assert response.status_code == 200, (role, path)
            assert pseudonym not in response.text, (role, path)
