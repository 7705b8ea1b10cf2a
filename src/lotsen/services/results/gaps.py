"""Results of the education gap report."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict


class AddedScenario(TypedDict):
    reference: str
    name: str
    headcount: int


class GapReport(TypedDict):
    """The education gap: ranked gaps per occupation, skill, municipality and quarter."""

    by_occupation: list[dict[str, Any]]
    by_skill: list[dict[str, Any]]
    by_municipality: list[dict[str, Any]]
    by_quarter: list[dict[str, Any]]
    totals: dict[str, Any]
    proposals: list[dict[str, Any]]
    without_program: list[dict[str, Any]]
    scenario_needs: int
    scenario: AddedScenario | None
    by_source: list[dict[str, Any]]
    by_occupation_year: list[dict[str, Any]]  # demand, filled, gap per SSYK-4 and year
    by_industry: list[dict[str, Any]]  # per employer's SNI 2007 division
    sources: dict[str, Any]  # the demand sources available and counted
    data_sources: list[str]
    rows: list[dict[str, Any]]  # one per need or scenario need: the detail behind the sums
    method: dict[str, str]
