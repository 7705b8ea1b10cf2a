"""Long work (a scenario's Monte Carlo, a gap report over added needs) runs at most
:data:`~lotsen.limits.LONG_WORK_PER_USER` at a time per user; another request of the
same user meanwhile is refused with :class:`~lotsen.errors.TooManyRequests` (HTTP 429,
a Swedish message) instead of queueing CPU work behind it.

The slots are per process: with several workers a user may run one per worker, which
still bounds the work to the worker count.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from lotsen.errors import TooManyRequests
from lotsen.limits import LONG_WORK_PER_USER
from lotsen.services.access import SYSTEM, Actor

_lock = threading.Lock()
_running: Counter[str] = Counter()


def _who(actor: Actor) -> str | None:
    """The user a slot is counted for; the system (CLI, warm-up) is never limited."""
    if actor == SYSTEM:
        return None
    return f"user:{actor.user_id}" if actor.user_id is not None else f"role:{actor.role}"


@contextmanager
def long_work(work: str, *, actor: Actor) -> Iterator[None]:
    """Hold one of ``actor``'s slots for the ``with`` block, or refuse at once."""
    who = _who(actor)
    if who is None:
        yield
        return
    with _lock:
        if _running[who] >= LONG_WORK_PER_USER:
            raise TooManyRequests(f"{work} is already running for this user; wait for it",
                                  code="long_work_running", params={"work": work})
        _running[who] += 1
    try:
        yield
    finally:
        with _lock:
            _running[who] -= 1
            if not _running[who]:
                del _running[who]
