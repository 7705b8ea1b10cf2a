"""Results of the job-ad use cases: classify, ingest, evaluate, stats, analyse, titles.

The enrichment and the statistics are built in ``lotsen.ads`` (the core, which cannot
import these names); the service hands them on unchanged, so the shapes here describe
what the core builds.
"""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict


class RankedGroup(TypedDict):
    code: str
    label: str
    probability: float


class RankedName(TypedDict):
    concept_id: str
    label: str
    probability: float


class FoundSkill(TypedDict):
    concept_id: str | None  # None: a competence the taxonomy lacks
    label: str
    start: int
    end: int
    requirement: str  # required | meriting | unspecified


class Enrichment(TypedDict):
    ssyk4: list[RankedGroup]
    occupation_names: list[RankedName]
    skills: list[FoundSkill]
    model: str


class EnrichedAd(TypedDict):
    """An input ad with ``enrichment`` added; the ad's own fields are kept as given."""

    id: NotRequired[Any]
    headline: str
    description: Any  # a string or {"text": ...}, as the ad had it
    enrichment: Enrichment


class ClassifiedFile(TypedDict):
    input: str
    output: str
    ads: int
    scheduler: str


class IngestCounts(TypedDict):
    records: int
    stored: int
    already_stored: int
    duplicate_ids_in_file: int
    reposts: int
    rejected: int


class IngestedFile(IngestCounts):
    file: str
    rejects_file: str | None
    problems: list[str]  # the first 20


class Ingested(IngestCounts):
    """Each file ingested, and the counts over all of them."""

    files: list[IngestedFile]


class Evaluation(TypedDict):
    file: str
    skills_gold: str | None
    training_overlap: int
    ads: int
    systems: dict[str, dict[str, Any]]  # per system (lotsen, baseline): its metrics


class MonthCount(TypedDict):
    month: str
    ads: int


class AdCell(TypedDict):
    ssyk4: str
    label: str
    municipality_code: str
    municipality: str
    month: str
    ads: int


class GroupSkill(TypedDict):
    concept_id: str
    label: str
    ads: int
    required: int


class AdGroup(TypedDict):
    ssyk4: str
    label: str
    ads: int
    recent: NotRequired[int]
    previous: NotRequired[int]
    growth: NotRequired[float | None]
    top_skills: list[GroupSkill]


class AdStats(TypedDict):
    region: list[str]
    ads: int
    synthetic_ads: int  # of ``ads``, made up (the demo region's); the rest are real
    months: list[str]
    by_month: list[MonthCount]
    cells: list[AdCell]
    groups: list[AdGroup]
    window_months: int


class TextPiece(TypedDict):
    text: str
    skill: NotRequired[FoundSkill]


class AnalysedAd(TypedDict):
    headline: str
    enrichment: Enrichment
    pieces: list[TextPiece]


class RankedTitle(TypedDict):
    qid: str
    id: str
    rank: int
    score: float
    label: str


class TitleRanking(TypedDict):
    queries: int
    output: str | None
    embeddings: bool
    results: list[RankedTitle]


class TitleMatchRow(TypedDict):
    id: str
    label: str
    score: float


class TitleQueryResult(TypedDict):
    query: str
    matches: list[TitleMatchRow]


class TitleRequestRanking(TypedDict):
    embeddings: bool
    results: list[TitleQueryResult]


class TitleSuggestion(TypedDict):
    concept_id: str
    preferred_label: str
    matched: str
    ssyk4: str | None
    score: float


class TitleSuggestions(TypedDict):
    query: str
    results: list[TitleSuggestion]
