"""Swedish pages: an occupation's skill profile with the tenant's versioned edits
("Yrkesprofiler"), and the tenant's own occupations and skills ("Nya yrken")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from lotsen.api.deps import actor_of, engine_of
from lotsen.errors import InvalidInput, NotFound
from lotsen.services import local_concepts, profiles, taxonomy
from lotsen.services.access import may
from lotsen.web.error_pages import show_form_on_error
from lotsen.web.templating import templates

router = APIRouter(include_in_schema=False)

# The pages' Swedish words, in one place.
REQUIREMENTS = {"": "enligt styrka", "must": "skall-krav", "nice": "meriterande"}
TYPE_CHOICES = {"occupation-name": "Yrke", "skill": "Kompetens"}


def _profile_url(occupation_id: str, **query: Any) -> str:
    extra = "".join(f"&{k}={quote(str(v))}" for k, v in query.items() if v is not None)
    return f"/yrkesprofiler?yrke={quote(occupation_id, safe='')}{extra}"


def _profile_page(
    request: Request, yrke: str, version: int | None, tenant: str | None,
    error: str | None = None,
) -> HTMLResponse:
    engine, actor = engine_of(request), actor_of(request)
    data = history = None
    if yrke:
        data = profiles.show(engine, yrke, tenant, version, actor=actor)
        history = profiles.history(engine, yrke, tenant, actor=actor)
    return templates.TemplateResponse(
        request, "profile_page.html",
        {"yrke": yrke, "data": data, "history": history, "error": error, "tenant": tenant,
         "requirements": REQUIREMENTS, "saved": request.query_params.get("sparad")},
        status_code=422 if error else 200,
    )


@router.get("/yrkesprofiler", response_class=HTMLResponse)
def profile_page(
    request: Request, yrke: str = "", version: int | None = None, tenant: str = "",
    q: str = "",
) -> HTMLResponse:
    # Enter without a picked suggestion sends only the typed text: take its best hit.
    yrke = yrke or taxonomy.best_occupation(q, engine_of(request), actor=actor_of(request)) or ""
    return _profile_page(request, yrke, version, tenant or None)


@router.get("/yrkesprofiler/{occupation_id}")
def profile_link(occupation_id: str) -> RedirectResponse:
    """The address a saved form posts to, opened as a link: show that profile."""
    return RedirectResponse(_profile_url(occupation_id), status_code=303)


def _changes(form: FormData) -> list[dict[str, Any]]:
    """The form's rows as edit ops; unchanged rows drop out in the service's diff."""
    changes: list[dict[str, Any]] = []
    removed = {str(v) for v in form.getlist("remove")}
    for skill in removed:
        changes.append({"op": "remove", "skill_id": skill})
    for key, value in form.multi_items():
        if key.startswith("krav:") and key[5:] not in removed:
            skill = key[5:]
            weight = str(form.get(f"vikt:{skill}") or "").replace(",", ".").strip()
            changes.append({"op": "set", "skill_id": skill,
                            "must": {"must": True, "nice": False}.get(str(value)),
                            "weight": weight or None})
    added = str(form.get("add_skill") or "").strip()
    if added:
        weight = str(form.get("add_weight") or "").replace(",", ".").strip()
        changes.append({"op": "add", "skill_id": added, "weight": weight or None,
                        "must": {"must": True, "nice": False}.get(str(form.get("add_krav")))})
    return changes


def _saved(
    request: Request, occupation_id: str, tenant: str | None, save: Callable[[], object]
) -> Response:
    """Run ``save``; back to the profile (Post/Redirect/Get), or the page with the error."""
    show_form_on_error(request, lambda error, message: _profile_page(
        request, occupation_id, None, tenant, message))
    save()
    return RedirectResponse(_profile_url(occupation_id, tenant=tenant, sparad=1),
                            status_code=303)


@router.post("/yrkesprofiler/{occupation_id}", response_class=HTMLResponse)
async def profile_edit(request: Request, occupation_id: str) -> Response:
    form = await request.form()
    version = str(form.get("version") or "")
    tenant = str(form.get("tenant") or "") or None
    return _saved(request, occupation_id, tenant, lambda: profiles.edit(
        engine_of(request), occupation_id, _changes(form),
        str(form.get("comment") or "") or None, tenant,
        expected_version=int(version) if version.isdigit() else None, actor=actor_of(request),
    ))


@router.post("/yrkesprofiler/{occupation_id}/aterstall", response_class=HTMLResponse)
async def profile_revert(request: Request, occupation_id: str) -> Response:
    form = await request.form()
    target = str(form.get("version") or "")
    tenant = str(form.get("tenant") or "") or None

    def revert() -> object:
        if not target.isdigit():
            raise InvalidInput("välj en version att återställa till", "version")
        return profiles.revert(engine_of(request), occupation_id,
                               int(target), tenant=tenant, actor=actor_of(request))

    return _saved(request, occupation_id, tenant, revert)


def _local_page(
    request: Request, form: dict[str, str], error: str | None = None, created: str | None = None,
    editing: str | None = None, edit_error: str | None = None, done: str | None = None,
) -> HTMLResponse:
    engine, actor = engine_of(request), actor_of(request)
    data = local_concepts.list_local(engine, actor=actor)
    may_add = may(actor, "local_concepts", "write")
    current = next((r for r in data["results"] if r["concept_id"] == editing), None)
    return templates.TemplateResponse(
        request, "profile_local.html",
        {"rows": data["results"], "form": form, "error": error, "created": created,
         "types": TYPE_CHOICES, "may_add": may_add, "editing": current if may_add else None,
         "edit_error": edit_error, "done": done},
        status_code=422 if error or edit_error else 200,
    )


@router.get("/nya-yrken", response_class=HTMLResponse)
def local_page(request: Request, ny: str = "", andra: str = "", klart: str = "",
               typ: str = "", benamning: str = "") -> HTMLResponse:
    # ?typ=skill&benamning=Snowflake: the form filled in for an unlinked skill of an ad
    form = {"type": typ if typ in TYPE_CHOICES else "", "label": benamning[:200]}
    return _local_page(request, form, created=ny or None, editing=andra or None,
                       done=klart or None)


def _show_edit_on_error(request: Request, concept_id: str) -> None:
    # Another tenant's concept answers 404 like a missing one: the error page, no form.
    show_form_on_error(request, lambda error, message: None if isinstance(error, NotFound)
                       else _local_page(request, {}, editing=concept_id, edit_error=message))


@router.post("/nya-yrken/{concept_id}", response_class=HTMLResponse)
async def local_edit(request: Request, concept_id: str) -> Response:
    """Change label, description, synonyms or anchor of a local concept (the id stays)."""
    raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    synonyms = [s.strip() for s in raw.get("synonyms", "").split(",") if s.strip()]
    _show_edit_on_error(request, concept_id)
    local_concepts.edit_local(
        engine_of(request), concept_id, raw.get("label", ""),
        raw.get("description", ""), synonyms, raw.get("anchor_id") or None, actor=actor_of(request),
    )
    return RedirectResponse(f"/nya-yrken?klart={quote('Ändrat: ' + concept_id, safe='')}",
                            status_code=303)


@router.post("/nya-yrken/{concept_id}/ta-bort", response_class=HTMLResponse)
async def local_delete(request: Request, concept_id: str) -> Response:
    """Delete a local concept; refused while used unless a replacement is chosen."""
    raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    _show_edit_on_error(request, concept_id)  # refused while used: the page says why
    done = local_concepts.delete_local(engine_of(request), concept_id,
                                       raw.get("replace_with") or None, actor=actor_of(request))
    moved = done["moved"]
    note = f"Borttaget: {done['preferred_label']}"
    if done["replaced_with"]:
        note += (f"; {moved['needs']} behov, {moved['people']} personer och "
                 f"{moved['programs']} utbildningar flyttade till {done['replaced_with']}")
    return RedirectResponse(f"/nya-yrken?klart={quote(note, safe='')}", status_code=303)


@router.post("/nya-yrken", response_class=HTMLResponse)
async def local_add(request: Request) -> Response:
    raw = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    synonyms = [s.strip() for s in raw.get("synonyms", "").split(",") if s.strip()]
    show_form_on_error(request, lambda error, message: _local_page(request, raw, message))
    made = local_concepts.add_local(
        engine_of(request), raw.get("type") or "occupation-name",
        raw.get("label", ""), raw.get("anchor_id", ""), raw.get("description") or None,
        synonyms, raw.get("tenant") or None, actor=actor_of(request),
    )
    return RedirectResponse(f"/nya-yrken?ny={quote(made['concept_id'], safe='')}",
                            status_code=303)
