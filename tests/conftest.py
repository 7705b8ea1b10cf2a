"""Shared fixtures: real databases (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from lotsen.services.access import SYSTEM
from lotsen.services.cache import wait_for_background
from lotsen.services.demo import build_demo
from lotsen.settings import reset_settings
from lotsen.store.db import forget_engines, normalise_url, open_database

# Tests run in the single-user mode (LOTSEN_AUTH=off, everyone acts as SYSTEM) unless
# marked @pytest.mark.auth. Set before any fixture builds an app: session-scoped live
# servers are created before function-scoped fixtures run.
os.environ["LOTSEN_AUTH"] = "off"
PG_URL = os.environ.get("LOTSEN_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEMO_PEOPLE = 400


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Settings read anew around every test. Set up before ``monkeypatch`` (so torn down
    after it has put the environment back): the next fixture never sees a test's values."""
    reset_settings()
    yield
    reset_settings()


@pytest.fixture(autouse=True)
def _auth_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """LOTSEN_AUTH=off for every test, =on for tests marked ``auth``.

    The process reads its settings once; tests change ``LOTSEN_*`` with ``monkeypatch``,
    so each change here (and in the test, through the same monkeypatch) reads them anew.
    """
    setenv, delenv = monkeypatch.setenv, monkeypatch.delenv

    def setenv_and_reset(name: str, value: str, prepend: str | None = None) -> None:
        setenv(name, value, prepend)
        reset_settings()

    def delenv_and_reset(name: str, raising: bool = True) -> None:
        delenv(name, raising)
        reset_settings()

    monkeypatch.setenv = setenv_and_reset  # type: ignore[method-assign]
    monkeypatch.delenv = delenv_and_reset  # type: ignore[method-assign]
    monkeypatch.setenv("LOTSEN_AUTH", "on" if request.node.get_closest_marker("auth") else "off")


def reset_postgres(url: str) -> None:
    """Drop and recreate the schema. A finished test can leave a background computation
    (the start page's figures) reading the database; its locks deadlocked the DROP once
    in CI, so other sessions of this database are ended first (the suite runs in one
    process, so none of them belongs to a running test) and a deadlock is retried."""
    wait_for_background(60.0)  # a finished test's start-page figures, still reading
    forget_engines()
    engine = create_engine(normalise_url(url))
    for attempt in range(5):
        try:
            with engine.begin() as connection:
                connection.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"))
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            break
        except OperationalError as error:
            if "deadlock" not in str(error) or attempt == 4:
                raise
            time.sleep(0.2)
    engine.dispose()


def fresh_url(backend: str, folder: Path) -> str:
    if backend == "postgresql":
        assert PG_URL is not None
        reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{folder / 'lotsen.db'}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL on each backend; the schema is created on first open."""
    yield fresh_url(request.param, tmp_path)
    forget_engines()


@pytest.fixture
def engine(db_url: str) -> Engine:
    return open_database(db_url)


@pytest.fixture(scope="session")
def demo_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A small demo region in SQLite, built once for read-only tests."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    build_demo(open_database(url), seed=7, people=DEMO_PEOPLE, actor=SYSTEM)
    return url


@pytest.fixture
def demo_url(request: pytest.FixtureRequest, tmp_path: Path, demo_sqlite_url: str) -> str:
    """A demo region URL; parametrise with ``backend`` to get PostgreSQL too."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        return demo_sqlite_url
    url = fresh_url(backend, tmp_path)
    build_demo(open_database(url), seed=7, people=DEMO_PEOPLE, actor=SYSTEM)
    return url


@pytest.fixture
def demo_engine(demo_url: str) -> Engine:
    return open_database(demo_url)


@pytest.fixture(params=BACKENDS)
def demo_any_url(request: pytest.FixtureRequest, tmp_path: Path, demo_sqlite_url: str) -> str:
    """A demo region on each backend (PostgreSQL rebuilt per test: use sparingly)."""
    if request.param == "sqlite":
        return demo_sqlite_url
    url = fresh_url(request.param, tmp_path)
    build_demo(open_database(url), seed=7, people=DEMO_PEOPLE, actor=SYSTEM)
    return url
