"""Results of the regional reports: replacement demand, supply, vacancy chains,
education capacity, and the population back-tests of the scenario model.

The rows are built in ``lotsen.regional`` (the core), whose ``as_dict`` shapes they
are; each report names its own keys here."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict


class County(TypedDict):
    county_code: str
    county_name: str


class ReplacementDemand(TypedDict):
    counties: list[County]
    first_year: int
    years: int
    rows: list[dict[str, Any]]  # per county and SSYK-4: employed, reaching 65 per year
    total_reaching_65: float
    sources: list[str]
    method: list[str]
    approximation: bool


class DemandRow(TypedDict):
    """One demand row the gap report counts (here: retirements to replace)."""

    source: str
    label: str
    year: int
    municipality_code: str
    ssyk4: str
    headcount: int


class Retirements(TypedDict):
    """Per occupation: employed, reaching 65 per year, and the part counted in the region."""

    employed: int
    reaching_65: list[dict[str, float]]  # year, persons
    counted: float
    region_share: dict[str, float]  # per county


class SupplyPlaces(TypedDict):
    ssyk4: str
    label: str
    target: dict[str, str]  # municipality_code, municipality_name
    counties: list[dict[str, Any]]
    municipalities: list[dict[str, Any]]
    campaign: list[dict[str, Any]]  # the top places, ranked
    job_seekers_min_count: int
    sources: list[str]
    method: list[str]
    approximation: bool


class Employer(TypedDict):
    id: int
    name: str
    municipality_code: str | None
    industry: str | None


class Hire(TypedDict):
    occupation_id: str
    label: str
    headcount: int


class VacancyChains(TypedDict):
    employer: Employer
    county: County
    hires: list[Hire]
    total_hires: int
    steps: list[dict[str, Any]]  # per step: the vacancies left, by occupation and industry
    assumptions: list[str]
    sources: list[str]


class CapacityPlan(TypedDict):
    rows: list[dict[str, Any]]  # per occupation, demand year and programme
    totals: dict[str, float]  # seats_needed, approved_seats, shortfall
    rates: dict[str, Any]  # completion, dropout, placement, assumed
    sources: dict[str, Any]
    data_sources: list[str]
    method: list[str]


class Backtest(TypedDict):
    """Projected population bands against what happened, per year and age group."""

    municipality_code: str
    origin: int
    to: int
    notes: list[str]
    rows: list[dict[str, Any]]  # year, age_group, sex, projected_p10/p50/p90, actual
    scenario: NotRequired[str]  # a back-test of a scenario: its name, runs and seed
    runs: NotRequired[int]
    seed: NotRequired[int]
