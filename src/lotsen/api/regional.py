"""Register statistics for the region: replacement demand (SCB), supply, programmes."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from lotsen.api.deps import actor_of, engine_of
from lotsen.errors import InvalidInput
from lotsen.services import capacity, chains, regional, supply
from lotsen.services.results.regional import (
    CapacityPlan,
    ReplacementDemand,
    SupplyPlaces,
    VacancyChains,
)
from lotsen.spreadsheet import csv_file

router = APIRouter(prefix="/api/v1/regional")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COUNTY = Query(None, description="County code (24, 25; repeat); default the region's")
OCCUPATION = Query(None, description="SSYK-4 code (repeat); default every occupation")


@router.get("/replacement", tags=["regional"])
def replacement(request: Request, county: list[str] | None = COUNTY,
                occupation: list[str] | None = OCCUPATION,
                years: int = Query(10, ge=1, le=20),
                limit: int | None = Query(None, ge=1, le=1000)) -> ReplacementDemand:
    return regional.replacement_demand(engine_of(request), county or (), occupation or (),
                                       years, limit=limit, actor=actor_of(request))


@router.get("/replacement.csv", tags=["regional"])
def replacement_csv(request: Request, county: list[str] | None = COUNTY,
                    occupation: list[str] | None = OCCUPATION,
                    years: int = Query(10, ge=1, le=20)) -> Response:
    report = regional.replacement_demand(engine_of(request), county or (), occupation or (),
                                         years, actor=actor_of(request))
    return _csv(regional.replacement_csv(report), "pensionsavgangar.csv")


SUPPLY_OCCUPATION = Query(..., description="SSYK-4 code or occupation id")
SUPPLY_TO = Query(None, description="Workplace municipality code")
SUPPLY_LIMIT = Query(15, ge=1, le=100)


@router.get("/supply", tags=["regional"])
def supply_where(request: Request,
                 occupation: str = SUPPLY_OCCUPATION, to: str | None = SUPPLY_TO,
                 limit: int = SUPPLY_LIMIT) -> SupplyPlaces:
    return supply.supply_where(engine_of(request), occupation, to, limit,
                               actor=actor_of(request))


@router.get("/supply.csv", tags=["regional"])
def supply_csv(request: Request,
               occupation: str = SUPPLY_OCCUPATION, to: str | None = SUPPLY_TO,
               limit: int = SUPPLY_LIMIT) -> Response:
    """The campaign list (kompetensdagar) as CSV, sources and method as comment rows."""
    report = supply.supply_where(engine_of(request), occupation, to, limit,
                                 actor=actor_of(request))
    return _csv(supply.supply_csv(report), f"kompetensdagar-{report['ssyk4']}.csv")


def _csv(text: str, name: str) -> Response:
    return Response(csv_file(text), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


SOURCE = Query(None, description="Demand sources (repeat): need, scenario, replacement")
COMPLETION = Query(None, ge=0.05, le=1, description="Share of starters who graduate; "
                   "default an assumption (0.70)")
PLACEMENT = Query(None, ge=0.05, le=1, description="Share of graduates working in the "
                  "occupation; default an assumption (0.75)")


@router.get("/capacity", tags=["regional"])
def capacity_plan(request: Request, source: list[str] | None = SOURCE,
                  completion: float | None = COMPLETION,
                  placement: float | None = PLACEMENT) -> CapacityPlan:
    return capacity.capacity_plan(engine_of(request), sources=source, completion=completion,
                                  placement=placement, actor=actor_of(request))


@router.get("/capacity.{fmt}", tags=["regional"])
def capacity_file(request: Request, fmt: str, source: list[str] | None = SOURCE,
                  completion: float | None = COMPLETION,
                  placement: float | None = PLACEMENT) -> Response:
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(f"unknown format {fmt!r}: use csv or xlsx", "fmt")
    data = capacity.capacity_plan(engine_of(request), sources=source, completion=completion,
                                  placement=placement, actor=actor_of(request))
    body, media = ((csv_file(capacity.capacity_csv(data)), "text/csv; charset=utf-8")
                   if fmt == "csv" else (capacity.capacity_xlsx(data), XLSX))
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="utbildningsplatser.{fmt}"'})


EMPLOYER = Query(None, description="Employer id or exact name; default the biggest hirer")
STEPS = Query(2, ge=1, le=2)
OUTSIDE = Query(chains.OUTSIDE_SHARE, ge=0, lt=1)


@router.get("/chains", tags=["regional"])
def vacancy_chains(request: Request,
                   employer: str | None = EMPLOYER, steps: int = STEPS,
                   outside_share: float = OUTSIDE) -> VacancyChains:
    return chains.vacancy_chains(engine_of(request), employer, steps, outside_share,
                                 actor=actor_of(request))


@router.get("/chains.csv", tags=["regional"])
def vacancy_chains_csv(request: Request,
                       employer: str | None = EMPLOYER, steps: int = STEPS,
                       outside_share: float = OUTSIDE) -> Response:
    """The vacancy chain as CSV, assumptions and sources as comment rows."""
    data = chains.vacancy_chains(engine_of(request), employer, steps, outside_share,
                                 actor=actor_of(request))
    return _csv(chains.chains_csv(data), "vakanskedjor.csv")
