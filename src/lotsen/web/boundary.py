"""The request boundary: text that no database column can hold is refused before any
route runs, for the API and the web pages alike.

PostgreSQL rejects a NUL in text and an integer beyond its 32-bit ``integer`` with an
error that surfaced as HTTP 500 in every string filter and id route. Here a control
character (anything below U+0020 except tab, newline and carriage return, and DEL) in
the path or the query answers 400, and a numeric path segment beyond
:data:`~lotsen.limits.MAX_ID` answers 404 (no row can have that id), each with one
Swedish line: JSON with ``error`` for ``/api/``, a short page otherwise.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

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
