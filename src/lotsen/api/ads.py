"""Job-ad endpoints: classify ads, demand statistics, title suggestions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from lotsen.api.deps import actor_of, engine_of
from lotsen.services import ads, titles
from lotsen.services.results.ads import AdStats, TitleRequestRanking, TitleSuggestions

router = APIRouter(prefix="/api/v1")


class ClassifyIn(BaseModel):
    ads: list[dict[str, Any]] = Field(
        ..., description="Ads with id, headline and description (a string or {text})."
    )
    top_k: int = Field(5, ge=1, le=50, description="Ranked candidates per ad.")


@router.post("/ads/classify", tags=["ads"])
def classify_ads(request: Request, body: ClassifyIn) -> dict[str, Sequence[Mapping[str, Any]]]:
    """Each ad with `enrichment`: ranked `ssyk4`, `occupation_names` and `skills`."""
    return {"results": ads.classify(body.ads, body.top_k, actor=actor_of(request))}


@router.get("/ads/stats", tags=["ads"])
def ad_stats(
    request: Request,
    region: list[str] | None = Query(None, description="Kommun or län codes"),
    ssyk4: str | None = None,
    window: int = Query(3, ge=1, le=24),
    top: int = Query(10, ge=1, le=100),
) -> AdStats:
    return ads.stats(engine_of(request), region, ssyk4, window, top, actor=actor_of(request))


@router.get("/titles/suggest", tags=["ads"])
def suggest_titles(request: Request, q: str,
                   limit: int = Query(10, ge=1, le=50)) -> TitleSuggestions:
    """Occupation names for a free-text job title ("vad heter yrket?")."""
    return titles.suggest_titles(q, limit, actor=actor_of(request))


class TitlesIn(BaseModel):
    queries: list[str] = Field(..., description="Free-text job titles, any language.")
    vocabulary: list[tuple[str, str]] | None = Field(
        None, description="(id, label) rows; ids may repeat. Default: occupation names.")
    top: int = Field(10, ge=1, le=100, description="Ids per title.")


@router.post("/titles/rank", tags=["ads"])
def rank_titles(request: Request, body: TitlesIn) -> TitleRequestRanking:
    """Vocabulary ids per title, by character n-grams plus multilingual embeddings."""
    return titles.rank_request(body.queries, body.vocabulary, body.top,
                               actor=actor_of(request))
