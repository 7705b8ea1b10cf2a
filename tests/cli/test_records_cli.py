"""`lotsen demo --no-serve` and the list commands, as a script would call them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.cli_runner import run_cli as run


def test_demo_then_lists_as_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    code, out, _ = run(capsys, "demo", "--no-serve", "--people", "60", "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["people"] == 60 and summary["synthetic"] is True
    for kind in ("needs", "people", "programs", "organizations"):
        code, out, _ = run(capsys, kind, "list", "--json", "--limit", "5")
        assert code == 0
        data = json.loads(out)
        assert len(data["results"]) == 5
        assert all(isinstance(item["id"], int) for item in data["results"])
    code, out, _ = run(capsys, "people", "list", "--json", "--limit", "1000")
    people = json.loads(out)["results"]
    assert len(people) == 60
    assert not any("name" in person for person in people)


def test_demo_prints_a_swedish_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    code, out, _ = run(capsys, "demo", "--no-serve", "--people", "20")
    assert code == 0
    assert "syntetiska" in out and "Arbetssökande" in out and "20" in out


def test_missing_database_folder_is_one_line_and_exit_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", f"sqlite:///{tmp_path / 'no' / 'x.db'}")
    code, out, err = run(capsys, "needs", "list", "--json")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "does not exist" in err and "Traceback" not in err


def test_unknown_record_id_is_exit_2(demo_sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", demo_sqlite_url)
    code, _, err = run(capsys, "needs", "show", "999999")
    assert code == 2 and "no need with id 999999" in err


def test_usage_errors_are_one_message_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "needs", "list", "--no-such-option")
    assert code == 2
    assert "No such option: --no-such-option" in err
    assert "Traceback" not in err + out
    code, _, err = run(capsys, "import", "template", "people", "extra.xlsx")
    assert code == 2
    assert "unexpected extra argument" in err


def test_accounts_token_works_as_the_readme_writes_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    code, _, err = run(capsys, "accounts", "create", "integration.arende", "--role", "analyst",
                       "--password", "ett-langt-losenord")
    assert code == 0, err
    code, out, err = run(capsys, "accounts", "token", "integration.arende")  # no --name
    assert code == 0, err
    assert "API-nyckel 'API'" in out and len(out.strip().splitlines()[-1]) >= 20


def test_tables_are_in_swedish_and_json_keeps_the_codes(
        demo_sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", demo_sqlite_url)
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "people", "list", "--limit", "20")
    assert code == 0 and "Kommun" in out and "Svenska" in out and "municipality_code" not in out
    assert not re.search(r"\b(native|sfi_[a-d]|25\d\d|24\d\d)\b", out)  # names and words
    code, out, _ = run(capsys, "people", "list", "--limit", "5", "--json")
    first = json.loads(out)["results"][0]
    assert re.fullmatch(r"\d{4}", first["municipality_code"])  # machine values kept
