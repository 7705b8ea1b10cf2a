"""Core endpoints: taxonomy search, stored records, the region summary."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from lotsen.api.deps import RowId, actor_of, actor_or_public, engine_of
from lotsen.limits import MAX_ID
from lotsen.services import records, region_figures, taxonomy
from lotsen.services.results import Page, Record
from lotsen.services.results.concepts import ConceptDetail, SearchResult, SynonymAdded
from lotsen.services.results.imports import RegionCounts

router = APIRouter(prefix="/api/v1")


class SynonymIn(BaseModel):
    label: str
    concept_id: str


@router.get("/taxonomy/search", tags=["taxonomy"])
def taxonomy_search(
    request: Request,
    q: str = Query(..., description="What the user typed, in Swedish"),
    type: list[str] | None = Query(None, description="Concept types, e.g. occupation-name"),
    limit: int = Query(10, ge=1, le=100),
) -> SearchResult:
    # Public (web/security.py): the residents' registration form autocompletes with it.
    # Anonymous callers get the national taxonomy only, no tenant's local concepts.
    return taxonomy.search(q, type, limit, engine=engine_of(request),
                           actor=actor_or_public(request))


@router.get("/taxonomy/concepts/{concept_id}", tags=["taxonomy"])
def taxonomy_concept(request: Request, concept_id: str) -> ConceptDetail:
    return taxonomy.show(concept_id, actor=actor_of(request))


@router.post("/taxonomy/synonyms", tags=["taxonomy"], status_code=201)
def taxonomy_add_synonym(request: Request, body: SynonymIn) -> SynonymAdded:
    return taxonomy.add_synonym(
        engine_of(request), body.label, body.concept_id, actor=actor_of(request)
    )


@router.get("/summary", tags=["region"])
def region_summary(request: Request) -> RegionCounts:
    return region_figures.region_summary(engine_of(request), actor=actor_of(request))


def _list_route(kind: str) -> None:
    def list_kind(
        request: Request,
        limit: int = Query(100, ge=1, le=records.MAX_LIMIT),
        offset: int = Query(0, ge=0, le=MAX_ID),
        municipality_code: str | None = None,
    ) -> Page[Record]:
        return records.list_records(
            engine_of(request),
            kind,
            limit,
            offset,
            {"municipality_code": municipality_code}, actor=actor_of(request),
        )

    def get_kind(request: Request, record_id: RowId) -> Record:
        return records.get_record(engine_of(request), kind, record_id, actor=actor_of(request))

    router.add_api_route(f"/{kind}", list_kind, methods=["GET"], tags=[kind], name=f"list_{kind}")
    router.add_api_route(
        f"/{kind}/{{record_id}}", get_kind, methods=["GET"], tags=[kind], name=f"get_{kind}"
    )


for _kind in records.KINDS:
    _list_route(_kind)
