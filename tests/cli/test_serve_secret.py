"""`lotsen serve` refuses a server run without LOTSEN_SECRET_KEY; the local demo needs none."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli_runner import run_cli as run

import lotsen.web.server
from lotsen.settings import reset_settings


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(lotsen.web.server, "serve", lambda h, p: calls.append((h, p)))
    monkeypatch.delenv("LOTSEN_SECRET_KEY", raising=False)
    reset_settings()
    yield calls
    reset_settings()


POSTGRES = "postgresql://nobody@127.0.0.1:1/none"


# (database: "postgres" or "sqlite", serve's arguments, secret key, exit code)
CASES = {
    "postgres without a key refuses": ("postgres", (), None, 2),
    "public address without a key refuses": ("sqlite", ("--host", "0.0.0.0"), None, 2),
    "local sqlite without a key starts": ("sqlite", ("--host", "127.0.0.1"), None, 0),
    "postgres with a key starts": ("postgres", (), "x" * 48, 0),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_serve_refuses_a_server_run_without_a_key(
        case: str, started: list[tuple[str, int]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    database, args, key, expected = CASES[case]
    url = POSTGRES if database == "postgres" else f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setenv("LOTSEN_DATABASE_URL", url)
    if key is not None:
        monkeypatch.setenv("LOTSEN_SECRET_KEY", key)
    reset_settings()
    code, _, err = run(capsys, "serve", *args)
    assert code == expected
    if expected:
        assert "LOTSEN_SECRET_KEY" in err and not started
    else:
        assert started and (not args or started[0][0] == args[1])
