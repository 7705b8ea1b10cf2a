"""What every request handler needs: the database and the acting user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from sqlalchemy import Engine

from lotsen.errors import NotAuthenticated
from lotsen.limits import MAX_ID
from lotsen.services.access import PUBLIC, SYSTEM, Actor

# A stored row's id in a path: bounded in the schema (and so in the OpenAPI document) by
# what a database integer holds, like every number a client sends.
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="A stored row's id")]


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


def actor_or_public(request: Request) -> Actor:
    """The signed-in actor, or PUBLIC on a page open to everyone (the residents' form,
    the taxonomy search it autocompletes with); never refuses."""
    actor: Actor | None = getattr(request.state, "actor", None)
    if actor is not None:
        return actor
    return PUBLIC if getattr(request.app.state, "auth_required", False) else SYSTEM
