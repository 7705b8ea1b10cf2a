"""What every request handler needs: the database and the acting user."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import Engine

from lotsen.services.access import SYSTEM, Actor


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def actor_of(request: Request) -> Actor:
    # Accounts and roles arrive with the multi-tenant work; until then the app
    # runs as one local installation and acts with full rights.
    actor: Actor = getattr(request.state, "actor", SYSTEM)
    return actor
