"""Progressive delay for failed logins, per (account name, client address).

A hard lock after N failures lets anyone lock anyone out with N requests. Here each
failure from one address on one account name past a few free attempts makes that
pair wait (30 s, doubling up to 5 minutes) before it may try again; other addresses are not slowed,
and the answer is the same whether the account exists or not. The failures are counted
in the database (``services/logins.py`` with ``store/leases.py``), so every worker
process sees all of them; this module is the policy alone.
"""

from __future__ import annotations

FREE_ATTEMPTS = 5
FIRST_DELAY_SECONDS = 30.0
MAX_DELAY_SECONDS = 300.0
# Failures are forgotten this long after the last one.
KEEP_SECONDS = 24 * 3600.0


def wait_seconds(failures: int, last: float, now: float) -> float:
    """How long a pair with ``failures`` so far, the last at ``last``, must still wait
    at ``now`` (seconds on one clock) before its next attempt is checked."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    delay = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2.0 ** (failures - FREE_ATTEMPTS))
    return max(0.0, last + delay - now)
