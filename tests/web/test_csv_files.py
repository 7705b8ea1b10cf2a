"""Every CSV Lotsen hands out opens in Swedish Excel with å, ä and ö intact: UTF-8 with
a BOM (without it Excel reads the bytes as Windows-1252) and ``;`` between cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.cli_runner import run_cli

from lotsen.web.app import create_app

BOM = b"\xef\xbb\xbf"
DOWNLOADS = {
    "/arbetssokande?format=csv": "Pseudonym;",
    "/api/v1/gaps.csv": "SSYK;Yrke;",
    "/api/v1/gaps.csv?table=by_skill": "",
    "/api/v1/regional/replacement.csv": "ssyk4;yrke;lan;",
    "/api/v1/regional/capacity.csv": "",
    "/api/v1/regional/supply.csv?occupation=7411&to=2580": "rank;kommunkod;kommun;",
    "/api/v1/regional/chains.csv": "steg;ssyk4;yrke;",
    "/import/mall/people.csv": "Eget id;",
    "/api/v1/imports/people/template?format=csv": "Eget id;",
}


def test_every_csv_download_has_a_bom(demo_sqlite_url: str) -> None:
    client = TestClient(create_app(demo_sqlite_url))
    for path, start in DOWNLOADS.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/csv"), path
        assert response.content.startswith(BOM), path
        text = response.content.decode("utf-8-sig")
        assert text.startswith(start) and ";" in text.splitlines()[0], path


def test_csv_files_the_cli_writes_have_a_bom(demo_sqlite_url: str, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", demo_sqlite_url)
    for command in (["regional", "replacement"], ["regional", "capacity"],
                    ["regional", "chains"], ["supply", "where", "7411"]):
        out = tmp_path / f"{command[-1]}.csv"
        code, _, err = run_cli(capsys, *command, "--csv", str(out))
        assert code == 0, err
        assert out.read_bytes().startswith(BOM), command
        assert out.read_text("utf-8-sig").startswith(("ssyk4;", "SSYK;", "steg;", "rank;")), \
            command
