"""Saved scenario runs: a run kept in the database to share with the region, and the
references the gap report accepts (an example's name, a result key, ``saved:<id>``).

Saved runs are aggregates (jobs, population, welfare demand per year and
municipality; no personal data): every signed-in role reads every tenant's, the
account that saved one or an administrator deletes it (services/access.py).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from lotsen.errors import InvalidInput, LimitExceeded, NotFound
from lotsen.services import audit, invalidation
from lotsen.services.access import (
    Actor,
    may_delete_saved_scenario,
    require_saved_scenario_delete,
    require_saved_scenario_read,
    require_saved_scenario_save,
)
from lotsen.services.invalidation import Topic
from lotsen.services.results import Deleted
from lotsen.services.results.scenarios import GapNeed, SavedRun, ScenarioResult
from lotsen.services.scenarios import (
    DEFAULT_RUNS,
    NO_OVERRIDES,
    Overrides,
    RunRequest,
    cached_result,
    gap_needs,
    guess_kind,
    results,
    run,
    run_example,
    run_scenario_text,
)
from lotsen.store.db import transaction
from lotsen.store.models import SavedScenario, Tenant

SAVED_PREFIX = "saved:"


def gap_needs_for(
    reference: str, engine: Engine | None = None, *, actor: Actor,
) -> tuple[str, list[GapNeed]]:
    """(scenario name, needs) of an example name, a result key of this process, or a
    saved run ``saved:<id>`` (needs ``engine``)."""
    if reference.startswith(SAVED_PREFIX):
        raw = reference[len(SAVED_PREFIX):]
        if engine is None:
            raise InvalidInput("a saved scenario needs the database", "scenario")
        if not raw.isdigit():
            raise InvalidInput(f"saved:<id> needs a number, got {raw!r}", "scenario")
        saved = get_saved(engine, int(raw), actor=actor)
        return str(saved["result"]["scenario"]["name"]), gap_needs(saved["result"])
    found = cached_result(reference, actor=actor)
    if found is None:
        found = run_example(reference, actor=actor)
    return str(found["scenario"]["name"]), list(found["gap_needs"])


MAX_NAME = 200


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidInput("give the saved scenario a name", "name")
    if len(cleaned) > MAX_NAME:
        raise LimitExceeded(f"the name may be at most {MAX_NAME} characters, got {len(cleaned)}",
                            "name", quantity="name_chars", limit=MAX_NAME, value=len(cleaned))
    return cleaned


def _saved_summary(row: SavedScenario, tenant_name: str | None, actor: Actor) -> SavedRun:
    scenario = row.result.get("scenario", {})
    return SavedRun(
        id=row.id, name=row.name, scenario_name=scenario.get("name"),
        municipality_code=scenario.get("municipality_code"),
        tenant_id=row.tenant_id, tenant_name=tenant_name,
        created_by=row.created_by, created_by_name=row.created_by_name,
        created_at=row.created_at.isoformat(timespec="seconds"),
        kind=row.kind, runs=row.runs, seed=row.seed, overrides=row.overrides,
        gap_reference=f"{SAVED_PREFIX}{row.id}",
        may_delete=may_delete_saved_scenario(actor, row.created_by),
    )


def _tenant_names(session: Any, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(Tenant.id, Tenant.name)
                                .where(Tenant.id.in_(wanted))).all())


def save_result(
    engine: Engine, name: str, key: str | None = None, *, actor: Actor, text: str | None = None,
    kind: str | None = None, file_name: str = "scenario", runs: int = DEFAULT_RUNS, seed: int = 0,
    overrides: Overrides = NO_OVERRIDES,
) -> SavedRun:
    """Save a run to share with the region: a result of this process by ``key``, or a
    document ``text`` (``kind`` toml/yaml/json) run now with ``runs``/``seed``.

    Answers the saved run (as :func:`get_saved`). Written to the audit log.
    """
    require_saved_scenario_save(actor)
    label = _clean_name(name)
    if key is not None:
        held = results.peek(key)
        if held is None:
            raise NotFound(f"no scenario result {key!r} in this process any more; run the "
                           "scenario again and save it, or send its document")
    else:
        if text is None:
            raise InvalidInput("send a scenario document or the key of a result to save", "body")
        kind = kind or guess_kind(text)
        document = run_scenario_text(text, kind, file_name, runs, seed, overrides, actor=actor,
                                     engine=engine)
        held = results.peek(document["key"]) or (document, {
            "text": text, "kind": kind, "runs": runs, "seed": seed,
            "overrides": overrides.as_dict()})
    document, source = held
    with transaction(engine) as session:
        tenant_id = actor.tenant_id
        if tenant_id is not None and session.get(Tenant, tenant_id) is None:
            tenant_id = None
        row = SavedScenario(
            tenant_id=tenant_id, created_by=actor.user_id, created_by_name=actor.username,
            name=label, document=source["text"], kind=source["kind"], runs=source["runs"],
            seed=source["seed"], overrides=source["overrides"], result=dict(document))
        session.add(row)
        session.flush()
        audit.record(session, "create", "saved_scenario", row.id, label, actor=actor)
        saved_id = row.id
    invalidation.changed(Topic.SAVED_SCENARIOS, engine)
    return get_saved(engine, saved_id, actor=actor)


def list_saved(engine: Engine, limit: int = 100, *, actor: Actor) -> list[SavedRun]:
    """Every tenant's saved runs, newest first (aggregates: shared region-wide)."""
    require_saved_scenario_read(actor)
    if not 0 < limit <= 1000:
        raise InvalidInput(f"limit must be between 1 and 1000, got {limit}", "limit")
    with transaction(engine) as session:
        rows = session.scalars(select(SavedScenario).order_by(
            SavedScenario.created_at.desc(), SavedScenario.id.desc()).limit(limit)).all()
        names = _tenant_names(session, {r.tenant_id for r in rows})
        return [_saved_summary(r, names.get(r.tenant_id) if r.tenant_id else None, actor)
                for r in rows]


