"""JSON endpoints for accounts, API tokens, the audit trail, dashboards and need edits."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from lotsen.api.deps import actor_of, engine_of
from lotsen.limits import MAX_HEADCOUNT, MAX_ID
from lotsen.services import accounts, api_tokens, audit, dashboard, need_edits
from lotsen.services.results import Page
from lotsen.services.results.accounts import Account, AuditLine, NewApiToken
from lotsen.services.results.dashboard import Dashboard

router = APIRouter(prefix="/api/v1")


class AccountIn(BaseModel):
    username: str = Field(..., max_length=100)
    password: str = Field(..., max_length=256)
    role: str
    tenant: str | None = Field(None, description="Tenant slug, e.g. lulea-boden")
    organization_id: int | None = Field(None, ge=1, le=MAX_ID)
    display_name: str = Field("", max_length=200)


class TokenIn(BaseModel):
    name: str = Field(..., max_length=100)
    days: int | None = Field(None, ge=1, le=3650)  # None: LOTSEN_TOKEN_MAX_DAYS


class NeedPatch(BaseModel):
    """The fields to change and the ``version`` they were read at (optimistic locking)."""

    version: int = Field(..., ge=1, le=MAX_ID)
    title: str | None = Field(None, max_length=300)
    headcount: int | None = Field(None, ge=1, le=MAX_HEADCOUNT)
    start_date: date | None = None
    status: str | None = Field(None, pattern="^(open|filled|cancelled)$")
    description: str | None = Field(None, max_length=10_000)
    municipality_code: str | None = Field(None, pattern="^[0-9]{4}$")
    min_swedish_level: str | None = Field(None, max_length=16)
    occupation_id: str | None = Field(None, max_length=20)


@router.get("/me", tags=["accounts"])
def me(request: Request) -> dict[str, Any]:
    actor = actor_of(request)
    return {
        "username": actor.username,
        "role": actor.role,
        "role_label": actor.label,
        "tenant_id": actor.tenant_id,
        "organization_id": actor.organization_id,
    }


@router.get("/accounts", tags=["accounts"])
def list_accounts(request: Request) -> dict[str, list[Account]]:
    return {"results": accounts.list_accounts(engine_of(request), actor=actor_of(request))}


@router.post("/accounts", tags=["accounts"], status_code=201)
def create_account(request: Request, body: AccountIn) -> Account:
    return accounts.create_account(
        engine_of(request),
        body.username,
        body.password,
        body.role,
        body.tenant,
        body.organization_id,
        body.display_name, actor=actor_of(request),
    )


@router.post("/tokens", tags=["accounts"], status_code=201)
def create_token(request: Request, body: TokenIn) -> NewApiToken:
    """A token for the signed-in account; the plain token is returned only here."""
    actor = actor_of(request)
    return api_tokens.create_token(
        engine_of(request), actor.username or "", body.name, body.days, actor=actor
    )


@router.delete("/tokens/{token_id}", tags=["accounts"], status_code=204)
def revoke_token(request: Request, token_id: int = Path(..., ge=1, le=MAX_ID)) -> None:
    api_tokens.revoke_token(engine_of(request), token_id, actor=actor_of(request))


@router.get("/audit", tags=["accounts"])
def audit_log(
    request: Request,
    entity: str | None = Query(None, max_length=32),
    entity_id: int | None = Query(None, ge=1, le=MAX_ID),
    limit: int = Query(100, ge=1, le=10_000),
    offset: int = Query(0, ge=0, le=MAX_ID),
) -> Page[AuditLine]:
    return audit.list_entries(
        engine_of(request), entity, entity_id, limit, offset, actor=actor_of(request)
    )


@router.get("/dashboard", tags=["region"])
def dashboard_data(request: Request) -> Dashboard:
    """What the start page shows the signed-in role (own work + regional aggregates)."""
    return dashboard.dashboard(engine_of(request), actor=actor_of(request))


@router.patch("/needs/{need_id}", tags=["needs"])
def patch_need(
    request: Request, body: NeedPatch, need_id: int = Path(..., ge=1, le=MAX_ID)
) -> dict[str, Any]:
    """Change a need. 409 with a clear message when someone else changed it first."""
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    return need_edits.update_need(
        engine_of(request), need_id, changes, body.version, actor=actor_of(request)
    )
