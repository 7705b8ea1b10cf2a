"""The Swedish scenario page: pick an example or upload a scenario file, change the main
parameters, see the bands, tables, assumptions and training volumes; export tables."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lotsen.api import scenarios as scenarios_api
from lotsen.api.deps import actor_of, engine_of
from lotsen.errors import InvalidInput, LotsenError, NotFound
from lotsen.services import saved_scenarios, scenarios
from lotsen.services.results.scenarios import ScenarioResult
from lotsen.web import exports, scenario_view
from lotsen.web.error_pages import show_form_on_error
from lotsen.web.templating import templates

# Pages stay out of the OpenAPI document route by route: the JSON API of the same feature
# is included here with its schema (so web/app.py needs one line for both).
router = APIRouter()
router.include_router(scenarios_api.router)

WEB_RUNS = 500  # enough for stable P10/P90 on a page, and under a second to compute
DEFAULT_EXAMPLE = "skelleftea-gigafactory"
FIELD_LABELS = {
    "direkta_jobb": "Direkta jobb vid full drift", "lokal_lag": "Lokal rekrytering, lägst",
    "lokal_trolig": "Lokal rekrytering, troligast", "lokal_hog": "Lokal rekrytering, högst",
    "korningar": "Antal körningar", "fro": "Slumpfrö",
}


def _number(form: dict[str, str], field: str) -> float | None:
    """A number typed in the form (decimal comma welcome); empty = keep the file's value."""
    raw = form.get(field, "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InvalidInput(f"{FIELD_LABELS[field]}: skriv ett tal, inte ”{form[field]}”",
                           field) from None
    if not math.isfinite(value):
        raise InvalidInput(f"{FIELD_LABELS[field]}: skriv ett tal", field)
    return value


def _options(form: dict[str, str]) -> tuple[scenarios.Overrides, int, int]:
    overrides = scenarios.Overrides.of(
        _number(form, "direkta_jobb"),
        *(_number(form, f) for f in ("lokal_lag", "lokal_trolig", "lokal_hog")))
    runs, seed = _number(form, "korningar"), _number(form, "fro")
    return overrides, WEB_RUNS if runs is None else int(runs), 0 if seed is None else int(seed)


def _render(request: Request, form: dict[str, str], result: ScenarioResult | None = None,
            error: LotsenError | None = None, text: str = "") -> HTMLResponse:
    actor = actor_of(request)
    context: dict[str, Any] = {
        "examples": scenarios.list_examples(actor=actor), "form": form, "text": text,
        "labels": FIELD_LABELS, "view": scenario_view, "result": result,
        "error": scenario_view.swedish_error(error) if error else None,
        "saved_runs": saved_scenarios.list_saved(engine_of(request), actor=actor),
    }
    if result is not None:
        context.update(_result_context(
            result, scenarios.gap_reference(result, _options(form)[0])))
    status = 200 if error is None else error.http_status
    return templates.TemplateResponse(request, "scenario_page.html", context, status_code=status)


def _result_context(result: ScenarioResult, gap_reference: str) -> dict[str, Any]:
    """What scenario_result.html needs besides ``result``."""
    last_year = result["area"][-1]["year"]
    return {
        "charts": scenario_view.charts(result), "years": scenario_view.year_rows(result),
        "last_year": last_year, "places": scenario_view.place_rows(result, last_year),
        "sensitivity": scenario_view.sensitivity_rows(result),
        "assumptions": scenario_view.assumption_rows(result),
        "training": scenario_view.training(result), "gap_reference": gap_reference,
    }


def _run(request: Request, form: dict[str, str], source: tuple[str, str, str] | None
         ) -> HTMLResponse:
    """``source`` is (text, kind, file name) of an upload or paste, None for an example."""
    actor = actor_of(request)
    text = source[0] if source else ""
    show_form_on_error(request, lambda error, _: _render(request, form, error=error, text=text))
    overrides, runs, seed = _options(form)
    if source is None:
        result = scenarios.run_example(form.get("exempel") or DEFAULT_EXAMPLE, runs, seed,
                                       overrides, actor=actor, engine=engine_of(request))
    else:
        result = scenarios.run_scenario_text(*source, runs, seed, overrides, actor=actor,
                                             engine=engine_of(request))
    return _render(request, form, result, text=text)


