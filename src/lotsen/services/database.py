"""The database a service works on: the URL from settings unless one is given."""

from __future__ import annotations

from sqlalchemy import Engine

from lotsen.settings import get_settings
from lotsen.store.db import open_database


def connect(url: str | None = None) -> Engine:
    return open_database(url or get_settings().database_url)
