"""Swedish list pages of stored records (needs, people, programs, organisations), one
route per entry of ``LISTS``, each also downloadable whole as CSV or Excel."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from lotsen.api.deps import actor_of, engine_of
from lotsen.errors import InvalidInput
from lotsen.labels import label
from lotsen.services import local_concepts, records
from lotsen.services.access import Actor, may_open
from lotsen.taxonomy import load_taxonomy
from lotsen.web import exports
from lotsen.web.templating import concept_label, municipality_name, templates

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
# The first column of these lists links to the record's own page (and the page that
# opens it), when the acting role may open that page.
ROW_LINKS = {"needs": ("behov", "matching"), "people": ("arbetssokande", "people"),
             "programs": ("utbildningar", "programs")}

# Per list page: title, the record kind, and its columns (key, Swedish heading, filter).
LISTS: dict[str, dict[str, Any]] = {
    "behov": {
        "kind": "needs",
        "title": "Kompetensbehov",
        "intro": "Arbetsgivarnas registrerade behov av personal.",
        "columns": [
            ("title", "Yrke", None),
            ("employer_name", "Arbetsgivare", None),
            ("headcount", "Antal", None),
            ("start_date", "Start", None),
            ("municipality_code", "Kommun", "kommun"),
            ("status", "Status", "label:need_status"),
        ],
    },
    "arbetssokande": {
        "kind": "people",
        "title": "Arbetssökande",
        "intro": "Pseudonymiserade arbetssökande – inga namn eller personnummer lagras.",
        "columns": [
            ("pseudonym", "Pseudonym", None),
            ("municipality_code", "Kommun", "kommun"),
            ("occupation", "Erfarenhet", "concept"),
            ("swedish_level", "Svenska", "label:swedish_level"),
            ("available_from", "Tillgänglig", None),
        ],
    },
    "utbildningar": {
        "kind": "programs",
        "title": "Utbildningar",
        "intro": "Regionens utbildningsutbud: YH, Komvux, AUB, SFI, högskola och gymnasium.",
        "columns": [
            ("name", "Utbildning", None),
            ("form", "Form", "label:program_form"),
            ("provider_name", "Anordnare", None),
            ("municipality_code", "Kommun", "kommun"),
            ("seats", "Platser", None),
            ("duration_weeks", "Veckor", None),
        ],
    },
    "arbetsgivare": {
        "kind": "organizations",
        "title": "Organisationer",
        "intro": "Arbetsgivare, utbildningsanordnare och kommuner.",
        "columns": [
            ("name", "Namn", None),
            ("kind", "Typ", "label:organization_kind"),
            ("municipality_code", "Kommun", "kommun"),
            ("org_number", "Organisationsnummer", None),
        ],
    },
}


def _list_page(slug: str) -> None:
    spec = LISTS[slug]

    def page(
        request: Request,
        sida: int = Query(1, ge=1),
        kommun: str | None = None,
        fmt: str | None = Query(None, alias="format", pattern="^(csv|xlsx)$"),
    ) -> Response:
        if fmt:
            return _export(request, slug, fmt, _municipality_code(kommun))
        data = records.list_records(
            engine_of(request),
            spec["kind"],
            limit=PAGE_SIZE,
            offset=(sida - 1) * PAGE_SIZE,
            filters={"municipality_code": _municipality_code(kommun)},
            brief=True, actor=actor_of(request),
        )
        pages = max(1, -(-data["total"] // PAGE_SIZE))
        return templates.TemplateResponse(
            request,
            "list.html",
            {
                "local_labels": _local_labels(engine_of(request), spec, data["results"],
                                              actor=actor_of(request)),
                "spec": spec,
                "slug": slug,
                "data": data,
                "page": sida,
                "pages": pages,
                "kommun": kommun or "",
                "municipality_names": MUNICIPALITY_NAMES(),
                "row_link": _row_link(actor_of(request), spec["kind"]),
            },
        )

    router.add_api_route(
        f"/{slug}", page, methods=["GET"], response_class=HTMLResponse, name=f"page_{slug}"
    )


for _slug in LISTS:
    _list_page(_slug)


@cache
def MUNICIPALITY_NAMES() -> dict[str, str]:  # noqa: N802 (a constant, computed once)
    """Every municipality's name → code, for the list filter that takes a name."""
    return {c.label: str(c.code) for c in load_taxonomy().of_type("municipality")}


def _municipality_code(text: str | None) -> str | None:
    """The list filter takes a municipality's name (or its code, as old links do)."""
    text = (text or "").strip()
    if not text or text.isdigit():
        return text or None
    for name, code in MUNICIPALITY_NAMES().items():
        if name.casefold() == text.casefold():
            return code
    raise InvalidInput(f"Ingen kommun heter ”{text}”; välj en i listan.", "kommun")


def _row_link(actor: Actor, kind: str) -> str | None:
    link = ROW_LINKS.get(kind)
    return link[0] if link and may_open(actor, link[1]) else None


def _export(request: Request, slug: str, fmt: str, kommun: str | None) -> Response:
    """The whole filtered list (every page) as CSV or Excel, same columns as on screen."""
    spec = LISTS[slug]
    rows: list[dict[str, Any]] = []
    while True:
        data = records.list_records(
            engine_of(request),
            spec["kind"],
            limit=records.MAX_LIMIT,
            offset=len(rows),
            filters={"municipality_code": kommun or None},
            brief=True, actor=actor_of(request),
        )
        rows += data["results"]
        if not data["results"] or len(rows) >= data["total"]:
            break
    columns = [(key, heading) for key, heading, _ in spec["columns"]]
    return exports.table_response(
        _readable(rows, spec, _local_labels(engine_of(request), spec, rows,
                                            actor=actor_of(request))), columns, slug, fmt
    )


def _local_labels(engine: Engine, spec: dict[str, Any], rows: list[dict[str, Any]], *,
                  actor: Actor) -> dict[str, str]:
    # A tenant's local occupations live in the database, not in the shipped taxonomy.
    keys = [key for key, _, fmt in spec["columns"] if fmt == "concept"]
    ids = sorted({str(row[key]) for row in rows for key in keys if row.get(key)})
    return local_concepts.labels(engine, ids, actor=actor) if ids else {}


def _readable(rows: list[dict[str, Any]], spec: dict[str, Any], local: dict[str, str]
              ) -> list[dict[str, Any]]:
    """Rows as the screen shows them: labels for concept ids, names for municipality codes."""
    shown = []
    for row in rows:
        row = dict(row)
        for key, _, fmt in spec["columns"]:
            if fmt == "concept":
                row[key] = concept_label(row.get(key), local)
            elif fmt == "kommun":
                row[key] = municipality_name(row.get(key))
            elif fmt and fmt.startswith("label:"):
                row[key] = label(fmt[6:], row.get(key))
        shown.append(row)
    return shown
