"""Logging in and staying safe: passwords, cookies, CSRF, API tokens, lockout."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lotsen.auth.passwords import hash_password, verify_password
from lotsen.errors import Conflict, InvalidInput, NotAuthenticated, PermissionDenied
from lotsen.services import accounts
from lotsen.services.access import SYSTEM
from lotsen.store.db import transaction
from lotsen.store.models import UserAccount

from .conftest import HOME, Region, auth_app

pytestmark = pytest.mark.auth


@pytest.fixture(scope="module")
def app(region: Region) -> Any:
    return auth_app(region.url)


def _csrf(client: TestClient, path: str = "/logga-in") -> str:
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def _login(client: TestClient, username: str, password: str, nasta: str = "/") -> Any:
    token = _csrf(client)
    return client.post(
        "/logga-in",
        data={"username": username, "password": password, "nasta": nasta, "csrf_token": token},
        follow_redirects=False,
    )


def test_passwords_are_argon2_and_verify() -> None:
    stored = hash_password("rätt-lösenord-1")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "rätt-lösenord-1")
    assert not verify_password(stored, "fel-lösenord-1")
    assert not verify_password(None, "rätt-lösenord-1")


def test_login_sets_a_safe_cookie_and_logout_ends_it(app: Any, region: Region) -> None:
    client = TestClient(app, base_url="https://testserver")
    user = f"lots.{HOME}"
    response = _login(client, user, region.logins[user]["password"], "/behov")
    assert response.status_code == 303 and response.headers["location"] == "/behov"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert client.get("/api/v1/me").json()["username"] == user
    token = _csrf(client, "/")
    assert client.post("/logga-ut", data={"csrf_token": token},
                       follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me").status_code == 401


def test_wrong_password_is_refused_in_swedish(app: Any, region: Region) -> None:
    client = TestClient(app)
    response = _login(client, "analytiker", "inte-lösenordet")
    assert response.status_code == 401
    assert "Fel användarnamn eller lösenord" in response.text
    assert _login(client, "finns-inte", "inte-lösenordet").status_code == 401


def test_login_redirect_stays_on_this_site(app: Any, region: Region) -> None:
    client = TestClient(app)
    response = _login(client, "analytiker", region.logins["analytiker"]["password"],
                      "https://evil.example/")
    assert response.headers["location"] == "/"
    response = _login(client, "analytiker", region.logins["analytiker"]["password"], "//evil")
    assert response.headers["location"] == "/"


def test_post_without_csrf_token_is_refused(app: Any, region: Region) -> None:
    client = TestClient(app)
    client.get("/logga-in")  # has a session, but sends no token
    response = client.post("/logga-in", data={"username": "analytiker",
                                              "password": region.logins["analytiker"]["password"]})
    assert response.status_code == 403
    assert "Ladda om sidan" in response.text
    # A forged token from another session fails the same way.
    response = client.post("/logga-in", data={"username": "analytiker", "csrf_token": "x" * 32})
    assert response.status_code == 403


def test_every_post_form_carries_a_csrf_token(app: Any, region: Region) -> None:
    client = TestClient(app)
    _login(client, "admin", region.logins["admin"]["password"])
    for path in ("/", "/konto", "/registrera-behov", "/registrera"):
        page = client.get(path).text
        forms = re.findall(r"<form\b[^>]*method=\"post\"[^>]*>(.{0,200})", page, re.S | re.I)
        assert forms, path
        assert all('name="csrf_token"' in after for after in forms), path


def test_api_token_works_until_revoked(app: Any, region: Region) -> None:
    made = accounts.create_token(region.engine, "analytiker", "integration", actor=SYSTEM)
    client = TestClient(app, headers={"authorization": f"Bearer {made['token']}"})
    assert client.get("/api/v1/needs?limit=1").status_code == 200
    stored = [t for t in accounts.list_tokens(region.engine, "analytiker", actor=SYSTEM)
              if t["id"] == made["id"]]
    assert stored and "token" not in stored[0] and made["token"].startswith(stored[0]["prefix"])
    accounts.revoke_token(region.engine, made["id"], actor=SYSTEM)
    response = client.get("/api/v1/needs?limit=1")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"


def test_password_change_ends_other_sessions(app: Any, region: Region) -> None:
    accounts.create_account(region.engine, "byter.losen", "gammalt-losen-1", "analyst",
                            actor=SYSTEM)
    client = TestClient(app)
    assert _login(client, "byter.losen", "gammalt-losen-1").status_code == 303
    assert client.get("/api/v1/me").status_code == 200
    accounts.set_password(region.engine, "byter.losen", "nytt-losenord-2", actor=SYSTEM)
    assert client.get("/api/v1/me").status_code == 401


def test_ten_failures_lock_the_account(region: Region) -> None:
    accounts.create_account(region.engine, "las.mig", "ratt-losenord-1", "analyst", actor=SYSTEM)
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(NotAuthenticated):
            accounts.login(region.engine, "las.mig", "fel")
    with pytest.raises(NotAuthenticated, match="låst"):
        accounts.login(region.engine, "las.mig", "ratt-losenord-1")


def test_account_rules(region: Region) -> None:
    with pytest.raises(InvalidInput, match="at least"):
        accounts.create_account(region.engine, "kort", "kort", "analyst", actor=SYSTEM)
    with pytest.raises(InvalidInput, match="needs a tenant"):
        accounts.create_account(region.engine, "utan.tenant", "langt-losenord", "lotsare",
                                actor=SYSTEM)
    with pytest.raises(InvalidInput, match="not a employer"):
        accounts.create_account(region.engine, "fel.org", "langt-losenord", "employer",
                                HOME, region.ids["org"],
                                actor=SYSTEM)  # Umeå's employer, Luleå tenant
    with pytest.raises(Conflict):
        accounts.create_account(region.engine, "admin", "langt-losenord", "admin", actor=SYSTEM)
    with pytest.raises(PermissionDenied):
        accounts.create_account(region.engine, "ny.admin",
                                "langt-losenord", "admin", actor=region.actors["lotsare"])


def test_login_and_registration_are_rate_limited(app: Any) -> None:
    client = TestClient(app)
    token = _csrf(client, "/registrera")
    codes = [client.post("/registrera", data={"csrf_token": token}).status_code
             for _ in range(12)]
    assert codes[:10] == [422] * 10  # no consent given: refused, but counted
    assert codes[10:] == [429, 429]


def test_demo_accounts_are_marked_and_never_overwrite_real_ones(region: Region) -> None:
    with transaction(region.engine) as session:
        demo = session.scalars(select(UserAccount).where(UserAccount.is_demo)).all()
        assert {u.role for u in demo} == {"admin", "analyst", "lotsare", "officer", "employer",
                                          "provider"}
        real = session.scalars(select(UserAccount).where(UserAccount.username == "las.mig"))
        assert all(not u.is_demo for u in real)
