"""What the services answer: the shapes at the service boundary, named and typed.

Each is a TypedDict because the product is a dict: the API sends it as JSON (and the
OpenAPI document shows its fields), the CLI prints it with ``--json``, the web
templates read its keys. Naming the keys here lets
mypy check every edge that reads them, and a reader see in one place what a use case
gives back. Records of one kind (a need, a person, a program) stay ``Record``: they
are the rows of ``lotsen.store.records``, and round-trip through imports unchanged.
"""

from __future__ import annotations

from typing import Any, Generic, NotRequired, TypeVar

# typing_extensions' TypedDict: pydantic (FastAPI's response models) needs it before 3.12.
from typing_extensions import TypedDict

Record = dict[str, Any]  # one stored row as lotsen.store.records writes it
Row = TypeVar("Row")


class Page(TypedDict, Generic[Row]):
    """One page of a listing, and where it lies in the whole."""

    results: list[Row]
    total: int
    limit: int
    offset: int


# --- matching ---------------------------------------------------------------------


class Candidate(TypedDict):
    """One ranked person for a need, with why (explainer) and, on the need page, how."""

    person_id: int
    pseudonym: str
    score: float
    parts: dict[str, float]
    part_max: dict[str, float]
    matched_skills: list[dict[str, Any]]
    missing_skills: list[dict[str, Any]]
    reasons: list[str]
    pathway: NotRequired[dict[str, Any]]  # need_page only


class MatchResult(TypedDict):
    need: Record  # with labels (occupation, municipality, skills)
    allow_relocation: bool
    eligible: int
    considered: int
    results: list[Candidate]


class Placement(TypedDict):
    person_id: int
    pseudonym: str
    score: float


class AllocatedNeed(TypedDict):
    need_id: int
    title: str
    employer_name: str | None
    municipality_code: str
    municipality_name: str
    start_date: str
    headcount: int
    filled: int
    greedy_filled: int
    fit: float
    people: list[Placement]


class AllocationResult(TypedDict):
    method: str
    top_k: int
    min_score: float
    needs: int
    headcount: int
    candidate_edges: int
    total_fit: float
    assigned: int
    greedy: dict[str, Any]
    edge_greedy_total_fit: float
    gain_over_greedy: float
    seconds: dict[str, float]
    results: list[AllocatedNeed]


# --- gaps -------------------------------------------------------------------------


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


# --- dashboard --------------------------------------------------------------------


class RegionAggregates(TypedDict):
    top_occupations: list[dict[str, Any]]
    open_by_municipality: dict[str, int]
    people_by_municipality: dict[str, int]
    ads_by_month: list[dict[str, Any]]
    tenant_municipalities: list[str]


class Outlook(TypedDict):
    gaps: dict[str, Any]
    scenario: dict[str, Any] | None


class Dashboard(TypedDict):
    """The start page for one actor; the keys after ``outlook`` depend on the role."""

    role: str
    region: RegionAggregates
    outlook: Outlook
    needs: NotRequired[dict[str, Any]]
    programs: NotRequired[list[Record]]
    people: NotRequired[dict[str, int]]
    admin: NotRequired[dict[str, int]]


# --- scenarios --------------------------------------------------------------------


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


class Deleted(TypedDict):
    id: int
    name: str
    deleted: bool
