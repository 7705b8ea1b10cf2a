"""API tokens: random, shown once, stored only as SHA-256.

A token is high-entropy (256 bits), so a plain SHA-256 is enough to store it: no
slow hash is needed, and lookup by hash stays one indexed query per request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX = "lotsen_"


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(token: str) -> bool:
    return token.startswith(PREFIX) and 20 <= len(token) <= 100


def display_prefix(token: str) -> str:
    """The first characters, enough for a person to tell tokens apart in a list."""
    return token[: len(PREFIX) + 5]


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def same_secret(a: str | None, b: str | None) -> bool:
    """Constant-time comparison; a missing value never matches."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode(), b.encode())
