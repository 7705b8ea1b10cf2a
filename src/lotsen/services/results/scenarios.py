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
    result: NotRequired[dict[str, Any]]
