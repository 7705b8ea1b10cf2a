"""What the start page shows each role: its own work first, region-wide aggregates after.

Own lists (needs, programs, people counts) go through access.scope, so they hold
only what the role may read. Aggregates — open headcount per occupation and per
municipality, job ads per month — hold no personal data and are the same for
everyone in the region.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import Engine, String, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, joinedload

from lotsen.services import demo, gaps, invalidation, scenarios
from lotsen.services.access import SYSTEM, Actor, may, reach, require_aggregates, scope
from lotsen.services.invalidation import Topic
from lotsen.store.db import transaction
from lotsen.store.models import (
    ApiToken,
    AuditEntry,
    CompetenceNeed,
    EducationProgram,
    JobAd,
    Person,
    SavedScenario,
    Synonym,
    Tenant,
    UserAccount,
)
from lotsen.store.records import need_to_dict, program_to_dict
from lotsen.taxonomy import load_taxonomy

TOP = 10
AGGREGATE_SECONDS = 60.0
SLOW_FIGURE_SECONDS = 300.0
T = TypeVar("T")

# Region-wide figures per engine: {name: (computed at, generation, value)}. They are the
# same for every role and move slowly, and the start page is the most visited page, so
# each process computes them at most once per AGGREGATE_SECONDS — and again at once
# after this process commits a change to the region's records, which bumps the
# generation (another worker's change shows within AGGREGATE_SECONDS).
_figures: weakref.WeakKeyDictionary[Engine, dict[str, tuple[float, int, Any]]] = (
    weakref.WeakKeyDictionary()
)
_figures_lock = threading.Lock()
_generation = [0]
# Rows whose changes leave every region figure as it was (logins, tokens, the audit log).
# Saved scenario runs only change the scenario bands, which are dropped on their own.
_QUIET = frozenset(m.__tablename__ for m in (UserAccount, ApiToken, AuditEntry, Synonym,
                                             SavedScenario))
_CHANGED = "lotsen_region_changed"


def _changes_figures(table: str | None) -> bool:
    return table not in _QUIET


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _flush: UOWTransaction) -> None:
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(_changes_figures(getattr(o, "__tablename__", None)) for o in touched):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        mapper = state.bind_mapper
        if _changes_figures(getattr(mapper.class_, "__tablename__", None) if mapper else None):
            state.session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _forget_figures(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        forget_figures()


@event.listens_for(Session, "after_rollback")
def _drop_mark(session: Session) -> None:
    session.info.pop(_CHANGED, None)


def forget_figures() -> None:
    """Recompute every cached region figure on next use.

    Takes no lock (it runs inside commits): a figure being computed meanwhile is stored
    under the old generation and so is not used.
    """
    _generation[0] += 1


def clear_figures() -> None:
    """Drop every cached figure, also those that only age (after rebuilding a database
    in place, and between tests)."""
    with _figures_lock:
        _figures.clear()


def forget_scenario_bands(engine: Engine | None = None) -> None:
    """Drop the start page's scenario bands (a run was saved or deleted in this process);
    other workers show the change within SLOW_FIGURE_SECONDS."""
    with _figures_lock:
        for figures in _figures.values():
            figures.pop("scenario", None)


invalidation.subscribe(Topic.SAVED_SCENARIOS, forget_scenario_bands)


def _fresh(entry: tuple[float, int, Any] | None, follow_writes: bool = True) -> bool:
    # Figures that ignore writes take seconds to compute (an allocation of the whole
    # region): recomputing them less often keeps that cost off the start page's p95.
    max_age = AGGREGATE_SECONDS if follow_writes else SLOW_FIGURE_SECONDS
    return (entry is not None and (entry[1] == _generation[0] or not follow_writes)
            and time.monotonic() - entry[0] < max_age)


def _cached(engine: Engine, name: str, compute: Callable[[], T],
            follow_writes: bool = True) -> T:
    """``compute()`` at most once per AGGREGATE_SECONDS per process. With
    ``follow_writes`` also again right after this process wrote to the region's
    records; without it (figures that take seconds), a write only marks them old."""
    entry = _figures.get(engine, {}).get(name)
    if entry is not None and _fresh(entry, follow_writes):
        return entry[2]
    # One thread computes. When the figure is only old (no write since), the others keep
    # answering with it meanwhile instead of queueing behind the recomputation; after a
    # write, or the first time, they wait for the new value.
    merely_old = entry is not None and (entry[1] == _generation[0] or not follow_writes)
    if not _figures_lock.acquire(blocking=not merely_old):
        assert entry is not None
        return entry[2]
    try:
        entry = _figures.get(engine, {}).get(name)
        if entry is not None and _fresh(entry, follow_writes):
            return entry[2]
        generation = _generation[0]
        value = compute()
        _figures.setdefault(engine, {})[name] = (time.monotonic(), generation, value)
        return value
    finally:
        _figures_lock.release()


def region_summary(engine: Engine) -> dict[str, Any]:
    """``demo.summary`` — the headline figures of the start page — cached as above."""
    return _cached(engine, "summary", lambda: demo.summary(engine))


def shows_synthetic_data(engine: Engine) -> bool:
    """Whether pages must say the data is the synthetic demo (asked by every page)."""
    return _cached(engine, "synthetic", lambda: demo.has_synthetic_data(engine))


def _label(concept_id: str) -> str:
    concept = load_taxonomy().find(concept_id)
    return concept.label if concept else concept_id


def region_aggregates(engine: Engine, *, actor: Actor) -> dict[str, Any]:
    """Open headcount per occupation and per municipality, job ads per month.

    The same for every role, so computed at most once per ``AGGREGATE_SECONDS`` per
    process: the start page is the most visited page and the figures move slowly.
    """
    require_aggregates(actor)
    return _cached(engine, "aggregates", lambda: _compute_aggregates(engine))


def region_outlook(engine: Engine, *, actor: Actor) -> dict[str, Any]:
    """The region's largest education gaps and the bands of the most recently saved
    scenario run (else a shipped example): aggregates, cached like the others (a gap
    report allocates the whole region, so it must not run per request)."""
    require_aggregates(actor)
    return {
        "gaps": _cached(engine, "gaps", lambda: _top_gaps(engine), follow_writes=False),
        "scenario": _cached(engine, "scenario", lambda: _scenario_bands(engine),
                            follow_writes=False),
    }


def _top_gaps(engine: Engine) -> dict[str, Any]:
    report = gaps.gap_report(engine, proposals=0, actor=SYSTEM)
    keep = ("ssyk4", "label", "demand", "gap")
    return {
        "largest": [{k: o[k] for k in keep} for o in report["by_occupation"] if o["gap"] > 0][:5],
        "without_program": report["without_program"][:5],
    }


# The start page shows this example's bands; the scenario page runs any other.
DASHBOARD_SCENARIO = "skelleftea-gigafactory"
BAND_METRICS = ("total_jobs", "population_added")


def _scenario_bands(engine: Engine) -> dict[str, Any] | None:
    saved = scenarios.latest_saved(engine, actor=SYSTEM)
    if saved is not None:
        result = saved["result"]
        link = f"/scenarier/sparade/{saved['id']}"
        name = saved["name"]
    else:
        names = {e["name"] for e in scenarios.list_examples(actor=SYSTEM)}
        if DASHBOARD_SCENARIO not in names:
            return None
        result = scenarios.run_example(DASHBOARD_SCENARIO, actor=SYSTEM)
        link = f"/scenarier?exempel={DASHBOARD_SCENARIO}"
        name = result["scenario"]["name"]
    years = [row["year"] for row in result["area"]]
    return {
        "example": DASHBOARD_SCENARIO if saved is None else None,
        "saved_id": saved["id"] if saved is not None else None,
        "saved_by": saved and (saved["created_by_name"] or saved["tenant_name"]),
        "link": link,
        "name": name,
        "years": years,
        "bands": {
            metric: {band: [row["metrics"][metric][band] for row in result["area"]]
                     for band in ("p10", "p50", "p90")}
            for metric in BAND_METRICS
        },
    }


def _compute_aggregates(engine: Engine) -> dict[str, Any]:
    with transaction(engine) as session:
        open_needs = CompetenceNeed.status == "open"
        by_occupation = session.execute(
            select(CompetenceNeed.occupation_id, func.sum(CompetenceNeed.headcount))
            .where(open_needs)
            .group_by(CompetenceNeed.occupation_id)
            .order_by(func.sum(CompetenceNeed.headcount).desc(), CompetenceNeed.occupation_id)
            .limit(TOP)
        ).all()
        by_municipality = dict(
            session.execute(
                select(CompetenceNeed.municipality_code, func.sum(CompetenceNeed.headcount))
                .where(open_needs)
                .group_by(CompetenceNeed.municipality_code)
            ).all()
        )
        people_by_municipality = dict(
            session.execute(
                select(Person.municipality_code, func.count()).group_by(Person.municipality_code)
            ).all()
        )
        since = date.today().replace(day=1) - timedelta(days=365 * 2)
        month = func.substr(func.cast(JobAd.published_at, String(10)), 1, 7)
        ads = session.execute(
            select(month, func.count())
            .where(JobAd.published_at.is_not(None), JobAd.published_at >= since)
            .group_by(month)
            .order_by(month)
        ).all()
        codes = sorted({c for t in session.scalars(select(Tenant)) for c in t.municipality_codes})
    return {
        "top_occupations": [
            {"occupation_id": occ, "label": _label(occ), "headcount": int(n or 0)}
            for occ, n in by_occupation
        ],
        "open_by_municipality": {k: int(v or 0) for k, v in by_municipality.items()},
        "people_by_municipality": {k: int(v) for k, v in people_by_municipality.items()},
        "ads_by_month": [{"month": m, "ads": int(n)} for m, n in ads if m],
        "tenant_municipalities": codes,
    }


def _counts(actor: Actor) -> dict[str, Any]:
    """The role's own figures as scalar subqueries, read in one round trip together."""
    counts: dict[str, Any] = {}
    if may(actor, "needs"):
        needs = scope(actor, "needs").rows(select(CompetenceNeed)).where(
            CompetenceNeed.status == "open").subquery()
        counts["needs"] = select(func.count()).select_from(needs).scalar_subquery()
        counts["headcount"] = select(func.sum(needs.c.headcount)).scalar_subquery()
    if may(actor, "people"):
        people = scope(actor, "people").rows(select(Person)).subquery()
        counts["people"] = select(func.count()).select_from(people).scalar_subquery()
        counts["newly_arrived"] = (
            select(func.count()).select_from(people).where(people.c.newly_arrived)
            .scalar_subquery()
        )
    if may(actor, "audit"):
        week = date.today() - timedelta(days=7)
        counts["accounts"] = select(func.count()).select_from(UserAccount).scalar_subquery()
        counts["audit_week"] = (
            select(func.count()).select_from(AuditEntry).where(AuditEntry.at >= week)
            .scalar_subquery()
        )
    return counts


