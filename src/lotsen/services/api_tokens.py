"""API tokens: made for an account, shown once, bounded in life, revoked by the owner.

No token lives longer than ``LOTSEN_TOKEN_MAX_DAYS`` from its creation, whatever its
stored expiry says (tokens made before that rule had none).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from lotsen.auth import tokens
from lotsen.errors import InvalidInput, LimitExceeded, NotFound
from lotsen.services.access import Actor, may_manage_token, require_admin
from lotsen.services.accounts import actor_of_account, find_account
from lotsen.services.results.accounts import ApiTokenInfo, NewApiToken
from lotsen.settings import get_settings
from lotsen.store.db import transaction
from lotsen.store.models import ApiToken, UserAccount, utcnow


def actor_for_token(engine: Engine, token: str) -> Actor | None:
    """The account behind a bearer token, or None when unknown, revoked or expired."""
    if not tokens.looks_like_token(token):
        return None
    now = utcnow()
    with transaction(engine) as session:
        row = session.scalars(
            select(ApiToken).where(ApiToken.token_hash == tokens.token_hash(token))
        ).one_or_none()
        if row is None or row.revoked_at is not None:
            return None
        if row.expires_at is not None and row.expires_at <= now:
            return None
        if row.created_at + timedelta(days=get_settings().token_max_days) <= now:
            return None  # made before expiries were required, or the maximum was lowered
        user = session.get(UserAccount, row.user_id)
        if user is None or not user.is_active:
            return None
        # Coarse "last used": one write per token per minute at most, not per request.
        if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
            row.last_used_at = now
        return actor_of_account(user)


def create_token(
    engine: Engine, username: str, name: str, days: int | None = None, *, actor: Actor,
) -> NewApiToken:
    """A new API token valid ``days`` (default and maximum ``LOTSEN_TOKEN_MAX_DAYS``);
    the plain token is in the answer once and never again."""
    if actor.username != username.strip().lower():
        require_admin(actor)
    if not name.strip():
        raise InvalidInput("give the token a name that says what uses it", "name")
    longest = get_settings().token_max_days
    days = longest if days is None else days
    if not 0 < days <= longest:
        raise LimitExceeded(
            f"days must be between 1 and {longest} (LOTSEN_TOKEN_MAX_DAYS), got {days}", "days",
            quantity="token_days", limit=longest, value=days)
    plain = tokens.new_token()
    with transaction(engine) as session:
        user = find_account(session, username)
        row = ApiToken(
            user_id=user.id,
            name=name.strip()[:100],
            token_hash=tokens.token_hash(plain),
            prefix=tokens.display_prefix(plain),
            expires_at=utcnow() + timedelta(days=days),
        )
        session.add(row)
        session.flush()
        return {**_token_to_dict(row), "token": plain}


def _token_to_dict(row: ApiToken) -> ApiTokenInfo:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat(timespec="seconds") if value else None

    return {
        "id": row.id,
        "name": row.name,
        "prefix": row.prefix,
        "created_at": iso(row.created_at),
        "expires_at": iso(row.expires_at),
        "last_used_at": iso(row.last_used_at),
        "revoked": row.revoked_at is not None,
    }


def list_tokens(engine: Engine, username: str, *, actor: Actor) -> list[ApiTokenInfo]:
    if actor.username != username.strip().lower():
        require_admin(actor)
    with transaction(engine) as session:
        user = find_account(session, username)
        rows = session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
        ).all()
        return [_token_to_dict(r) for r in rows]


def revoke_token(engine: Engine, token_id: int, *, actor: Actor) -> None:
    with transaction(engine) as session:
        row = session.get(ApiToken, token_id)
        if row is None or not may_manage_token(actor, row.user_id):
            raise NotFound(f"no API token with id {token_id}", code="api_token_not_found",
                           params={"token_id": token_id})
        row.revoked_at = row.revoked_at or utcnow()
