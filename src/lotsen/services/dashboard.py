"""What the start page shows each role: its own work first, region-wide aggregates after.

Own lists (needs, programs, people counts) go through access.scope, so they hold
only what the role may read. The region-wide aggregates (services/region_figures.py)
hold no personal data and are the same for everyone in the region.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import joinedload

from lotsen.services.access import Actor, may, reach, scope
from lotsen.services.region_figures import region_aggregates, region_outlook
from lotsen.services.results.dashboard import Dashboard
from lotsen.store.db import transaction
from lotsen.store.models import (
    AuditEntry,
    CompetenceNeed,
    EducationProgram,
    Person,
    UserAccount,
)
from lotsen.store.records import need_to_dict, program_to_dict

TOP = 10


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


def dashboard(engine: Engine, wait: bool = True, *, actor: Actor) -> Dashboard:
    """Everything the start page shows for ``actor``; keys depend on the role.

    The start page is the most visited page, so the role's own figures come in one
    query and its latest needs (with skills and employer) in one more. With
    ``wait=False`` the region-wide figures not computed yet are None and named in
    ``pending`` (the page says "beräknas…"); the role's own figures are always there.
    """
    region = region_aggregates(engine, wait, actor=actor)
    outlook = region_outlook(engine, wait, actor=actor)
    data = Dashboard(role=actor.role, region=region, outlook=outlook,
                     pending=(["region"] if region is None else []) + outlook["pending"])
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
            wanted = ({o["occupation_id"]: o["headcount"] for o in region["top_occupations"]}
                      if region is not None else None)
            data["programs"] = [
                {**program_to_dict(p),
                 "demand": None if wanted is None else sum(wanted.get(o, 0)
                                                            for o in p.occupations)}
                for p in programs
            ]
        if "people" in got:
            data["people"] = {"count": got["people"], "newly_arrived": got["newly_arrived"]}
        if "accounts" in got:
            data["admin"] = {"accounts": got["accounts"], "audit_week": got["audit_week"]}
    return data
