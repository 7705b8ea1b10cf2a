"""Issue 14, finding 4: a NUL or other control character in the URL, or an id beyond
PostgreSQL's integer, is refused at the boundary with 400/404 (never 500), on the API
and the web pages, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from lotsen.limits import MAX_ID
from lotsen.web.app import create_app

BAD_TEXT = [
    "/api/v1/needs?municipality_code=%00", "/api/v1/people?municipality_code=%00",
    "/api/v1/programs?municipality_code=%00", "/api/v1/organizations?municipality_code=%00",
    "/api/v1/audit?entity=%00", "/api/v1/local-concepts?q=%00", "/api/v1/ads/stats?x=%01",
    "/behov?kommun=%00", "/arbetssokande?kommun=%00", "/utbildningar?kommun=%00",
    "/arbetsgivare?kommun=%00", "/annonser?q=%00", "/api/v1/taxonomy/search?q=a%1Fb",
]
BAD_IDS = [f"/api/v1/scenarios/saved/{MAX_ID + 1}", f"/api/v1/people/{MAX_ID + 1}/export",
           f"/api/v1/needs/{10**30}", f"/arbetssokande/{MAX_ID + 1}"]


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app(db_url), raise_server_exceptions=False)


def test_control_characters_answer_400_in_swedish(client: TestClient) -> None:
    for url in BAD_TEXT:
        answer = client.get(url)
        assert answer.status_code == 400, (url, answer.status_code, answer.text[:200])
        assert "styrtecken" in answer.text, url
        if url.startswith("/api/"):
            assert answer.json()["error"]["code"] == "control_character"


def test_ids_beyond_the_integer_range_answer_404(client: TestClient) -> None:
    for url in BAD_IDS:
        answer = client.get(url)
        assert answer.status_code == 404, (url, answer.status_code, answer.text[:200])


def test_ordinary_requests_pass(client: TestClient) -> None:
    assert client.get("/api/v1/needs?municipality_code=2482").status_code == 200
    assert client.get(f"/api/v1/scenarios/saved/{MAX_ID}").status_code == 404
    assert client.get("/api/v1/taxonomy/search?q=svets%0Aare").status_code < 500
