"""The JSON API over stored records, on each database backend."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from lotsen.web.app import create_app


@pytest.fixture
def client(demo_any_url: str) -> TestClient:
    return TestClient(create_app(demo_any_url))


def test_lists_page_and_count(client: TestClient) -> None:
    first = client.get("/api/v1/needs", params={"limit": 10}).json()
    second = client.get("/api/v1/needs", params={"limit": 10, "offset": 10}).json()
    assert first["total"] == second["total"] > 20
    assert {n["id"] for n in first["results"]}.isdisjoint(n["id"] for n in second["results"])


def test_filter_by_municipality(client: TestClient) -> None:
    data = client.get("/api/v1/people", params={"municipality_code": "2582",
                                                "limit": 1000}).json()
    assert data["results"] and all(p["municipality_code"] == "2582" for p in data["results"])


def test_unknown_id_is_404_json(client: TestClient) -> None:
    response = client.get("/api/v1/programs/424242")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_summary_and_openapi(client: TestClient) -> None:
    summary = client.get("/api/v1/summary").json()
    assert summary["people"] == 400 and summary["synthetic"] is True
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/needs" in spec["paths"] and "/api/v1/taxonomy/search" in spec["paths"]


def test_pages_render_in_swedish_with_synthetic_banner(client: TestClient) -> None:
    for path in ("/", "/behov", "/arbetssokande", "/utbildningar", "/arbetsgivare"):
        html = client.get(path).text
        assert 'lang="sv"' in html and "syntetiska" in html, path


def test_plotly_is_served_locally(client: TestClient) -> None:
    response = client.get("/static/plotly.min.js")
    assert response.status_code == 200 and len(response.content) > 1_000_000
