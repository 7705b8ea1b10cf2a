"""A tenant's own occupations and skills: define, edit, delete, list, find by search, resolve.

Local concepts are the tenant's: its lotsar define them, its people read them, and
no other tenant ever finds them (the search layers a small per-tenant index beside
the shared one instead of adding to it). Everything that needs the standard concept
behind a local one (matching, SSYK-4 groups) asks :func:`anchors`.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from lotsen.errors import Conflict, NotFound
from lotsen.services import audit, invalidation
from lotsen.services.access import Actor, require_aggregates, scope
from lotsen.services.cache import Cache
from lotsen.services.concept_references import describe, move_uses, replacement, usage_of
from lotsen.services.invalidation import Topic
from lotsen.services.results.concepts import DeletedConcept, LocalConceptInfo, LocalConcepts, Uses
from lotsen.store.db import transaction
from lotsen.store.models import LocalConcept as LocalRow
from lotsen.store.models import (
    ProfileVersion,
    Tenant,
)
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.local import TYPE_LABELS, LocalConcept, is_local, make_id, validate
from lotsen.taxonomy.model import OCCUPATION
from lotsen.taxonomy.search import SearchIndex

KIND = "local_concepts"


def to_dict(row: LocalRow, tenant_slug: str | None = None) -> LocalConceptInfo:
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
    engine: Engine, concept_type: str, label: str, anchor_id: str, description: str | None = None,
    synonyms: Sequence[str] = (), tenant: str | None = None, *, actor: Actor,
) -> LocalConceptInfo:
    """Define a local occupation or skill of the actor's tenant (admins name the tenant)."""
    clean = validate(load_taxonomy(), concept_type, label, anchor_id, description, synonyms)
    with transaction(engine) as session:
        target = scope(actor, KIND, "write").tenant(session, tenant)
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
        audit.record(session, "create", "local_concept", row.id,
                     f"{row.concept_id} → {row.anchor_id}", actor=actor)
        return to_dict(row, target.slug)


def list_local(
    engine: Engine, tenant: str | None = None, concept_type: str | None = None, *, actor: Actor,
) -> LocalConcepts:
    """The local concepts the actor may read (one tenant's, or every tenant's for
    region-wide roles that name none)."""
    with transaction(engine) as session:
        target = scope(actor, KIND, "read").tenant(session, tenant)
        query = scope(actor, KIND).rows(select(LocalRow))
        if target is not None:
            query = query.where(LocalRow.tenant_id == target.id)
        if concept_type:
            query = query.where(LocalRow.type == concept_type)
        rows = session.scalars(query.order_by(LocalRow.type, LocalRow.label)).all()
        slugs = _slugs(session, {r.tenant_id for r in rows})
        return {"results": [to_dict(row, slugs.get(row.tenant_id)) for row in rows]}


def get_local(engine: Engine, concept_id: str, *, actor: Actor) -> LocalConceptInfo:
    query = scope(actor, KIND).rows(select(LocalRow).where(LocalRow.concept_id == concept_id))
    with transaction(engine) as session:
        row = session.scalars(query).one_or_none()
        if row is None:
            raise NotFound(f"no local concept {concept_id!r}", code="local_concept_not_found",
                           params={"concept_id": concept_id})
        return to_dict(row, _slugs(session, {row.tenant_id}).get(row.tenant_id))


def _writable(session: Session, actor: Actor, concept_id: str) -> LocalRow:
    """The row ``actor`` may change; another tenant's concept answers like a missing one."""
    query = scope(actor, KIND, "write").rows(
        select(LocalRow).where(LocalRow.concept_id == concept_id))
    row = session.scalars(query.with_for_update()).one_or_none()
    if row is None:
        raise NotFound(f"no local concept {concept_id!r}", code="local_concept_not_found",
                           params={"concept_id": concept_id})
    return row


def edit_local(
    engine: Engine, concept_id: str, label: str | None = None, description: str | None = None,
    synonyms: Sequence[str] | None = None, anchor_id: str | None = None, *, actor: Actor,
) -> LocalConceptInfo:
    """Change a local concept's label, description, synonyms or anchor (None = keep;
    ``description=""`` clears it). The id stays: needs, people and programs keep it."""
    with transaction(engine) as session:
        row = _writable(session, actor, concept_id)
        clean = validate(
            load_taxonomy(), row.type,
            row.label if label is None else label,
            row.anchor_id if anchor_id is None else anchor_id,
            row.description if description is None else description,
            list(row.synonyms or []) if synonyms is None else synonyms,
        )
        before = {"label": row.label, "description": row.description,
                  "synonyms": list(row.synonyms or []), "anchor_id": row.anchor_id}
        changed = [key for key, old in before.items() if clean[key] != old]
        for key in changed:
            setattr(row, key, clean[key])
        if changed:
            session.flush()
            audit.record(session, "update", "local_concept", row.id,
                         f"{row.concept_id}: " + ", ".join(
                             f"{key} {before[key]!r} → {clean[key]!r}" if key != "description"
                             else "description" for key in changed), actor=actor)
        result = to_dict(row, _slugs(session, {row.tenant_id}).get(row.tenant_id))
        result["changed"] = changed
    if "anchor_id" in changed:
        invalidation.changed(Topic.LOCAL_CONCEPTS, engine)
    return result


