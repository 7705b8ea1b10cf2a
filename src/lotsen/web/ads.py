"""Swedish pages for job ads: the demand dashboard and "klistra in en annons"."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from lotsen.api.deps import actor_of, engine_of
from lotsen.services import ads
from lotsen.web.templating import templates

router = APIRouter(include_in_schema=False)

REQUIREMENT_LABELS = {"required": "krav", "meriting": "meriterande", "mentioned": "nämns"}


@router.get("/annonser", response_class=HTMLResponse)
def dashboard(request: Request, region: str = "", yrke: str = "") -> HTMLResponse:
    codes = [c.strip() for c in region.replace(",", " ").split() if c.strip()]
    data = ads.stats(engine_of(request), codes or None, yrke.strip() or None,
                     actor=actor_of(request))
    return templates.TemplateResponse(
        request, "ads_dashboard.html", {"data": data, "region": region, "yrke": yrke}
    )


@router.get("/annonser/analysera", response_class=HTMLResponse)
def analyse_form(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "ads_analyse.html", {"result": None, "headline": "", "text": "",
                                      "labels": REQUIREMENT_LABELS}
    )


@router.post("/annonser/analysera", response_class=HTMLResponse)
def analyse(request: Request, rubrik: str = Form(""), text: str = Form("")) -> HTMLResponse:
    result = ads.analyse(rubrik, text, actor=actor_of(request))
    return templates.TemplateResponse(
        request, "ads_analyse.html", {"result": result, "headline": rubrik, "text": text,
                                      "labels": REQUIREMENT_LABELS}
    )
