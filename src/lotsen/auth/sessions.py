"""Signed, time-limited session payloads (itsdangerous), independent of HTTP.

The cookie holds only ``{"uid", "ep", "csrf"}``: the account id, the account's
auth epoch (bumped on password change or deactivation, which invalidates every
older cookie) and the CSRF token. The signature makes it tamper-proof; the age
check bounds how long a stolen cookie works.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

DEFAULT_SECRET = "dev-only-change-me"
log = logging.getLogger(__name__)


class SessionCodec:
    def __init__(self, secret_key: str, max_age_seconds: int) -> None:
        if secret_key == DEFAULT_SECRET:
            # The default key is public (it is in the source): a cookie signed with it
            # could be forged. Use a random key for this process instead; sessions then
            # end on restart and do not carry across workers, so set LOTSEN_SECRET_KEY.
            log.warning("LOTSEN_SECRET_KEY is not set: sessions use a random per-process key")
            secret_key = secrets.token_urlsafe(32)
        self.max_age_seconds = max_age_seconds
        self._serializer = URLSafeTimedSerializer(secret_key, salt="lotsen-session")

    def dumps(self, payload: dict[str, Any]) -> str:
        return self._serializer.dumps(payload)

    def loads(self, value: str | None) -> dict[str, Any]:
        """The payload, or an empty dict for a missing, expired or forged cookie."""
        if not value:
            return {}
        try:
            payload = self._serializer.loads(value, max_age=self.max_age_seconds)
        except BadSignature:
            return {}
        return payload if isinstance(payload, dict) else {}
