"""Lists, person pages and their exports show a tenant's local occupations by label,
and municipalities by name: what the screen shows is what the file holds."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from lotsen.services import local_concepts
from lotsen.services.access import SYSTEM
from lotsen.services.demo import build_demo
from lotsen.store.db import open_database, transaction
from lotsen.store.models import Person, PersonOccupation, Tenant
from lotsen.web.app import create_app

LABEL = "Battericellsoperatör"
ANCHOR = "jk4K_uNT_BkL"  # Operatör batteritillverkning


@pytest.fixture
def person_with_local_occupation(db_url: str) -> tuple[str, int, str]:
    engine = open_database(db_url)
    build_demo(engine, seed=7, people=60, actor=SYSTEM)
    with transaction(engine) as session:
        person = session.scalars(select(Person).order_by(Person.id)).first()
        assert person is not None
        slug = session.scalars(select(Tenant.slug).where(Tenant.id == person.tenant_id)).one()
        person_id = person.id
    local = local_concepts.add_local(engine, "occupation-name", LABEL, ANCHOR,
                                     tenant=slug, actor=SYSTEM)
    with transaction(engine) as session:
        session.execute(delete(PersonOccupation).where(PersonOccupation.person_id == person_id))
        session.add(PersonOccupation(person_id=person_id, occupation_id=local["concept_id"],
                                     years=3.0))
    return db_url, person_id, local["concept_id"]


def test_people_list_and_export_show_labels(
    person_with_local_occupation: tuple[str, int, str],
) -> None:
    url, person_id, concept_id = person_with_local_occupation
    client = TestClient(create_app(url))
    shown = [client.get(f"/arbetssokande?sida={page}").text for page in (1, 2)]
    assert any(LABEL in html for html in shown)
    assert not any(concept_id in html for html in shown)

    person_page = client.get(f"/arbetssokande/{person_id}").text
    # The validation form submits concept ids as option values; what is shown is labels.
    shown_text = re.sub(r'\svalue="[^"]*"', "", person_page)
    assert f'value="{concept_id}"' in person_page
    assert LABEL in shown_text and concept_id not in shown_text

    exported = client.get("/arbetssokande?format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported), delimiter=";"))
    header, body = rows[0], rows[1:]
    occupations = [row[header.index("Erfarenhet")] for row in body]
    municipalities = {row[header.index("Kommun")] for row in body}
    assert LABEL in occupations and concept_id not in occupations
    assert "Skellefteå" in municipalities and not any(m.isdigit() for m in municipalities)
