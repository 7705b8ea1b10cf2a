"""The one settings object: every ``LOTSEN_*`` environment variable, documented.

A test reads ``docs/settings.md`` and fails when a setting defined here is not
documented there, so add the line when you add a field.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

DEFAULT_DATABASE_FILE = "lotsen.db"


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Settings:
    """Read once per process from the environment (see ``docs/settings.md``)."""

    database_url: str = field(
        default_factory=lambda: _env("LOTSEN_DATABASE_URL", f"sqlite:///{DEFAULT_DATABASE_FILE}"),
        metadata={"env": "LOTSEN_DATABASE_URL"},
    )
    cache_dir: Path = field(
        default_factory=lambda: Path(
            _env("LOTSEN_CACHE_DIR", str(Path.home() / ".cache" / "lotsen"))
        ),
        metadata={"env": "LOTSEN_CACHE_DIR"},
    )
    host: str = field(
        default_factory=lambda: _env("LOTSEN_HOST", "127.0.0.1"),
        metadata={"env": "LOTSEN_HOST"},
    )
    port: int = field(
        default_factory=lambda: int(_env("LOTSEN_PORT", "8000")),
        metadata={"env": "LOTSEN_PORT"},
    )
    secret_key: str = field(
        default_factory=lambda: _env("LOTSEN_SECRET_KEY", "dev-only-change-me"),
        metadata={"env": "LOTSEN_SECRET_KEY"},
    )
    demo_seed: int = field(
        default_factory=lambda: int(_env("LOTSEN_DEMO_SEED", "2026")),
        metadata={"env": "LOTSEN_DEMO_SEED"},
    )
    log_level: str = field(
        default_factory=lambda: _env("LOTSEN_LOG_LEVEL", "INFO"),
        metadata={"env": "LOTSEN_LOG_LEVEL"},
    )
    auth: str = field(
        default_factory=lambda: _env("LOTSEN_AUTH", "on").strip().lower(),
        metadata={"env": "LOTSEN_AUTH"},
    )
    session_hours: float = field(
        default_factory=lambda: float(_env("LOTSEN_SESSION_HOURS", "8")),
        metadata={"env": "LOTSEN_SESSION_HOURS"},
    )
    secure_cookies: str = field(
        default_factory=lambda: _env("LOTSEN_SECURE_COOKIES", "auto").strip().lower(),
        metadata={"env": "LOTSEN_SECURE_COOKIES"},
    )
    retention_days: int = field(
        default_factory=lambda: int(_env("LOTSEN_RETENTION_DAYS", "90")),
        metadata={"env": "LOTSEN_RETENTION_DAYS"},
    )
    consent_valid_days: int = field(
        default_factory=lambda: int(_env("LOTSEN_CONSENT_VALID_DAYS", "1095")),
        metadata={"env": "LOTSEN_CONSENT_VALID_DAYS"},
    )
    audit_retention_days: int = field(
        default_factory=lambda: int(_env("LOTSEN_AUDIT_RETENTION_DAYS", "730")),
        metadata={"env": "LOTSEN_AUDIT_RETENTION_DAYS"},
    )

    @property
    def auth_required(self) -> bool:
        """``LOTSEN_AUTH=off`` is the single-user laptop mode: everyone acts as admin."""
        return self.auth not in ("off", "0", "false", "no")


def get_settings() -> Settings:
    return Settings()


def setting_env_names() -> list[str]:
    return [f.metadata["env"] for f in fields(Settings)]
