"""Import a file of needs, people or programs into a tenant; hand out the templates.

The service decides who may import what and into which tenant, opens the one
transaction the whole file lands in (or does not), and records the import in the
audit trail. Parsing, resolution and bulk writing are :mod:`lotsen.imports`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import cast

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from lotsen.errors import InvalidInput, NotFound, PermissionDenied
from lotsen.imports import template_files
from lotsen.imports.columns import KINDS, columns_of
from lotsen.imports.myh import import_myh
from lotsen.imports.pipeline import run_import
from lotsen.services.access import (
    Actor,
    Scope,
    import_scope,
    may_import,
    require_reference_data,
    scope,
)
from lotsen.services.local_concepts import to_core
from lotsen.services.people import audit
from lotsen.services.results.accounts import TenantChoice
from lotsen.services.results.imports import (
    ImportColumn,
    ImportOptions,
    ImportSummary,
    MyhImportSummary,
)
from lotsen.services.taxonomy import TenantSearch, search_index
from lotsen.store.db import transaction
from lotsen.store.models import LocalConcept, Tenant
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.search import SearchIndex

DEFAULT_TENANT = "default"
MAX_BYTES = 200 * 1024 * 1024


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InvalidInput(f"unknown import kind {kind!r}; use one of {', '.join(KINDS)}")


def _tenant(session: Session, slug: str | None, reach: Scope) -> tuple[Tenant, bool]:
    """The tenant to import into, and whether it was just created (first use)."""
    if not reach.region_wide:
        own = session.get(Tenant, reach.tenant_id) if reach.tenant_id is not None else None
        if own is None:
            raise PermissionDenied("this account belongs to no tenant; ask an administrator")
        if slug not in (None, own.slug):
            raise PermissionDenied(f"you may import only into your own tenant {own.slug!r}")
        return own, False
    tenants = list(session.scalars(select(Tenant).order_by(Tenant.slug)))
    if not tenants:
        # A fresh installation: the first import creates its tenant.
        tenant = Tenant(slug=slug or DEFAULT_TENANT, name=slug or "Lotsen",
                        municipality_codes=[], is_synthetic=False)
        session.add(tenant)
        session.flush()
        return tenant, True
    if slug is None:
        if len(tenants) == 1:
            return tenants[0], False
        raise InvalidInput("several tenants exist: choose one with --tenant "
                           f"({', '.join(t.slug for t in tenants)})")
    for tenant in tenants:
        if tenant.slug == slug:
            return tenant, False
    raise NotFound(f"no tenant {slug!r}; the tenants are: {', '.join(t.slug for t in tenants)}",
                   code="tenant_not_found", params={"tenant": slug})


def import_file(
    engine: Engine, kind: str, data: bytes, file_name: str, tenant: str | None = None,
    dry_run: bool = False, skip_unresolved: bool = False,
    progress: Callable[[int], None] | None = None, today: date | None = None, *, actor: Actor,
) -> ImportSummary:
    """Import ``data`` whole or not at all; raises ImportRejected listing every problem."""
    _check_kind(kind)
    reach = import_scope(actor, kind)
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"the file is larger than {MAX_BYTES // 2**20} MB: split it",
                           file_name)
    started = time.perf_counter()
    shared = search_index(engine)
    taxonomy = load_taxonomy()
    with transaction(engine) as session:
        target, created_tenant = _tenant(session, tenant, reach)
        slug = target.slug
        # The tenant's own concepts resolve for its files, and only for them.
        local = [to_core(r) for r in session.scalars(
            select(LocalConcept).where(LocalConcept.tenant_id == target.id))]
        searcher = TenantSearch(shared, SearchIndex.of_local(taxonomy, local) if local else None)
        summary = cast(ImportSummary, run_import(
            session.connection(), kind, data, file_name, target.id, taxonomy, searcher,
            today or date.today(), dry_run=dry_run, skip_unresolved=skip_unresolved,
            progress=progress, local=local,
            # A tenant-bound account writes only in its own municipalities.
            within=None if reach.region_wide or not target.municipality_codes
            else (target.name, target.municipality_codes),
        ))
        if dry_run:
            session.rollback()
        else:
            audit(session, "create", f"import:{kind}", None, {
                "tenant_id": target.id, "file": file_name[:100], "created": summary["created"],
                "updated": summary["updated"]}, actor=actor)
        summary["tenant"] = slug
        summary["tenant_name"] = target.name
        summary["tenant_created"] = created_tenant and not dry_run
    seconds = time.perf_counter() - started
    summary["seconds"] = round(seconds, 3)
    summary["rows_per_second"] = round(summary["rows"] / seconds) if seconds > 0 else None
    return summary


def import_myh_files(
    engine: Engine, files: list[tuple[bytes, str]], tenant: str | None = None,
    dry_run: bool = False, today: date | None = None, *, actor: Actor,
) -> MyhImportSummary:
    """Import MYH's register export and/or application results as YH programs, all
    files whole or none; every inferred link is marked in the program's ``links``."""
    reach = import_scope(actor, "programs")
    for data, name in files:
        if len(data) > MAX_BYTES:
            raise InvalidInput(f"the file is larger than {MAX_BYTES // 2**20} MB", name)
    started = time.perf_counter()
    with transaction(engine) as session:
        target, created_tenant = _tenant(session, tenant, reach)
        summary = cast(MyhImportSummary, import_myh(
            session.connection(), files, target.id, load_taxonomy(), search_index(engine),
            today or date.today(), dry_run))
        if dry_run:
            session.rollback()
        else:
            audit(session, "create", "import:programs", None, {
                "tenant_id": target.id, "file": ", ".join(n for _, n in files)[:100],
                "created": summary["created"], "updated": summary["updated"]}, actor=actor)
        summary["tenant"] = target.slug
        summary["tenant_name"] = target.name
        summary["tenant_created"] = created_tenant and not dry_run
    summary["seconds"] = round(time.perf_counter() - started, 3)
    return summary


def template(kind: str, fmt: str, *, actor: Actor) -> tuple[str, bytes, str]:
    """(file name, content, media type) of the shipped template for ``kind``."""
    require_reference_data(actor)
    _check_kind(kind)
    if fmt not in template_files.MEDIA_TYPES:
        raise InvalidInput(f"unknown template format {fmt!r}; use csv or xlsx")
    return (f"lotsen-{kind}.{fmt}", template_files.shipped(kind, fmt),
            template_files.MEDIA_TYPES[fmt])


def describe(engine: Engine, *, actor: Actor) -> ImportOptions:
    """What the import page offers ``actor``: kinds they may import (with columns) and
    the tenants they may import into."""
    kinds: dict[str, list[ImportColumn]] = {}
    for kind in KINDS:
        if may_import(actor, kind):
            kinds[kind] = [
                {"key": c.key, "heading": c.heading, "required": c.required,
                 "description": c.description, "multi": c.multi, "example": c.examples[0]}
                for c in columns_of(kind)
            ]
    with transaction(engine) as session:
        query = scope(actor, "tenants").rows(select(Tenant.slug, Tenant.name).order_by(Tenant.name))
        tenants = [TenantChoice(slug=slug, name=name) for slug, name in session.execute(query)]
    return {"kinds": kinds, "tenants": tenants}
