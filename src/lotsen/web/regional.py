"""Swedish pages: the region in register numbers (retirements, supply, programmes)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from lotsen.api.deps import actor_of, engine_of
from lotsen.services import capacity, chains, regional, supply
from lotsen.web import region_map
from lotsen.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/regionen", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "regional_overview.html", {})


@router.get("/regionen/pensionsavgangar", response_class=HTMLResponse)
def replacement_page(request: Request, lan: str = "", yrke: str = "",
                     antal: int = Query(40, ge=1, le=500)) -> HTMLResponse:
    report = regional.replacement_demand(
        engine_of(request), [lan] if lan else (), [yrke] if yrke else (), limit=antal,
        actor=actor_of(request))
    return templates.TemplateResponse(request, "regional_replacement.html",
                                      {"report": report, "lan": lan, "yrke": yrke})


@router.get("/regionen/kompetens", response_class=HTMLResponse)
def supply_page(request: Request, yrke: str = "", till: str = "",
                antal: int = Query(15, ge=1, le=100)) -> HTMLResponse:
    data = None
    the_map = None
    if yrke:
        data = supply.supply_where(engine_of(request), yrke, till or None, antal,
                                   actor=actor_of(request))
        values = {m["municipality_code"]: round(m["estimated_workers"])
                  for m in data["municipalities"]}
        the_map = region_map.render_svg(values, values, "uppskattade yrkesverksamma")
    return templates.TemplateResponse(request, "regional_supply.html",
                                      {"data": data, "yrke": yrke, "till": till, "map": the_map})


@router.get("/regionen/utbildningsplatser", response_class=HTMLResponse)
def capacity_page(request: Request, genomstromning: float | None = Query(None, ge=0.05, le=1),
                  i_yrket: float | None = Query(None, ge=0.05, le=1)) -> HTMLResponse:
    data = capacity.capacity_plan(engine_of(request), completion=genomstromning,
                                  placement=i_yrket, actor=actor_of(request))
    return templates.TemplateResponse(request, "regional_capacity.html", {"data": data})


@router.get("/regionen/vakanskedjor", response_class=HTMLResponse)
def chains_page(request: Request, arbetsgivare: str = "",
                steg: int = Query(2, ge=1, le=2)) -> HTMLResponse:
    data = chains.vacancy_chains(engine_of(request), arbetsgivare or None, steg,
                                 actor=actor_of(request))
    return templates.TemplateResponse(request, "regional_chains.html",
                                      {"data": data, "arbetsgivare": arbetsgivare})
