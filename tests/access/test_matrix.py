"""Every role × every endpoint of the app (walked from app.routes, so routes added by
other modules are covered too): no read or write outside the role and tenant.

Each actor belongs to Luleå+Boden. Umeå holds canary records with unmistakable text;
every response to a Luleå actor is searched for them, path ids are filled with the
canaries' ids (guessing other tenants' ids), and Umeå's rows must be byte-for-byte
the same after every write route has been tried by every role.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from lotsen.taxonomy import load_taxonomy
from lotsen.web.security import _is_public

from .conftest import CANARY, HOME, LOCAL_CANARY, OCCUPATION, OTHER, Region, auth_app

pytestmark = pytest.mark.auth

ROLES = ("anonymous", "admin", "analyst", "lotsare", "officer", "employer", "provider")
PERSONAL = ("person", "cross", "withdrawn", "stats_only")
# Canary texts each role must never receive (the rest it may legitimately read).
# Another tenant's local concepts and profile edits: the analyst reads them region-wide.
TENANT_OWN = ("local", "profile")
FORBIDDEN = {
    "analyst": PERSONAL,
    "lotsare": ("person", "withdrawn", "stats_only", "need", "org", "program", *TENANT_OWN),
    "officer": ("person", "withdrawn", "stats_only", "need", "org", "program", *TENANT_OWN),
    "employer": (*PERSONAL, "need", "org", "program", "own_tenant_need", *TENANT_OWN),
    "provider": (*PERSONAL, "need", "org", "program", "own_tenant_need", *TENANT_OWN),
}
ALL_OK = {r: 200 for r in ROLES if r != "anonymous"}
# The status each role gets from the core endpoints (401/303 = not logged in, 403 = role).
EXPECTED = {
    "/api/v1/needs": {**ALL_OK, "provider": 403},
    "/api/v1/people": {**ALL_OK, "analyst": 403, "employer": 403, "provider": 403},
    "/api/v1/programs": {**ALL_OK, "employer": 403},
    "/api/v1/organizations": ALL_OK,
    "/api/v1/summary": ALL_OK,
    "/api/v1/dashboard": ALL_OK,
    "/api/v1/me": ALL_OK,
    "/api/v1/accounts": {**{r: 403 for r in ALL_OK}, "admin": 200},
    "/api/v1/audit": {**{r: 403 for r in ALL_OK}, "admin": 200},
    "/": ALL_OK,
    "/behov": {**ALL_OK, "provider": 403},
    "/arbetssokande": {**ALL_OK, "analyst": 403, "employer": 403, "provider": 403},
    "/arbetssokande?format=csv": {**ALL_OK, "analyst": 403, "employer": 403, "provider": 403},
    "/utbildningar": {**ALL_OK, "employer": 403},
    "/arbetsgivare": ALL_OK,
    "/registrera-behov": {**ALL_OK, "analyst": 403, "officer": 403, "provider": 403},
    "/admin/konton": {**{r: 403 for r in ALL_OK}, "admin": 200},
    "/admin/logg": {**{r: 403 for r in ALL_OK}, "admin": 200},
    # Skill profiles and local concepts: every role reads its own tenant's.
    "/yrkesprofiler": ALL_OK,
    f"/yrkesprofiler?yrke={OCCUPATION}": ALL_OK,
    "/nya-yrken": ALL_OK,
    "/api/v1/local-concepts": ALL_OK,
    f"/api/v1/profiles/{OCCUPATION}": ALL_OK,
    f"/api/v1/profiles/{OCCUPATION}/versions": ALL_OK,
    f"/api/v1/profiles/{OCCUPATION}/suggestions": ALL_OK,
    # Scenario results are aggregates: every signed-in role may run and read them.
    "/scenarier": ALL_OK,
    "/scenarier?exempel=boden-steel-hydrogen&korningar=50": ALL_OK,
    "/api/v1/scenarios/examples": ALL_OK,
    "/api/v1/scenarios/examples/boden-steel-hydrogen/result?runs=50": ALL_OK,
    "/utbildningsgap?scenario=boden-steel-hydrogen": ALL_OK,
    # Saved runs are aggregates too: every role reads every tenant's (the canary, id 1).
    "/api/v1/scenarios/saved": ALL_OK,
    "/api/v1/scenarios/saved/1": ALL_OK,
    "/scenarier/sparade/1": ALL_OK,
    "/scenarier/sparade/1/export.csv?tabell=ar": ALL_OK,
    "/utbildningsgap?scenario=saved:1": ALL_OK,
}
PROBE_BODY = {"version": 1, "headcount": 99, "title": "ÄNDRAD", "status": "cancelled",
              "name": "probe", "password": "probe-password-123", "role": "admin",
              "username": "probe", "tenant": OTHER}


@pytest.fixture(scope="module")
def clients(region: Region) -> dict[str, TestClient]:
    app = auth_app(region.url)
    made = {"anonymous": TestClient(app)}
    for role in ROLES[1:]:
        made[role] = TestClient(app, headers={"authorization": f"Bearer {region.tokens[role]}"})
    return made


def _id_for(path: str, name: str, region: Region) -> str:
    lowered = path.lower()
    if "person" in name or "/people" in lowered or "arbetssokande" in lowered:
        return str(region.ids["person"])
    if "program" in name or "/programs" in lowered or "utbildning" in lowered:
        return str(region.ids["program"])
    if "org" in name or "/organizations" in lowered or "arbetsgivare" in lowered:
        return str(region.ids["org"])
    if "need" in name or "/needs" in lowered or "behov" in lowered:
        return str(region.ids["need"])
    if name == "occupation_id" and ("profiles" in lowered or "yrkesprofiler" in lowered):
        return LOCAL_CANARY  # another tenant's own occupation: must answer as missing
    if name == "concept_id" and ("local-concepts" in lowered or "nya-yrken" in lowered):
        return LOCAL_CANARY
    if "occupation" in name or "concept" in name:
        return OCCUPATION
    if name == "saved_id":
        return str(region.ids["saved"])
    if name == "kind":
        return "needs"
    if name == "fmt":
        return "csv"
    return "1"


def _concrete(path: str, region: Region) -> str:
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: _id_for(path, m.group(1), region), path)


def _routes(app: Any) -> list[tuple[str, str]]:
    """(method, path) of every route, including those of included routers."""
    try:  # FastAPI ≥ 0.120 includes routers lazily; this walks them
        from fastapi.routing import iter_route_contexts

        routes: list[Any] = list(iter_route_contexts(app.router.routes))
    except ImportError:
        routes = list(app.routes)
    found = set()
    for route in routes:
        for method in getattr(route, "methods", None) or ():
            if method not in ("HEAD", "OPTIONS"):
                found.add((method, route.path))
    return sorted(found)


def _text(response: Any) -> str:
    body = response.content
    if body[:2] == b"PK":  # xlsx: the strings live in the zipped XML
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    return body.decode("utf-8", "replace")


def _snapshot(region: Region) -> dict[str, list[Any]]:
    """Every row of the other tenant (and what hangs off its people and needs)."""
    tenant = region.tenants[OTHER]
    queries = {
        "organization": "SELECT * FROM organization WHERE tenant_id = :t ORDER BY id",
        "need": "SELECT * FROM competence_need WHERE tenant_id = :t ORDER BY id",
        "need_skill": "SELECT s.* FROM need_skill s JOIN competence_need n ON n.id = s.need_id "
                      "WHERE n.tenant_id = :t ORDER BY s.need_id, s.skill_id",
        "person": "SELECT * FROM person WHERE tenant_id = :t ORDER BY id",
        "consent": "SELECT c.* FROM consent c JOIN person p ON p.id = c.person_id "
                   "WHERE p.tenant_id = :t ORDER BY c.id",
        "program": "SELECT * FROM education_program WHERE tenant_id = :t ORDER BY id",
        "accounts": "SELECT id, password_hash, role, tenant_id, is_active, auth_epoch "
                    "FROM user_account WHERE tenant_id = :t ORDER BY id",
        "local_concept": "SELECT * FROM local_concept WHERE tenant_id = :t ORDER BY id",
        "profile_version": "SELECT * FROM profile_version WHERE tenant_id = :t ORDER BY id",
        "saved_scenario": "SELECT id, name, created_by FROM saved_scenario WHERE tenant_id = :t "
                          "ORDER BY id",
        "skill_validation": "SELECT v.* FROM skill_validation v JOIN person p ON "
                            "p.id = v.person_id WHERE p.tenant_id = :t ORDER BY v.id",
    }
    with region.engine.connect() as connection:
        return {k: [tuple(r) for r in connection.execute(text(q), {"t": tenant})]
                for k, q in queries.items()}


def _call(client: TestClient, method: str, url: str) -> Any:
    if method == "GET":
        return client.get(url, follow_redirects=False)
    if url.startswith("/api/"):
        return client.request(method, url, json=PROBE_BODY, follow_redirects=False)
    return client.request(method, url, data={k: str(v) for k, v in PROBE_BODY.items()},
                          follow_redirects=False)


def test_every_role_on_every_endpoint_leaks_nothing(
    region: Region, clients: dict[str, TestClient]
) -> None:
    app = clients["anonymous"].app
    routes = _routes(app)
    assert len(routes) > 20
    before = _snapshot(region)
    leaks, errors, checked = [], [], 0
    # Reads first, then writes, so a write by one role cannot hide a read leak.
    ordered = sorted(routes, key=lambda r: (r[0] != "GET", r[1]))
    for method, path in ordered:
        url = _concrete(path, region)
        for role in ROLES:
            if role == "admin" and method != "GET":
                continue  # admins may change anything; their writes are not leaks
            response = _call(clients[role], method, url)
            checked += 1
            if response.status_code >= 500:
                errors.append(f"{role} {method} {url}: {response.status_code}")
            if role == "anonymous":
                if not _is_public(path) and response.status_code not in (401, 303):
                    leaks.append(f"anonymous {method} {url}: {response.status_code}")
                continue
            if role == "admin":
                continue
            body = _text(response)
            for canary in FORBIDDEN[role]:
                if CANARY[canary] in body:
                    leaks.append(f"{role} {method} {url}: shows {canary}")
    assert errors == []
    assert leaks == []
    assert _snapshot(region) == before, "a write reached the other tenant"
    print(f"\nrole × endpoint matrix: {len(routes)} routes, {checked} requests, "
          f"{len(leaks)} leaks, {len(errors)} server errors")


@pytest.mark.parametrize("url", sorted(EXPECTED))
def test_core_endpoints_answer_each_role_as_the_policy_says(
    url: str, clients: dict[str, TestClient]
) -> None:
    got = {}
    for role in ROLES:
        response = clients[role].get(url, follow_redirects=False)
        got[role] = response.status_code
    want = {"anonymous": 401 if url.startswith("/api/") else 303, **EXPECTED[url]}
    assert got == want


def test_anonymous_pages_redirect_to_login_and_api_says_401(
    clients: dict[str, TestClient],
) -> None:
    page = clients["anonymous"].get("/behov?kommun=2580", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/logga-in?nasta=%2Fbehov%3Fkommun%3D2580"
    api = clients["anonymous"].get("/api/v1/needs")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "not_authenticated"
    assert api.headers["www-authenticate"].startswith("Bearer")


def test_sequential_ids_of_other_tenants_answer_like_missing_ones(
    region: Region, clients: dict[str, TestClient]
) -> None:
    """An officer walking ids 1..max sees exactly the people their list shows."""
    officer = clients["officer"]
    listed = {p["id"] for p in officer.get("/api/v1/people?limit=10000").json()["results"]}
    with region.engine.connect() as connection:
        top = connection.execute(text("SELECT max(id) FROM person")).scalar_one()
    found, bodies = set(), set()
    for person_id in range(1, top + 2):
        response = officer.get(f"/api/v1/people/{person_id}")
        if response.status_code == 200:
            found.add(person_id)
        else:
            assert response.status_code == 404
            bodies.add(response.json()["error"]["message"].replace(str(person_id), "N"))
    assert found == listed
    assert bodies == {"no person with id N"}
    assert region.ids["person"] not in found and region.ids["cross"] in found


# Every write route (method, path) × role: the roles that may use it, and a body that
# passes validation, so that for every other role the refusal comes from the policy
# (403 for the kind, 404 for a record outside the role's reach) and not from a bad
# form. A write route added without a line here fails the completeness test below.
SIGNED_IN = frozenset(ROLES[1:])
SKILL = load_taxonomy().skills_of(OCCUPATION)[0].id
PUBLIC = frozenset(ROLES)
CSV = b"source_id;title\nprobe;probe\n"
WRITES: dict[tuple[str, str], tuple[frozenset[str], dict[str, Any]]] = {
    ("POST", "/logga-in"): (PUBLIC, {"username": "probe", "password": "probe-password"}),
    ("POST", "/registrera"): (PUBLIC, {}),
    ("POST", "/logga-ut"): (SIGNED_IN, {}),
    ("POST", "/api/v1/tokens"): (SIGNED_IN, {"name": "probe"}),
    ("DELETE", "/api/v1/tokens/{token_id}"): (SIGNED_IN, {}),
    ("POST", "/konto/nycklar"): (SIGNED_IN, {"name": "probe"}),
    ("POST", "/konto/nycklar/{token_id}/aterkalla"): (SIGNED_IN, {}),
    ("POST", "/api/v1/accounts"): (frozenset({"admin"}), {
        "username": "probe.account", "password": "probe-password-123", "role": "analyst"}),
    ("POST", "/admin/konton"): (frozenset({"admin"}), {
        "username": "probe.account", "password": "probe-password-123", "role": "analyst"}),
    ("POST", "/utbildningar/{program_id}"): (frozenset({"admin", "provider"}), {"seats": "12"}),
    # Synonyms change search for every tenant: administrators and lotsar only.
    ("POST", "/api/v1/taxonomy/synonyms"): (
        frozenset({"admin", "lotsare"}), {"label": "sondsynonym", "concept_id": OCCUPATION}),
    ("PATCH", "/api/v1/needs/{need_id}"): (
        frozenset({"admin", "lotsare", "employer"}), {"version": 1, "headcount": 99}),
    ("POST", "/registrera-behov"): (frozenset({"admin", "lotsare", "employer"}), {
        "occupation_id": OCCUPATION, "headcount": "2", "start_date": "2027-01-01",
        "municipality_code": "2580"}),
    ("DELETE", "/api/v1/people/{person}"): (frozenset({"admin", "officer"}), {}),
    # Validated skills are the person's data: who may change people records them.
    ("POST", "/api/v1/people/{person}/validations"): (frozenset({"admin", "officer"}), {
        "occupation_id": OCCUPATION, "skills": [SKILL], "method": "industry"}),
    ("DELETE", "/api/v1/people/{person}/validations/{validation_id}"): (
        frozenset({"admin", "officer"}), {}),
    ("POST", "/arbetssokande/{person_id}/validering"): (frozenset({"admin", "officer"}), {
        "occupation_id": OCCUPATION, "skills": SKILL, "method": "industry"}),
    ("POST", "/arbetssokande/{person_id}/validering/{validation_id}/ta-bort"): (
        frozenset({"admin", "officer"}), {}),
    ("POST", "/arbetssokande/{person_id}/samtycke"): (
        frozenset({"admin", "officer"}), {"purpose": "matching", "action": "withdraw"}),
    ("POST", "/api/v1/imports/{kind}"): (frozenset({"admin", "lotsare"}), {"file": CSV}),
    ("POST", "/import"): (frozenset({"admin", "lotsare"}), {"kind": "needs", "file": CSV}),
    # Programs are imported tenant-wide: only administrators (providers edit their own).
    ("POST", "/api/v1/imports/programs/myh"): (frozenset({"admin"}), {"file": CSV}),
    ("POST", "/import/myh"): (frozenset({"admin"}), {"file": CSV}),
    ("POST", "/api/v1/local-concepts"): (frozenset({"admin", "lotsare"}), {
        "type": "occupation-name", "label": "Sondyrke", "anchor_id": OCCUPATION}),
    ("POST", "/nya-yrken"): (frozenset({"admin", "lotsare"}), {
        "type": "occupation-name", "label": "Sondyrke", "anchor_id": OCCUPATION}),
    # Editing and deleting another tenant's local concept answers 404 (LOCAL_CANARY).
    ("PATCH", "/api/v1/local-concepts/{concept_id}"): (
        frozenset({"admin", "lotsare"}), {"label": "Sondyrke"}),
    ("DELETE", "/api/v1/local-concepts/{concept_id}"): (frozenset({"admin", "lotsare"}), {}),
    ("POST", "/nya-yrken/{concept_id}"): (frozenset({"admin", "lotsare"}), {"label": "Sondyrke"}),
    ("POST", "/nya-yrken/{concept_id}/ta-bort"): (frozenset({"admin", "lotsare"}), {}),
    ("POST", "/api/v1/profiles/{occupation_id}/edits"): (
        frozenset({"admin", "lotsare"}), {"changes": []}),
    ("POST", "/api/v1/profiles/{occupation_id}/revert"): (
        frozenset({"admin", "lotsare"}), {"version": 1}),
    ("POST", "/yrkesprofiler/{occupation_id}"): (frozenset({"admin", "lotsare"}), {}),
    ("POST", "/yrkesprofiler/{occupation_id}/aterstall"): (
        frozenset({"admin", "lotsare"}), {"version": "1"}),
    # Aggregates and text analysis hold no personal data: every signed-in role.
    ("POST", "/api/v1/gaps"): (SIGNED_IN, {}),
    ("POST", "/api/v1/ads/classify"): (SIGNED_IN, {"ads": [{"title": "Svetsare"}]}),
    ("POST", "/annonser/analysera"): (SIGNED_IN, {"rubrik": "Svetsare", "text": "MIG/MAG"}),
    # Titles against occupation names are reference data: every signed-in role.
    ("POST", "/api/v1/titles/rank"): (SIGNED_IN, {"queries": ["Svetsare"]}),
    ("POST", "/annonser/titlar"): (SIGNED_IN, {"titlar": "Svetsare"}),
    ("POST", "/api/v1/scenarios/run"): (SIGNED_IN, {}),
    ("POST", "/api/v1/scenarios/backtest"): (SIGNED_IN, {}),
    ("POST", "/scenarier"): (SIGNED_IN, {}),
    # Saving a run shares aggregates: every signed-in role. Deleting one: its creator
    # (none of these actors for the Umeå canary) or an administrator.
    ("POST", "/api/v1/scenarios/saved"): (SIGNED_IN, {"name": "probe"}),
    ("POST", "/scenarier/spara"): (SIGNED_IN, {"namn": "probe"}),
    ("DELETE", "/api/v1/scenarios/saved/{saved_id}"): (frozenset({"admin"}), {}),
    ("POST", "/scenarier/sparade/{saved_id}/ta-bort"): (frozenset({"admin"}), {}),
}


def _write_routes(app: Any) -> set[tuple[str, str]]:
    """Every unsafe (method, path) of the app's routes and of its OpenAPI document."""
    routes = {(m, p) for m, p in _routes(app) if m != "GET"}
    document = app.openapi()
    routes |= {(method.upper(), path) for path, operations in document["paths"].items()
               for method in operations if method.upper() in ("POST", "PUT", "PATCH", "DELETE")}
    return routes


