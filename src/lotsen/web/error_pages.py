"""Every failure answered in one shape per edge: ``{"error": {"code", "message"}}`` for
the API (including FastAPI's own 404, 405 and 422), a Swedish HTML page for the browser.

The API and the browser share the messages; only the wrapping differs. No browser
route ever shows raw JSON, and a refused page says what was refused and how to go back.
A form page registers itself with ``show_form_on_error``: a LotsenError raised while
handling its post shows the form again, with the user's input and the message, instead
of the error page. Route handlers therefore catch nothing just to word an error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from lotsen.errors import DatabaseError, LotsenError, PermissionDenied
from lotsen.messages import render
from lotsen.web.navigation import page_of
from lotsen.web.templating import templates

log = logging.getLogger(__name__)

# The heading of the browser's error page per status.
HEADINGS = {
    400: "Uppgifterna kunde inte användas",
    401: "Logga in för att fortsätta",
    404: "Sidan eller uppgiften finns inte",
    405: "Det går inte att göra så här",
    409: "Uppgifterna krockar med något som redan finns",
    413: "Filen är för stor",
    422: "Uppgifterna behöver rättas",
    429: "För många försök",
    503: "Databasen svarar inte just nu",
}
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large",
              401: "not_authenticated", 403: "permission_denied"}
HTTP_MESSAGES = {
    404: "Adressen {path} finns inte i Lotsen. Kontrollera länken eller gå till startsidan.",
    405: "Adressen {path} tar inte emot {method}-anrop.",
}
# Why a field was refused, by pydantic's error type.
REASONS = {
    "missing": "saknas",
    "int_parsing": "måste vara ett heltal",
    "int_type": "måste vara ett heltal",
    "float_parsing": "måste vara ett tal",
    "bool_parsing": "måste vara ja eller nej",
    "date_parsing": "måste vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "måste vara ett datum (ÅÅÅÅ-MM-DD)",
    "string_pattern_mismatch": "har fel format",
    "string_too_long": "är för långt",
    "string_too_short": "är för kort",
    "greater_than_equal": "är för litet",
    "greater_than": "är för litet",
    "less_than_equal": "är för stort",
    "less_than": "är för stort",
    "json_invalid": "är inte giltig JSON",
    "model_attributes_type": "har fel form",
    "dict_type": "måste vara ett objekt",
    "list_type": "måste vara en lista",
    "literal_error": "har ett värde som inte finns bland valen",
    "enum": "har ett värde som inte finns bland valen",
}
FIELD_LABELS = {
    "file": "fil", "kind": "typ av uppgifter", "body": "innehållet", "need_id": "behovets nummer",
    "person_id": "personens nummer", "program_id": "utbildningens nummer", "sida": "sida",
    "top": "antal", "antal": "antal", "limit": "antal", "offset": "startrad",
    "format": "format", "fmt": "format", "q": "sökord", "id": "nummer",
}


def validation_message(errors: Sequence[Any]) -> str:
    """FastAPI's 422 details as one Swedish sentence naming each field."""
    parts = []
    for error in errors[:5]:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "form")]
        name = loc[-1] if loc else "body"
        reason = REASONS.get(str(error.get("type", "")), "är ogiltigt")
        parts.append(f"fältet ”{FIELD_LABELS.get(name, name)}” {reason}")
    text = "; ".join(parts) or "uppgifterna är ogiltiga"
    return text[0].upper() + text[1:] + "."


# Shows a form page again with the error, given the error and its worded message;
# None leaves the error to the error page.
FormPage = Callable[[LotsenError, str], Response | None]


def describe(error: LotsenError) -> str:
    """The text a page (and the API's ``message``) shows for ``error``: the one place
    the web words a LotsenError, from the Swedish catalogue."""
    return render(error)


def show_form_on_error(request: Request, page: FormPage) -> None:
    """Answer a LotsenError raised in this request by showing ``page`` again. Not for a
    refusal of access or a database failure: the form cannot help with those."""
    request.state.form_page = page


def _answer(request: Request, status: int, code: str, message: str,
            body: dict[str, Any] | None = None) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse(body or {"error": {"code": code, "message": message}},
                            status_code=status)
    context: dict[str, Any] = {"message": message, "status": status}
    if status == 403:
        page = page_of(request)
        context["heading"] = (f"Du saknar behörighet till {page.what}" if page
                              else "Du saknar behörighet till sidan")
    else:
        context["heading"] = HEADINGS.get(status, "Ett tekniskt fel uppstod")
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def lotsen_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, LotsenError)
    form_page: FormPage | None = getattr(request.state, "form_page", None)
    if (form_page is not None and not request.url.path.startswith("/api/")
            and not isinstance(error, PermissionDenied | DatabaseError)):
        try:
            shown = form_page(error, describe(error))
        except LotsenError:
            shown = None  # the form itself cannot be shown: the error page says why
        if shown is not None:
            return shown
    body = error.as_body()
    body["error"]["message"] = describe(error)  # Swedish; code and params stay machine's
    return _answer(request, error.http_status, error.code, describe(error), body)


def http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    status = error.status_code
    template = HTTP_MESSAGES.get(status)
    if template:
        message = template.format(path=request.url.path, method=request.method)
    elif isinstance(error.detail, str) and status != 500:
        message = error.detail
    else:
        message = HEADINGS.get(status, "Ett tekniskt fel uppstod.")
    response = _answer(request, status, HTTP_CODES.get(status, "error"), message)
    if error.headers:
        response.headers.update(error.headers)
    return response


def validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    return _answer(request, 422, "invalid_input", validation_message(error.errors()))


def server_error(request: Request, error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return _answer(request, 500, "internal_error",
                   "Ett tekniskt fel uppstod. Försök igen om en stund; kvarstår felet, "
                   "kontakta administratören.")


def install(app: FastAPI) -> None:
    app.add_exception_handler(LotsenError, lotsen_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, server_error)