def usage(engine: Engine, concept_id: str, *, actor: Actor) -> Uses:
    """How many needs, people and programs use a local concept the actor may change."""
    with transaction(engine) as session:
        return usage_of(session, _writable(session, actor, concept_id))


def delete_local(
    engine: Engine, concept_id: str, replace_with: str | None = None, *, actor: Actor,
) -> DeletedConcept:
    """Delete a local concept. One still used by needs, people or programs is refused
    (the message says how many) unless ``replace_with`` names another concept of the
    same type — standard, or local of the same tenant — that takes over every use in
    the same transaction. The local occupation's own profile edits go with it."""
    with transaction(engine) as session:
        row = _writable(session, actor, concept_id)
        used = usage_of(session, row)
        in_use = any(used.values())
        target: str | None = None
        if replace_with:
            target = replacement(session, row, replace_with.strip())
        elif in_use:
            raise Conflict(
                f"{row.label} ({row.concept_id}) används av {describe(used)}; "
                "ange ett annat begrepp att flytta dem till (--replace-with / replace_with) "
                "eller ändra dem först. Still in use: name a replacement concept.",
                code="concept_in_use",
                params={"concept_id": row.concept_id, "label": row.label, **used},
            )
        moved = move_uses(session, row, target) if target and in_use else Uses(
            needs=0, people=0, programs=0)
        profile_versions = 0
        if row.type == OCCUPATION:
            own = (ProfileVersion.tenant_id == row.tenant_id,
                   ProfileVersion.occupation_id == row.concept_id)
            profile_versions = int(session.scalar(
                select(func.count()).select_from(ProfileVersion).where(*own)) or 0)
            session.execute(delete(ProfileVersion).where(*own))
        audit.record(session, "delete", "local_concept", row.id,
                     f"{row.concept_id} ({row.label})"
                     + (f" → {target}: " + describe(moved) if target else ""), actor=actor)
        result = DeletedConcept(deleted=row.concept_id, preferred_label=row.label,
                                type=row.type, replaced_with=target, moved=moved,
                                profile_versions_removed=profile_versions)
        session.delete(row)
    invalidation.changed(Topic.LOCAL_CONCEPTS, engine)
    return result


def _slugs(session: Session, tenant_ids: set[int]) -> dict[int, str]:
    return dict(session.execute(
        select(Tenant.id, Tenant.slug).where(Tenant.id.in_(tenant_ids))
    ).all())


def _concepts_of(engine: Engine, tenant_id: int) -> list[LocalConcept]:
    """All local concepts of one tenant (no access check: callers scope first)."""
    with transaction(engine) as session:
        rows = session.scalars(select(LocalRow).where(LocalRow.tenant_id == tenant_id)).all()
        return [to_core(r) for r in rows]




def find_local(engine: Engine, tenant_id: int, concept_id: str,
               concept_type: str | None = None, *, actor: Actor) -> LocalConcept | None:
    """``concept_id`` if it is a local concept of ``tenant_id`` (of ``concept_type``)."""
    require_aggregates(actor)
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


def anchors(engine: Engine, *, actor: Actor) -> dict[str, str]:
    """Every local concept id → its standard anchor. Ids carry their tenant, so one
    map serves all tenants without mixing them up."""
    require_aggregates(actor)
    with transaction(engine) as session:
        return dict(session.execute(select(LocalRow.concept_id, LocalRow.anchor_id)).all())


def labels(engine: Engine, concept_ids: Sequence[str], *, actor: Actor) -> dict[str, str]:
    """Labels of the local ids among ``concept_ids`` (for pages and reports)."""
    require_aggregates(actor)
    wanted = [c for c in concept_ids if is_local(c)]
    if not wanted:
        return {}
    with transaction(engine) as session:
        return dict(session.execute(
            select(LocalRow.concept_id, LocalRow.label).where(LocalRow.concept_id.in_(wanted))
        ).all())


# One small search index per (database, tenant), rebuilt when its concepts change: the
# stamp (count, last change, last id) is read from the database on every use.
indexes: Cache[tuple[str, int], SearchIndex] = Cache(
    "local concept indexes", max_entries=256, staleness="none: checked against the database")


def local_index(engine: Engine, tenant_id: int | None) -> SearchIndex | None:
    """The tenant's local concepts as a search index, or None when it has none."""
    if tenant_id is None:
        return None
    with transaction(engine) as session:
        stamp = tuple(session.execute(
            select(func.count(), func.max(LocalRow.updated_at), func.max(LocalRow.id))
            .where(LocalRow.tenant_id == tenant_id)
        ).one())
    if not stamp[0]:
        return None
    return indexes.get((str(engine.url), tenant_id), lambda: SearchIndex.of_local(
        load_taxonomy(), _concepts_of(engine, tenant_id)), stamp)
