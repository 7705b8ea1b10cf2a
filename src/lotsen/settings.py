"""The one settings object: every ``LOTSEN_*`` environment variable, documented.

Each field of :class:`Settings` is one row of the table: its variable is ``LOTSEN_``
and the field's name in capitals, its type says how the value is read, and its
metadata holds the default, the bounds and the sentence ``docs/settings.md`` shows.
The table in the docs is generated from here (``python -m lotsen.settings``) and a
test fails when the two differ.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints

from lotsen.errors import InvalidInput

DEFAULT_DATABASE_FILE = "lotsen.db"
SWITCH = {"on": True, "off": False, "1": True, "0": False, "true": True, "false": False,
          "yes": True, "no": False}


def setting(default: str, doc: str, *, choices: tuple[str, ...] = (),
            minimum: float | None = None) -> Any:
    """One row of the table: the default as the environment would give it, and why."""
    return field(metadata={"default": default, "doc": doc, "choices": choices,
                           "minimum": minimum})


@dataclass(frozen=True)
class Settings:
    """Read from the environment and validated once per process: :func:`get_settings`."""

    database_url: str = setting(
        f"sqlite:///{DEFAULT_DATABASE_FILE}",
        "The database. A SQLite file (`sqlite:///path/to/file.db`, the folder must exist) "
        "or PostgreSQL (`postgresql://user@host:5432/db`). The schema is created and "
        "migrated on first use; a database of a newer Lotsen is refused.")
    cache_dir: Path = setting(
        "~/.cache/lotsen",
        "Where the taxonomy search index and the job-title vectors (titles/, one file per "
        "vocabulary content hash) are cached after their first build. Safe to delete.")
    host: str = setting(
        "127.0.0.1", "Address the web app listens on (`lotsen demo`, `lotsen serve`).")
    port: int = setting("8000", "Port of the web app.", minimum=1)
    secret_key: str = setting(
        "dev-only-change-me",
        "Signs session cookies. Set a long random value in every real installation, the "
        "same for every worker. While it is the default, each process uses a random key "
        "instead (sessions end on restart and do not work across several workers), and "
        "`lotsen serve` refuses to start on PostgreSQL or a non-local address.")
    demo_seed: int = setting(
        "2026", "Seed of the synthetic demo region; the same seed gives the same region.")
    log_level: str = setting(
        "INFO", "Log level of the web app and batch jobs.",
        choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
    auth: str = setting(
        "on",
        "`on`: every page and API call needs a logged-in account or an API token (pages "
        "redirect to `/logga-in`, the API answers 401). `off`: single-user laptop mode — "
        "no login, everyone acts as system administrator, CSRF is not enforced. Never "
        "`off` on a shared server. See `docs/security.md`.",
        choices=tuple(SWITCH))
    session_hours: float = setting(
        "8", "How long a login lasts (absolute, from login).", minimum=0.01)
    work_seconds: float = setting(
        "60", "Wall-clock budget of one request's long work (a scenario run, a gap report "
        "with added needs): work estimated to take longer, from the time such work took "
        "in this process, is refused with HTTP 413 before it starts.", minimum=0.001)
    token_max_days: int = setting(
        "365", "Longest life of an API token in days; a token asked for without an expiry, "
        "or for longer, is refused.", minimum=1)
    trusted_proxies: str = setting(
        "", "Comma-separated client addresses (reverse proxies) whose `X-Forwarded-For` "
        "header is believed for rate limits and the audit log; empty trusts none.")
    secure_cookies: str = setting(
        "auto",
        "`auto`: the session cookie gets `Secure` when the request came over HTTPS (behind "
        "a proxy, run uvicorn with `--proxy-headers`); `on`: always; `off`: never "
        "(plain-HTTP testing only).",
        choices=("auto", "on", "off"))
    retention_days: int = setting(
        "90", "`lotsen retention run` deletes a person this many days after their last "
        "consent ended (withdrawn or expired).", minimum=0)
    consent_valid_days: int = setting(
        "1095", "A consent older than this counts as expired: the person is no longer "
        "shown and becomes due for deletion.", minimum=1)
    audit_retention_days: int = setting(
        "730", "Audit-log entries (who read or changed personal data) older than this are "
        "deleted by `lotsen retention run`.", minimum=1)

    @property
    def auth_required(self) -> bool:
        """``LOTSEN_AUTH=off`` is the single-user laptop mode: everyone acts as admin."""
        return SWITCH[self.auth]


def env_name(name: str) -> str:
    return "LOTSEN_" + name.upper()


def _read(name: str, kind: type, raw: str, meta: Any) -> Any:
    """``raw`` as the field's type, within its bounds; the error names the variable."""
    where = env_name(name)
    value: Any
    if kind is Path:
        value = Path(raw).expanduser()
    elif kind in (int, float):
        try:
            value = kind(raw.strip())
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise InvalidInput(f"must be {what}, got {raw!r}", where,
                               params={"got": raw}) from None
        if meta["minimum"] is not None and value < meta["minimum"]:
            raise InvalidInput(f"must be at least {meta['minimum']:g}, got {raw!r}", where,
                               params={"got": raw, "minimum": meta["minimum"]})
    else:
        value = raw.strip()
    if meta["choices"]:
        value = value.upper() if meta["choices"][0].isupper() else value.lower()
        if value not in meta["choices"]:
            raise InvalidInput(f"use one of {', '.join(meta['choices'])}, got {raw!r}", where,
                               params={"got": raw, "choices": list(meta["choices"])})
    return value


def from_environment(environ: Any = os.environ) -> Settings:
    """Every setting read from ``environ`` (a default where a variable is unset)."""
    kinds = get_type_hints(Settings)
    return Settings(**{
        f.name: _read(f.name, kinds[f.name], environ.get(env_name(f.name), f.metadata["default"]),
                      f.metadata)
        for f in fields(Settings)
    })


_current: list[Settings] = []
_lock = threading.Lock()


def get_settings() -> Settings:
    """The settings of this process: read and validated on the first call, then kept."""
    if not _current:
        with _lock:
            if not _current:
                _current.append(from_environment())
    return _current[0]


def reset_settings() -> None:
    """Read the environment again on the next :func:`get_settings` (tests change it)."""
    with _lock:
        _current.clear()


def setting_env_names() -> list[str]:
    return [env_name(f.name) for f in fields(Settings)]


def settings_table() -> str:
    """The Markdown table of ``docs/settings.md``, one row per setting."""
    rows = ["| variable | default | what it does |", "|---|---|---|"]
    for f in fields(Settings):
        rows.append(f"| `{env_name(f.name)}` | `{f.metadata['default']}` | {f.metadata['doc']} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    sys.stdout.write(settings_table())
