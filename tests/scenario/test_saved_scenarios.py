"""Saved scenario runs: save, list, open, delete on SQLite and PostgreSQL; a saved run
outlives the process cache (a restart); who may delete; the gap report with
``saved:<id>``; migration 0005 down and up; the CLI."""

from __future__ import annotations

import html
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import Engine, inspect, select
from tests.cli_runner import run_cli

from lotsen.errors import InvalidInput, NotFound, PermissionDenied
from lotsen.services import gaps, region_figures, saved_scenarios, scenarios
from lotsen.services.access import SYSTEM, Actor
from lotsen.store.db import (
    _alembic_config,
    forget_engines,
    open_database,
    schema_status,
    transaction,
)
from lotsen.store.models import AuditEntry, SavedScenario, Tenant
from lotsen.web.app import create_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"
BODEN = EXAMPLES / "boden-steel-hydrogen.yaml"
RUNS = 40
SMALL: dict[str, Any] = {
    "name": "Liten fabrik",
    "municipality": "2582",
    "years": {"start": 2026, "end": 2040},
    "direct_jobs": {"2027": 200, "2029": 600},
    "commuting": {"area": ["2580"]},
}


def _forget_process_results() -> None:
    """What a restart does to the scenario results kept in memory."""
    scenarios.results.invalidate()


def _tenant_id(engine: Engine, slug: str) -> int:
    with transaction(engine) as session:
        return int(session.scalars(select(Tenant.id).where(Tenant.slug == slug)).one())


def test_save_list_get_delete_on_each_backend(demo_any_url: str) -> None:
    engine = open_database(demo_any_url)
    tenant = _tenant_id(engine, "lulea-boden")
    lotsare = Actor("lotsare", tenant_id=tenant, user_id=901, username="lots.test")
    saved = saved_scenarios.save_result(engine, "  Boden,   vårt huvudfall ",
                                        text=BODEN.read_text(), kind="yaml",
                                        file_name=BODEN.name, runs=RUNS, seed=3, actor=lotsare)
    try:
        assert saved["name"] == "Boden, vårt huvudfall"
        assert saved["tenant_id"] == tenant and saved["tenant_name"]
        assert saved["created_by"] == 901 and saved["created_by_name"] == "lots.test"
        assert (saved["runs"], saved["seed"], saved["kind"]) == (RUNS, 3, "yaml")
        assert saved["document"] == BODEN.read_text()
        assert saved["result"]["run"]["runs"] == RUNS
        assert saved["result"]["scenario"]["name"].startswith("Vätgasstålverk")
        assert saved["gap_reference"] == f"saved:{saved['id']}"
        # Every role of every tenant reads it: aggregates are shared region-wide.
        for reader in (Actor("employer", tenant_id=999, organization_id=1, user_id=5),
                       Actor("analyst", user_id=6), Actor("provider", tenant_id=999)):
            listed = saved_scenarios.list_saved(engine, actor=reader)
            assert [r["id"] for r in listed if r["id"] == saved["id"]] == [saved["id"]]
            assert not listed[0]["may_delete"]
            assert saved_scenarios.get_saved(engine, saved["id"],
                                       actor=reader)["result"] == saved["result"]
        assert saved_scenarios.list_saved(engine, actor=lotsare)[0]["may_delete"]
        with transaction(engine) as session:
            logged = session.scalars(select(AuditEntry).where(
                AuditEntry.entity == "saved_scenario")).all()
            assert [(e.action, e.entity_id, e.user_id) for e in logged] == [
                ("create", saved["id"], 901)]
    finally:
        saved_scenarios.delete_saved(engine, saved["id"], actor=SYSTEM)
    with pytest.raises(NotFound, match=f"no saved scenario with id {saved['id']}"):
        saved_scenarios.get_saved(engine, saved["id"], actor=SYSTEM)


