"""The database a service works on: the URL from settings unless one is given."""

from __future__ import annotations

import os

from sqlalchemy import Engine

from lotsen.settings import get_settings
from lotsen.store.db import open_database


def connect(url: str | None = None) -> Engine:
    return open_database(url or get_settings().database_url)


def connect_if_configured() -> Engine | None:
    """The database when LOTSEN_DATABASE_URL is set, else None: a taxonomy lookup from the
    command line should not create a database file in the current folder."""
    if "LOTSEN_DATABASE_URL" not in os.environ:
        return None
    return connect()
