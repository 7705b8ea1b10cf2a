"""What every request handler needs: the database and the acting user."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import Engine

from lotsen.errors import NotAuthenticated
from lotsen.services.access import SYSTEM, Actor


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def actor_of(request: Request) -> Actor:
    """The signed-in account (session cookie or API token), set by web/security.py.

    With ``LOTSEN_AUTH=off`` (one user on a laptop) everyone acts as SYSTEM.
    """
    actor: Actor | None = getattr(request.state, "actor", None)
    if actor is not None:
        return actor
    if not getattr(request.app.state, "auth_required", False):
        return SYSTEM
    raise NotAuthenticated("Logga in först (eller skicka en API-nyckel: Authorization: Bearer).")