def test_delete_rights_creator_and_admin_only(engine: Engine) -> None:
    creator = Actor("lotsare", tenant_id=None, user_id=11, username="a")
    other = Actor("lotsare", tenant_id=None, user_id=12, username="b")
    first = saved_scenarios.save_result(engine, "Första", text=json.dumps(SMALL), kind="json",
                                  runs=RUNS, actor=creator)
    second = saved_scenarios.save_result(engine, "Andra", text=json.dumps(SMALL), kind="json",
                                   runs=RUNS, actor=creator)
    for refused in (other, Actor("analyst", user_id=13), Actor("officer", user_id=None)):
        with pytest.raises(PermissionDenied, match="Bara den som sparade"):
            saved_scenarios.delete_saved(engine, first["id"], actor=refused)
    assert saved_scenarios.delete_saved(engine, first["id"], actor=creator)["deleted"]
    admin = Actor("admin", user_id=1)
    assert saved_scenarios.delete_saved(engine, second["id"], actor=admin)["deleted"]
    with pytest.raises(NotFound):
        saved_scenarios.delete_saved(engine, 424242, actor=creator)
    with pytest.raises(InvalidInput, match="name"):
        saved_scenarios.save_result(engine, "   ", text=json.dumps(SMALL), kind="json", runs=RUNS,
                              actor=SYSTEM)
    with pytest.raises(NotFound, match="run the scenario again"):
        saved_scenarios.save_result(engine, "Borta", "no-such-key", actor=SYSTEM)
    with transaction(engine) as session:
        actions = session.execute(select(AuditEntry.action, AuditEntry.entity_id).where(
            AuditEntry.entity == "saved_scenario").order_by(AuditEntry.id)).all()
    assert [tuple(a) for a in actions] == [("create", first["id"]), ("create", second["id"]),
                                           ("delete", first["id"]), ("delete", second["id"])]


def test_api_saved_run_survives_a_restart(db_url: str) -> None:
    client = TestClient(create_app(db_url))
    ran = client.post("/api/v1/scenarios/run", params={"runs": RUNS, "seed": 2},
                      json=SMALL)
    assert ran.status_code == 200, ran.text
    made = client.post("/api/v1/scenarios/saved", json={"name": "Liten, delad",
                                                         "key": ran.json()["key"]})
    assert made.status_code == 201, made.text
    saved_id = made.json()["id"]
    assert made.json()["result"]["key"] == ran.json()["key"]
    from_document = client.post("/api/v1/scenarios/saved", json={
        "name": "Boden", "document": BODEN.read_text(), "runs": RUNS, "seed": 1})
    assert from_document.status_code == 201, from_document.text
    assert from_document.json()["kind"] == "yaml"

    # A restart: a new app instance, the process cache gone, the engine reopened.
    _forget_process_results()
    forget_engines()
    restarted = TestClient(create_app(db_url))
    listed = restarted.get("/api/v1/scenarios/saved").json()["results"]
    assert [r["name"] for r in listed] == ["Boden", "Liten, delad"]
    assert "result" not in listed[0]
    one = restarted.get(f"/api/v1/scenarios/saved/{saved_id}")
    assert one.status_code == 200
    assert one.json()["result"]["area"] == ran.json()["area"]
    assert one.json()["overrides"] == {"direct_jobs_peak": None, "local_hire_share": None}
    page = restarted.get(f"/scenarier/sparade/{saved_id}")
    assert page.status_code == 200 and "Liten, delad" in page.text
    csv = restarted.get(f"/scenarier/sparade/{saved_id}/export.csv", params={"tabell": "ar"})
    assert csv.status_code == 200 and csv.text.lstrip("\ufeff").startswith("År;")
    assert f"/scenarier/sparade/{saved_id}" in restarted.get("/scenarier").text

    missing = restarted.get("/api/v1/scenarios/saved/9999")
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == "no saved scenario with id 9999"
    gone_key = restarted.post("/api/v1/scenarios/saved", json={"name": "x", "key": "abc"})
    assert gone_key.status_code == 404 and "run the scenario again" in gone_key.text
    neither = restarted.post("/api/v1/scenarios/saved", json={"name": "x"})
    assert neither.status_code == 422
    bad = restarted.post("/api/v1/scenarios/saved", json={
        "name": "x", "document": {**SMALL, "direct_jobs": {"2027": -5}}, "runs": RUNS})
    assert bad.status_code == 422 and "direct_jobs.2027" in bad.text
    assert restarted.delete(f"/api/v1/scenarios/saved/{saved_id}").json()["deleted"]
    assert restarted.delete(f"/api/v1/scenarios/saved/{saved_id}").status_code == 404


