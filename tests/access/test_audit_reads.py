"""Finding 8: every response that shows a person writes an audit line.

Walks every GET route of the app (API and pages, from app.routes, so a route added
later is covered) as an officer and as an admin, with path ids filled with people,
needs and programs the actor can see. A response is *personal* when it carries a
pseudonym of a stored person; each personal response must add at least one audit
line naming the actor.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from .conftest import HOME, OCCUPATION, Region, auth_app
from .test_matrix import _routes, _text

pytestmark = pytest.mark.auth

# Routes that need more than ids to show anything; the query makes them show people.
QUERIES = {
    "/allokering": "",
    "/api/v1/allocation": "",
}


def _visible(region: Region) -> dict[str, str]:
    """Ids of records of the home tenant the officer reaches (a consenting person)."""
    with region.engine.connect() as connection:
        person = connection.execute(text(
            "SELECT p.id FROM person p JOIN consent c ON c.person_id = p.id "
            "WHERE p.tenant_id = :t AND c.purpose = 'matching' AND c.withdrawn_at IS NULL "
            "ORDER BY c.given_at DESC, p.id LIMIT 1"), {"t": region.tenants[HOME]}).scalar_one()
        need = connection.execute(text(
            "SELECT id FROM competence_need WHERE tenant_id = :t AND status = 'open' "
            "ORDER BY id LIMIT 1"), {"t": region.tenants[HOME]}).scalar_one()
    return {"person": str(person), "need": str(need)}


def _fill(path: str, ids: dict[str, str], region: Region) -> str:
    def one(match: re.Match[str]) -> str:
        name, lowered = match.group(1), path.lower()
        if "person" in name or "/people" in lowered or "arbetssokande" in lowered:
            return ids["person"]
        if "need" in name or "/needs" in lowered or "behov" in lowered:
            return ids["need"]
        if "occupation" in name or "concept" in name:
            return OCCUPATION
        if name == "fmt":
            return "csv"
        if name == "kind":
            return "people"
        return "1"
    return re.sub(r"\{(\w+)(?::\w+)?\}", one, path)


def _audit_lines(region: Region, username: str) -> int:
    with region.engine.connect() as connection:
        return connection.execute(
            text("SELECT count(*) FROM audit_log WHERE username = :u"), {"u": username}
        ).scalar_one()


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_every_response_that_shows_a_person_is_audited(region: Region, role: str) -> None:
    app = auth_app(region.url)
    client = TestClient(app, headers={"authorization": f"Bearer {region.tokens[role]}"})
    username = region.actors[role].username
    assert username
    with region.engine.connect() as connection:
        pseudonyms = {p for (p,) in connection.execute(text("SELECT pseudonym FROM person"))}
    ids = _visible(region)
    unaudited, personal = [], []
    for method, path in _routes(app):
        if method != "GET" or path.startswith("/static"):
            continue
        url = _fill(path, ids, region) + QUERIES.get(path, "")
        before = _audit_lines(region, username)
        response = client.get(url, follow_redirects=False)
        if response.status_code != 200:
            continue
        shown = set(re.findall(r"P[0-9A-F]{10}", _text(response))) & pseudonyms
        if not shown:
            continue
        personal.append(path)
        if _audit_lines(region, username) == before:
            unaudited.append(f"{url} shows {len(shown)} people, no audit line")
    assert unaudited == [], "\n".join(unaudited)
    # The walk must have reached the routes that matter, or it proves nothing.
    assert {"/api/v1/people", "/arbetssokande/{person_id}",
            "/api/v1/needs/{need_id}/matches"} <= set(personal), personal
