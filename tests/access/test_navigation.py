"""The menu comes from the permission table: every role sees only what it may open, and
every link it sees opens. A refused page says what was refused, with a way back; every
API failure, FastAPI's own included, has the one documented shape."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lotsen.services.access import PAGES as ACCESS_PAGES
from lotsen.web.navigation import OPEN_ROUTES, PAGES, ROUTE_PAGES

from .conftest import Region, auth_app
from .test_matrix import _routes

pytestmark = pytest.mark.auth

ROLES = ("admin", "analyst", "lotsare", "officer", "employer", "provider")
MENU = re.compile(r'<nav aria-label="Huvudmeny">(.*?)</nav>', re.S)


@pytest.fixture(scope="module")
def clients(region: Region) -> dict[str, TestClient]:
    app = auth_app(region.url)
    made = {"anonymous": TestClient(app)}
    for role in ROLES:
        made[role] = TestClient(app, headers={"authorization": f"Bearer {region.tokens[role]}"})
    return made


def _menu(client: TestClient) -> list[str]:
    found = MENU.search(client.get("/").text)
    assert found, "no main menu on the start page"
    return [link for link in re.findall(r'href="([^"]+)"', found.group(1)) if link != "/konto"]


def test_every_page_route_is_named_in_the_page_table(clients: dict[str, TestClient]) -> None:
    pages = {path for method, path in _routes(clients["anonymous"].app)
             if method == "GET" and not path.startswith(("/api/", "/static"))}
    unnamed = sorted(p for p in pages if p not in ROUTE_PAGES and p not in OPEN_ROUTES
                     and not any(p.startswith(PAGES[k].path + "/") for k in PAGES))
    assert unnamed == []
    assert set(ROUTE_PAGES.values()) <= set(ACCESS_PAGES)
    assert set(PAGES) == set(ACCESS_PAGES)


def test_each_role_sees_only_links_that_open(clients: dict[str, TestClient]) -> None:
    menus: dict[str, list[str]] = {}
    for role in ROLES:
        menus[role] = _menu(clients[role])
        for link in menus[role]:
            response = clients[role].get(link, follow_redirects=False)
            assert response.status_code == 200, (role, link, response.status_code)
    # The three roles no longer see what ended in "Något gick fel".
    assert "/arbetssokande" not in menus["analyst"]
    assert not {"/arbetssokande", "/utbildningar"} & set(menus["employer"])
    assert not {"/behov", "/arbetssokande"} & set(menus["provider"])
    assert "/matchning" in menus["lotsare"] and "/matchning" not in menus["analyst"]
    assert "/admin/konton" in menus["admin"] and "/admin/konton" not in menus["lotsare"]
    assert set(_menu(clients["anonymous"])) <= {"/logga-in"}  # nothing before logging in


def test_row_links_only_where_the_role_may_follow(clients: dict[str, TestClient]) -> None:
    listing = clients["analyst"].get("/behov").text
    assert 'href="/behov/' not in listing
    assert 'href="/behov/' in clients["lotsare"].get("/behov").text


def test_a_refused_page_names_what_and_offers_a_way_back(clients: dict[str, TestClient]) -> None:
    response = clients["employer"].get("/arbetssokande")
    assert response.status_code == 403
    assert "Du saknar behörighet till arbetssökande" in response.text
    assert "Något gick fel" not in response.text
    assert "Tillbaka" in response.text and 'href="/"' in response.text


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("GET", "/api/v1/needs/inte-ett-tal", 422, "invalid_input"),
    ("GET", "/api/v1/finns-inte", 404, "not_found"),
    ("DELETE", "/api/v1/summary", 405, "method_not_allowed"),
])
def test_api_errors_have_one_shape(clients: dict[str, TestClient], method: str, path: str,
                                   status: int, code: str) -> None:
    response = clients["lotsare"].request(method, path)
    assert response.status_code == status
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert body["error"]["message"] and "detail" not in body


@pytest.mark.parametrize("path", ["/behov/inte-ett-tal", "/finns-inte", "/yrkesprofiler/x"])
def test_browser_errors_are_pages_not_json(clients: dict[str, TestClient], path: str) -> None:
    response = clients["lotsare"].get(path)
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1" in response.text and '{"error"' not in response.text
