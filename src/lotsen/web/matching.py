"""Swedish pages: matching (open needs → "Vem kan?"), a need with its candidates,
the allocation, education gaps, transitions."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from lotsen.api.deps import actor_of, engine_of
from lotsen.services import gaps, matching, profiles, records, scenarios, taxonomy
from lotsen.services.access import may_open
from lotsen.web.templating import templates

router = APIRouter(include_in_schema=False)
PAGE = 50


@router.get("/behov/{need_id}", response_class=HTMLResponse)
def need_page(request: Request, need_id: int, antal: int = 10) -> HTMLResponse:
    data = matching.need_page(engine_of(request), need_id, antal, actor=actor_of(request))
    return templates.TemplateResponse(request, "match_need.html", {
        "data": data, "can_open_people": may_open(actor_of(request), "people")})


@router.get("/allokering", response_class=HTMLResponse)
def allocation_page(request: Request) -> HTMLResponse:
    data = matching.allocate(engine_of(request), actor=actor_of(request))
    return templates.TemplateResponse(request, "match_allocation.html", {"data": data})


@router.get("/utbildningsgap", response_class=HTMLResponse)
def gaps_page(request: Request, scenario: str = "", source: list[str] = Query([]),
              valda: str = "", pensionsar: int = Query(gaps.REPLACEMENT_YEARS, ge=1, le=10),
              ) -> HTMLResponse:
    # ?scenario= adds an establishment's training needs (an example or a result key);
    # ?valda=1&source=... picks the demand sources (the form sends valda so that no box
    # ticked means none, not all).
    report = gaps.gap_report(engine_of(request), scenario=scenario or None,
                             sources=source if valda else None, replacement_years=pensionsar,
                             actor=actor_of(request))
    examples = scenarios.list_examples(actor=actor_of(request))
    return templates.TemplateResponse(
        request, "match_gaps.html", {"report": report, "examples": examples})


@router.get("/overgangar", response_class=HTMLResponse)
def transitions_page(request: Request, yrke: str = "", q: str = "") -> HTMLResponse:
    # Enter without a picked suggestion sends only the typed text: take its best hit.
    yrke = yrke or taxonomy.best_occupation(q, engine_of(request), actor=actor_of(request)) or ""
    data = (
        profiles.occupation_overview(engine_of(request), yrke,
                                     actor=actor_of(request)) if yrke else None
    )
    return templates.TemplateResponse(
        request, "match_transitions.html", {"data": data, "yrke": yrke, "q": q}
    )


@router.get("/matchning", response_class=HTMLResponse)
def matching_page(request: Request, sida: int = Query(1, ge=1, le=10_000)) -> HTMLResponse:
    """The open needs in the actor's reach, each a link to its candidates ("Vem kan?")."""
    data = records.list_records(engine_of(request), "needs", limit=PAGE,
                                offset=(sida - 1) * PAGE, filters={"status": "open"},
                                actor=actor_of(request))
    pages = max(1, -(-data["total"] // PAGE))
    return templates.TemplateResponse(request, "matching.html",
                                      {"data": data, "page": sida, "pages": pages})
