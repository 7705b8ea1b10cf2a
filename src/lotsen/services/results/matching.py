"""Results of need → people matching and allocation."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict

from lotsen.services.results import Record


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
