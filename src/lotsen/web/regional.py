"""Swedish pages: the region in register numbers (retirements, supply, programmes)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from lotsen.api.deps import actor_of, engine_of
from lotsen.services import regional
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
