"""CLI (--json) and HTTP shapes of matching, pathways, allocation, gaps and transitions."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.cli_runner import run_cli
from tests.match.conftest import TRUCK_DRIVER

from lotsen.cli.main import main
from lotsen.web.app import create_app


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run_cli(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def cli_db(demo_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", demo_url)
    return demo_url


def test_cli_match_need_json_shape(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = run(capsys, "match", "need", "1", "--top", "3", "--json")
    assert data["need"]["id"] == 1
    assert 0 < len(data["results"]) <= 3
    first = data["results"][0]
    assert {
        "person_id",
        "pseudonym",
        "score",
        "parts",
        "matched_skills",
        "missing_skills",
        "reasons",
    } <= set(first)
    assert first["reasons"][0].startswith("Har ")
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_cli_pathway_allocate_gaps_transitions_profiles(
    cli_db: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    person = run(capsys, "match", "need", "1", "--top", "1", "--json")["results"][0]["person_id"]
    plan = run(capsys, "match", "pathway", str(person), "1", "--json")
    assert {"steps", "missing_skills", "uncovered_skills", "summary"} <= set(plan)
    placed = run(capsys, "allocate", "--json")
    assert placed["total_fit"] >= placed["greedy"]["total_fit"]
    xlsx, csv = tmp_path / "gap.xlsx", tmp_path / "gap.csv"
    report = run(capsys, "gaps", "--json", "--xlsx", str(xlsx), "--csv", str(csv))
    assert report["by_occupation"] and report["proposals"]
    assert "Yrken" in load_workbook(xlsx).sheetnames
    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Swedish Excel needs
    assert csv.read_text(encoding="utf-8-sig").startswith("SSYK;Yrke;")
    moves = run(capsys, "transitions", TRUCK_DRIVER, "--json")
    assert moves["occupation"]["concept_id"] == TRUCK_DRIVER and moves["results"]
    profile = run(capsys, "profiles", "show", TRUCK_DRIVER, "--json")
    assert profile["skills"][0]["sources"]


def test_cli_unknown_need_is_one_line_and_exit_2(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["match", "need", "999999", "--json"])
    assert done.value.code == 2
    assert capsys.readouterr().err.strip() == "error: no need with id 999999"


def test_api_and_pages(demo_url: str) -> None:
    client = TestClient(create_app(demo_url))
    matches = client.get("/api/v1/needs/1/matches", params={"top": 5}).json()
    assert len(matches["results"]) <= 5 and matches["need"]["id"] == 1
    person = matches["results"][0]["person_id"]
    plan = client.get(f"/api/v1/needs/1/pathways/{person}").json()
    assert plan["person_id"] == person
    assert client.get("/api/v1/needs/999999/matches").status_code == 404
    assert client.get("/api/v1/allocation").json()["assigned"] > 0
    extra = {
        "scenario_needs": [
            {"year": 2029, "municipality_code": "2580", "ssyk4": "7121", "headcount": 25}
        ],
        "proposals": 3,
    }
    report = client.post("/api/v1/gaps", json=extra).json()
    assert any(r["source"] == "scenario" for r in report["rows"])
    book = client.get("/api/v1/gaps.xlsx")
    assert book.status_code == 200
    assert "Förslag" in load_workbook(io.BytesIO(book.content)).sheetnames
    assert client.get("/api/v1/gaps.csv").text.lstrip("\ufeff").startswith("SSYK;")
    assert client.get(f"/api/v1/occupations/{TRUCK_DRIVER}/transitions").json()["results"]

    page = client.get("/behov/1").text
    assert "Vem kan?" in page and "Väg dit" in page and matches["results"][0]["pseudonym"] in page
    assert 'href="/behov/1"' in client.get("/behov").text
    gaps_page = client.get("/utbildningsgap").text
    assert "/static/plotly.min.js" in gaps_page and "Takmontörer" in gaps_page
    assert (
        "Fördelning" in client.get("/allokering").text
        or "allokering" in client.get("/allokering").text.lower()
    )
    assert "Kompetensprofil" in client.get("/overgangar", params={"yrke": TRUCK_DRIVER}).text
