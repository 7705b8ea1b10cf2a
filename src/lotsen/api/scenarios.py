"""Establishment scenarios over HTTP: run a scenario document, list and run the examples,
save a run to share with the region and read the saved runs."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from lotsen.api.deps import RowId, actor_of, engine_of
from lotsen.errors import InvalidInput
from lotsen.services import saved_scenarios as saved_runs
from lotsen.services import scenario_backtests, scenarios
from lotsen.services.results import Deleted
from lotsen.services.results.regional import Backtest
from lotsen.services.results.scenarios import SavedRun, ScenarioResult

router = APIRouter(prefix="/api/v1")

# Content type of the request body → the reader; text/plain is TOML or YAML (guessed,
# or named with ?format=).
KINDS = {
    "application/json": "json",
    "application/toml": "toml",
    "text/toml": "toml",
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
    "text/x-yaml": "yaml",
    "text/plain": None,
}
_TEXT = {"type": "string", "description": "The scenario file's text (see docs/scenarios.md)"}
RUN_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The scenario: a JSON object with the keys of a scenario file, or the "
                       "text of a TOML or YAML scenario file.",
        "content": {
            "application/json": {"schema": {"type": "object", "additionalProperties": True}},
            "application/yaml": {"schema": _TEXT},
            "text/plain": {"schema": _TEXT},
        },
    }
}
RUNS = Query(scenarios.DEFAULT_RUNS, ge=1, le=scenarios.MAX_RUNS, description="Monte Carlo runs")
SEED = Query(0, ge=0, le=scenarios.MAX_SEED, description="The same seed gives the same result")


@router.post("/scenarios/run", tags=["scenarios"], openapi_extra=RUN_BODY)
async def run_scenario(
    request: Request,
    runs: int = RUNS,
    seed: int = SEED,
    format: str | None = Query(None, pattern="^(toml|yaml)$",
                               description="For text/plain bodies: toml or yaml (else guessed)"),
) -> ScenarioResult:
    """Run a scenario: P10/P50/P90 per year and municipality, sensitivity, assumptions,
    sources, occupation ``needs`` and ``gap_needs`` (whole people from this year on, the
    ``scenario_needs`` of ``POST /api/v1/gaps``). A bad document answers 422 with the key
    and the line in the message, as the CLI prints it."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in KINDS:
        raise InvalidInput(f"send the scenario as {', '.join(KINDS)}; got {media or 'nothing'!r}",
                           "content-type")
    source = scenarios.source_of(await request.body(), "body", KINDS[media] or format)
    name = {"json": "scenario.json", "toml": "scenario.toml"}.get(source.kind, "scenario.yaml")
    actor = actor_of(request)
    # The run is CPU-bound numpy work: keep it off the event loop.
    return await run_in_threadpool(scenarios.run_scenario_text, source.text, source.kind, name,
                                   runs, seed, scenarios.NO_OVERRIDES, actor=actor,
                                   engine=engine_of(request))


class BacktestIn(BaseModel):
    """Project ``municipality_code`` from 31 Dec ``origin`` to ``to`` with only the data up
    to ``origin``; optionally with an establishment ``scenario`` (TOML or YAML text,
    starting at origin + 1)."""

    municipality_code: str = Field(..., pattern=r"^\d{4}$")
    origin: int = Field(..., ge=2006, le=2100)
    to: int = Field(..., ge=2007, le=2140)
    scenario: str | None = Field(None, max_length=200_000)
    format: str = Field("toml", pattern="^(toml|yaml)$")
    runs: int = Field(scenarios.DEFAULT_RUNS, ge=1, le=scenarios.MAX_RUNS)
    seed: int = Field(0, ge=0, le=scenarios.MAX_SEED)


