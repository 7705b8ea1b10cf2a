"""Who is asking, and is the request genuine: sessions, API tokens, CSRF, headers.

One ASGI middleware in front of every page and API route (including routes other
modules add later), so no handler can forget a check:

- resolves the actor from ``Authorization: Bearer <token>`` or the signed session
  cookie and puts it in ``request.state.actor`` (``api.deps.actor_of`` reads it);
- with ``LOTSEN_AUTH=on``, answers anonymous requests with 401 (API) or a redirect
  to /logga-in (pages), except the few public paths;
- checks the CSRF token on every unsafe request that rides on the cookie (form
  field ``csrf_token`` or header ``X-CSRF-Token``), and writes that hidden field
  into every ``<form method="post">`` of every HTML page it serves (and the token
  into ``<meta name="csrf-token">`` for scripts that POST with fetch);
- sets HttpOnly, SameSite=Lax and (over HTTPS) Secure on the cookie, plus
  security headers; limits login and registration attempts per client address.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lotsen.auth.sessions import SessionCodec
from lotsen.auth.tokens import new_csrf_token, same_secret
from lotsen.services import api_tokens, logins, rate_limits
from lotsen.services.access import SYSTEM
from lotsen.settings import Settings, get_settings

COOKIE = "lotsen_session"
PUBLIC_PREFIXES = ("/static/",)
# Taxonomy search is national reference data (and users' shared synonyms): the residents'
# form on /registrera autocompletes occupations with it before anyone is logged in.
PUBLIC_EXACT = {"/logga-in", "/registrera", "/api/v1/openapi.json", "/favicon.ico",
                "/robots.txt", "/api/v1/taxonomy/search"}
DENIED_HEADINGS = {403: "Formuläret kunde inte skickas", 429: "För många försök"}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# (attempts, seconds, count only failures): logins count failed tries, so an office
# behind one NAT address can still log in; registrations count every submission.
RATE_LIMITED = {"/logga-in": (20, 300.0, True), "/registrera": (10, 300.0, False)}
FORM_TAG = re.compile(rb"<form\b[^>]*\bmethod\s*=\s*[\"']?post[\"']?[^>]*>", re.IGNORECASE)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    # Scripts only from our own files (charts read their data from JSON blocks, never
    # inline code); plotly sets inline styles, so styles allow them. No framing, no
    # plugins, forms post only to us.
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
     b"frame-ancestors 'none'"),
]
# Pages, exports and API answers may carry personal data: no browser or proxy keeps a
# copy. Only the static assets (no personal data) may be cached.
NO_STORE = (b"cache-control", b"no-store")


def _is_public(path: str) -> bool:
    return path in PUBLIC_EXACT or path.startswith(PUBLIC_PREFIXES)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


class SecurityMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.auth_required = settings.auth_required
        self.secure = settings.secure_cookies
        self.max_age = int(settings.session_hours * 3600)
        self.codec = SessionCodec(settings.secret_key, self.max_age)
        self.trusted_proxies = frozenset(
            part.strip() for part in settings.trusted_proxies.split(",") if part.strip()
        )

    def client_address(self, scope: Scope) -> str:
        """The client's address: the peer's, unless the peer is a proxy named in
        ``LOTSEN_TRUSTED_PROXIES``; then the nearest untrusted hop of X-Forwarded-For."""
        peer = str((scope.get("client") or ("-", 0))[0])
        if peer not in self.trusted_proxies:
            return peer
        forwarded = Headers(scope=scope).get("x-forwarded-for", "")
        for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
            if hop not in self.trusted_proxies:
                return hop[:64]
        return peer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = self.client_address(scope)
        scope["client"] = (client, (scope.get("client") or ("-", 0))[1])
        request = Request(scope)
        path = scope["path"]
        is_api = path.startswith("/api/")
        session = self.codec.loads(request.cookies.get(COOKIE))
        before = dict(session)
        if "csrf" not in session and not is_api:
            session["csrf"] = new_csrf_token()
        scope["session"] = session
        engine = scope["app"].state.engine

        actor = None
        bearer = request.headers.get("authorization", "")
        via_token = bearer.lower().startswith("bearer ")
        if not self.auth_required:
            actor = SYSTEM
        elif via_token:
            actor = await run_in_threadpool(api_tokens.actor_for_token, engine, bearer[7:].strip())
            if actor is None:
                await self._deny(scope, send, 401, "not_authenticated",
                                 "Ogiltig eller återkallad API-nyckel.", is_api=True)
                return
        elif isinstance(session.get("uid"), int):
            actor = await run_in_threadpool(
                logins.actor_for_session, engine, session["uid"], session.get("ep", -1),
                session.get("sid"),
            )
            if actor is None:
                for key in ("uid", "ep", "sid"):
                    session.pop(key, None)
        scope.setdefault("state", {})["actor"] = actor

        if actor is None and not _is_public(path):
            if is_api:
                await self._deny(scope, send, 401, "not_authenticated",
                                 "Logga in eller skicka en API-nyckel (Authorization: Bearer).",
                                 is_api=True)
            else:
                target = path + (("?" + scope["query_string"].decode()) if scope["query_string"]
                                 else "")
                await self._redirect(scope, send, "/logga-in?nasta=" + quote(target, safe=""),
                                     session, before)
            return

        method = scope["method"]
        count_failure = False
        if method in UNSAFE and path in RATE_LIMITED:
            limit, window, failures_only = RATE_LIMITED[path]
            if await run_in_threadpool(rate_limits.blocked, engine, path, client, limit):
                await self._deny(scope, send, 429, "too_many_requests",
                                 "För många försök. Vänta några minuter och försök igen.", is_api)
                return
            if failures_only:
                count_failure = True
            else:
                await run_in_threadpool(rate_limits.count, engine, path, client, window)

        if method in UNSAFE and self.auth_required and not via_token:
            body = await _read_body(receive)
            receive = _replay(body)
            sent = request.headers.get("x-csrf-token") or await self._form_token(scope, body)
            if not same_secret(sent, session.get("csrf")):
                await self._deny(scope, send, 403, "csrf_failed",
                                 "Formuläret har gått ut eller kom från en annan webbplats. "
                                 "Ladda om sidan och försök igen.", is_api)
                return

        status: list[int] = []
        await self.app(scope, receive, self._wrap_send(scope, send, session, before, status))
        if count_failure and status and status[0] >= 400:
            await run_in_threadpool(rate_limits.count, engine, path, client, RATE_LIMITED[path][1])

    async def _form_token(self, scope: Scope, body: bytes) -> str | None:
        content_type = Headers(scope=scope).get("content-type", "")
        if content_type.startswith("application/x-www-form-urlencoded"):
            values = parse_qs(body.decode("latin-1"), keep_blank_values=True).get("csrf_token")
            return values[0] if values else None
        if content_type.startswith("multipart/form-data"):
            form = await Request(scope, _replay(body)).form()
            try:
                value = form.get("csrf_token")
                return value if isinstance(value, str) else None
            finally:
                await form.close()
        return None

    def _cookie_header(self, scope: Scope, session: dict[str, Any]) -> bytes:
        secure = self.secure == "on" or (self.secure == "auto" and scope.get("scheme") == "https")
        if session:
            value = self.codec.dumps(session)
            cookie = f"{COOKIE}={value}; Path=/; Max-Age={self.max_age}; HttpOnly; SameSite=Lax"
        else:
            cookie = f"{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
        return (cookie + ("; Secure" if secure else "")).encode()

    def _wrap_send(
        self, scope: Scope, send: Send, session: dict[str, Any], before: dict[str, Any],
        status: list[int],
    ) -> Send:
        start: Message | None = None
        html_chunks: list[bytes] = []

        async def wrapped(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                status.append(message["status"])
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    if name.decode() not in headers:
                        headers.append(name.decode(), value.decode())
                if not scope["path"].startswith("/static/"):
                    headers["cache-control"] = NO_STORE[1].decode()
                if session != before:
                    headers.append("set-cookie", self._cookie_header(scope, session).decode())
                if headers.get("content-type", "").startswith("text/html") and session.get("csrf"):
                    start = message  # hold until the body is complete
                    return
                await send(message)
                return
            if start is not None and message["type"] == "http.response.body":
                html_chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = self._with_csrf_fields(b"".join(html_chunks), session["csrf"])
                headers = MutableHeaders(scope=start)
                headers["content-length"] = str(len(body))
                await send(start)
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return
            await send(message)

        return wrapped

    @staticmethod
    def _with_csrf_fields(body: bytes, token: str) -> bytes:
        field = f'<input type="hidden" name="csrf_token" value="{token}">'.encode()
        meta = f'<meta name="csrf-token" content="{token}">\n</head>'.encode()
        return FORM_TAG.sub(lambda m: m.group(0) + field, body).replace(b"</head>", meta, 1)

    async def _deny(
        self, scope: Scope, send: Send, status: int, code: str, message: str, is_api: bool
    ) -> None:
        from lotsen.web.templating import templates

        if is_api:
            body = json.dumps({"error": {"code": code, "message": message}}).encode()
            headers = [(b"content-type", b"application/json")]
            if status == 401:
                headers.append((b"www-authenticate", b'Bearer realm="lotsen"'))
            await send({"type": "http.response.start", "status": status,
                        "headers": headers + SECURITY_HEADERS})
            await send({"type": "http.response.body", "body": body})
            return
        response = templates.TemplateResponse(
            Request(scope), "error.html",
            {"message": message, "heading": DENIED_HEADINGS.get(status, "Logga in")},
            status_code=status
        )
        await response(scope, _replay(b""), send)

    async def _redirect(
        self, scope: Scope, send: Send, location: str, session: dict[str, Any],
        before: dict[str, Any],
    ) -> None:
        headers = [(b"location", location.encode()), (b"content-length", b"0")]
        if session != before:
            headers.append((b"set-cookie", self._cookie_header(scope, session)))
        await send({"type": "http.response.start", "status": 303,
                    "headers": headers + SECURITY_HEADERS})
        await send({"type": "http.response.body", "body": b""})


def install(app: FastAPI) -> None:
    """Add the middleware (outermost) with the settings of this process."""
    settings = get_settings()
    app.state.auth_required = settings.auth_required
    app.add_middleware(SecurityMiddleware, settings=settings)
