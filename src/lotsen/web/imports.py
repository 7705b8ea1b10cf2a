"""The Swedish import page: choose a kind, upload a file, see problems or a summary."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from lotsen.api.deps import actor_of, engine_of
from lotsen.errors import RejectedFile
from lotsen.services import imports
from lotsen.web.error_pages import show_form_on_error
from lotsen.web.templating import templates

router = APIRouter(include_in_schema=False)

# The page's Swedish words, in one place.
KIND_LABELS = {"needs": "Kompetensbehov", "people": "Arbetssökande", "programs": "Utbildningar"}
KIND_HINTS = {
    "needs": "Ett behov per rad: arbetsgivare, yrke, antal, start, kommun, skall-krav och "
             "meriterande. Arbetsgivare som saknas skapas.",
    "people": "En arbetssökande per rad, pseudonymiserat: inga namn, personnummer eller "
              "kontaktuppgifter. Samtycke till matchning anges med datum.",
    "programs": "En utbildning per rad: anordnare, form, kommun, längd, platser, starter, "
                "kompetenser och yrken.",
}


def _page(request: Request, status: int = 200, **extra: Any) -> HTMLResponse:
    data = imports.describe(engine_of(request), actor=actor_of(request))
    context = {"kinds": data["kinds"], "tenants": data["tenants"], "labels": KIND_LABELS,
               "hints": KIND_HINTS, "chosen": extra.pop("chosen", None), **extra}
    return templates.TemplateResponse(request, "import_page.html", context, status_code=status)


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request) -> HTMLResponse:
    return _page(request)


@router.post("/import", response_class=HTMLResponse)
def import_upload(
    request: Request,
    kind: str = Form(""),
    file: UploadFile | None = File(None),
    tenant: str | None = Form(None),
    dry_run: bool = Form(False),
    skip_unresolved: bool = Form(False),
) -> HTMLResponse:
    if kind not in KIND_LABELS or file is None or not file.filename:
        missing = "vad filen innehåller" if kind not in KIND_LABELS else "en fil att importera"
        return _page(request, 422, chosen=kind or None, message=f"Välj {missing}.")
    name = file.filename
    show_form_on_error(request, lambda error, message: _page(
        request, error.http_status, chosen=kind, file_name=name,
        **({"problems": [p.as_dict() for p in error.details], "total": error.total}
           if isinstance(error, RejectedFile) else {"message": message})))
    summary = imports.import_file(
        engine_of(request), kind, file.file.read(), name, tenant or None, dry_run=dry_run,
        skip_unresolved=skip_unresolved, actor=actor_of(request))
    return _page(request, chosen=kind, summary=summary)


@router.post("/import/myh", response_class=HTMLResponse)
def import_myh(
    request: Request,
    file: list[UploadFile] = File([]),
    tenant: str | None = Form(None),
    dry_run: bool = Form(False),
) -> HTMLResponse:
    """MYH's register export and application results, as published, into YH programs."""
    chosen = [f for f in file if f.filename]
    if not chosen:
        return _page(request, 422, chosen="programs", message="Välj MYH:s filer att importera.")
    names = ", ".join(f.filename or "" for f in chosen)
    show_form_on_error(request, lambda error, message: _page(
        request, error.http_status, chosen="programs", file_name=names,
        **({"problems": [p.as_dict() for p in error.details], "total": error.total}
           if isinstance(error, RejectedFile) else {"message": message})))
    summary = imports.import_myh_files(
        engine_of(request), [(f.file.read(), f.filename or "myh.csv") for f in chosen],
        tenant or None, dry_run=dry_run, actor=actor_of(request))
    return _page(request, chosen="programs", myh=summary)


@router.get("/import/mall/{kind}.{fmt}")
def import_template(request: Request, kind: str, fmt: str) -> Response:
    name, content, media_type = imports.template(kind, fmt, actor=actor_of(request))
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