@router.get("/scenarier", response_class=HTMLResponse, include_in_schema=False)
def scenario_page(
    request: Request, exempel: str = "", direkta_jobb: str = "", lokal_lag: str = "",
    lokal_trolig: str = "", lokal_hog: str = "", korningar: str = "", fro: str = "",
) -> HTMLResponse:
    """Without ``exempel`` only the form; with it, the example's result (a link to share)."""
    form = {"exempel": exempel or DEFAULT_EXAMPLE, "kalla": "exempel",
            "direkta_jobb": direkta_jobb, "lokal_lag": lokal_lag, "lokal_trolig": lokal_trolig,
            "lokal_hog": lokal_hog, "korningar": korningar or str(WEB_RUNS), "fro": fro or "0"}
    if not exempel:
        return _render(request, form)
    return _run(request, form, None)


@router.post("/scenarier", response_class=HTMLResponse, include_in_schema=False)
async def scenario_run(
    request: Request, kalla: str = Form("exempel"), exempel: str = Form(""),
    text: str = Form(""), fil: UploadFile | None = None, direkta_jobb: str = Form(""),
    lokal_lag: str = Form(""), lokal_trolig: str = Form(""), lokal_hog: str = Form(""),
    korningar: str = Form(""), fro: str = Form(""),
) -> HTMLResponse:
    form = {"exempel": exempel or DEFAULT_EXAMPLE, "kalla": kalla, "direkta_jobb": direkta_jobb,
            "lokal_lag": lokal_lag, "lokal_trolig": lokal_trolig, "lokal_hog": lokal_hog,
            "korningar": korningar or str(WEB_RUNS), "fro": fro or "0"}
    source: tuple[str, str, str] | None = None
    raw = await fil.read() if fil is not None else b""
    if raw:
        kalla = "fil"  # a chosen file is meant to be run, whichever source is ticked
    if kalla == "fil":
        # No colon in the name: errors read "file:line: key".
        name = PurePath(fil.filename or "").name.replace(":", "_") if fil else ""
        if not raw:
            return _render(request, form, error=InvalidInput(
                "Välj en scenariofil (.toml eller .yaml) att ladda upp.", "fil"))
        show_form_on_error(request, lambda error, _: _render(request, form, error=error))
        read = scenarios.source_of(raw, name or "scenario")
        source = (read.text, read.kind, read.name)
        form["kalla"] = "text"  # the text is shown in the box, so a rerun uses it
    elif kalla == "text":
        if not text.strip():
            return _render(request, form, error=InvalidInput(
                "Klistra in en scenariofil i rutan, eller välj ett exempel.", "text"))
        kind = scenarios.guess_kind(text)
        source = (text, kind, f"inklistrad.{kind}")
    return _run(request, form, source)


@router.get("/scenarier/export/{key}.{fmt}", include_in_schema=False)
def scenario_export(request: Request, key: str, fmt: str,
                    tabell: str = Query("ar")) -> Response:
    """One table of a result computed here recently (the page links its key)."""

    def recent() -> ScenarioResult:
        result = scenarios.cached_result(key, actor=actor_of(request))
        if result is None:
            raise NotFound("Resultatet finns inte längre i minnet. Kör scenariot igen och "
                           "ladda ner tabellen därifrån.")
        return result

    return _table_export(tabell, fmt, recent)


def _table_export(tabell: str, fmt: str, result: Callable[[], ScenarioResult]) -> Response:
    # The table name is checked before the result is looked up: a wrong name is the
    # caller's mistake whether or not the result still exists.
    if tabell not in scenario_view.EXPORTS:
        raise InvalidInput(f"okänd tabell {tabell!r}; välj en av "
                           + ", ".join(scenario_view.EXPORTS), "tabell")
    filename, columns = scenario_view.EXPORTS[tabell]
    return exports.table_response(scenario_view.export_rows(result(), tabell), columns,
                                  filename, fmt)