def test_every_write_route_is_in_the_matrix(clients: dict[str, TestClient]) -> None:
    found = _write_routes(clients["anonymous"].app)
    assert sorted(found - set(WRITES)) == [], "new write routes: add them to WRITES"
    assert sorted(set(WRITES) - found) == [], "WRITES names routes that no longer exist"
    assert all("admin" in allowed for allowed, _ in WRITES.values())


def _send(client: TestClient, method: str, url: str, body: dict[str, Any]) -> Any:
    fields = {k: v for k, v in body.items() if k != "file"}
    if "file" in body:
        return client.request(method, url, data=fields, follow_redirects=False,
                              files={"file": ("probe.csv", body["file"], "text/csv")})
    if url.startswith("/api/"):
        return client.request(method, url, json=fields or None, follow_redirects=False)
    return client.request(method, url, data=fields, follow_redirects=False)


@pytest.mark.parametrize(("method", "path"), sorted(WRITES))
def test_roles_outside_a_write_route_are_refused(
    method: str, path: str, region: Region, clients: dict[str, TestClient]
) -> None:
    allowed, body = WRITES[(method, path)]
    url = _concrete(path, region)
    got = {role: _send(clients[role], method, url, body).status_code
           for role in SIGNED_IN - allowed}
    assert {role: code for role, code in got.items() if code not in (403, 404)} == {}


