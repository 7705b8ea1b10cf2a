"""Swedish pages: the start page, taxonomy search, and a program's own page and form.

The record lists are in web/lists.py, the worker's warm-up in web/warmup.py."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lotsen.api.deps import actor_of, engine_of
from lotsen.services import dashboard, records, region_figures, taxonomy
from lotsen.services.access import may
from lotsen.web import region_map
from lotsen.web.error_pages import show_form_on_error
from lotsen.web.navigation import first_task
from lotsen.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def start(request: Request) -> HTMLResponse:
    """Answers at once: a region figure not computed yet (after a restart the outlook
    takes minutes on a large region) says "beräknas…" and is there on reload."""
    summary = region_figures.region_summary(engine_of(request), wait=False,
                                            actor=actor_of(request))
    board = dashboard.dashboard(engine_of(request), wait=False, actor=actor_of(request))
    region = board["region"]
    the_map = region and region_map.render_svg(
        region["open_by_municipality"], region["tenant_municipalities"], "personer efterfrågas"
    )
    return templates.TemplateResponse(
        request, "start.html", {"summary": summary, "board": board, "region_map": the_map,
                                "first": first_task(actor_of(request))}
    )


@router.get("/taxonomi", response_class=HTMLResponse)
def taxonomy_page(request: Request, q: str = "") -> HTMLResponse:

    results = taxonomy.search(
        q, limit=25, engine=engine_of(request), actor=actor_of(request)
    )["results"] if q else []
    return templates.TemplateResponse(request, "taxonomy.html", {"q": q, "results": results})


@router.get("/utbildningar/{program_id}", response_class=HTMLResponse)
def program_page(request: Request, program_id: int, sparad: bool = False) -> HTMLResponse:
    return _program_page(request, program_id, saved=sparad)


def _program_page(request: Request, program_id: int, saved: bool = False,
                  error: str | None = None, form: dict[str, str] | None = None) -> HTMLResponse:
    actor = actor_of(request)
    program = records.get_record(engine_of(request), "programs", program_id, actor=actor)
    context = {"program": program, "saved": saved, "error": error, "form": form or {},
               "can_edit": may(actor, "programs", "write")}
    return templates.TemplateResponse(request, "program.html", context,
                                      status_code=422 if error else 200)


@router.post("/utbildningar/{program_id}", response_class=HTMLResponse)
async def program_edit(request: Request, program_id: int) -> Response:
    """The provider's form for its own program (the service decides whose it is)."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    changes = {k: v for k, v in form.items()
               if k in ("name", "seats", "duration_weeks", "starts")}
    changes["distance_learning"] = form.get("distance_learning", "")
    show_form_on_error(request, lambda error, message: _program_page(
        request, program_id, error=message, form=form))
    records.update_program(engine_of(request), program_id, changes, actor=actor_of(request))
    return RedirectResponse(f"/utbildningar/{program_id}?sparad=1", status_code=303)
