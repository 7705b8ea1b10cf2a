"""Validated prior learning: mark a person's skills validated against an occupation's
(or a tenant's local role's) profile, list them, take one back.

Validations are personal data about the job seeker. Who may record or remove them is
who may change people (``services/access.py``: officers of the person's tenant and
administrators); who may read them is who may read the person. Each change writes an
audit line naming only the person's row id, the tenant, how many skills and the
method. The rows hang off ``person`` by foreign key, so export, erasure and retention
(``services/people.py``, ``services/retention.py``) take them with the person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from lotsen.errors import InvalidInput, NotFound
from lotsen.labels import label
from lotsen.match.validation import latest_by_skill, source_of
from lotsen.services import invalidation, local_concepts
from lotsen.services.access import Actor, require_reference_data, scope
from lotsen.services.people import audit, find_person
from lotsen.services.records import get_record
from lotsen.services.results.people import (
    Choice,
    PersonValidations,
    Validation,
    ValidationForm,
    ValidationMethod,
)
from lotsen.store.db import transaction
from lotsen.store.models import Person, SkillValidation
from lotsen.store.records import validation_to_dict
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.model import OCCUPATION, SKILL
from lotsen.types import VALIDATION_METHODS

MAX_SKILLS = 60  # one validation covers a profile: the largest hold about 40 skills
EARLIEST = date(1950, 1, 1)


def methods(*, actor: Actor) -> list[ValidationMethod]:
    """The fixed list of methods with their Swedish labels (for forms and --help)."""
    require_reference_data(actor)
    return [ValidationMethod(method=m, label=label("validation_method", m))
            for m in VALIDATION_METHODS]


def _concept_label(engine: Engine, tenant_id: int, concept_id: str, kind: str,
                   field: str, *, actor: Actor) -> str:
    """The label of a taxonomy concept of ``kind``, or of a local one of the tenant."""
    local = local_concepts.find_local(engine, tenant_id, concept_id, kind, actor=actor)
    if local is not None:
        return local.label
    concept = load_taxonomy().find(concept_id)
    if concept is None or concept.type != kind:
        what = "ett yrke" if kind == OCCUPATION else "en kompetens"
        raise InvalidInput(f"{concept_id!r} är inte {what} i taxonomin eller bland "
                           "kommunens egna", field)
    return concept.label


def _day(value: date | str | None) -> date:
    if value is None or value == "":
        return date.today()
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"datumet {value!r} ska skrivas ÅÅÅÅ-MM-DD", "validated_on") from None
    if not EARLIEST <= day <= date.today():
        raise InvalidInput(f"datumet {day.isoformat()} ligger i framtiden eller före "
                           f"{EARLIEST.year}", "validated_on")
    return day


def labelled(engine: Engine, validations: Sequence[Mapping[str, Any]], *,
             actor: Actor) -> list[Validation]:
    """Validations with the labels of their skill, profile and method."""
    taxonomy = load_taxonomy()
    local = local_concepts.labels(
        engine, [c for v in validations for c in (v["skill_id"], v["occupation_id"])], actor=actor)

    def name(concept_id: str) -> str:
        found = taxonomy.find(concept_id)
        return local.get(concept_id) or (found.label if found else concept_id)

    return [Validation(id=v["id"], skill_id=v["skill_id"], occupation_id=v["occupation_id"],
                       method=v["method"], validated_on=v["validated_on"],
                       validated_by=v["validated_by"], skill_label=name(v["skill_id"]),
                       occupation_label=name(v["occupation_id"]),
                       method_label=label("validation_method", v["method"]))
            for v in sorted(validations, key=lambda v: (v["occupation_id"], v["skill_id"]))]


def validate(
    engine: Engine, person: str | int, occupation_id: str, skills: Sequence[str], method: str,
    validated_on: date | str | None = None, *, actor: Actor,
) -> PersonValidations:
    """Mark ``skills`` of ``person`` (id or pseudonym) validated against the profile of
    ``occupation_id`` by ``method``, recorded by the acting user; validating a skill
    against the same profile again replaces how and when. Returns the person's
    validations."""
    if method not in VALIDATION_METHODS:
        raise InvalidInput(f"okänt sätt att validera {method!r}; välj "
                           + ", ".join(VALIDATION_METHODS), "method")
    wanted = list(dict.fromkeys(s.strip() for s in skills if s and s.strip()))
    if not wanted:
        raise InvalidInput("välj minst en kompetens som har validerats", "skills")
    if len(wanted) > MAX_SKILLS:
        raise InvalidInput(f"högst {MAX_SKILLS} kompetenser per validering", "skills",
                           code="limit_exceeded", params={"limit": MAX_SKILLS})
    day = _day(validated_on)
    who = actor.username or actor.label
    with transaction(engine) as session:
        found = find_person(session, person, actor=actor)
        _concept_label(engine, found.tenant_id, occupation_id, OCCUPATION, "occupation_id",
                       actor=actor)
        for skill in wanted:
            _concept_label(engine, found.tenant_id, skill, SKILL, "skills", actor=actor)
        rows = {(v.occupation_id, v.skill_id): v for v in found.validations}
        for skill in wanted:
            row = rows.get((occupation_id, skill))
            if row is None:
                row = SkillValidation(skill_id=skill, occupation_id=occupation_id)
                found.validations.append(row)
            row.method, row.validated_on, row.validated_by = method, day, who
        session.flush()
        audit(session, "update", "person", found.id,
              {"tenant_id": found.tenant_id, "validated_skills": len(wanted),
               "method": method, "occupation_id": occupation_id}, actor=actor)
        person_id, pseudonym = found.id, found.pseudonym
        stored = [validation_to_dict(v) for v in found.validations]
    invalidation.changed(invalidation.Topic.PEOPLE, engine)
    return PersonValidations(person_id=person_id, pseudonym=pseudonym,
                             validations=labelled(engine, stored, actor=actor))


def remove(engine: Engine, person: str | int, validation_id: int, *,
           actor: Actor) -> PersonValidations:
    """Take back one validation (entered by mistake); the person's validations after."""
    with transaction(engine) as session:
        found = find_person(session, person, actor=actor)
        row = next((v for v in found.validations if v.id == validation_id), None)
        if row is None:
            raise NotFound(f"person {found.id} has no validation {validation_id}")
        found.validations.remove(row)
        session.flush()
        audit(session, "delete", "person", found.id,
              {"tenant_id": found.tenant_id, "validation_removed": validation_id},
              actor=actor)
        person_id, pseudonym = found.id, found.pseudonym
        stored = [validation_to_dict(v) for v in found.validations]
    invalidation.changed(invalidation.Topic.PEOPLE, engine)
    return PersonValidations(person_id=person_id, pseudonym=pseudonym,
                             validations=labelled(engine, stored, actor=actor))


