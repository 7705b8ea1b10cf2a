"""Every LOTSEN_* setting is documented, and settings are read from the environment."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from lotsen.errors import InvalidInput
from lotsen.settings import (
    from_environment,
    get_settings,
    reset_settings,
    setting_env_names,
    settings_table,
)

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


def test_the_docs_table_is_the_settings_table() -> None:
    """docs/settings.md shows the table generated from the fields, row for row."""
    assert settings_table() in (ROOT / "docs" / "settings.md").read_text(encoding="utf-8"), (
        "regenerate the table: python -m lotsen.settings")


def test_settings_are_read_once_until_reset() -> None:
    first = get_settings()
    os.environ["LOTSEN_PORT"] = "8124"  # behind the cache's back, as a running process would
    try:
        assert get_settings() is first and first.port != 8124
        reset_settings()
        assert get_settings().port == 8124
    finally:
        del os.environ["LOTSEN_PORT"]
        reset_settings()


@pytest.mark.parametrize(("name", "value", "says"), [
    ("LOTSEN_PORT", "80a", "LOTSEN_PORT: must be a whole number, got '80a'"),
    ("LOTSEN_SESSION_HOURS", "-1", "LOTSEN_SESSION_HOURS: must be at least 0.01, got '-1'"),
    ("LOTSEN_AUTH", "maybe", "LOTSEN_AUTH: use one of on, off"),
    ("LOTSEN_SECURE_COOKIES", "always", "LOTSEN_SECURE_COOKIES: use one of auto, on, off"),
])
def test_a_bad_value_names_its_variable(name: str, value: str, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        from_environment({name: value})
    assert str(caught.value).startswith(says)
    assert caught.value.location == name and caught.value.params["got"] == value


def test_values_are_read_as_their_types() -> None:
    read = from_environment({"LOTSEN_AUTH": " OFF ", "LOTSEN_LOG_LEVEL": "debug",
                             "LOTSEN_CACHE_DIR": "~/x", "LOTSEN_SESSION_HOURS": "1.5"})
    assert read.auth_required is False and read.log_level == "DEBUG"
    assert read.cache_dir == Path.home() / "x" and read.session_hours == 1.5
    assert from_environment({}).auth_required is True
