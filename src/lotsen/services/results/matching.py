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
    pathway: NotRequired[Pathway]  # need_page only


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


class Pathway(TypedDict):
    """The programs that close a person's gaps for a need, in order (``lotsen.match.pathway``)."""

    person_id: int | None
    pseudonym: str | None
    need_id: int | None
    missing_skills: list[dict[str, Any]]  # concept_id, label, requirement
    # The need's skills the person holds, each with its source: stated or validated.
    held_skills: list[dict[str, Any]]
    steps: list[dict[str, Any]]  # one program each: where, when, what it teaches
    uncovered_skills: list[dict[str, Any]]
    ready_date: str
    summary: str
    need: NotRequired[Record]  # the need with labels (``pathway`` only)


class EntryPoint(TypedDict):
    concept_id: str
    preferred_label: str
    ssyk4: str | None
    skill_overlap: float


class Transitions(TypedDict):
    """Nearest occupations to move to from one (``lotsen.match.transitions``)."""

    occupation: dict[str, Any]  # the concept with its ssyk4
    skills: int
    results: list[dict[str, Any]]  # one per target occupation: why, what is missing, programs
    entry_points: list[EntryPoint]


class OccupationProfile(TypedDict):
    """An occupation's skill profile (``lotsen.match.profiles``); ``services.profiles``
    adds the tenant's edits and the version stamp."""

    occupation: dict[str, Any]
    counts: dict[str, int]
    source_weights: dict[str, float]
    skills: list[dict[str, Any]]  # concept_id, label, strength, origins, sources (, edit)
    editable: bool
    removed: NotRequired[list[dict[str, Any]]]
    anchor: NotRequired[dict[str, Any]]  # a local occupation's standard anchor
    version: NotRequired[int]
    latest_version: NotRequired[int]
    tenant: NotRequired[str | None]
    edited_by: NotRequired[str | None]
    edited_at: NotRequired[str | None]
    comment: NotRequired[str | None]


class ProfileVersionInfo(TypedDict):
    version: int
    at: str
    by: str | None
    comment: str | None
    changes: list[dict[str, Any]]  # op, skill_id, label, weight, must


class ProfileHistory(TypedDict):
    occupation_id: str
    tenant: str | None
    versions: list[ProfileVersionInfo]


class SuggestedSkill(TypedDict):
    concept_id: str
    label: str
    strength: float


class NeedSuggestions(TypedDict):
    occupation_id: str
    version: int
    must: list[SuggestedSkill]
    nice: list[SuggestedSkill]


class OccupationOverview(TypedDict):
    transitions: Transitions
    profile: OccupationProfile