def _again(form: dict[str, str], text: str) -> scenarios.RunRequest:
    """The page's scenario as the form's hidden copy of its inputs describes it."""
    overrides, runs, seed = _options(form)
    if form["kalla"] == "text" and text.strip():
        kind = scenarios.guess_kind(text)
        return scenarios.RunRequest(text=text, kind=kind, file_name=f"inklistrad.{kind}",
                                    runs=runs, seed=seed, overrides=overrides)
    return scenarios.RunRequest(example=form["exempel"] or DEFAULT_EXAMPLE, runs=runs,
                                seed=seed, overrides=overrides)


@router.post("/scenarier/spara", include_in_schema=False)
def scenario_save(
    request: Request, nyckel: str = Form(""), namn: str = Form(""), kalla: str = Form(""),
    exempel: str = Form(""), text: str = Form(""), direkta_jobb: str = Form(""),
    lokal_lag: str = Form(""), lokal_trolig: str = Form(""), lokal_hog: str = Form(""),
    korningar: str = Form(""), fro: str = Form(""),
) -> Response:
    """Save the page's current result (by its key) and open the saved run. When this
    process no longer has the result (a restart, another worker), the form's copy of the
    inputs runs it again."""
    actor = actor_of(request)
    engine = engine_of(request)
    form = {"exempel": exempel, "kalla": kalla, "direkta_jobb": direkta_jobb,
            "lokal_lag": lokal_lag, "lokal_trolig": lokal_trolig, "lokal_hog": lokal_hog,
            "korningar": korningar or str(WEB_RUNS), "fro": fro or "0"}
    fresh = {"exempel": DEFAULT_EXAMPLE, "kalla": "exempel", "korningar": str(WEB_RUNS),
             "fro": "0"}
    # A result gone from memory is told as what to do on this page, not as a lookup miss.
    show_form_on_error(request, lambda error, _: _render(request, fresh, error=NotFound(
        "Resultatet finns inte längre i minnet. Kör scenariot igen och spara det därifrån.")
        if isinstance(error, NotFound) else error))
    if not nyckel:
        raise InvalidInput("Kör ett scenario först och spara sedan resultatet.", "nyckel")
    if not namn.strip():
        raise InvalidInput("Ge det sparade scenariot ett namn.", "namn")
    again = _again(form, text) if kalla in ("exempel", "text") else None
    saved = saved_scenarios.save_run(engine, namn, nyckel, again, actor=actor)
    return RedirectResponse(f"/scenarier/sparade/{saved['id']}", status_code=303)


@router.get("/scenarier/sparade/{saved_id}", response_class=HTMLResponse,
            include_in_schema=False)
def saved_scenario_page(request: Request, saved_id: int) -> HTMLResponse:
    """A saved run with the same view as a fresh result; exports and the gap button by id."""
    saved = saved_scenarios.get_saved(engine_of(request), saved_id, actor=actor_of(request))
    result = saved["result"]
    context = {"saved": saved, "result": result, "view": scenario_view,
               "export_base": f"/scenarier/sparade/{saved_id}/export",
               **_result_context(result, saved["gap_reference"])}
    return templates.TemplateResponse(request, "scenario_saved.html", context)


@router.post("/scenarier/sparade/{saved_id}/ta-bort", include_in_schema=False)
def saved_scenario_delete(request: Request, saved_id: int) -> Response:
    saved_scenarios.delete_saved(engine_of(request), saved_id, actor=actor_of(request))
    return RedirectResponse("/scenarier", status_code=303)


@router.get("/scenarier/sparade/{saved_id}/export.{fmt}", include_in_schema=False)
def saved_scenario_export(request: Request, saved_id: int, fmt: str,
                          tabell: str = Query("ar")) -> Response:
    """One table of a saved run, as on the page of a fresh result."""
    return _table_export(tabell, fmt, lambda: saved_scenarios.get_saved(
        engine_of(request), saved_id, actor=actor_of(request))["result"])
