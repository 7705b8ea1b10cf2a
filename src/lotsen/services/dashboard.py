"""What the start page shows each role: its own work first, region-wide aggregates after.

Own lists (needs, programs, people counts) go through access.scoped, so they hold
only what the role may read. Aggregates — open headcount per occupation and per
municipality, job ads per month — hold no personal data and are the same for
everyone in the region.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, String, func, select
from sqlalchemy.orm import selectinload

from lotsen.services.access import Actor, may, require_aggregates, scoped
from lotsen.store.db import transaction
from lotsen.store.models import (
    AuditEntry,
    CompetenceNeed,
    EducationProgram,
    JobAd,
    Person,
    Tenant,
    UserAccount,
)
from lotsen.store.records import need_to_dict, program_to_dict
from lotsen.taxonomy import load_taxonomy

TOP = 10
AGGREGATE_SECONDS = 60.0
_aggregates: dict[str, tuple[float, dict[str, Any]]] = {}


def _label(concept_id: str) -> str:
    concept = load_taxonomy().find(concept_id)
    return concept.label if concept else concept_id


def region_aggregates(engine: Engine, actor: Actor) -> dict[str, Any]:
    """Open headcount per occupation and per municipality, job ads per month.

    The same for every role, so computed at most once per ``AGGREGATE_SECONDS`` per
    process: the start page is the most visited page and the figures move slowly.
    """
    require_aggregates(actor)
    key = str(engine.url)
    cached = _aggregates.get(key)
    if cached is not None and time.monotonic() - cached[0] < AGGREGATE_SECONDS:
        return cached[1]
    data = _compute_aggregates(engine)
    _aggregates[key] = (time.monotonic(), data)
    return data


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


def _own_needs(session: Any, actor: Actor) -> dict[str, Any]:
    query = scoped(select(CompetenceNeed), "needs", actor).where(CompetenceNeed.status == "open")
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    headcount = session.scalar(
        select(func.sum(query.subquery().c.headcount))
    ) or 0
    latest = session.scalars(
        query.options(selectinload(CompetenceNeed.skills), selectinload(CompetenceNeed.employer))
        .order_by(CompetenceNeed.start_date, CompetenceNeed.id)
        .limit(TOP)
    ).all()
    return {"count": int(total), "headcount": int(headcount),
            "latest": [need_to_dict(n) for n in latest]}


def dashboard(engine: Engine, actor: Actor) -> dict[str, Any]:
    """Everything the start page shows for ``actor``; keys depend on the role."""
    data: dict[str, Any] = {"role": actor.role, "region": region_aggregates(engine, actor)}
    with transaction(engine) as session:
        if may(actor, "needs"):
            data["needs"] = _own_needs(session, actor)
        if may(actor, "programs") and actor.role == "provider":
            programs = session.scalars(
                scoped(select(EducationProgram), "programs", actor)
                .options(selectinload(EducationProgram.provider))
                .order_by(EducationProgram.name)
            ).all()
            wanted = {o["occupation_id"]: o["headcount"] for o in data["region"]["top_occupations"]}
            data["programs"] = [
                {**program_to_dict(p),
                 "demand": sum(wanted.get(o, 0) for o in p.occupations)}
                for p in programs
            ]
        if may(actor, "people"):
            people = scoped(select(Person), "people", actor).subquery()
            data["people"] = {
                "count": int(session.scalar(select(func.count()).select_from(people)) or 0),
                "newly_arrived": int(
                    session.scalar(
                        select(func.count()).select_from(people).where(people.c.newly_arrived)
                    )
                    or 0
                ),
            }
        if actor.is_admin:
            week = date.today() - timedelta(days=7)
            data["admin"] = {
                "accounts": int(session.scalar(select(func.count()).select_from(UserAccount)) or 0),
                "audit_week": int(
                    session.scalar(
                        select(func.count()).select_from(AuditEntry).where(AuditEntry.at >= week)
                    )
                    or 0
                ),
            }
    return data
