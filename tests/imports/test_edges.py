"""The import and GDPR commands, endpoints and page, as a user or a script meets them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.cli_runner import run_cli as cli
from tests.imports.conftest import csv_bytes, person

from lotsen.web.app import create_app

GOOD = csv_bytes([person(), person(source_id="AF-2", consent_matching_date="")])
BAD = csv_bytes([person(), person(source_id="AF-2", municipality="Atlantis")])




@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'edges.db'}"
    monkeypatch.setenv("LOTSEN_DATABASE_URL", url)
    return url


def test_cli_rejects_a_bad_file_with_exit_2(database: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "people.csv"
    bad.write_bytes(BAD)
    code, out, err = cli(capsys, "import", "people", str(bad))
    assert code == 2 and out == ""
    assert 'people.csv:3: municipality: "Atlantis" är inget känt namn på kommun' in err
    assert "Traceback" not in err
    code, out, _ = cli(capsys, "import", "people", str(bad), "--json")
    assert code == 2
    problems = json.loads(out)["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(3, "municipality")]
    code, _, err = cli(capsys, "import", "people", str(tmp_path / "missing.csv"))
    assert code == 2 and "no such file" in err


def test_cli_import_export_erase(database: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "people.csv"
    good.write_bytes(GOOD)
    code, out, _ = cli(capsys, "import", "people", str(good), "--dry-run")
    assert code == 0 and "nothing written" in out
    code, out, _ = cli(capsys, "import", "people", str(good), "--json")
    summary = json.loads(out)
    assert code == 0 and summary["created"] == 2 and summary["flagged_count"] == 1
    code, out, _ = cli(capsys, "people", "list", "--json")
    pseudonym = json.loads(out)["results"][0]["pseudonym"]
    code, out, _ = cli(capsys, "people", "export", pseudonym, "--json")
    assert code == 0 and json.loads(out)["tables"]["person"][0]["source_id"] == "AF-1"
    code, out, _ = cli(capsys, "people", "erase", pseudonym, "--yes", "--json")
    assert code == 0 and json.loads(out)["erased"] is True
    code, _, err = cli(capsys, "people", "export", pseudonym)
    assert code == 2 and "no person" in err
    code, out, _ = cli(capsys, "import", "template", "needs", "--format", "csv", "-o",
                       str(tmp_path / "mall.csv"))
    written = (tmp_path / "mall.csv").read_bytes()
    assert code == 0 and written.startswith("\ufeffEget id;Arbetsgivare;".encode())


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app(db_url))


def test_api_upload_export_and_delete(client: TestClient) -> None:
    bad = client.post("/api/v1/imports/people", files={"file": ("people.csv", BAD)})
    assert bad.status_code == 422
    body = bad.json()
    assert body["error"]["code"] == "import_rejected"
    assert [(p["row"], p["column"], p["value"]) for p in body["problems"]] == [
        (3, "municipality", "Atlantis")]
    good = client.post("/api/v1/imports/people", files={"file": ("people.csv", GOOD)})
    assert good.status_code == 200 and good.json()["created"] == 2
    people = client.get("/api/v1/people").json()["results"]
    target = people[0]
    export = client.get(f"/api/v1/people/{target['pseudonym']}/export")
    assert export.status_code == 200 and export.json()["record"]["id"] == target["id"]
    assert client.delete(f"/api/v1/people/{target['id']}").json()["erased"] is True
    assert client.get(f"/api/v1/people/{target['id']}/export").status_code == 404
    assert client.get("/api/v1/people").json()["total"] == 1
    unknown = client.post("/api/v1/imports/pets", files={"file": ("x.csv", GOOD)})
    assert unknown.status_code == 422 and "needs, people, programs" in unknown.json()[
        "error"]["message"]


def test_templates_download(client: TestClient) -> None:
    for url in ("/import/mall/needs.xlsx", "/api/v1/imports/needs/template?format=xlsx"):
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"PK")
        assert "lotsen-needs.xlsx" in response.headers["content-disposition"]
    csv_file = client.get("/import/mall/people.csv")
    assert csv_file.content.startswith("\ufeffEget id;Kommun;".encode())
    assert client.get("/import/mall/people.pdf").status_code == 422


def test_import_page_lists_problems_and_then_a_summary(client: TestClient) -> None:
    page = client.get("/import")
    assert page.status_code == 200
    assert '<a href="/import" aria-current="page">Importera</a>' in page.text
    assert "/import/mall/programs.xlsx" in page.text
    bad = client.post("/import", data={"kind": "people"}, files={"file": ("people.csv", BAD)})
    assert bad.status_code == 422 and 'data-testid="import-problems"' in bad.text
    assert "<td>3</td><td>municipality</td><td>Atlantis</td>" in bad.text
    good = client.post("/import", data={"kind": "people"}, files={"file": ("people.csv", GOOD)})
    assert good.status_code == 200 and 'data-testid="import-summary"' in good.text
    assert 'data-testid="import-created">2<' in good.text
    assert 'data-testid="import-flagged">1<' in good.text
    empty = client.post("/import", data={"kind": "needs"}, files={"file": ("tom.csv", b"")})
    assert empty.status_code == 422 and "filen är tom" in empty.text
