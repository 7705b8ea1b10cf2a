"""Results of imports, the demo region, retention and residents' self-registration."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict

from lotsen.services.results.accounts import TenantChoice


class ImportSummary(TypedDict):
    """An import done (or, with ``dry_run``, checked): what was read, written and guessed."""

    kind: str
    file: str
    format: str
    encoding: str | None
    delimiter: str | None
    notes: list[str]
    rows: int
    created: int
    updated: int
    organizations_created: int
    dry_run: bool
    interpreted: list[dict[str, Any]]  # taxonomy text resolved: the first ones
    interpreted_count: int
    unresolved: list[dict[str, Any]]
    unresolved_count: int
    flagged: list[dict[str, Any]]
    flagged_count: int
    warnings: list[dict[str, Any]]  # errors.Problem.as_dict(): the first ones
    warning_count: int
    tenant: str
    tenant_name: str
    tenant_created: bool
    seconds: float
    rows_per_second: int | None


class UnlinkedProgram(TypedDict):
    source_id: str
    name: str


class MyhImportSummary(TypedDict):
    kind: str
    format: str
    files: list[dict[str, Any]]  # per file: name, what it held
    rows: int
    created: int
    updated: int
    organizations_created: int
    dry_run: bool
    with_sun: int
    with_occupation: int
    unlinked: list[UnlinkedProgram]
    inferred_note: str
    tenant: str
    tenant_name: str
    tenant_created: bool
    seconds: float


class ImportColumn(TypedDict):
    key: str
    heading: str
    required: bool
    description: str
    multi: bool
    example: str


class ImportOptions(TypedDict):
    """What the import page offers an actor: kinds with their columns, and tenants."""

    kinds: dict[str, list[ImportColumn]]
    tenants: list[TenantChoice]


class RetentionRun(TypedDict):
    dry_run: bool
    reclaimed: dict[str, object] | None  # what rewriting the tables freed
    today: str
    retention_days: int
    consent_valid_days: int
    audit_retention_days: int
    people_deleted: int
    person_ids: list[int]
    audit_entries_deleted: int
    ended_sessions_deleted: int


class RegistrationOptions(TypedDict):
    municipalities: list[tuple[str, str]]  # (code, name), by name
    swedish_levels: tuple[str, ...]


class RegionCounts(TypedDict):
    """The region's headline figures (`lotsen demo`, the start page)."""

    municipalities: int
    tenants: int
    employers: int
    open_needs: int
    open_headcount: int
    people: int
    programs: int
    synthetic: bool
