"""Every LOTSEN_* setting is documented, and settings are read from the environment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lotsen.settings import get_settings, setting_env_names

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"`(LOTSEN_[A-Z_]+)`", (ROOT / "docs" / "settings.md").read_text()))
    missing = set(setting_env_names()) - documented
    assert not missing, f"document these in docs/settings.md: {sorted(missing)}"


def test_every_lotsen_variable_used_in_code_is_a_documented_setting() -> None:
    documented = set(re.findall(r"`(LOTSEN_[A-Z_]+)`", (ROOT / "docs" / "settings.md").read_text()))
    used: set[str] = set()
    for path in [
        *ROOT.joinpath("src").rglob("*.py"),
        *ROOT.joinpath("tests").rglob("*.py"),
        ROOT / ".ci" / "run",
        ROOT / "Makefile",
    ]:
        used |= set(re.findall(r"LOTSEN_[A-Z_]+[A-Z]", path.read_text()))
    assert used - documented == set()


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("LOTSEN_PORT", "8123")
    settings = get_settings()
    assert settings.database_url == "sqlite:///elsewhere.db"
    assert settings.port == 8123
