"""Open the database named by a URL, bring its schema up to date, hand out sessions.

SQLite (a file) is the embedded default; PostgreSQL is the server database. The
same code serves both: only the URL differs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from lotsen.errors import DatabaseError, SchemaTooNew


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and pick the psycopg 3 driver for them."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _check_sqlite_path(url: str) -> None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return
    path = Path(database)
    if not path.parent.exists():
        raise DatabaseError(
            f"the folder {path.parent} for the database file {path} does not exist: "
            "create it or set LOTSEN_DATABASE_URL to a path in an existing folder"
        )
    if path.exists() and not path.is_file():
        raise DatabaseError(f"{path} is not a file: point LOTSEN_DATABASE_URL at a database file")


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@cache
def get_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        _check_sqlite_path(url)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        # As many connections as a web worker has threads (web/warmup.py THREADS): a
        # request's thread never waits for a connection; 2 workers stay far below
        # PostgreSQL's default max_connections (100).
        engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    return engine


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("lotsen.store") / "migrations"))
    config.attributes["engine"] = engine
    return config


def schema_status(engine: Engine) -> tuple[str | None, str]:
    """(revision in the database, newest revision this code knows)."""
    script = ScriptDirectory.from_config(_alembic_config(engine))
    head = script.get_current_head()
    assert head is not None
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except OperationalError as error:
        raise DatabaseError(
            f"cannot open the database ({error.orig}): check LOTSEN_DATABASE_URL"
        ) from None
    return current, head


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; refuse a database from a newer Lotsen."""
    current, head = schema_status(engine)
    if current == head:
        return
    script = ScriptDirectory.from_config(_alembic_config(engine))
    if current is not None and not _known(script, current):
        raise SchemaTooNew(
            f"the database has schema revision {current}, newer than this Lotsen knows "
            f"({head}): upgrade Lotsen (pip install -U lotsen) before using this database",
            params={"current": current, "head": head},
        ) from None
    try:
        command.upgrade(_alembic_config(engine), "head")
    except OperationalError as error:
        raise DatabaseError(
            f"cannot write the database ({error.orig}): check that the file is writable "
            "and LOTSEN_DATABASE_URL is right"
        ) from None


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


@cache
def _sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def open_database(url: str) -> Engine:
    """The engine for ``url`` with its schema migrated (once per process and URL)."""
    engine = get_engine(url)
    if engine not in _migrated:
        migrate(engine)
        _migrated.add(engine)
    return engine


_migrated: set[Engine] = set()


def forget_engines() -> None:
    """Drop cached engines (tests that recreate a database under the same URL)."""
    for engine in list(_migrated):
        engine.dispose()
    _migrated.clear()
    _sessionmaker.cache_clear()
    get_engine.cache_clear()


@contextmanager
def writers_race(conflict: Callable[[], Exception], *races: type[Exception]) -> Iterator[None]:
    """Raise ``conflict()`` when this writer lost to another: for the errors in ``races``
    (a stale row version, a unique key another writer took first) and for SQLite's
    refusal of a write whose snapshot another writer made stale (SQLITE_BUSY), the same
    situation as a version mismatch."""
    try:
        yield
    except races:
        raise conflict() from None
    except OperationalError as error:
        message = str(error.orig)
        if "locked" in message or "busy" in message.lower():
            raise conflict() from None
        raise


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work lands whole on success and not at all on error."""
    session = _sessionmaker(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
