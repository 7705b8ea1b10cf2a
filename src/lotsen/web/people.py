"""The person page: facts, the needs the person fits, the pathway, consent (record and
withdraw, with the audit trail) and the export of everything stored (JSON, CSV, Excel)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from lotsen.api.deps import actor_of, engine_of
from lotsen.labels import LABELS
from lotsen.services import consents, local_concepts, people, person_view, validations
from lotsen.services.results.people import PersonExport
from lotsen.web import exports
from lotsen.web.error_pages import show_form_on_error
from lotsen.web.templating import templates

router = APIRouter(include_in_schema=False)
EXPORT_COLUMNS = [("table", "Tabell"), ("row", "Rad"), ("field", "Fält"), ("value", "Värde")]


def _page(request: Request, person_id: int, error: str | None = None,
          saved: str | None = None) -> HTMLResponse:
    engine = engine_of(request)
    data = person_view.person_page(engine, person_id, actor=actor_of(request))
    person = data["person"]
    ids = [o["occupation_id"] for o in person.get("occupations") or []]
    ids += list(person.get("skills") or [])
    chosen = validations.labelled(engine, person.get("validations") or [], actor=actor_of(request))
    return templates.TemplateResponse(request, "person.html", {
        **data, "local_labels": local_concepts.labels(engine, ids, actor=actor_of(request)),
        "error": error,
        "validations": chosen, "validated_skills": {v["skill_id"] for v in chosen},
        "validation_form": validations.form_choices(engine, data,
                                                    actor=actor_of(request)) if data["may_change"]
        and not data["restricted"] else None,
        "saved": saved, "consent_purposes": list(LABELS["consent_purpose"].items())},
        status_code=422 if error else 200)


@router.get("/arbetssokande/{person_id}", response_class=HTMLResponse)
def person_page(request: Request, person_id: int, sparat: str | None = None) -> HTMLResponse:
    """One person (pseudonymous) within the actor's reach; the read is audited."""
    return _page(request, person_id, saved=sparat)


@router.post("/arbetssokande/{person_id}/samtycke")
def consent_change(request: Request, person_id: int, purpose: str = Form(""),
                   action: str = Form("record")) -> Response:
    """Record (action=record) or withdraw (action=withdraw) one consent; both audited."""
    show_form_on_error(request, lambda error, message: _page(request, person_id, message))
    engine, actor = engine_of(request), actor_of(request)
    if action == "withdraw":
        consents.withdraw_consent(engine, person_id, purpose, actor=actor)
    else:
        consents.record_consent(engine, person_id, purpose, actor=actor)
    return RedirectResponse(f"/arbetssokande/{person_id}?sparat={action}#samtycken",
                            status_code=303)


@router.post("/arbetssokande/{person_id}/validering")
def validation_add(request: Request, person_id: int, occupation_id: str = Form(""),
                   skills: list[str] = Form([]), method: str = Form(""),
                   validated_on: str = Form("")) -> Response:
    """Mark the ticked skills validated against the chosen profile (audited)."""
    show_form_on_error(request, lambda error, message: _page(request, person_id, message))
    validations.validate(engine_of(request), person_id, occupation_id, skills, method,
                         validated_on or None, actor=actor_of(request))
    return RedirectResponse(f"/arbetssokande/{person_id}?sparat=validering#validering",
                            status_code=303)


@router.post("/arbetssokande/{person_id}/validering/{validation_id}/ta-bort")
def validation_remove(request: Request, person_id: int, validation_id: int) -> Response:
    """Take back one validation (audited)."""
    show_form_on_error(request, lambda error, message: _page(request, person_id, message))
    validations.remove(engine_of(request), person_id, validation_id, actor=actor_of(request))
    return RedirectResponse(f"/arbetssokande/{person_id}?sparat=validering-borttagen#validering",
                            status_code=303)


def _long_rows(export: PersonExport) -> list[dict[str, Any]]:
    """Every stored value as one row: table, row number, field, value."""
    rows = []
    for table, records in export["tables"].items():
        for number, record in enumerate(records, start=1):
            rows += [{"table": table, "row": number, "field": field, "value": value}
                     for field, value in record.items()]
    return rows


@router.get("/arbetssokande/{person_id}/export.{fmt}")
def person_export(request: Request, person_id: int, fmt: str) -> Response:
    """Everything stored about the person (a GDPR request), as JSON, CSV or Excel."""
    export = people.export_person(engine_of(request), person_id, actor=actor_of(request))
    if fmt == "json":
        return JSONResponse(export)
    return exports.table_response(_long_rows(export), EXPORT_COLUMNS,
                                  f"person-{person_id}", fmt)
