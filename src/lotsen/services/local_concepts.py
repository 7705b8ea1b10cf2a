"""A tenant's own occupations and skills: define, list, find by search, resolve.

Local concepts are the tenant's: its lotsar define them, its people read them, and
no other tenant ever finds them (the search layers a small per-tenant index beside
the shared one instead of adding to it). Everything that needs the standard concept
behind a local one (matching, SSYK-4 groups) asks :func:`anchors`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from lotsen.errors import NotFound
from lotsen.services import audit
from lotsen.services.access import SYSTEM, Actor, acting_tenant, scoped
from lotsen.store.db import transaction
from lotsen.store.models import LocalConcept as LocalRow
from lotsen.store.models import Tenant
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.local import TYPE_LABELS, LocalConcept, is_local, make_id, validate
from lotsen.taxonomy.search import SearchIndex

KIND = "local_concepts"


def to_dict(row: LocalRow, tenant_slug: str | None = None) -> dict[str, Any]:
    taxonomy = load_taxonomy()
    anchor = taxonomy.find(row.anchor_id)
    group = taxonomy.ssyk4(row.anchor_id) if anchor is not None else None
    return {
        "concept_id": row.concept_id,
        "type": row.type,
        "type_label": TYPE_LABELS.get(row.type, row.type),
        "preferred_label": row.label,
        "description": row.description,
        "synonyms": list(row.synonyms or []),
        "anchor_id": row.anchor_id,
        "anchor_label": anchor.label if anchor else row.anchor_id,
        "ssyk4": group.code if group else None,
        "tenant_id": row.tenant_id,
        "tenant": tenant_slug,
        "created_by": row.created_by,
        "created_at": row.created_at.isoformat(timespec="seconds"),
        "local": True,
    }


def to_core(row: LocalRow) -> LocalConcept:
    """The row as the core's :class:`LocalConcept`."""
    return LocalConcept(row.concept_id, row.type, row.label, row.anchor_id, row.tenant_id,
                        row.description, tuple(row.synonyms or ()))


def add_local(
    engine: Engine,
    actor: Actor,
    concept_type: str,
    label: str,
    anchor_id: str,
    description: str | None = None,
    synonyms: Sequence[str] = (),
    tenant: str | None = None,
) -> dict[str, Any]:
    """Define a local occupation or skill of the actor's tenant (admins name the tenant)."""
    clean = validate(load_taxonomy(), concept_type, label, anchor_id, description, synonyms)
    with transaction(engine) as session:
        target = acting_tenant(session, actor, KIND, "write", tenant)
        assert target is not None  # writes always have a tenant
        taken = session.scalars(
            select(LocalRow.concept_id).where(LocalRow.tenant_id == target.id)
        ).all()
        row = LocalRow(
            tenant_id=target.id,
            concept_id=make_id(target.slug, clean["label"], taken),
            created_by=actor.username or actor.role,
            **clean,
        )
        session.add(row)
        session.flush()
        audit.record(session, actor, "create", "local_concept", row.id,
                     f"{row.concept_id} → {row.anchor_id}")
        return to_dict(row, target.slug)


def list_local(
    engine: Engine,
    actor: Actor = SYSTEM,
    tenant: str | None = None,
    concept_type: str | None = None,
) -> dict[str, Any]:
    """The local concepts the actor may read (one tenant's, or every tenant's for
    region-wide roles that name none)."""
    with transaction(engine) as session:
        target = acting_tenant(session, actor, KIND, "read", tenant)
        query = scoped(select(LocalRow), KIND, actor)
        if target is not None:
            query = query.where(LocalRow.tenant_id == target.id)
        if concept_type:
            query = query.where(LocalRow.type == concept_type)
        rows = session.scalars(query.order_by(LocalRow.type, LocalRow.label)).all()
        slugs = _slugs(session, {r.tenant_id for r in rows})
        return {"results": [to_dict(row, slugs.get(row.tenant_id)) for row in rows]}


def get_local(engine: Engine, actor: Actor, concept_id: str) -> dict[str, Any]:
    query = scoped(select(LocalRow).where(LocalRow.concept_id == concept_id), KIND, actor)
    with transaction(engine) as session:
        row = session.scalars(query).one_or_none()
        if row is None:
            raise NotFound(f"no local concept {concept_id!r}")
        return to_dict(row, _slugs(session, {row.tenant_id}).get(row.tenant_id))


def _slugs(session: Session, tenant_ids: set[int]) -> dict[int, str]:
    return dict(session.execute(
        select(Tenant.id, Tenant.slug).where(Tenant.id.in_(tenant_ids))
    ).all())


def concepts_of(engine: Engine, tenant_id: int) -> list[LocalConcept]:
    """All local concepts of one tenant (no access check: callers scope first)."""
    with transaction(engine) as session:
        rows = session.scalars(select(LocalRow).where(LocalRow.tenant_id == tenant_id)).all()
        return [to_core(r) for r in rows]


def find_local(engine: Engine, tenant_id: int, concept_id: str,
               concept_type: str | None = None) -> LocalConcept | None:
    """``concept_id`` if it is a local concept of ``tenant_id`` (of ``concept_type``)."""
    if not is_local(concept_id):
        return None
    query = select(LocalRow).where(
        LocalRow.tenant_id == tenant_id, LocalRow.concept_id == concept_id
    )
    if concept_type:
        query = query.where(LocalRow.type == concept_type)
    with transaction(engine) as session:
        row = session.scalars(query).one_or_none()
        return to_core(row) if row is not None else None


def anchors(engine: Engine) -> dict[str, str]:
    """Every local concept id → its standard anchor. Ids carry their tenant, so one
    map serves all tenants without mixing them up."""
    with transaction(engine) as session:
        return dict(session.execute(select(LocalRow.concept_id, LocalRow.anchor_id)).all())


def labels(engine: Engine, concept_ids: Sequence[str]) -> dict[str, str]:
    """Labels of the local ids among ``concept_ids`` (for pages and reports)."""
    wanted = [c for c in concept_ids if is_local(c)]
    if not wanted:
        return {}
    with transaction(engine) as session:
        return dict(session.execute(
            select(LocalRow.concept_id, LocalRow.label).where(LocalRow.concept_id.in_(wanted))
        ).all())


class _Indexes:
    """One small search index per (database, tenant), rebuilt when its concepts change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, int], tuple[tuple[Any, ...], SearchIndex]] = {}

    def get(self, engine: Engine, tenant_id: int) -> SearchIndex | None:
        with transaction(engine) as session:
            stamp = tuple(session.execute(
                select(func.count(), func.max(LocalRow.updated_at), func.max(LocalRow.id))
                .where(LocalRow.tenant_id == tenant_id)
            ).one())
        if not stamp[0]:
            return None
        key = (str(engine.url), tenant_id)
        with self._lock:
            held = self._entries.get(key)
            if held is not None and held[0] == stamp:
                return held[1]
        index = SearchIndex.of_local(load_taxonomy(), concepts_of(engine, tenant_id))
        with self._lock:
            self._entries[key] = (stamp, index)
        return index


_indexes = _Indexes()


def local_index(engine: Engine, tenant_id: int | None) -> SearchIndex | None:
    """The tenant's local concepts as a search index, or None when it has none."""
    return None if tenant_id is None else _indexes.get(engine, tenant_id)
