"""The "Yrkestitlar" page: free-text titles → occupation names (or a pasted vocabulary)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from lotsen.api.deps import actor_of
from lotsen.services import titles
from lotsen.services.results.ads import TitleRequestRanking
from lotsen.web.error_pages import show_form_on_error
from lotsen.web.templating import templates

router = APIRouter(include_in_schema=False)


def _page(request: Request, result: TitleRequestRanking | None, queries: str, vocabulary: str,
          message: str | None = None) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "titles_rank.html", {"result": result, "queries": queries,
                                      "vocabulary": vocabulary, "message": message},
        status_code=200 if message is None else 400)


@router.get("/annonser/titlar", response_class=HTMLResponse)
def titles_form(request: Request) -> HTMLResponse:
    return _page(request, None, "", "")


@router.post("/annonser/titlar", response_class=HTMLResponse)
def rank(request: Request, titlar: str = Form(""), ordlista: str = Form("")) -> HTMLResponse:
    show_form_on_error(request, lambda error, message: _page(
        request, None, titlar, ordlista, message))
    actor = actor_of(request)
    vocabulary = titles.parse_tsv(ordlista, "id<TAB>benämning", actor=actor) \
        if ordlista.strip() else None
    result = titles.rank_request(titlar.split("\n"), vocabulary, top=5, actor=actor)
    return _page(request, result, titlar, ordlista)
