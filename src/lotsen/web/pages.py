"""Swedish pages: start page, taxonomy search, and the lists of stored records."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from lotsen.api.deps import actor_of, engine_of
from lotsen.services import dashboard, demo, records
from lotsen.web import exports, region_map
from lotsen.web.templating import templates

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50

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
            ("status", "Status", None),
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
            ("swedish_level", "Svenska", None),
            ("available_from", "Tillgänglig", None),
        ],
    },
    "utbildningar": {
        "kind": "programs",
        "title": "Utbildningar",
        "intro": "Regionens utbildningsutbud: YH, Komvux, AUB, SFI, högskola och gymnasium.",
        "columns": [
            ("name", "Utbildning", None),
            ("form", "Form", None),
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
            ("kind", "Typ", None),
            ("municipality_code", "Kommun", "kommun"),
            ("org_number", "Organisationsnummer", None),
        ],
    },
}


@router.get("/", response_class=HTMLResponse)
def start(request: Request) -> HTMLResponse:
    summary = demo.summary(engine_of(request))
    board = dashboard.dashboard(engine_of(request), actor_of(request))
    region = board["region"]
    the_map = region_map.render_svg(
        region["open_by_municipality"], region["tenant_municipalities"], "personer efterfrågas"
    )
    return templates.TemplateResponse(
        request, "start.html", {"summary": summary, "board": board, "region_map": the_map}
    )


@router.get("/taxonomi", response_class=HTMLResponse)
def taxonomy_page(request: Request, q: str = "") -> HTMLResponse:
    from lotsen.services import taxonomy

    results = taxonomy.search(q, limit=25, engine=engine_of(request))["results"] if q else []
    return templates.TemplateResponse(request, "taxonomy.html", {"q": q, "results": results})


def _list_page(slug: str) -> None:
    spec = LISTS[slug]

    def page(
        request: Request,
        sida: int = Query(1, ge=1),
        kommun: str | None = None,
        fmt: str | None = Query(None, alias="format", pattern="^(csv|xlsx)$"),
    ) -> Response:
        if fmt:
            return _export(request, slug, fmt, kommun)
        data = records.list_records(
            engine_of(request),
            spec["kind"],
            actor_of(request),
            limit=PAGE_SIZE,
            offset=(sida - 1) * PAGE_SIZE,
            filters={"municipality_code": kommun or None},
        )
        for row in data["results"]:
            if spec["kind"] == "people":
                row["occupation"] = (
                    row["occupations"][0]["occupation_id"] if row["occupations"] else None
                )
        pages = max(1, -(-data["total"] // PAGE_SIZE))
        return templates.TemplateResponse(
            request,
            "list.html",
            {
                "spec": spec,
                "slug": slug,
                "data": data,
                "page": sida,
                "pages": pages,
                "kommun": kommun or "",
            },
        )

    router.add_api_route(
        f"/{slug}", page, methods=["GET"], response_class=HTMLResponse, name=f"page_{slug}"
    )


for _slug in LISTS:
    _list_page(_slug)


def _export(request: Request, slug: str, fmt: str, kommun: str | None) -> Response:
    """The whole filtered list (every page) as CSV or Excel, same columns as on screen."""
    spec = LISTS[slug]
    rows: list[dict[str, Any]] = []
    while True:
        data = records.list_records(
            engine_of(request),
            spec["kind"],
            actor_of(request),
            limit=records.MAX_LIMIT,
            offset=len(rows),
            filters={"municipality_code": kommun or None},
        )
        rows += data["results"]
        if not data["results"] or len(rows) >= data["total"]:
            break
    if spec["kind"] == "people":
        for row in rows:
            first = row["occupations"][:1]
            row["occupation"] = first[0]["occupation_id"] if first else None
    columns = [(key, heading) for key, heading, _ in spec["columns"]]
    return exports.table_response(rows, columns, slug, fmt)