def latest_saved(engine: Engine, *, actor: Actor) -> SavedRun | None:
    """The most recently saved run with its result, or None when nothing is saved."""
    require_saved_scenario_read(actor)
    with transaction(engine) as session:
        newest = session.scalar(select(SavedScenario.id).order_by(
            SavedScenario.created_at.desc(), SavedScenario.id.desc()).limit(1))
    return None if newest is None else get_saved(engine, newest, actor=actor)


def _saved_row(session: Session, saved_id: int) -> SavedScenario:
    row = session.get(SavedScenario, saved_id)
    if row is None:
        raise NotFound(f"no saved scenario with id {saved_id}")
    return row


def get_saved(engine: Engine, saved_id: int, *, actor: Actor) -> SavedRun:
    """One saved run: its summary, the document and options, and ``result``."""
    require_saved_scenario_read(actor)
    with transaction(engine) as session:
        row = _saved_row(session, saved_id)
        names = _tenant_names(session, {row.tenant_id})
        out = _saved_summary(row, names.get(row.tenant_id) if row.tenant_id else None, actor)
        result = cast(ScenarioResult, dict(row.result))
        result["gap_needs"] = gap_needs(result)  # from this year on, as of today
        out["document"] = row.document
        out["result"] = result
        return out


def delete_saved(engine: Engine, saved_id: int, *, actor: Actor) -> Deleted:
    """Delete a saved run: the account that saved it, or an administrator."""
    require_saved_scenario_read(actor)
    with transaction(engine) as session:
        row = _saved_row(session, saved_id)
        require_saved_scenario_delete(actor, row.created_by)
        name = row.name
        session.delete(row)
        audit.record(session, "delete", "saved_scenario", saved_id, name, actor=actor)
    invalidation.changed(Topic.SAVED_SCENARIOS, engine)
    return Deleted(id=saved_id, name=name, deleted=True)


def save_run(engine: Engine, name: str, key: str, again: RunRequest | None = None, *,
             actor: Actor) -> SavedRun:
    """Save the result ``key``. When this process no longer holds it (a restart, another
    worker), run ``again`` first: the same inputs and seed give the same result."""
    if again is not None and cached_result(key, actor=actor) is None:
        key = str(run(again, actor=actor)["key"])
    return save_result(engine, name, key, actor=actor)
