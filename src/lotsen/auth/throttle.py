"""Progressive delay for failed logins, per (account name, client address).

A hard lock after N failures lets anyone lock anyone out with N requests. Here each
failure from one address on one account name past a few free attempts makes that
pair wait (30 s, doubling up to 5 minutes) before it may try again; other addresses are not slowed,
and the answer is the same whether the account exists or not. Kept in memory per
process: a restart forgets it, and with several workers each counts its own share.
"""

from __future__ import annotations

import threading
import time

FREE_ATTEMPTS = 5
FIRST_DELAY_SECONDS = 30.0
MAX_DELAY_SECONDS = 300.0
MAX_KEYS = 100_000


class LoginThrottle:
    def __init__(self) -> None:
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}
        self._lock = threading.Lock()
        self._now = time.monotonic

    def wait_seconds(self, username: str, client: str) -> float:
        """How long this pair must still wait before a login attempt is checked."""
        with self._lock:
            count, last = self._failures.get((username, client), (0, 0.0))
        if count < FREE_ATTEMPTS:
            return 0.0
        delay = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2.0 ** (count - FREE_ATTEMPTS))
        return max(0.0, last + delay - self._now())

    def failed(self, username: str, client: str) -> None:
        with self._lock:
            if len(self._failures) >= MAX_KEYS:
                self._failures.clear()  # bounded memory beats perfect memory
            count, _ = self._failures.get((username, client), (0, 0.0))
            self._failures[(username, client)] = (count + 1, self._now())

    def succeeded(self, username: str, client: str) -> None:
        with self._lock:
            self._failures.pop((username, client), None)


THROTTLE = LoginThrottle()
