"""Register statistics for the region: replacement demand (SCB), supply, programmes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from lotsen.api.deps import actor_of, engine_of
from lotsen.services import regional, supply

router = APIRouter(prefix="/api/v1/regional")

COUNTY = Query(None, description="County code (24, 25; repeat); default the region's")
OCCUPATION = Query(None, description="SSYK-4 code (repeat); default every occupation")


@router.get("/replacement", tags=["regional"])
def replacement(request: Request, county: list[str] | None = COUNTY,
                occupation: list[str] | None = OCCUPATION,
                years: int = Query(10, ge=1, le=20),
                limit: int | None = Query(None, ge=1, le=1000)) -> dict[str, Any]:
    return regional.replacement_demand(engine_of(request), county or (), occupation or (),
                                       years, limit=limit, actor=actor_of(request))


@router.get("/replacement.csv", tags=["regional"])
def replacement_csv(request: Request, county: list[str] | None = COUNTY,
                    occupation: list[str] | None = OCCUPATION,
                    years: int = Query(10, ge=1, le=20)) -> Response:
    report = regional.replacement_demand(engine_of(request), county or (), occupation or (),
                                         years, actor=actor_of(request))
    return Response(regional.replacement_csv(report), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             'attachment; filename="pensionsavgangar.csv"'})


@router.get("/supply", tags=["regional"])
def supply_where(request: Request,
                 occupation: str = Query(..., description="SSYK-4 code or occupation id"),
                 to: str | None = Query(None, description="Workplace municipality code"),
                 limit: int = Query(15, ge=1, le=100)) -> dict[str, Any]:
    return supply.supply_where(engine_of(request), occupation, to, limit,
                               actor=actor_of(request))
