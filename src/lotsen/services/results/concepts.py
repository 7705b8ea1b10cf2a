"""Results of the taxonomy lookups and of a tenant's local concepts."""

from __future__ import annotations

from typing import NotRequired

from typing_extensions import TypedDict


class LocalConceptInfo(TypedDict):
    concept_id: str  # local:<tenant>:<slug>
    type: str
    type_label: str
    preferred_label: str
    description: str | None
    synonyms: list[str]
    anchor_id: str
    anchor_label: str
    ssyk4: str | None
    tenant_id: int
    tenant: str | None
    created_by: str | None
    created_at: str
    local: bool
    changed: NotRequired[list[str]]  # edit_local: the fields it changed


class LocalConcepts(TypedDict):
    results: list[LocalConceptInfo]


class Uses(TypedDict):
    needs: int
    people: int
    programs: int


class DeletedConcept(TypedDict):
    deleted: str
    preferred_label: str
    type: str
    replaced_with: str | None
    moved: Uses
    profile_versions_removed: int


class Hit(TypedDict):
    """One concept found; ``matched`` is the label, synonym or keyword that matched."""

    concept_id: str
    type: str
    preferred_label: str
    ssyk4: str | None
    score: float
    matched: str


class SearchResult(TypedDict):
    query: str
    results: list[Hit]


class ConceptRef(TypedDict):
    concept_id: str
    type: str
    preferred_label: str


class Substitute(ConceptRef):
    substitutability: float


class ConceptDetail(TypedDict):
    """A concept with its broader, narrower, related and substitute concepts."""

    concept_id: str
    type: str
    preferred_label: str
    code: str | None
    deprecated: bool
    definition: str | None
    ssyk4: str | None
    broader: list[ConceptRef]
    narrower: list[ConceptRef]
    related: list[ConceptRef]
    substitutes: list[Substitute]


class SynonymAdded(TypedDict):
    label: str
    concept_id: str
    preferred_label: str
