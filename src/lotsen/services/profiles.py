"""Use cases of skill profiles: show, edit, history, revert, and what a new need starts from.

An occupation's profile is computed from the data (:func:`lotsen.services.matching.profile`)
and a tenant's edits lie on top of it as numbered versions
(:mod:`lotsen.match.profile_edits`). Edits belong to one tenant: its lotsar make
them, everyone of the tenant sees them, other tenants never do. A local occupation's
profile starts from its anchor's computed profile, and its edits are its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any, cast

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lotsen.errors import Conflict, InvalidInput, LimitExceeded, NotFound
from lotsen.match.profile_edits import Overlay, apply_changes, apply_edits, diff, suggest
from lotsen.services import audit, matching
from lotsen.services.access import Actor, may, scope
from lotsen.services.local_concepts import labels as local_labels
from lotsen.services.local_concepts import to_dict as local_to_dict
from lotsen.services.results.matching import (
    NeedSuggestions,
    OccupationOverview,
    OccupationProfile,
    ProfileHistory,
    ProfileVersionInfo,
)
from lotsen.store.db import transaction, writers_race
from lotsen.store.models import LocalConcept, ProfileVersion, Tenant
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.local import is_local
from lotsen.taxonomy.model import OCCUPATION, SKILL, SSYK4

KIND = "profiles"
MAX_CHANGES = 200


def _by(actor: Actor) -> str:
    return actor.username or actor.role


def _local_occupation(session: Session, actor: Actor, occupation_id: str) -> LocalConcept:
    row = session.scalars(scope(actor, "local_concepts").rows(select(LocalConcept).where(
            LocalConcept.concept_id == occupation_id, LocalConcept.type == OCCUPATION
        ))).one_or_none()
    if row is None:
        raise NotFound(f"no occupation with id {occupation_id!r}; search with lotsen taxonomy",
                       code="occupation_not_found", params={"occupation_id": occupation_id})
    return row


def _subject(
    session: Session, actor: Actor, occupation_id: str, action: str, tenant: str | None
) -> tuple[Tenant | None, str, LocalConcept | None]:
    """(tenant whose edits apply, standard occupation computed from, local concept)."""
    if not is_local(occupation_id):
        load_taxonomy().require(occupation_id, OCCUPATION, SSYK4)
        return scope(actor, KIND, action).tenant(session, tenant), occupation_id, None
    local = _local_occupation(session, actor, occupation_id)
    owner = session.get(Tenant, local.tenant_id)
    assert owner is not None
    # A local occupation's edits are its own tenant's: that is the default tenant.
    target = scope(actor, KIND, action).tenant(session, tenant or owner.slug)
    if target is None or target.id != local.tenant_id:
        raise NotFound(f"no occupation with id {occupation_id!r} in {tenant}",
                       code="occupation_not_found", params={"occupation_id": occupation_id})
    return target, local.anchor_id, local


def _versions(session: Session, tenant_id: int, occupation_id: str) -> list[ProfileVersion]:
    return list(session.scalars(
        select(ProfileVersion)
        .where(ProfileVersion.tenant_id == tenant_id, ProfileVersion.occupation_id == occupation_id)
        .order_by(ProfileVersion.version)
    ))


def _label_of(engine: Engine, ids: Sequence[str], *, actor: Actor) -> dict[str, str]:
    taxonomy = load_taxonomy()
    found = local_labels(engine, ids, actor=actor)
    for concept_id in ids:
        if concept_id not in found:
            concept = taxonomy.find(concept_id)
            found[concept_id] = concept.label if concept else concept_id
    return found


def _version_dict(row: ProfileVersion, labels: Mapping[str, str]) -> ProfileVersionInfo:
    return {
        "version": row.version,
        "at": row.created_at.isoformat(timespec="seconds"),
        "by": row.username,
        "comment": row.comment,
        "changes": [{**c, "label": labels.get(c["skill_id"], c["skill_id"])}
                    for c in row.changes],
    }


def show(
    engine: Engine, occupation_id: str, tenant: str | None = None, version: int | None = None, *,
    actor: Actor,
) -> OccupationProfile:
    """The profile as the tenant sees it: computed sources plus its edits (the latest
    version, or ``version``; 0 = no edits). Region-wide roles name a tenant to see its
    edits, else they see the computed profile."""
    with transaction(engine) as session:
        target, anchor, local = _subject(session, actor, occupation_id, "read", tenant)
        rows = _versions(session, target.id, occupation_id) if target is not None else []
        chosen: ProfileVersion | None = rows[-1] if rows else None
        if version is not None:
            chosen = next((r for r in rows if r.version == version), None)
            if chosen is None and version != 0:
                raise NotFound(f"profile of {occupation_id} has no version {version}",
                               code="profile_version_not_found",
                               params={"occupation_id": occupation_id, "version": version})
        overlay: Overlay = dict(chosen.state) if chosen is not None else {}
        local_view = local_to_dict(local, target.slug if target else None) if local else None
        stamp = {"version": chosen.version if chosen else 0,
                 "latest_version": rows[-1].version if rows else 0,
                 "tenant": target.slug if target else None,
                 "edited_by": chosen.username if chosen else None,
                 "edited_at": chosen.created_at.isoformat(timespec="seconds") if chosen else None,
                 "comment": chosen.comment if chosen else None}
    computed = matching.profile(engine, anchor, actor=actor)
    labels = _label_of(engine, list(overlay), actor=actor)
    result = cast(OccupationProfile, apply_edits(computed, overlay, lambda s: labels.get(s, s)))
    if local_view is not None:
        result["anchor"] = result["occupation"]
        result["occupation"] = {**result["occupation"], "concept_id": local_view["concept_id"],
                                "preferred_label": local_view["preferred_label"],
                                "local": True, "description": local_view["description"]}
    result.update(stamp)  # type: ignore[typeddict-item]
    result["editable"] = target is not None and may(actor, KIND, "write")
    return result


def _check_skills(engine: Engine, tenant_id: int, changes: Sequence[Mapping[str, Any]]) -> None:
    """Every skill named must be a taxonomy skill or a local skill of the tenant."""
    taxonomy = load_taxonomy()
    named = [str(c.get("skill_id") or "") for c in changes]
    with transaction(engine) as session:
        mine = set(session.scalars(select(LocalConcept.concept_id).where(
            LocalConcept.tenant_id == tenant_id, LocalConcept.type == SKILL,
            LocalConcept.concept_id.in_([s for s in named if is_local(s)] or [""]))))
    for change in changes:
        skill = str(change.get("skill_id") or "")
        if is_local(skill):
            if skill not in mine:
                raise InvalidInput(f"{skill!r} är ingen lokal kompetens i kommunen", "skill_id")
        elif skill and change.get("op") != "reset":
            taxonomy.require(skill, SKILL)


def _write(
    engine: Engine,
    actor: Actor,
    occupation_id: str,
    tenant: str | None,
    expected_version: int | None,
    make: Any,
    comment: str | None,
) -> OccupationProfile:
    """Store the next version, made by ``make(current_overlay, versions) -> overlay``."""
    if comment is not None and len(comment) > 500:
        raise InvalidInput("kommentaren får vara högst 500 tecken", "comment")
    lost = partial(_conflict, occupation_id, expected_version, None)
    with writers_race(lost, IntegrityError), transaction(engine) as session:
        target, _, _ = _subject(session, actor, occupation_id, "write", tenant)
        assert target is not None  # writes always have a tenant
        rows = _versions(session, target.id, occupation_id)
        current = rows[-1].version if rows else 0
        if expected_version is not None and expected_version != current:
            raise _conflict(occupation_id, expected_version, current)
        before: Overlay = dict(rows[-1].state) if rows else {}
        after = make(before, rows)
        changes = diff(before, after)
        if not changes:
            raise InvalidInput("ändringen gör ingen skillnad mot nuvarande profil", "changes")
        row = ProfileVersion(
            tenant_id=target.id, occupation_id=occupation_id, version=current + 1,
            state=after, changes=changes, comment=(comment or "").strip() or None,
            user_id=actor.user_id, username=_by(actor),
        )
        session.add(row)
        session.flush()  # the unique (tenant, occupation, version): one writer wins
        audit.record(session, "update", "profile", row.id,
                     f"{occupation_id} version {row.version}: {len(changes)} ändringar",
                     actor=actor)
        slug = target.slug
    return show(engine, occupation_id, slug, actor=actor)


def _conflict(occupation_id: str, expected: int | None, current: int | None) -> Conflict:
    now = f" (nu version {current})" if current is not None else ""
    started = f"version {expected}" if expected is not None else "en äldre version"
    return Conflict(
        f"Profilen för {occupation_id} har ändrats av någon annan: du utgick från {started}"
        f"{now}. Ladda om profilen och gör din ändring igen."
    )


def edit(
    engine: Engine, occupation_id: str, changes: Sequence[Mapping[str, Any]],
    comment: str | None = None, tenant: str | None = None, expected_version: int | None = None, *,
    actor: Actor,
) -> OccupationProfile:
    """Add, remove, reweigh or mark skills (``{"op", "skill_id", "weight"?, "must"?}``);
    one new version. ``expected_version`` guards against overwriting a colleague."""
    if len(changes) > MAX_CHANGES:
        raise LimitExceeded(f"at most {MAX_CHANGES} changes at a time", "changes",
                            quantity="profile_changes", limit=MAX_CHANGES, value=len(changes))
    with transaction(engine) as session:
        target, _, _ = _subject(session, actor, occupation_id, "write", tenant)
        assert target is not None
        tenant_id = target.id
    _check_skills(engine, tenant_id, changes)
    return _write(engine, actor, occupation_id, tenant, expected_version,
                  lambda before, _: apply_changes(before, changes, _by(actor)), comment)


def revert(
    engine: Engine, occupation_id: str, to_version: int, comment: str | None = None,
    tenant: str | None = None, expected_version: int | None = None, *, actor: Actor,
) -> OccupationProfile:
    """A new version equal to ``to_version`` (0 = back to the computed profile)."""

    def restore(_: Overlay, rows: list[ProfileVersion]) -> Overlay:
        if to_version == 0:
            return {}
        for row in rows:
            if row.version == to_version:
                return dict(row.state)
        raise NotFound(f"profile of {occupation_id} has no version {to_version}",
                       code="profile_version_not_found",
                       params={"occupation_id": occupation_id, "version": to_version})

    return _write(engine, actor, occupation_id, tenant, expected_version, restore,
                  comment or f"Återställd till version {to_version}")


def history(
    engine: Engine, occupation_id: str, tenant: str | None = None, *, actor: Actor,
) -> ProfileHistory:
    """Every version of the tenant's edits, newest first: who, when, what, why."""
    with transaction(engine) as session:
        target, _, _ = _subject(session, actor, occupation_id, "read", tenant)
        rows = _versions(session, target.id, occupation_id) if target is not None else []
        ids = sorted({c["skill_id"] for r in rows for c in r.changes})
        labels = _label_of(engine, ids, actor=actor)
        return {
            "occupation_id": occupation_id,
            "tenant": target.slug if target else None,
            "versions": [_version_dict(r, labels) for r in reversed(rows)],
        }


def need_suggestions(
    engine: Engine, occupation_id: str, tenant: str | None = None, *, actor: Actor,
) -> NeedSuggestions:
    """The skills a new need for ``occupation_id`` starts with: skall-krav and
    meriterande from the tenant's profile, for the user to keep, drop or add to."""
    profile = show(engine, occupation_id, tenant, actor=actor)
    skills = cast(NeedSuggestions, suggest(profile))
    return NeedSuggestions(occupation_id=occupation_id, version=profile.get("version", 0),
                           must=skills["must"], nice=skills["nice"])


def occupation_overview(
    engine: Engine, occupation_id: str, *, actor: Actor,
) -> OccupationOverview:
    """Transitions from an occupation and its (edited) skill profile, for one page;
    a local occupation moves on from where its anchor does."""
    profile = show(engine, occupation_id, actor=actor)
    standard = profile.get("anchor", profile["occupation"])["concept_id"]
    return {"transitions": matching.transitions(engine, standard, actor=actor), "profile": profile}