def test_web_save_form_and_delete_button(db_url: str) -> None:
    client = TestClient(create_app(db_url))
    page = client.get("/scenarier", params={"exempel": "boden-steel-hydrogen",
                                            "korningar": str(RUNS)})
    assert "Spara och dela med regionen" in page.text
    key = page.text.split('name="nyckel" value="')[1].split('"')[0]
    saved = client.post("/scenarier/spara", data={"nyckel": key, "namn": "Från sidan"},
                        follow_redirects=False)
    assert saved.status_code == 303
    location = saved.headers["location"]
    shown = client.get(location)
    assert "Från sidan" in shown.text and "Spara och dela" not in shown.text
    saved_id = int(location.rsplit("/", 1)[1])
    assert f"/utbildningsgap?scenario=saved%3A{saved_id}" in shown.text
    assert 'data-testid="delete-saved"' in shown.text  # single-user mode: the admin
    expired = client.post("/scenarier/spara", data={"nyckel": "gone", "namn": "x"})
    assert expired.status_code == 404 and "Kör scenariot" in expired.text
    # Another worker (or after a restart): the form's hidden inputs run it again.
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text))
    assert fields["kalla"] == "exempel" and fields["exempel"] == "boden-steel-hydrogen"
    _forget_process_results()
    again = client.post("/scenarier/spara", data={**fields, "namn": "Annan process"},
                        follow_redirects=False)
    assert again.status_code == 303, again.text
    rerun = client.get(again.headers["location"] + "/export.csv", params={"tabell": "ar"})
    first = client.get(location + "/export.csv", params={"tabell": "ar"})
    assert rerun.text == first.text  # the same inputs and seed: the same result
    pasted = client.post("/scenarier", data={"kalla": "text", "text": BODEN.read_text(),
                                             "korningar": str(RUNS), "fro": "5"})
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"',
                             pasted.text))
    assert fields["kalla"] == "text" and "text" in fields
    _forget_process_results()
    from_text = client.post("/scenarier/spara", data={**{k: html.unescape(v) for k, v in
                                                         fields.items()}, "namn": "Inklistrad"},
                            follow_redirects=False)
    assert from_text.status_code == 303, from_text.text
    stored = client.get("/api/v1/scenarios/saved/" + from_text.headers["location"].rsplit(
        "/", 1)[1]).json()
    assert stored["document"] == BODEN.read_text() and stored["seed"] == 5
    deleted = client.post(f"/scenarier/sparade/{saved_id}/ta-bort", follow_redirects=False)
    assert deleted.status_code == 303 and deleted.headers["location"] == "/scenarier"
    assert client.get(location).status_code == 404