@router.post("/scenarios/backtest", tags=["scenarios"])
async def scenario_backtest(request: Request, body: BacktestIn) -> Backtest:
    """Rows ``{year, age_group, sex, projected_p10, projected_p50, projected_p90, actual}``
    (age groups 0, 1–5, 6–15, 16–19, 20–64, 65–79, 80+, total), as
    ``lotsen scenario backtest`` prints them."""
    actor = actor_of(request)
    return await run_in_threadpool(
        lambda: scenario_backtests.backtest(
            body.municipality_code, body.origin, body.to, scenario_text=body.scenario,
            kind=body.format, runs=body.runs, seed=body.seed, actor=actor))


@router.get("/scenarios/examples", tags=["scenarios"])
def scenario_examples(request: Request) -> dict[str, Any]:
    """The shipped example scenarios and back-tests, by name."""
    return {"results": scenarios.list_examples(actor=actor_of(request))}


@router.get("/scenarios/examples/{name}/result", tags=["scenarios"])
def scenario_example_result(request: Request, name: str, runs: int = RUNS,
                            seed: int = SEED) -> ScenarioResult:
    """Run a shipped example (the same document as ``POST /scenarios/run`` gives)."""
    return scenarios.run_example(name, runs, seed, actor=actor_of(request),
                                 engine=engine_of(request))


class SavedScenarioIn(BaseModel):
    """Save a run: either ``key`` (a result this process computed, as ``/run`` answers
    it) or ``document`` (a scenario file's text, or a JSON object of its keys) run now
    with ``runs`` and ``seed``."""

    name: str = Field(..., min_length=1, max_length=saved_runs.MAX_NAME)
    key: str | None = Field(None, max_length=64, description="The `key` of a result of /run")
    document: str | dict[str, Any] | None = Field(
        None, description="The scenario file's text, or a JSON object with its keys")
    format: str | None = Field(None, pattern="^(toml|yaml|json)$",
                               description="toml, yaml or json (else guessed from the text)")
    runs: int = Field(scenarios.DEFAULT_RUNS, ge=1, le=scenarios.MAX_RUNS)
    seed: int = Field(0, ge=0, le=scenarios.MAX_SEED)


@router.post("/scenarios/saved", tags=["scenarios"], status_code=201)
async def save_scenario(request: Request, body: SavedScenarioIn) -> SavedRun:
    """Save a scenario run to share with the region (every signed-in role reads it).
    Answers the saved run with its ``id`` and ``result``."""
    actor, engine = actor_of(request), engine_of(request)
    if body.key is None and body.document is None:
        raise InvalidInput("send `key` (of a result of /api/v1/scenarios/run) or `document`",
                           "body")
    if body.key is not None:
        return await run_in_threadpool(saved_runs.save_result, engine, body.name, body.key,
                                       actor=actor)
    if isinstance(body.document, dict):
        text, kind = json.dumps(body.document, indent=2, ensure_ascii=False), "json"
    else:
        text = body.document or ""
        kind = body.format or scenarios.guess_kind(text)
    name = {"json": "scenario.json", "toml": "scenario.toml"}.get(kind, "scenario.yaml")
    return await run_in_threadpool(
        lambda: saved_runs.save_result(engine, body.name, text=text, kind=kind, file_name=name,
                                      runs=body.runs, seed=body.seed, actor=actor))


@router.get("/scenarios/saved", tags=["scenarios"])
def saved_scenarios(request: Request) -> dict[str, Any]:
    """Every saved scenario run of the region, newest first (without the results)."""
    return {"results": saved_runs.list_saved(engine_of(request), actor=actor_of(request))}


@router.get("/scenarios/saved/{saved_id}", tags=["scenarios"])
def saved_scenario(request: Request, saved_id: RowId) -> SavedRun:
    """One saved run: who saved it and when, its document and options, and ``result``."""
    return saved_runs.get_saved(engine_of(request), saved_id, actor=actor_of(request))


@router.delete("/scenarios/saved/{saved_id}", tags=["scenarios"])
def delete_saved_scenario(request: Request, saved_id: RowId) -> Deleted:
    """Delete a saved run: only the account that saved it, or a system administrator."""
    return saved_runs.delete_saved(engine_of(request), saved_id, actor=actor_of(request))
