"""The region-wide figures of the start page and the gap page's outlook, cached.

The figures are the same for every role and move slowly, and the start page is the
most visited page, so each process computes them at most once per
``AGGREGATE_SECONDS`` — and again at once after this process commits a change to the
region's records, which bumps the write generation (another worker's change shows
within ``AGGREGATE_SECONDS``). The outlook (largest gaps, a scenario's bands) takes
seconds, so it is recomputed every ``SLOW_FIGURE_SECONDS`` and never per write; a
saved or deleted scenario run drops the bands at once (invalidation topic).

Each figure is also given with ``wait=False``: then it is None (the outlook's parts
named in ``pending``) while a background thread computes it, so the start page answers
at once after a restart — the outlook takes minutes on a large region — and fills in
on reload.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date, timedelta
from typing import Any, Literal, overload

from sqlalchemy import Engine, String, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from lotsen.services import demo, gaps, saved_scenarios, scenarios
from lotsen.services.access import SYSTEM, Actor, require_aggregates, require_reference_data
from lotsen.services.cache import Cache
from lotsen.services.invalidation import Topic
from lotsen.services.results.dashboard import Outlook, RegionAggregates
from lotsen.services.results.imports import RegionCounts
from lotsen.store.db import transaction
from lotsen.store.models import (
    ApiToken,
    AuditEntry,
    CompetenceNeed,
    JobAd,
    Person,
    SavedScenario,
    Synonym,
    Tenant,
    UserAccount,
    UserSession,
    WorkLease,
)
from lotsen.taxonomy import load_taxonomy

TOP = 10
AGGREGATE_SECONDS = 60.0
SLOW_FIGURE_SECONDS = 300.0
# Engines whose figures are kept (tests and operators rebuild databases; old engines go).
ENGINES_KEPT = 8

# Quick figures follow this process's writes (the write generation is their stamp).
figures: Cache[tuple[Engine, str], Any] = Cache(
    "region figures", max_age=AGGREGATE_SECONDS, max_entries=ENGINES_KEPT * 4,
    staleness=f"{AGGREGATE_SECONDS:g} s; at once after a write in this process")
# The outlook takes seconds: a write only makes it old, it is recomputed in the background.
outlook: Cache[tuple[Engine, str], Any] = Cache(
    "region outlook", max_age=SLOW_FIGURE_SECONDS, max_entries=ENGINES_KEPT * 2,
    staleness=f"{SLOW_FIGURE_SECONDS:g} s; the bands at once after a run is saved here")
bands: Cache[Engine, Any] = Cache(
    "scenario bands", max_age=SLOW_FIGURE_SECONDS, max_entries=ENGINES_KEPT,
    topics=(Topic.SAVED_SCENARIOS,),
    staleness=f"{SLOW_FIGURE_SECONDS:g} s; at once after a run is saved or deleted here")

_generation = [0]
# Rows whose changes leave every region figure as it was (logins, tokens, the audit log).
# Saved scenario runs only change the scenario bands, which are dropped on their own.
_QUIET = frozenset(m.__tablename__ for m in (UserAccount, UserSession, ApiToken, AuditEntry,
                                             Synonym, SavedScenario, WorkLease))
_CHANGED = "lotsen_region_changed"


def _changes_figures(table: str | None) -> bool:
    return table not in _QUIET


# A write is noticed in the session and counted at its commit (see ``track_writes``).
def _note_flush(session: Session, _flush: UOWTransaction) -> None:
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(_changes_figures(getattr(o, "__tablename__", None)) for o in touched):
        session.info[_CHANGED] = True


def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        mapper = state.bind_mapper
        if _changes_figures(getattr(mapper.class_, "__tablename__", None) if mapper else None):
            state.session.info[_CHANGED] = True


def _forget_figures(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        forget_figures()


def _drop_mark(session: Session) -> None:
    session.info.pop(_CHANGED, None)


_LISTENERS = (("after_flush", _note_flush), ("do_orm_execute", _note_statement),
              ("after_commit", _forget_figures), ("after_rollback", _drop_mark))


def track_writes() -> None:
    """Have the quick figures follow this process's writes (else they are up to
    ``AGGREGATE_SECONDS`` old). Called by whoever serves them when it starts (the web
    app's ``create_app``), not on import: importing a module changes no global state.
    Calling it again changes nothing."""
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def forget_figures() -> None:
    """Recompute every quick region figure on next use.

    Takes no lock (it runs inside commits): a figure being computed meanwhile is stored
    under the old generation and so is not used.
    """
    _generation[0] += 1


def clear_figures() -> None:
    """Drop every cached figure, also those that only age (after rebuilding a database
    in place, and between tests)."""
    for cache in (figures, outlook, bands):
        cache.invalidate()


def _figure(cache: Cache[Any, Any], key: Any, compute: Callable[[], Any], stamp: Hashable,
            wait: bool) -> Any:
    return (cache.get if wait else cache.ready)(key, compute, stamp)


@overload
def region_summary(engine: Engine, wait: Literal[True] = True, *,
                   actor: Actor) -> RegionCounts: ...
@overload
def region_summary(engine: Engine, wait: bool, *, actor: Actor) -> RegionCounts | None: ...
def region_summary(engine: Engine, wait: bool = True, *, actor: Actor) -> RegionCounts | None:
    """``demo.summary`` — the headline figures of the start page — cached as above."""
    require_aggregates(actor)
    # One value for every role (cached): the system computes it.
    found: RegionCounts | None = _figure(
        figures, (engine, "summary"), lambda: demo.summary(engine, actor=SYSTEM),
        _generation[0], wait)
    return found


def shows_synthetic_data(engine: Engine, *, actor: Actor) -> bool:
    """Whether pages must say the data is the synthetic demo (asked by every page)."""
    require_reference_data(actor)
    return bool(figures.get((engine, "synthetic"),
                            lambda: demo.has_synthetic_data(engine, actor=SYSTEM),
                            _generation[0]))


def _label(concept_id: str) -> str:
    concept = load_taxonomy().find(concept_id)
    return concept.label if concept else concept_id


@overload
def region_aggregates(engine: Engine, wait: Literal[True] = True, *,
                      actor: Actor) -> RegionAggregates: ...
@overload
def region_aggregates(engine: Engine, wait: bool, *, actor: Actor) -> RegionAggregates | None: ...
def region_aggregates(engine: Engine, wait: bool = True, *,
                      actor: Actor) -> RegionAggregates | None:
    """Open headcount per occupation and per municipality, job ads per month.

    The same for every role, so computed at most once per ``AGGREGATE_SECONDS`` per
    process: the start page is the most visited page and the figures move slowly.
    """
    require_aggregates(actor)
    found: RegionAggregates | None = _figure(
        figures, (engine, "aggregates"), lambda: _compute_aggregates(engine), _generation[0],
        wait)
    return found


def region_outlook(engine: Engine, wait: bool = True, *, actor: Actor) -> Outlook:
    """The region's largest education gaps and the bands of the most recently saved
    scenario run (else a shipped example): aggregates, cached like the others (a gap
    report allocates the whole region, so it must not run per request). With
    ``wait=False`` a part still being computed is None and named in ``pending``."""
    require_aggregates(actor)
    top = _figure(outlook, (engine, "gaps"), lambda: _top_gaps(engine), None, wait)
    # Cached as {} when there is no scenario to show: None means not computed yet.
    shown = _figure(bands, engine, lambda: _scenario_bands(engine) or {}, None, wait)
    return Outlook(gaps=top, scenario=shown or None,
                   pending=[name for name, value in (("gaps", top), ("scenario", shown))
                            if value is None])


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
    saved = saved_scenarios.latest_saved(engine, actor=SYSTEM)
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


def _compute_aggregates(engine: Engine) -> RegionAggregates:
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
    return RegionAggregates(
        top_occupations=[
            {"occupation_id": occ, "label": _label(occ), "headcount": int(n or 0)}
            for occ, n in by_occupation
        ],
        open_by_municipality={k: int(v or 0) for k, v in by_municipality.items()},
        people_by_municipality={k: int(v) for k, v in people_by_municipality.items()},
        ads_by_month=[{"month": m, "ads": int(n)} for m, n in ads if m],
        tenant_municipalities=codes,
    )
