"""Password hashing with Argon2id (argon2-cffi), the OWASP-recommended default.

Hashes carry their own parameters, so raising the cost later only needs
``needs_rehash`` at the next successful login.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from lotsen.errors import InvalidInput, LimitExceeded

MIN_LENGTH = 10
MAX_LENGTH = 256

# argon2-cffi's defaults (RFC 9106 low-memory profile): t=3, m=64 MiB, p=4.
_hasher = PasswordHasher()

# Verified against when the username does not exist, so a wrong username costs as
# much time as a wrong password and the response time does not reveal accounts.
_DUMMY_HASH = _hasher.hash("not-a-real-password-but-the-same-cost")


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"the password must be at least {MIN_LENGTH} characters long", location="password"
        )
    if len(password) > MAX_LENGTH:
        raise LimitExceeded(f"the password may be at most {MAX_LENGTH} characters", "password",
                            quantity="password_chars", limit=MAX_LENGTH)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; a missing hash still spends the verify time."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
