"""Long work (a scenario's Monte Carlo, a gap report over added needs) runs at most
:data:`~lotsen.limits.LONG_WORK_PER_USER` at a time per user; another request of the
same user meanwhile is refused with :class:`~lotsen.errors.TooManyRequests` (HTTP 429,
a Swedish message) instead of queueing CPU work behind it.

It also has a wall-clock budget, ``LOTSEN_WORK_SECONDS``: before it starts, the work is
estimated from the seconds per unit the same kind of work took last in this process
(a seed until then) and refused with :class:`~lotsen.errors.WorkBeyondBudget` (HTTP
413) when the estimate is over the budget. A Python thread cannot be stopped from
outside, so the budget is kept by refusing, not by interrupting; a run that still
overshoots raises the rate, and with it the next estimate.

With a database (every web and API request) the slots are rows every worker process
shares; a caller without one counts them in this process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from lotsen.errors import TooManyRequests, WorkBeyondBudget
from lotsen.limits import LONG_WORK_PER_USER
from lotsen.services.access import SYSTEM, Actor
from lotsen.settings import get_settings
from lotsen.store import leases

log = logging.getLogger(__name__)
_lock = threading.Lock()
_running: Counter[str] = Counter()
# Seconds per unit of each kind of work until this process has timed one: a scenario
# cell (run x year x place; the largest example, 20,000 runs = 3.2 M cells, took ~40 s
# on one core) and a whole gap report with added needs (the 100,000-need region's
# took minutes, the demo's seconds: the seed assumes the large case).
LEASE_BUDGETS = 10
SEED_SECONDS_PER_UNIT = {"scenario_cells": 1.5e-5, "gap_report": 30.0}
_seconds_per_unit: dict[str, float] = dict(SEED_SECONDS_PER_UNIT)


def _who(actor: Actor) -> str | None:
    """The user a slot is counted for; the system (CLI, warm-up) is never limited."""
    if actor == SYSTEM:
        return None
    return f"user:{actor.user_id}" if actor.user_id is not None else f"role:{actor.role}"


def estimate_seconds(kind: str, units: float) -> float:
    return _seconds_per_unit[kind] * units


def forget_timings() -> None:
    """Back to the seeds (tests)."""
    _seconds_per_unit.update(SEED_SECONDS_PER_UNIT)


@contextmanager
def long_work(work: str, *, actor: Actor, kind: str, units: float = 1.0,
              engine: Engine | None = None) -> Iterator[None]:
    """Hold one of ``actor``'s slots for the ``with`` block, or refuse at once: when the
    user runs long work already, or when ``units`` of ``kind`` are estimated to take
    longer than the budget. The time taken sets the rate of the next estimate.

    With ``engine`` (the web and the API pass theirs) the slot is a row in the database
    every worker process shares (``store/leases.py``), so several workers cannot be
    used to run more; without (a caller with no database) it is counted here."""
    who = _who(actor)
    if who is None:  # the system (CLI, warm-up) has no budget, but its runs are timed
        with _timed(kind, units):
            yield
        return
    budget = get_settings().work_seconds
    estimate = estimate_seconds(kind, units)
    if estimate > budget:
        raise WorkBeyondBudget(
            f"{work} would take about {estimate:,.1f} s, more than the {budget:g} s one "
            f"request may take (LOTSEN_WORK_SECONDS)", quantity="work_seconds",
            limit=budget, value=round(estimate, 1), work=work)
    held = _take(engine, who, budget)
    if held is None:
        raise TooManyRequests(f"{work} is already running for this user; wait for it",
                              code="long_work_running", params={"work": work})
    try:
        with _timed(kind, units):
            yield
    finally:
        _give_back(engine, who, held)


def _take(engine: Engine | None, who: str, budget: float) -> str | None:
    """A free slot of ``who`` now held, or None. A slot in the database ends by itself
    after ``LEASE_BUDGETS`` budgets (at least 10 minutes), should its worker die."""
    if engine is not None:
        seconds = max(LEASE_BUDGETS * budget, 600.0)
        return next((key for key in (f"work:{who}:{i}" for i in range(LONG_WORK_PER_USER))
                     if leases.take(engine, key, seconds)), None)
    with _lock:
        if _running[who] >= LONG_WORK_PER_USER:
            return None
        _running[who] += 1
    return who


def _give_back(engine: Engine | None, who: str, held: str) -> None:
    if engine is not None:
        leases.give_back(engine, held)
        return
    with _lock:
        _running[who] -= 1
        if not _running[who]:
            del _running[who]


@contextmanager
def _timed(kind: str, units: float) -> Iterator[None]:
    start = time.monotonic()
    yield  # a failed run says nothing about the rate
    took = time.monotonic() - start
    _seconds_per_unit[kind] = took / max(units, 1e-9)
    if took > get_settings().work_seconds:
        log.warning("%s took %.1f s, over the budget of LOTSEN_WORK_SECONDS", kind, took)
