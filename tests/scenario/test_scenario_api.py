"""The scenario API: run a document (JSON, TOML or YAML), the examples, errors with key and
line, the gap report with a scenario added, and the same through the CLI."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.cli_runner import run_cli

from lotsen.services import scenarios
from lotsen.services.access import SYSTEM
from lotsen.web.app import create_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"
SKELLEFTEA = EXAMPLES / "skelleftea-gigafactory.toml"
BODEN = EXAMPLES / "boden-steel-hydrogen.yaml"
RUNS = 60
# A small valid scenario as a JSON object; tests spoil one value at a time.
SMALL: dict[str, Any] = {
    "name": "Liten fabrik",
    "municipality": "2582",
    "years": {"start": 2026, "end": 2032},
    "direct_jobs": {"2027": 200, "2029": 600},
    "local_hire_share": {"low": 0.3, "mode": 0.4, "high": 0.6},
    "commuting": {"area": ["2580"]},
}


@pytest.fixture(scope="module")
def client(demo_sqlite_url: str) -> TestClient:
    return TestClient(create_app(demo_sqlite_url))


def _run(client: TestClient, body: str | dict[str, Any], media: str = "application/json",
         **params: Any) -> Any:
    content = json.dumps(body, indent=2) if isinstance(body, dict) else body
    return client.post("/api/v1/scenarios/run", params={"runs": RUNS, "seed": 1, **params},
                       content=content.encode(), headers={"content-type": media})


def _bands_ordered(document: dict[str, Any]) -> int:
    checked = 0
    for row in [*document["rows"], *document["area"]]:
        for name, band in row["metrics"].items():
            assert band["p10"] <= band["p50"] <= band["p90"], (row["year"], name, band)
            checked += 1
    return checked


def test_a_json_document_runs_with_bands_needs_and_assumptions(client: TestClient) -> None:
    response = _run(client, SMALL)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["run"]["runs"] == RUNS and data["run"]["seed"] == 1
    assert [m["code"] for m in data["municipalities"]] == ["2582", "2580"]
    assert len(data["area"]) == 7 and len(data["rows"]) == 14
    assert _bands_ordered(data) > 500
    assert data["area"][-1]["metrics"]["direct_jobs"]["p50"] > 0
    assert data["sensitivity"] and data["assumptions"]["parameters"] and data["sources"]
    local = next(p for p in data["assumptions"]["parameters"]
                 if p["parameter"] == "local_hire_share")
    assert (local["low"], local["mode"], local["high"], local["origin"]) == (
        0.3, 0.4, 0.6, "scenario file")
    assert data["inputs"]["direct_jobs_peak"] == 600
    # gap_needs are whole people, from this year on, ready for POST /api/v1/gaps
    assert data["gap_needs"] and all(isinstance(n["headcount"], int) and n["headcount"] > 0
                                     for n in data["gap_needs"])
    # the same seed gives the same numbers; another seed other numbers
    again = _run(client, SMALL).json()
    assert again["area"] == data["area"]
    other = _run(client, SMALL, seed=2).json()
    assert other["area"] != data["area"]


@pytest.mark.parametrize(("path", "media"), [
    (SKELLEFTEA, "application/toml"), (SKELLEFTEA, "text/plain"),
    (BODEN, "application/yaml"), (BODEN, "text/plain"),
])
def test_file_text_gives_the_examples_result(client: TestClient, path: Path, media: str) -> None:
    posted = _run(client, path.read_text(encoding="utf-8"), media)
    assert posted.status_code == 200, posted.text
    example = client.get(f"/api/v1/scenarios/examples/{path.stem}/result",
                         params={"runs": RUNS, "seed": 1})
    assert example.status_code == 200
    assert posted.json()["area"] == example.json()["area"]
    assert posted.json()["needs"] == example.json()["needs"]


def test_examples_are_listed_by_name(client: TestClient) -> None:
    found = client.get("/api/v1/scenarios/examples").json()["results"]
    names = {e["name"]: e for e in found}
    assert {"skelleftea-gigafactory", "boden-steel-hydrogen"} <= set(names)
    assert names["skelleftea-gigafactory"]["municipality_code"] == "2482"
    assert names["skelleftea-gigafactory"]["kind"] == "example"
    assert {e["kind"] for e in found} == {"example", "backtest"}
    missing = client.get("/api/v1/scenarios/examples/no-such-plant/result")
    assert missing.status_code == 404
    assert "no-such-plant" in missing.json()["error"]["message"]


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_a_bad_json_document_names_the_key_and_its_line(client: TestClient) -> None:
    bad = {**SMALL, "direct_jobs": {"2027": 200, "2028": -5}}
    text = json.dumps(bad, indent=2)
    response = _run(client, bad)
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    line = _line_of(text, '"2028"')
    assert message == (f"scenario.json:{line}: direct_jobs.2028: "
                       "jobs must not be negative, got -5")
    typo = {**SMALL, "local_hire_shar": 0.3}
    message = _run(client, typo).json()["error"]["message"]
    assert "local_hire_shar: unknown key" in message
    assert "did you mean 'local_hire_share'" in message
    line = _line_of(json.dumps(typo, indent=2), '"local_hire_shar"')
    assert re.match(rf"scenario\.json:{line}: ", message)
    not_object = _run(client, "[1, 2]")
    assert not_object.status_code == 422 and "JSON object" in not_object.json()["error"]["message"]
    broken = _run(client, '{"name": "x",\n "years": }')
    assert broken.status_code == 422
    assert broken.json()["error"]["message"].startswith("scenario.json:2: not valid JSON")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('end = 2037', 'end = 2018', "years.end: the year range 2018–2018 has zero length"),
    ('municipality = "2482"', 'municipality = "9999"', "municipality: unknown municipality code"),
    ('2020 = 400', '2020 = -400', "direct_jobs.2020: jobs must not be negative"),
])
def test_a_bad_toml_file_answers_as_the_cli_does(
    client: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    old: str, new: str, expected: str,
) -> None:
    text = SKELLEFTEA.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "scenario.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    response = _run(client, bad.read_text(encoding="utf-8"), "application/toml")
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    code, _, err = run_cli(capsys, "scenario", "validate", str(bad))
    assert code == 2
    assert err.strip() == f"error: {message.replace('scenario.toml', str(bad), 1)}"
    line = _line_of(bad.read_text(encoding="utf-8"), new)
    assert message.startswith(f"scenario.toml:{line}: ") and expected in message


def test_wrong_media_type_and_run_limits_are_client_errors(client: TestClient) -> None:
    assert _run(client, "x", "image/png").status_code == 422
    assert _run(client, SMALL, runs=0).status_code == 422
    assert _run(client, SMALL, runs=scenarios.MAX_RUNS + 1).status_code == 422
    assert _run(client, SMALL, seed=-1).status_code == 422


def test_the_openapi_document_lists_the_scenario_operations(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/scenarios/run"]) == {"post"}
    body = paths["/api/v1/scenarios/run"]["post"]["requestBody"]["content"]
    assert {"application/json", "text/plain", "application/yaml"} <= set(body)
    assert "/api/v1/scenarios/examples" in paths
    assert "/api/v1/scenarios/examples/{name}/result" in paths
    assert not any(p.startswith("/scenarier") for p in paths)


def test_gap_needs_keep_each_years_rounded_total() -> None:
    document = scenarios.run_example("boden-steel-hydrogen", runs=RUNS, seed=1, actor=SYSTEM)
    fractional: dict[int, float] = defaultdict(float)
    for need in document["needs"]:
        if need["year"] >= 2030:
            fractional[need["year"]] += need["headcount"]
    whole: dict[int, int] = defaultdict(int)
    for need in scenarios.gap_needs(document, from_year=2030):
        assert need["year"] >= 2030 and need["label"].startswith("Scenario: ")
        whole[need["year"]] += need["headcount"]
    assert set(whole) <= set(fractional)
    assert all(whole[y] == round(fractional[y]) for y in fractional)


def test_the_gap_report_adds_a_scenario_as_its_own_source(client: TestClient) -> None:
    # Replacement demand (issue 15) switched off: it would follow the scenario's occupations.
    counted = {"proposals": 0, "source": ["need", "scenario"]}
    plain = client.get("/api/v1/gaps", params=counted).json()
    assert [s["source"] for s in plain["by_source"]] == ["need"] and plain["scenario"] is None
    added = client.get("/api/v1/gaps", params={**counted,
                                               "scenario": "boden-steel-hydrogen"}).json()
    expected = sum(n["headcount"] for n in scenarios.run_example("boden-steel-hydrogen",
                                                                 actor=SYSTEM)[
        "gap_needs"])
    assert expected > 0
    sources = {s["source"]: s for s in added["by_source"]}
    assert sources["scenario"]["demand"] == expected == added["scenario"]["headcount"]
    assert sources["need"]["demand"] == plain["totals"]["demand"]
    assert added["totals"]["demand"] == plain["totals"]["demand"] + expected
    rows = [r for r in added["rows"] if r["source"] == "scenario"]
    assert rows and all(r["employer_name"].startswith("Scenario: Vätgasstålverk") for r in rows)
    # the run's gap_needs POSTed to /gaps give the same scenario demand
    run = client.get("/api/v1/scenarios/examples/boden-steel-hydrogen/result").json()
    posted = client.post("/api/v1/gaps", json={"scenario_needs": run["gap_needs"],
                                               "proposals": 0,
                                               "sources": counted["source"]}).json()
    assert posted["totals"] == added["totals"]
    detail = client.get("/api/v1/gaps.csv", params={"scenario": "boden-steel-hydrogen"})
    assert detail.status_code == 200 and ";scenario;" in detail.text
    assert client.get("/api/v1/gaps", params={"scenario": "nope"}).status_code == 404


def test_match_gaps_takes_a_scenario_file(demo_sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", demo_sqlite_url)
    code, out, err = run_cli(capsys, "match", "gaps", "--scenario", str(BODEN), "--json",
                             "--proposals", "0")
    assert code == 0, err
    report = json.loads(out)
    expected = sum(n["headcount"] for n in scenarios.gap_needs_for_file(BODEN, actor=SYSTEM))
    scenario = [s for s in report["by_source"] if s["source"] == "scenario"]
    assert len(scenario) == 1 and scenario[0]["demand"] == expected > 0
    code, _, err = run_cli(capsys, "gaps", "--scenario", str(BODEN.with_name("missing.yaml")))
    assert code == 2 and "cannot read the scenario file" in err


def test_backtest_endpoint_gives_the_cli_rows(client: TestClient) -> None:
    response = client.post("/api/v1/scenarios/backtest",
                           json={"municipality_code": "2580", "origin": 2017, "to": 2024})
    assert response.status_code == 200, response.text
    body = response.json()
    total = next(r for r in body["rows"] if r["year"] == 2024 and r["age_group"] == "total"
                 and r["sex"] == "all")
    assert total["actual"] == 79645.0
    assert total["projected_p10"] < total["actual"] < total["projected_p90"]
    assert any("TAB1264" in note for note in body["notes"])
    bad = client.post("/api/v1/scenarios/backtest",
                      json={"municipality_code": "0180", "origin": 2017, "to": 2024})
    assert bad.status_code == 422 and "0180" in bad.text
