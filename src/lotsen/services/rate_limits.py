"""Attempts per client address on the public forms (/logga-in, /registrera).

Counted in the database (``store.leases``) so that every worker process shares one
count: counted in memory per process, N workers would allow N times the limit. A
count's window restarts at each counted attempt, so an address stays blocked until
it has been quiet for the whole window.
"""

from __future__ import annotations

from sqlalchemy import Engine

from lotsen.store import leases


def _key(form: str, client: str) -> str:
    return f"rate:{form}:{client}"


def blocked(engine: Engine, form: str, client: str, limit: int) -> bool:
    """True once ``client`` has ``limit`` counted attempts at ``form`` in its window."""
    live = leases.read(engine, _key(form, client))
    return live is not None and live[0] >= limit


def count(engine: Engine, form: str, client: str, window: float) -> None:
    leases.add_one(engine, _key(form, client), window)