def _latest_needs(session: Any, actor: Actor) -> list[dict[str, Any]]:
    query = (
        scope(actor, "needs").rows(select(CompetenceNeed))
        .where(CompetenceNeed.status == "open")
        .options(joinedload(CompetenceNeed.skills), joinedload(CompetenceNeed.employer))
        .order_by(CompetenceNeed.start_date, CompetenceNeed.id)
        .limit(TOP)
    )
    return [need_to_dict(n) for n in session.scalars(query).unique()]


def dashboard(engine: Engine, *, actor: Actor) -> dict[str, Any]:
    """Everything the start page shows for ``actor``; keys depend on the role.

    The start page is the most visited page, so the role's own figures come in one
    query and its latest needs (with skills and employer) in one more.
    """
    data: dict[str, Any] = {"role": actor.role, "region": region_aggregates(engine, actor=actor),
                            "outlook": region_outlook(engine, actor=actor)}
    counts = _counts(actor)
    with transaction(engine) as session:
        got: dict[str, Any] = {}
        if counts:
            row = session.execute(
                select(*(query.label(name) for name, query in counts.items()))
            ).one()
            got = {name: int(value or 0) for name, value in row._asdict().items()}
        if "needs" in got:
            data["needs"] = {"count": got["needs"], "headcount": got["headcount"],
                             "latest": _latest_needs(session, actor)}
        if reach(actor, "programs") == "organization":  # a provider: its own programs
            programs = session.scalars(
                scope(actor, "programs").rows(select(EducationProgram))
                .options(joinedload(EducationProgram.provider))
                .order_by(EducationProgram.name)
            ).all()
            wanted = {o["occupation_id"]: o["headcount"] for o in data["region"]["top_occupations"]}
            data["programs"] = [
                {**program_to_dict(p),
                 "demand": sum(wanted.get(o, 0) for o in p.occupations)}
                for p in programs
            ]
        if "people" in got:
            data["people"] = {"count": got["people"], "newly_arrived": got["newly_arrived"]}
        if "accounts" in got:
            data["admin"] = {"accounts": got["accounts"], "audit_week": got["audit_week"]}
    return data
