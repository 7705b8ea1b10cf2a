"""The request boundary: text that no database column can hold is refused before any
route runs, for the API and the web pages alike.

PostgreSQL rejects a NUL in text and an integer beyond its 32-bit ``integer`` with an
error that surfaced as HTTP 500 in every string filter and id route. Here a control
character (anything below U+0020 except tab, newline and carriage return, and DEL) in
the path or the query answers 400, and a numeric path segment beyond
:data:`~lotsen.limits.MAX_ID` answers 404 (no row can have that id), each with one
Swedish line: JSON with ``error`` for ``/api/``, a short page otherwise.

Bodies are checked by :func:`check_body`, an app-wide dependency (it runs after the body
is read, before the route): a JSON or form body whose text holds such a character, or a
lone surrogate (``"\\ud800"``, which no UTF-8 column stores), or JSON nested beyond
Python's recursion, is a 422 through the app's one LotsenError handler.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from lotsen.errors import InvalidInput
from lotsen.limits import CONTROL_CHARACTERS, MAX_ID

ID_DIGITS = len(str(MAX_ID))


def problem(path: str, query: str) -> tuple[int, str, str] | None:
    """(status, code, Swedish message) for a request the boundary refuses, else None."""
    pairs = parse_qsl(query, keep_blank_values=True, errors="replace")
    texts = [path, *(part for pair in pairs for part in pair)]
    if any(c in CONTROL_CHARACTERS for text in texts for c in text):
        return 400, "control_character", "Adressen innehåller ett otillåtet styrtecken."
    for segment in path.split("/"):
        if segment.isdigit() and len(segment) >= ID_DIGITS and int(segment) > MAX_ID:
            return 404, "not_found", "Det finns ingen post med det numret."
    return None


class BoundaryMiddleware:
    """Refuses what :func:`problem` names; everything else passes untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        found = problem(scope.get("path", ""), query)
        if found is None:
            await self.app(scope, receive, send)
            return
        status, code, message = found
        if scope.get("path", "").startswith("/api/"):
            body = json.dumps({"error": {"code": code, "message": message,
                                         "location": "url", "params": {}}},
                              ensure_ascii=False).encode()
            media = b"application/json"
        else:
            body = (f"<!doctype html><html lang=sv><meta charset=utf-8><title>Fel</title>"
                    f"<p>{message}</p><p><a href=\"/\">Till startsidan</a></p>").encode()
            media = b"text/html; charset=utf-8"
        headers: list[Any] = [(b"content-type", media),
                              (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _bad_text(text: str) -> bool:
    if any(c in CONTROL_CHARACTERS for c in text):
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    return False


def _bad_json(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _bad_text(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


async def check_body(request: Request) -> None:
    """Refuse (422) a JSON or form body with a control character or a lone surrogate."""
    if request.method in ("GET", "HEAD", "OPTIONS", "DELETE"):
        return
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    bad = False
    if media == "application/json":
        try:
            bad = _bad_json(json.loads(await request.body()))
        except RecursionError:
            bad = True
        except ValueError:
            return  # not JSON: the route's own validation says so
    elif media in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        bad = any(isinstance(item, str) and _bad_text(item) for _, item in form.multi_items())
    if bad:
        raise InvalidInput("Texten innehåller ett otillåtet styrtecken eller ogiltigt tecken "
                           "(till exempel NUL); ta bort det och försök igen.", "body",
                           code="control_character")
