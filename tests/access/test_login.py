"""Logging in and staying safe: passwords, cookies, CSRF, API tokens, lockout."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lotsen.auth.passwords import hash_password, verify_password
from lotsen.auth.throttle import FREE_ATTEMPTS
from lotsen.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
    TooManyRequests,
)
from lotsen.services import accounts, api_tokens, logins, retention
from lotsen.services.access import SYSTEM
from lotsen.settings import get_settings
from lotsen.store.db import transaction
from lotsen.store.models import ApiToken, UserAccount

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
    made = api_tokens.create_token(region.engine, "analytiker", "integration", actor=SYSTEM)
    client = TestClient(app, headers={"authorization": f"Bearer {made['token']}"})
    assert client.get("/api/v1/needs?limit=1").status_code == 200
    stored = [t for t in api_tokens.list_tokens(region.engine, "analytiker", actor=SYSTEM)
              if t["id"] == made["id"]]
    assert stored and "token" not in stored[0] and made["token"].startswith(stored[0]["prefix"])
    api_tokens.revoke_token(region.engine, made["id"], actor=SYSTEM)
    response = client.get("/api/v1/needs?limit=1")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"


def test_password_change_ends_other_sessions(app: Any, region: Region) -> None:
    accounts.create_account(region.engine, "byter.losen", "gammalt-losen-1", "analyst",
                            actor=SYSTEM)
    client = TestClient(app)
    assert _login(client, "byter.losen", "gammalt-losen-1").status_code == 303
    assert client.get("/api/v1/me").status_code == 200
    logins.set_password(region.engine, "byter.losen", "nytt-losenord-2", actor=SYSTEM)
    assert client.get("/api/v1/me").status_code == 401


def test_failures_slow_one_client_down_without_locking_the_account(region: Region) -> None:
    """Finding 9: no hard lock anyone can trigger, and one message whether or not the
    account exists; a client that keeps failing waits longer, others are not slowed."""
    accounts.create_account(region.engine, "las.mig", "ratt-losenord-1", "analyst", actor=SYSTEM)
    messages = set()
    for name in ("las.mig", "finns.inte"):
        for _ in range(FREE_ATTEMPTS):
            with pytest.raises(NotAuthenticated) as failed:
                logins.login(region.engine, name, "fel", client="10.0.0.66")
            messages.add(str(failed.value))
        with pytest.raises(TooManyRequests) as slowed:
            logins.login(region.engine, name, "fel", client="10.0.0.66")
        messages.add(re.sub(r"\d+", "N", str(slowed.value)))
    assert len(messages) == 2  # "wrong name or password" and "wait N seconds", for both
    with pytest.raises(TooManyRequests):
        logins.login(region.engine, "las.mig", "ratt-losenord-1", client="10.0.0.66")
    assert logins.login(region.engine, "las.mig", "ratt-losenord-1", client="10.0.0.7")["sid"]


def test_logout_ends_the_session_server_side(app: Any, region: Region) -> None:
    """Finding 5: a cookie captured before logout no longer reads anything."""
    accounts.create_account(region.engine, "loggar.ut", "ratt-losenord-1", "officer",
                            tenant_slug=HOME, actor=SYSTEM)
    client = TestClient(app)
    assert _login(client, "loggar.ut", "ratt-losenord-1").status_code == 303
    captured = dict(client.cookies)
    assert client.get("/api/v1/people?limit=1").status_code == 200
    page = client.get("/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    out = client.post("/logga-ut", data={"csrf_token": token.group(1)}, follow_redirects=False)
    assert out.status_code == 303
    thief = TestClient(app, cookies=captured)
    assert thief.get("/api/v1/people?limit=1").status_code == 401
    # The ended login's row is cleared by the retention run.
    assert retention.run(region.engine, dry_run=True, actor=SYSTEM)["ended_sessions_deleted"] >= 1


def test_deactivation_ends_sessions_and_tokens(app: Any, region: Region) -> None:
    accounts.create_account(region.engine, "slutar", "ratt-losenord-1", "analyst", actor=SYSTEM)
    client = TestClient(app)
    assert _login(client, "slutar", "ratt-losenord-1").status_code == 303
    made = api_tokens.create_token(region.engine, "slutar", "skript", actor=SYSTEM)
    logins.set_active(region.engine, "slutar", False, actor=SYSTEM)
    logins.set_active(region.engine, "slutar", True, actor=SYSTEM)
    assert client.get("/api/v1/me").status_code == 401
    bearer = {"authorization": f"Bearer {made['token']}"}
    assert TestClient(app, headers=bearer).get("/api/v1/me").status_code == 401


def test_tokens_expire_and_a_password_change_revokes_them(app: Any, region: Region) -> None:
    """Finding 6: no token lives forever, and a new password ends old tokens unless kept."""
    accounts.create_account(region.engine, "nycklar", "ratt-losenord-1", "analyst", actor=SYSTEM)
    longest = get_settings().token_max_days
    made = api_tokens.create_token(region.engine, "nycklar", "utan-slut", None, actor=SYSTEM)
    expires = datetime.fromisoformat(made["expires_at"])
    assert abs((expires - datetime.now(UTC).replace(tzinfo=None)).days - longest) <= 1
    with pytest.raises(InvalidInput, match="LOTSEN_TOKEN_MAX_DAYS"):
        api_tokens.create_token(region.engine, "nycklar", "evig", longest + 1, actor=SYSTEM)
    kept = api_tokens.create_token(region.engine, "nycklar", "behalls", 30, actor=SYSTEM)

    def works(token: str) -> bool:
        bearer = {"authorization": f"Bearer {token}"}
        return TestClient(app, headers=bearer).get("/api/v1/me").status_code == 200

    assert works(made["token"]) and works(kept["token"])
    logins.set_password(region.engine, "nycklar", "nytt-losenord-2", actor=SYSTEM,
                        keep_tokens=True)
    assert works(made["token"]) and works(kept["token"])
    logins.set_password(region.engine, "nycklar", "nytt-losenord-3", actor=SYSTEM)
    assert not works(made["token"]) and not works(kept["token"])


def test_the_api_gives_no_endless_token_and_old_endless_ones_end(
    app: Any, region: Region
) -> None:
    """Finding 6: ``{"days": null}`` over the API gets the maximum, not forever, and a
    token stored without an expiry (made before the rule) ends at the maximum too."""
    accounts.create_account(region.engine, "gammal.nyckel", "ratt-losenord-1", "analyst",
                            actor=SYSTEM)
    client = TestClient(app)
    assert _login(client, "gammal.nyckel", "ratt-losenord-1").status_code == 303
    csrf = _csrf(client, "/konto")
    made = client.post("/api/v1/tokens", json={"name": "skript", "days": None},
                       headers={"x-csrf-token": csrf})
    assert made.status_code == 201, made.text
    assert made.json()["expires_at"] is not None
    longest = get_settings().token_max_days
    with transaction(region.engine) as session:
        row = session.get(ApiToken, made.json()["id"])
        assert row is not None
        row.expires_at = None  # as main stored {"days": null} before
        row.created_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=longest + 1)
    bearer = {"authorization": f"Bearer {made.json()['token']}"}
    assert TestClient(app, headers=bearer).get("/api/v1/me").status_code == 401


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


def test_the_attempt_limit_is_shared_by_worker_processes(region: Region) -> None:
    """Two apps on one database stand for two uvicorn workers: the address's
    registrations are counted once across both, not once per worker."""
    address = ("10.20.30.40", 50000)
    workers = [TestClient(auth_app(region.url), client=address) for _ in range(2)]
    tokens = [_csrf(worker, "/registrera") for worker in workers]
    codes = [workers[i % 2].post("/registrera", data={"csrf_token": tokens[i % 2]}).status_code
             for i in range(12)]
    assert codes[:10] == [422] * 10
    assert codes[10:] == [429, 429]
    elsewhere = TestClient(auth_app(region.url), client=("10.20.30.41", 50000))
    assert elsewhere.post("/registrera", data={"csrf_token": _csrf(elsewhere, "/registrera")}
                          ).status_code == 422  # another address is not held up


def test_demo_accounts_are_marked_and_never_overwrite_real_ones(region: Region) -> None:
    with transaction(region.engine) as session:
        demo = session.scalars(select(UserAccount).where(UserAccount.is_demo)).all()
        assert {u.role for u in demo} == {"admin", "analyst", "lotsare", "officer", "employer",
                                          "provider"}
        real = session.scalars(select(UserAccount).where(UserAccount.username == "las.mig"))
        assert all(not u.is_demo for u in real)


def test_pages_and_exports_with_personal_data_are_not_stored_and_have_a_csp(
    app: Any, region: Region
) -> None:
    """Finding 10: no browser or proxy keeps personal data; scripts only from our files."""
    accounts.create_account(region.engine, "rubriker", "ratt-losenord-1", "officer",
                            tenant_slug=HOME, actor=SYSTEM)
    client = TestClient(app)
    assert _login(client, "rubriker", "ratt-losenord-1").status_code == 303
    person = client.get("/api/v1/people?limit=1").json()["results"][0]["id"]
    for path in ("/arbetssokande", f"/arbetssokande/{person}", f"/api/v1/people/{person}",
                 f"/api/v1/people/{person}/export", "/arbetssokande?format=csv",
                 f"/arbetssokande/{person}/export.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] == "no-store", path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
    page = client.get("/arbetssokande").text
    assert not re.search(r"<script(?![^>]*(?:src=|type=\"application/json\"))", page)
    assert "no-store" not in client.get("/static/sortable.js").headers.get("cache-control", "")


def test_forwarded_for_is_believed_only_from_named_proxies() -> None:
    """Finding 9: a client on 127.0.0.1 cannot pick its own address for the rate limit."""
    from dataclasses import replace

    from lotsen.web.security import SecurityMiddleware

    def scope(peer: str, forwarded: str) -> dict[str, Any]:
        return {"type": "http", "client": (peer, 5000),
                "headers": [(b"x-forwarded-for", forwarded.encode())]}

    untrusting = SecurityMiddleware(app=None, settings=get_settings())  # type: ignore[arg-type]
    assert untrusting.client_address(scope("127.0.0.1", "203.0.113.9")) == "127.0.0.1"
    proxied = SecurityMiddleware(
        app=None,  # type: ignore[arg-type]
        settings=replace(get_settings(), trusted_proxies="127.0.0.1, 10.0.0.2"),
    )
    assert proxied.client_address(scope("127.0.0.1", "203.0.113.9")) == "203.0.113.9"
    # A client's own forged hop sits left of what the proxies add: the nearest
    # untrusted hop wins.
    assert proxied.client_address(scope("127.0.0.1", "1.1.1.1, 203.0.113.9, 10.0.0.2")) == \
        "203.0.113.9"
    assert proxied.client_address(scope("198.51.100.4", "1.1.1.1")) == "198.51.100.4"