def test_gap_report_takes_a_saved_run(demo_any_url: str) -> None:
    engine = open_database(demo_any_url)
    saved = saved_scenarios.save_result(engine, "Boden till gap", text=BODEN.read_text(),
                                  kind="yaml", runs=RUNS, seed=1, actor=SYSTEM)
    try:
        _forget_process_results()
        report = gaps.gap_report(engine, scenario=f"saved:{saved['id']}", proposals=0, actor=SYSTEM)
        assert report["scenario"]["reference"] == f"saved:{saved['id']}"
        assert report["scenario"]["headcount"] == sum(
            n["headcount"] for n in scenarios.gap_needs(saved["result"])) > 0
        assert report["scenario_needs"] > 0
        client = TestClient(create_app(demo_any_url))
        over_http = client.get("/api/v1/gaps", params={"scenario": f"saved:{saved['id']}"})
        assert over_http.status_code == 200
        assert over_http.json()["scenario"]["headcount"] == report["scenario"]["headcount"]
        assert client.get("/api/v1/gaps", params={"scenario": "saved:999999"}).status_code == 404
        assert client.get("/api/v1/gaps", params={"scenario": "saved:x"}).status_code == 422
    finally:
        saved_scenarios.delete_saved(engine, saved["id"], actor=SYSTEM)


def _start_page(client: TestClient) -> str:
    """The start page once its figures are computed: a figure not ready yet says
    "beräknas…" (computed in the background) and is there on reload."""
    for _ in range(600):
        text = client.get("/").text
        if 'data-testid="pending-' not in text:
            return text
        time.sleep(0.1)
    raise AssertionError("the start page's figures were not computed within 60 s")


def test_start_page_shows_the_latest_saved_run(db_url: str) -> None:
    region_figures.clear_figures()
    client = TestClient(create_app(db_url))
    assert "/scenarier?exempel=skelleftea-gigafactory" in _start_page(client)
    engine = open_database(db_url)
    saved = saved_scenarios.save_result(engine, "Senaste delade", text=json.dumps(SMALL),
                                  kind="json", runs=RUNS, actor=SYSTEM)
    start = _start_page(client)
    assert "Senaste delade" in start and f"/scenarier/sparade/{saved['id']}" in start
    saved_scenarios.delete_saved(engine, saved["id"], actor=SYSTEM)
    assert "/scenarier?exempel=skelleftea-gigafactory" in _start_page(client)
    region_figures.clear_figures()


def test_migration_0005_goes_down_and_up(engine: Engine) -> None:
    assert schema_status(engine)[0] >= "0005"  # later migrations build on it
    assert "saved_scenario" in inspect(engine).get_table_names()
    command.downgrade(_alembic_config(engine), "0004")
    engine.dispose()
    assert "saved_scenario" not in inspect(engine).get_table_names()
    command.upgrade(_alembic_config(engine), "head")
    engine.dispose()
    assert "saved_scenario" in inspect(engine).get_table_names()
    with transaction(engine) as session:
        session.add(SavedScenario(name="x", document="", kind="toml", runs=1, seed=0,
                                  overrides={}, result={"ok": True}))
    with transaction(engine) as session:
        assert session.scalars(select(SavedScenario.result)).one() == {"ok": True}


def test_cli_save_list_show_delete(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    code, out, _ = run_cli(capsys, "scenario", "save", str(BODEN), "--name", "Boden CLI",
                           "--runs", str(RUNS), "--seed", "4", "--json")
    assert code == 0
    saved = json.loads(out)
    assert saved["name"] == "Boden CLI" and saved["seed"] == 4
    code, out, _ = run_cli(capsys, "scenario", "saved", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)["results"]] == [saved["id"]]
    code, out, _ = run_cli(capsys, "scenario", "show-saved", str(saved["id"]), "--json")
    assert code == 0 and json.loads(out)["result"]["run"]["seed"] == 4
    code, out, _ = run_cli(capsys, "scenario", "show-saved", str(saved["id"]))
    assert code == 0 and "Boden CLI" in out and "Direkta jobb" in out
    code, out, _ = run_cli(capsys, "scenario", "saved")
    assert code == 0 and "Boden CLI" in out
    code, out, _ = run_cli(capsys, "scenario", "delete-saved", str(saved["id"]))
    assert code == 0 and "Tog bort" in out
    code, _, err = run_cli(capsys, "scenario", "show-saved", str(saved["id"]))
    assert code != 0 and "no saved scenario" in err
