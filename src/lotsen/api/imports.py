"""Imports and a person's data rights over HTTP: upload a file, export or erase a person."""

from __future__ import annotations

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response

from lotsen.api.deps import actor_of, engine_of
from lotsen.services import imports, people
from lotsen.services.results.imports import ImportSummary, MyhImportSummary
from lotsen.services.results.people import PersonErased, PersonExport

router = APIRouter(prefix="/api/v1")


@router.post("/imports/{kind}", tags=["imports"], response_model=None)
def import_upload(
    request: Request,
    kind: str,
    file: UploadFile = File(..., description="CSV (UTF-8 or Windows-1252) or XLSX"),
    tenant: str | None = Query(None, description="Tenant slug (admins with several tenants)"),
    dry_run: bool = Query(False, description="Check everything, write nothing"),
    skip_unresolved: bool = Query(False, description="Leave out unknown list values"),
) -> ImportSummary:
    """Import a file whole or not at all. A rejected file answers 422 with every problem
    (file, row, column, value, message, candidates) under ``problems`` (the app's one
    error handler writes it from ``RejectedFile.as_body``)."""
    return imports.import_file(
        engine_of(request), kind, file.file.read(), file.filename or f"{kind}.csv", tenant,
        dry_run=dry_run, skip_unresolved=skip_unresolved, actor=actor_of(request))


@router.post("/imports/programs/myh", tags=["imports"], response_model=None)
def import_myh(
    request: Request,
    file: list[UploadFile] = File(..., description="MYH's register export and/or "
                                                   "application results, as published "
                                                   "(repeat the field for several files)"),
    tenant: str | None = Query(None, description="Tenant slug (admins with several tenants)"),
    dry_run: bool = Query(False, description="Check everything, write nothing"),
) -> MyhImportSummary:
    """YH programmes from Myndigheten för yrkeshögskolan's files, all or none; inferred
    occupations, skills and starts are marked in each program's ``links``."""
    return imports.import_myh_files(
        engine_of(request), [(f.file.read(), f.filename or "myh.csv") for f in file], tenant,
        dry_run=dry_run, actor=actor_of(request))


@router.get("/imports/{kind}/template", tags=["imports"], response_class=Response)
def import_template(request: Request, kind: str,
                    format: str = Query("xlsx", pattern="^(csv|xlsx)$")) -> Response:
    name, content, media_type = imports.template(kind, format, actor=actor_of(request))
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/people/{person}/export", tags=["people"])
def person_export(request: Request, person: str) -> PersonExport:
    """Everything stored about the person (id or pseudonym), GDPR art. 15."""
    return people.export_person(engine_of(request), person, actor=actor_of(request))


@router.delete("/people/{person}", tags=["people"])
def person_erase(request: Request, person: str) -> PersonErased:
    """Erase the person (id or pseudonym) and every row about them, GDPR art. 17."""
    return people.erase_person(engine_of(request), person, actor=actor_of(request))