def of_person(engine: Engine, person: str | int, *, actor: Actor) -> PersonValidations:
    """A person's (id or pseudonym) validations, as far as ``actor`` may read the person."""
    ref = str(person).strip()
    if not ref.isdigit():
        with transaction(engine) as session:
            found = session.scalar(scope(actor, "people").rows(
                select(Person.id).where(Person.pseudonym == ref)))
        if found is None:
            raise NotFound(f"no person {ref!r}: give the id or the pseudonym (P...)")
        ref = str(found)
    record = get_record(engine, "people", int(ref), actor=actor)
    return PersonValidations(person_id=record["id"], pseudonym=record["pseudonym"],
                             validations=labelled(engine, record["validations"], actor=actor))


def form_choices(engine: Engine, page: Mapping[str, Any], *, actor: Actor) -> ValidationForm:
    """What the person page's validation form offers: the profiles (the person's own
    occupations, then those of the needs they fit best) and the skills (those they state,
    then the skills those needs ask for), each labelled; and the methods."""
    person = page["person"]
    occupations = [o["occupation_id"] for o in person.get("occupations") or ()]
    skills = list(person.get("skills") or ())
    for fit in page.get("fits") or ():
        occupations.append(fit["need"]["occupation_id"])
        skills += [*fit["need"]["must_skills"], *fit["need"]["nice_skills"]]
    occupations, skills = list(dict.fromkeys(occupations)), list(dict.fromkeys(skills))
    taxonomy = load_taxonomy()
    local = local_concepts.labels(engine, [*occupations, *skills], actor=actor)

    def name(concept_id: str) -> str:
        found = taxonomy.find(concept_id)
        return local.get(concept_id) or (found.label if found else concept_id)

    stated = set(person.get("skills") or ())
    return ValidationForm(
        occupations=[Choice(id=o, label=name(o)) for o in occupations],
        skills=[Choice(id=s, label=name(s), stated=s in stated) for s in skills],
        methods=methods(actor=actor),
    )


def annotate(engine: Engine, person_id: int, items: list[dict[str, Any]], *,
             actor: Actor) -> list[str]:
    """Give each validated skill item of one person (``match.explain``) how, against
    which profile, when and by whom; the Swedish reason lines that say so."""
    wanted = [i["concept_id"] for i in items if i.get("validated")]
    if not wanted:
        return []
    with transaction(engine) as session:
        rows = session.scalars(select(SkillValidation).where(
            SkillValidation.person_id == person_id,
            SkillValidation.skill_id.in_(wanted))).all()
        found = latest_by_skill(labelled(engine, [validation_to_dict(v) for v in rows],
                                         actor=actor))
    reasons = []
    for item in items:
        validation = found.get(item["concept_id"])
        if item.get("validated") and validation is not None:
            item.update(source_of(validation, validation["occupation_label"]))
            reasons.append(f"Validerad: {item['label']} ({item['validation']['text']})")
    return reasons
