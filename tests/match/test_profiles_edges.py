"""Profiles and local concepts through the command line and the JSON API, as a user
reaches them: one version per edit, one-line errors, 4xx with a JSON error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.cli_runner import run_cli
from tests.match.two_tenants import BATTERY_OPERATOR, build

from lotsen.store.db import open_database
from lotsen.web.app import create_app


@pytest.fixture
def cli_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    build(open_database(db_url))
    monkeypatch.setenv("LOTSEN_DATABASE_URL", db_url)
    return db_url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run_cli(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


def test_cli_edit_history_revert_and_local_concepts(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = run(capsys, "profiles", "show", BATTERY_OPERATOR, "--tenant", "lulea-boden", "--json")
    first, second = (s["concept_id"] for s in shown["skills"][:2])
    edited = run(capsys, "profiles", "edit", BATTERY_OPERATOR, "--tenant", "lulea-boden",
                 "--remove", first, "--must", second, "--weight", f"{second}=0.95",
                 "--comment", "från CLI", "--json")
    assert edited["version"] == 1 and edited["skills"][0]["concept_id"] == second
    assert edited["skills"][0]["origins"][-1]["label"].startswith("redigerad av ")
    suggested = run(capsys, "profiles", "suggest", BATTERY_OPERATOR, "--tenant", "lulea-boden",
                    "--json")
    assert second in [s["concept_id"] for s in suggested["must"]]
    history = run(capsys, "profiles", "history", BATTERY_OPERATOR, "--tenant", "lulea-boden",
                  "--json")
    assert history["versions"][0]["comment"] == "från CLI"
    back = run(capsys, "profiles", "revert", BATTERY_OPERATOR, "0", "--tenant", "lulea-boden",
               "--json")
    assert back["version"] == 2 and back["skills"][0]["concept_id"] == first

    made = run(capsys, "concepts", "add-local", "--tenant", "lulea-boden", "--label",
               "Formeringstekniker", "--anchor", BATTERY_OPERATOR, "--synonym", "formerare",
               "--json")
    assert made["concept_id"] == "local:lulea-boden:formeringstekniker"
    listed = run(capsys, "concepts", "list-local", "--json")["results"]
    assert [(r["concept_id"], r["tenant"], r["ssyk4"]) for r in listed] == [
        (made["concept_id"], "lulea-boden", "8132")]
    assert run(capsys, "concepts", "list-local", "--tenant", "umea", "--json")["results"] == []
    found = run(capsys, "taxonomy", "search", "formerare", "--tenant", "lulea-boden", "--json")
    assert found["results"][0]["concept_id"] == made["concept_id"]  # by its synonym
    elsewhere = run(capsys, "taxonomy", "search", "formerare", "--tenant", "umea", "--json")
    assert made["concept_id"] not in {r["concept_id"] for r in elsewhere["results"]}

    code, _, err = run_cli(capsys, "profiles", "edit", BATTERY_OPERATOR, "--remove", first)
    assert code == 2 and err.startswith("error: ") and "--tenant" in err  # whose edit?
    code, _, err = run_cli(capsys, "concepts", "add-local", "--tenant", "lulea-boden",
                           "--label", "X", "--anchor", "nope")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_api_profile_and_local_concept_round_trip(cli_db: str) -> None:
    client = TestClient(create_app(cli_db))
    made = client.post("/api/v1/local-concepts", json={
        "label": "Battericellsoperatör", "anchor_id": BATTERY_OPERATOR,
        "tenant": "lulea-boden", "synonyms": ["celloperatör"]})
    assert made.status_code == 201
    local = made.json()["concept_id"]
    assert client.get(f"/api/v1/local-concepts/{local}").json()["anchor_id"] == BATTERY_OPERATOR

    profile = client.get(f"/api/v1/profiles/{local}").json()
    assert profile["occupation"]["preferred_label"] == "Battericellsoperatör"
    skill = profile["skills"][0]["concept_id"]
    edit = client.post(f"/api/v1/profiles/{local}/edits", json={
        "changes": [{"op": "remove", "skill_id": skill}], "expected_version": 0})
    assert edit.status_code == 201 and edit.json()["version"] == 1
    stale = client.post(f"/api/v1/profiles/{local}/edits", json={
        "changes": [{"op": "reset", "skill_id": skill}], "expected_version": 0})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    versions = client.get(f"/api/v1/profiles/{local}/versions").json()["versions"]
    assert [v["version"] for v in versions] == [1]
    old = client.get(f"/api/v1/profiles/{local}", params={"version": 0}).json()
    assert skill in [s["concept_id"] for s in old["skills"]]
    reverted = client.post(f"/api/v1/profiles/{local}/revert", json={"version": 0})
    assert reverted.status_code == 201 and reverted.json()["version"] == 2
    bad = client.post(f"/api/v1/profiles/{BATTERY_OPERATOR}/edits", json={
        "tenant": "lulea-boden", "changes": [{"op": "add", "skill_id": "nope"}]})
    assert bad.status_code in (400, 404, 422) and "error" in bad.json()


def test_web_form_saves_only_what_changed(cli_db: str) -> None:
    """The profile page posts every row; rows left as they were add nothing."""
    client = TestClient(create_app(cli_db))
    url = f"/yrkesprofiler/{BATTERY_OPERATOR}"
    shown = client.get("/api/v1/profiles/" + BATTERY_OPERATOR).json()
    first, second = (s["concept_id"] for s in shown["skills"][:2])
    form = {"tenant": "lulea-boden", f"krav:{first}": "must", f"vikt:{first}": "0,9",
            f"krav:{second}": "", f"vikt:{second}": "", "comment": "skall"}
    saved = client.post(url, data=form, follow_redirects=False)
    assert saved.status_code == 303 and "sparad=1" in saved.headers["location"]
    page = client.get(saved.headers["location"])
    assert "Version 1 av 1" in page.text and "ändrade" in page.text
    again = client.post(url, data=form)
    assert again.status_code == 422 and "ingen skillnad" in again.text
    history = client.get(f"/api/v1/profiles/{BATTERY_OPERATOR}/versions",
                         params={"tenant": "lulea-boden"}).json()["versions"]
    assert [(c["skill_id"], c["weight"], c["must"]) for c in history[0]["changes"]] == [
        (first, 0.9, True)]
