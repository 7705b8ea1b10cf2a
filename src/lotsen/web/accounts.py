"""Swedish pages for accounts: log in and out, my account and API keys, the residents'
self-registration, the employer's need form, and the administrator's lists."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lotsen.api.deps import actor_of, actor_or_public, engine_of
from lotsen.auth.tokens import new_csrf_token
from lotsen.errors import InvalidInput
from lotsen.services import (
    accounts,
    api_tokens,
    audit,
    logins,
    need_edits,
    records,
    self_registration,
)
from lotsen.services.access import ACCOUNT_ROLES, ROLE_LABELS
from lotsen.services.results.accounts import Login
from lotsen.web.error_pages import show_form_on_error
from lotsen.web.templating import templates

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only local paths: an open redirect would make a phishing link look like ours."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _start_session(request: Request, user: Login) -> None:
    # A fresh session (and CSRF token) at login: a token planted before login is useless.
    request.session.clear()
    request.session.update({"uid": user["user_id"], "ep": user["epoch"], "sid": user["sid"],
                            "csrf": new_csrf_token()})


@router.get("/logga-in", response_class=HTMLResponse)
def login_page(request: Request, nasta: str = "/") -> Response:
    if not request.app.state.auth_required:
        return RedirectResponse("/", status_code=303)
    return templates.TemplateResponse(
        request, "account_login.html", {"next": _safe_next(nasta), "error": None, "username": ""}
    )


@router.post("/logga-in", response_class=HTMLResponse)
def login_submit(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    nasta: str = Form("/"),
) -> Response:
    show_form_on_error(request, lambda error, message: templates.TemplateResponse(
        request, "account_login.html",
        {"next": _safe_next(nasta), "error": message, "username": username},
        status_code=error.http_status,
    ))
    user = logins.login(engine_of(request), username, password,
                          client=request.client.host if request.client else "-")
    _start_session(request, user)
    return RedirectResponse(_safe_next(nasta), status_code=303)


@router.post("/logga-ut")
def logout(request: Request) -> Response:
    logins.logout(engine_of(request), request.session.get("sid"))
    request.session.clear()
    return RedirectResponse("/logga-in", status_code=303)


@router.get("/konto", response_class=HTMLResponse)
def my_account(request: Request, ny_nyckel: str | None = None) -> Response:
    actor = actor_of(request)
    tokens = (
        api_tokens.list_tokens(engine_of(request), actor.username,
                             actor=actor) if actor.username else []
    )
    return templates.TemplateResponse(
        request, "account_me.html", {"me": actor, "tokens": tokens, "new_token": None}
    )


@router.post("/konto/nycklar", response_class=HTMLResponse)
def create_key(request: Request, name: str = Form("")) -> Response:
    actor = actor_of(request)
    if not actor.username:
        raise InvalidInput("API-nycklar hör till ett konto; logga in med ett konto först")
    made = api_tokens.create_token(engine_of(request), actor.username, name, actor=actor)
    tokens = api_tokens.list_tokens(engine_of(request), actor.username, actor=actor)
    return templates.TemplateResponse(
        request, "account_me.html", {"me": actor, "tokens": tokens, "new_token": made}
    )


@router.post("/konto/nycklar/{token_id}/aterkalla")
def revoke_key(request: Request, token_id: int) -> Response:
    api_tokens.revoke_token(engine_of(request), token_id, actor=actor_of(request))
    return RedirectResponse("/konto", status_code=303)


@router.get("/registrera", response_class=HTMLResponse)
def registration_page(request: Request) -> Response:
    options = self_registration.registration_options(engine_of(request),
                                                     actor=actor_or_public(request))
    return templates.TemplateResponse(
        request, "account_register.html", {"options": options, "error": None, "form": {}}
    )


@router.post("/registrera", response_class=HTMLResponse)
async def registration_submit(request: Request) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    engine = engine_of(request)
    show_form_on_error(request, lambda error, message: templates.TemplateResponse(
        request, "account_register.html",
        {"options": self_registration.registration_options(
            engine, actor=actor_or_public(request)), "error": message,
         "form": form},
        status_code=error.http_status,
    ))
    pseudonym = self_registration.register_person(engine, form, actor=actor_or_public(request))
    return templates.TemplateResponse(
        request, "account_registered.html", {"pseudonym": pseudonym}
    )


@router.get("/registrera-behov", response_class=HTMLResponse)
def need_form(request: Request) -> Response:
    return _need_form(request, {}, None)


def _need_form(request: Request, form: dict[str, Any], error: str | None) -> Response:
    choices = need_edits.need_form_options(engine_of(request), actor=actor_of(request))
    options = self_registration.registration_options(engine_of(request), actor=actor_of(request))
    return templates.TemplateResponse(
        request,
        "account_need_form.html",
        {**choices, "options": options, "form": form, "error": error},
        status_code=422 if error else 200,
    )


@router.post("/registrera-behov", response_class=HTMLResponse)
async def need_submit(request: Request) -> Response:
    form = await request.form()
    raw = {k: v for k, v in form.items() if isinstance(v, str) and not k.startswith("krav:")}
    rec: dict[str, Any] = dict(raw)
    # One select per skill, "krav:<skill id>" = must | nice | "" (dropped).
    chosen = [(k[5:], v) for k, v in form.multi_items() if k.startswith("krav:")]
    rec["must_skills"] = [skill for skill, value in chosen if value == "must"]
    rec["nice_skills"] = [skill for skill, value in chosen if value == "nice"]
    for key in ("headcount", "employer_id"):
        if raw.get(key, "").strip().isdigit():
            rec[key] = int(raw[key])
    show_form_on_error(request, lambda error, message: _need_form(request, raw, message))
    need = need_edits.submit_need(engine_of(request), rec, actor=actor_of(request))
    return RedirectResponse(f"/registrera-behov/klart?id={need['id']}", status_code=303)


@router.get("/registrera-behov/klart", response_class=HTMLResponse)
def need_done(request: Request, id: int) -> Response:
    need = records.get_record(engine_of(request), "needs", id, actor=actor_of(request))
    return templates.TemplateResponse(request, "account_need_done.html", {"need": need})


@router.get("/admin/konton", response_class=HTMLResponse)
def admin_accounts(request: Request, skapad: str | None = None) -> Response:
    return _admin_page(request, {}, None, created=skapad)


def _admin_page(request: Request, form: dict[str, str], error: str | None,
                created: str | None = None, status: int = 200) -> Response:
    engine, actor = engine_of(request), actor_of(request)
    context = {
        "rows": accounts.list_accounts(engine, actor=actor),
        "tenants": accounts.tenant_choices(engine, actor=actor),
        "roles": [(role, ROLE_LABELS[role]) for role in ACCOUNT_ROLES],
        "form": form,
        "error": error,
        "created": created,
    }
    return templates.TemplateResponse(request, "account_admin.html", context,
                                      status_code=status)


@router.post("/admin/konton", response_class=HTMLResponse)
async def admin_create_account(request: Request) -> Response:
    """The administrator's form: a new account with role, tenant and organisation."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    organization = form.get("organization_id", "").strip()
    shown = {k: v for k, v in form.items() if k != "password"}  # never echoed back
    show_form_on_error(request, lambda error, message: _admin_page(
        request, shown, message, status=error.http_status))
    created = accounts.create_account(
        engine_of(request), form.get("username", ""),
        form.get("password", ""), form.get("role", ""), form.get("tenant") or None,
        int(organization) if organization.isdigit() else None,
        form.get("display_name", "").strip(), actor=actor_of(request),
    )
    return RedirectResponse(f"/admin/konton?skapad={quote(created['username'])}",
                            status_code=303)


@router.get("/admin/logg", response_class=HTMLResponse)
def admin_audit(request: Request) -> Response:
    data = audit.list_entries(engine_of(request), limit=200, actor=actor_of(request))
    return templates.TemplateResponse(request, "account_audit.html", {"data": data})
