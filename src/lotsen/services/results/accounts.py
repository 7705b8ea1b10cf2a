"""Results of accounts, logins, API tokens, the audit trail and consents."""

from __future__ import annotations

from typing_extensions import TypedDict


class Account(TypedDict):
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    tenant_id: int | None
    organization_id: int | None
    is_active: bool
    is_demo: bool
    last_login_at: str | None


class Login(Account):
    """An account that just signed in, with its new server-side session (``sid``)."""

    user_id: int
    epoch: int
    sid: str


class DemoAccount(TypedDict):
    username: str
    password: str
    role: str
    role_label: str
    tenant: str | None
    organization: str | None


class TenantChoice(TypedDict):
    slug: str
    name: str


class ApiTokenInfo(TypedDict):
    id: int
    name: str
    prefix: str
    created_at: str | None
    expires_at: str | None
    last_used_at: str | None
    revoked: bool


class NewApiToken(ApiTokenInfo):
    token: str  # the plain token, shown once


class AuditLine(TypedDict):
    id: int
    at: str
    user_id: int | None
    username: str | None
    role: str
    tenant_id: int | None
    action: str
    entity: str
    entity_id: int | None
    detail: str | None


class ConsentGiven(TypedDict):
    id: int
    purpose: str
    given_at: str


class ConsentWithdrawn(TypedDict):
    purpose: str
    withdrawn_at: str


class ConsentChange(TypedDict):
    at: str
    by: str
    detail: str | None