def test_only_admins_and_lotsare_add_synonyms(
    region: Region, clients: dict[str, TestClient]
) -> None:
    word = "kanariesynonymord"
    for role in sorted(SIGNED_IN - {"admin", "lotsare"}):
        refused = clients[role].post("/api/v1/taxonomy/synonyms",
                                     json={"label": word, "concept_id": OCCUPATION})
        assert refused.status_code == 403, role
        assert refused.json()["error"]["code"] == "permission_denied"
    with region.engine.connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM synonym WHERE label = :w"),
                                    {"w": word}).scalar_one()
    assert stored == 0
    added = clients["lotsare"].post("/api/v1/taxonomy/synonyms",
                                    json={"label": word, "concept_id": OCCUPATION})
    assert added.status_code == 201
    hits = clients["analyst"].get("/api/v1/taxonomy/search", params={"q": word}).json()
    assert hits["results"][0]["concept_id"] == OCCUPATION


def test_anonymous_taxonomy_search_is_public_and_national_only(
    clients: dict[str, TestClient],
) -> None:
    """The residents' form autocompletes before login; no tenant's own concepts show."""
    found = clients["anonymous"].get("/api/v1/taxonomy/search",
                                     params={"q": "undersköterska", "type": "occupation-name"})
    assert found.status_code == 200
    assert OCCUPATION in {hit["concept_id"] for hit in found.json()["results"]}
    local = clients["anonymous"].get("/api/v1/taxonomy/search", params={"q": CANARY["local"]})
    assert local.status_code == 200
    assert all(hit["concept_id"] != LOCAL_CANARY and hit["preferred_label"] != CANARY["local"]
               for hit in local.json()["results"])
    assert clients["anonymous"].get("/api/v1/needs").status_code == 401


