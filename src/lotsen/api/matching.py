"""Matching endpoints: need → people, pathways, allocation, gaps, transitions, profiles."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from lotsen.api.deps import RowId, actor_of, engine_of
from lotsen.limits import MAX_EXTRA_NEEDS, MAX_HEADCOUNT, MAX_PROPOSALS
from lotsen.services import gaps, matching, profiles
from lotsen.services.results.gaps import GapReport
from lotsen.services.results.matching import (
    AllocationResult,
    MatchResult,
    OccupationProfile,
    Pathway,
    Transitions,
)
from lotsen.spreadsheet import csv_file

router = APIRouter(prefix="/api/v1")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ScenarioNeed(BaseModel):
    year: int = Field(..., ge=gaps.YEARS[0], le=gaps.YEARS[1])
    municipality_code: str = Field(..., max_length=40)
    ssyk4: str = Field(..., max_length=10)
    headcount: int = Field(..., ge=1, le=MAX_HEADCOUNT)
    label: str | None = Field(None, max_length=300)


class GapRequest(BaseModel):
    scenario_needs: list[ScenarioNeed] = Field([], max_length=MAX_EXTRA_NEEDS)
    proposals: int = Field(10, ge=0, le=MAX_PROPOSALS)
    # need, scenario, replacement; all when left out
    sources: list[str] | None = Field(None, max_length=3)
    replacement_years: int = Field(3, ge=1, le=10)


@router.get("/needs/{need_id}/matches", tags=["matching"])
def need_matches(
    request: Request,
    need_id: RowId,
    top: int = Query(10, ge=1, le=matching.MAX_TOP),
    relocation: bool = Query(False, description="The employer accepts people who move"),
) -> MatchResult:
    return matching.match_need(engine_of(request), need_id, top, relocation,
                               actor=actor_of(request))


@router.get("/needs/{need_id}/pathways/{person_id}", tags=["matching"])
def need_pathway(request: Request, need_id: RowId, person_id: RowId) -> Pathway:
    return matching.pathway(engine_of(request), person_id, need_id, actor=actor_of(request))


@router.get("/allocation", tags=["matching"])
def allocation(
    request: Request,
    top_k: int = Query(100, ge=1, le=500),
    min_score: float = Query(40.0, ge=0, le=100),
) -> AllocationResult:
    return matching.allocate(engine_of(request), top_k, min_score, actor=actor_of(request))


SCENARIO = Query(None, description="Add a scenario's training needs: an example's name "
                                   "(GET /api/v1/scenarios/examples) or a result's key")


SOURCES = Query(None, description="Demand sources to count (repeat): need, scenario, "
                                  "replacement; all when left out")
REPLACEMENT_YEARS = Query(gaps.REPLACEMENT_YEARS, ge=1, le=10,
                          description="Years of retirements (reaching 65) counted as demand")


@router.get("/gaps", tags=["gaps"])
def gap_report(request: Request, proposals: int = Query(10, ge=0, le=MAX_PROPOSALS),
               scenario: str | None = SCENARIO, source: list[str] | None = SOURCES,
               replacement_years: int = REPLACEMENT_YEARS) -> GapReport:
    return gaps.gap_report(engine_of(request), proposals=proposals, scenario=scenario,
                           sources=source, replacement_years=replacement_years,
                           actor=actor_of(request))


@router.post("/gaps", tags=["gaps"])
def gap_report_with_scenario(request: Request, body: GapRequest) -> GapReport:
    extra = [n.model_dump() for n in body.scenario_needs]
    return gaps.gap_report(engine_of(request), extra, body.proposals, sources=body.sources,
                           replacement_years=body.replacement_years, actor=actor_of(request))


@router.get("/gaps.csv", tags=["gaps"])
def gap_csv(request: Request, table: str = "rows", scenario: str | None = SCENARIO,
            source: list[str] | None = SOURCES,
            replacement_years: int = REPLACEMENT_YEARS) -> Response:
    report = gaps.gap_report(engine_of(request), scenario=scenario, sources=source,
                             replacement_years=replacement_years, actor=actor_of(request))
    return Response(
        csv_file(gaps.gaps_csv(report, table)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="utbildningsgap-{table}.csv"'},
    )


@router.get("/gaps.xlsx", tags=["gaps"])
def gap_xlsx(request: Request, scenario: str | None = SCENARIO,
             source: list[str] | None = SOURCES,
             replacement_years: int = REPLACEMENT_YEARS) -> Response:
    report = gaps.gap_report(engine_of(request), scenario=scenario, sources=source,
                             replacement_years=replacement_years, actor=actor_of(request))
    return Response(
        gaps.gaps_xlsx(report),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="utbildningsgap.xlsx"'},
    )


@router.get("/occupations/{occupation_id}/transitions", tags=["matching"])
def occupation_transitions(
    request: Request, occupation_id: str, limit: int = Query(10, ge=1, le=50)
) -> Transitions:
    return matching.transitions(engine_of(request), occupation_id, limit, actor=actor_of(request))


@router.get("/occupations/{occupation_id}/profile", tags=["matching"])
def occupation_profile(request: Request, occupation_id: str) -> OccupationProfile:
    return profiles.show(engine_of(request), occupation_id, actor=actor_of(request))
