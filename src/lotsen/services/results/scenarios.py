"""Results of scenario runs, examples and saved runs."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict


class ExampleScenario(TypedDict):
    name: str
    file: str
    kind: str  # example | backtest
    title: str
    municipality_code: str
    years: dict[str, int]


class SavedRun(TypedDict):
    """A saved scenario run as listed; ``get_saved`` adds the document and the result."""

    id: int
    name: str
    scenario_name: str | None
    municipality_code: str | None
    tenant_id: int | None
    tenant_name: str | None
    created_by: int | None
    created_by_name: str | None
    created_at: str
    kind: str
    runs: int
    seed: int
    overrides: dict[str, Any]
    gap_reference: str
    may_delete: bool
    document: NotRequired[str]
    result: NotRequired[ScenarioResult]


class ScenarioCheck(TypedDict):
    """A scenario file that was read and checked (``lotsen scenario validate``)."""

    file: str
    valid: bool
    name: str
    municipality_code: str
    years: dict[str, int]
    industry: str
    occupation_template: str | None
    commuting_area: list[str]
    parameters_from_file: list[str]
    uncertain_parameters: list[str]


class ScenarioNeed(TypedDict):
    """Jobs a scenario creates in one occupation group, place and year (fractional)."""

    year: int
    municipality_code: str
    ssyk4: str
    headcount: float


class GapNeed(TypedDict):
    """A scenario need as whole people, as the education-gap report counts it."""

    year: int
    municipality_code: str
    ssyk4: str
    headcount: int
    label: str


class RunInputs(TypedDict):
    direct_jobs_peak: int
    local_hire_share: dict[str, float]
    runs: int
    seed: int


class ScenarioResult(TypedDict):
    """A scenario run (``lotsen.scenario.result``): bands per place, year and metric,
    with what it rests on; a run of text adds ``key``, ``inputs`` and ``gap_needs``."""

    scenario: dict[str, Any]  # name, description, file, municipality_code, years ...
    run: dict[str, Any]  # runs, seed, method, percentiles, base_year
    municipalities: list[dict[str, Any]]
    metrics: dict[str, dict[str, Any]]
    rows: list[dict[str, Any]]  # per place and year: each metric's band
    area: list[dict[str, Any]]  # per year: each metric's band over the area
    occupations: list[dict[str, Any]]
    vacancy_chain: dict[str, Any]
    sensitivity: list[dict[str, Any]]
    assumptions: dict[str, Any]
    sources: list[dict[str, Any]]
    warnings: list[str]
    needs: list[ScenarioNeed]
    gap_needs: NotRequired[list[GapNeed]]
    inputs: NotRequired[RunInputs]
    key: NotRequired[str]
    example: NotRequired[str]  # run_example: the example's name