def test_saved_scenarios_are_shared_and_deleted_by_creator_or_admin(
    region: Region, clients: dict[str, TestClient]
) -> None:
    """The lotsare saves a run; every role reads it; the others are refused deletion
    (403 with a clear message), the lotsare deletes it; an unknown id is 404."""
    ran = clients["lotsare"].get("/api/v1/scenarios/examples/boden-steel-hydrogen/result",
                                 params={"runs": 50}).json()
    made = clients["lotsare"].post("/api/v1/scenarios/saved",
                                   json={"name": "Lotsens delade körning", "key": ran["key"]})
    assert made.status_code == 201, made.text
    saved = made.json()
    assert saved["tenant_id"] == region.tenants[HOME]
    assert saved["created_by_name"] == region.actors["lotsare"].username
    for role in SIGNED_IN:
        listed = clients[role].get("/api/v1/scenarios/saved").json()["results"]
        assert saved["id"] in {r["id"] for r in listed}, role
        assert clients[role].get(f"/api/v1/scenarios/saved/{saved['id']}").status_code == 200
    for role in sorted(SIGNED_IN - {"admin", "lotsare"}):
        refused = clients[role].delete(f"/api/v1/scenarios/saved/{saved['id']}")
        assert refused.status_code == 403, role
        assert refused.json()["error"]["code"] == "permission_denied"
        assert "Bara den som sparade scenariot" in refused.json()["error"]["message"]
    page = clients["analyst"].get(f"/scenarier/sparade/{saved['id']}")
    assert page.status_code == 200 and 'data-testid="delete-saved"' not in page.text
    own = clients["lotsare"].get(f"/scenarier/sparade/{saved['id']}")
    assert 'data-testid="delete-saved"' in own.text
    assert clients["lotsare"].delete(f"/api/v1/scenarios/saved/{saved['id']}").status_code == 200
    missing = clients["lotsare"].delete(f"/api/v1/scenarios/saved/{saved['id']}")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == f"no saved scenario with id {saved['id']}"
    assert region.ids["saved"] == 1  # the id EXPECTED above names
    # The Umeå canary: only an administrator (not its tenant's lotsare here) deletes it.
    canary = region.ids["saved"]
    assert clients["lotsare"].delete(f"/api/v1/scenarios/saved/{canary}").status_code == 403
