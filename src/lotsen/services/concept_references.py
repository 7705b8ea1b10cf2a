"""Where a local concept is used (needs, people, programs), and moving every use to
another concept of the same type when it is deleted: the part of a deletion that
touches other records, kept apart from the concepts' own create/edit/delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, union, update
from sqlalchemy.orm import Session

from lotsen.errors import InvalidInput
from lotsen.services.results.concepts import Uses
from lotsen.store.models import (
    CompetenceNeed,
    EducationProgram,
    NeedSkill,
    Person,
    PersonOccupation,
    PersonSkill,
    SkillValidation,
    utcnow,
)
from lotsen.store.models import LocalConcept as LocalRow
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.local import is_local
from lotsen.taxonomy.model import OCCUPATION


def _programs_using(session: Session, row: LocalRow) -> list[EducationProgram]:
    column = "occupations" if row.type == OCCUPATION else "skills"
    programs = session.scalars(select(EducationProgram)).all()  # hundreds per region
    return [p for p in programs if row.concept_id in (getattr(p, column) or [])]


def usage_of(session: Session, row: LocalRow) -> Uses:
    cid = row.concept_id
    if row.type == OCCUPATION:
        needs = select(CompetenceNeed.id).where(CompetenceNeed.occupation_id == cid)
        people = select(PersonOccupation.person_id).where(PersonOccupation.occupation_id == cid)
    else:
        needs = select(NeedSkill.need_id).where(NeedSkill.skill_id == cid)
        people = select(PersonSkill.person_id).where(PersonSkill.skill_id == cid)
    validated = select(SkillValidation.person_id).where(_validation_column(row) == cid)

    def count(query: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(query.distinct().subquery()))
                   or 0)

    # UNION is distinct: a person with the concept and a validation of it counts once.
    both = union(people, validated).subquery()
    return {"needs": count(needs),
            "people": int(session.scalar(select(func.count()).select_from(both)) or 0),
            "programs": len(_programs_using(session, row))}


def _validation_column(row: LocalRow) -> Any:
    """Validations name a local occupation as their profile, a local skill as the skill."""
    return SkillValidation.occupation_id if row.type == OCCUPATION else SkillValidation.skill_id


def _move_validations(session: Session, row: LocalRow, target: str) -> set[int]:
    """Validations of ``row`` move to ``target``; where the person already has the same
    validation for the target, the more recent one is kept."""
    column = _validation_column(row)
    person_ids: set[int] = set()
    for held in session.scalars(select(SkillValidation).where(column == row.concept_id)).all():
        person_ids.add(held.person_id)
        occupation = target if row.type == OCCUPATION else held.occupation_id
        skill = held.skill_id if row.type == OCCUPATION else target
        same = session.scalars(select(SkillValidation).where(
            SkillValidation.person_id == held.person_id,
            SkillValidation.occupation_id == occupation,
            SkillValidation.skill_id == skill)).one_or_none()
        if same is None:
            held.occupation_id, held.skill_id = occupation, skill
            continue
        if held.validated_on > same.validated_on:
            same.method, same.validated_on = held.method, held.validated_on
            same.validated_by = held.validated_by
        session.delete(held)
    return person_ids


def describe(used: Uses) -> str:
    return (f"{used['needs']} behov, {used['people']} personer och {used['programs']} "
            f"utbildningar ({used['needs']} needs, {used['people']} people, "
            f"{used['programs']} programs)")


def replacement(session: Session, row: LocalRow, replace_with: str) -> str:
    if replace_with == row.concept_id:
        raise InvalidInput("ett begrepp kan inte ersättas med sig självt", "replace_with")
    if is_local(replace_with):
        other = session.scalars(select(LocalRow).where(
            LocalRow.concept_id == replace_with, LocalRow.tenant_id == row.tenant_id)
        ).one_or_none()
        found_type = other.type if other is not None else None
    else:
        concept = load_taxonomy().find(replace_with)
        found_type = concept.type if concept is not None else None
        replace_with = concept.id if concept is not None else replace_with
    if found_type is None:
        raise InvalidInput(f"{replace_with!r} är inget standardbegrepp eller lokalt begrepp "
                           "i den här kommunen", "replace_with")
    if found_type != row.type:
        raise InvalidInput(f"ersättningen ska vara av typen {row.type}, "
                           f"{replace_with} är {found_type}", "replace_with")
    return replace_with


def move_uses(session: Session, row: LocalRow, target: str) -> Uses:
    """Every use of ``row`` moves to ``target``; a row that already has the target
    keeps that one (a person's years: the larger; a need's skill: skall-krav wins)."""
    cid = row.concept_id
    moved = usage_of(session, row)
    if row.type == OCCUPATION:
        for need in session.scalars(
            select(CompetenceNeed).where(CompetenceNeed.occupation_id == cid)
        ):
            need.occupation_id = target  # through the ORM: bumps the need's version
        person_ids: set[int] = set()
        for held in session.scalars(
            select(PersonOccupation).where(PersonOccupation.occupation_id == cid)
        ).all():
            person_ids.add(held.person_id)
            same = session.get(PersonOccupation, (held.person_id, target))
            if same is not None:
                same.years = max(same.years or 0.0, held.years or 0.0)
                session.delete(held)
            else:
                held.occupation_id = target
    else:
        for need_skill in session.scalars(select(NeedSkill).where(NeedSkill.skill_id == cid)).all():
            kept = session.get(NeedSkill, (need_skill.need_id, target))
            if kept is not None:
                if need_skill.requirement == "must":
                    kept.requirement = "must"
                session.delete(need_skill)
            else:
                need_skill.skill_id = target
            owner = session.get(CompetenceNeed, need_skill.need_id)
            if owner is not None:  # through the ORM: bumps the need's version
                owner.updated_at = utcnow()
        person_ids = set()
        for skill in session.scalars(select(PersonSkill).where(PersonSkill.skill_id == cid)).all():
            person_ids.add(skill.person_id)
            if session.get(PersonSkill, (skill.person_id, target)) is not None:
                session.delete(skill)
            else:
                skill.skill_id = target
    person_ids |= _move_validations(session, row, target)
    column = "occupations" if row.type == OCCUPATION else "skills"
    for program in _programs_using(session, row):
        ids = [target if c == cid else c for c in getattr(program, column)]
        setattr(program, column, list(dict.fromkeys(ids)))
    session.flush()
    if person_ids:  # the people index notices changed people by their timestamp
        session.execute(update(Person).where(Person.id.in_(person_ids))
                        .values(updated_at=utcnow()))
    return moved
