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


def test_postgres_without_key_refuses(started: list[tuple[str, int]],
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    reset_settings()
    code, _, err = run(capsys, "serve")
    assert code == 2 and "LOTSEN_SECRET_KEY" in err and not started


def test_public_address_without_key_refuses(started: list[tuple[str, int]], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    reset_settings()
    code, _, _ = run(capsys, "serve", "--host", "0.0.0.0")
    assert code == 2 and not started


def test_local_sqlite_without_key_starts(started: list[tuple[str, int]], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    reset_settings()
    code, _, _ = run(capsys, "serve", "--host", "127.0.0.1")
    assert code == 0 and started and started[0][0] == "127.0.0.1"


def test_postgres_with_key_starts(started: list[tuple[str, int]],
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("LOTSEN_SECRET_KEY", "x" * 48)
    reset_settings()
    code, _, _ = run(capsys, "serve")
    assert code == 0 and started
