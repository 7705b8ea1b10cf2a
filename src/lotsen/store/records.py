"""Rows ↔ plain records: the one place that knows how an entity looks as a dict.

Imports, the demo generator and the API all speak these dicts, so a person read
out of the store can be written back unchanged (export/import round trip).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lotsen.store.models import (
    CompetenceNeed,
    Consent,
    EducationProgram,
    NeedSkill,
    Organization,
    Person,
    PersonLanguage,
    PersonLicence,
    PersonOccupation,
    PersonSkill,
    SkillValidation,
)
from lotsen.types import as_date


def organization_to_dict(org: Organization) -> dict[str, Any]:
    return {
        "id": org.id,
        "tenant_id": org.tenant_id,
        "source_id": org.source_id,
        "kind": org.kind,
        "name": org.name,
        "org_number": org.org_number,
        "municipality_code": org.municipality_code,
        "sni_code": org.sni_code,
        "is_synthetic": org.is_synthetic,
    }


def need_to_dict(need: CompetenceNeed) -> dict[str, Any]:
    return {
        "id": need.id,
        "tenant_id": need.tenant_id,
        "source_id": need.source_id,
        "employer_id": need.employer_id,
        "employer_name": need.employer.name if need.employer else None,
        "employer_sni": need.employer.sni_code if need.employer else None,
        "occupation_id": need.occupation_id,
        "title": need.title,
        "headcount": need.headcount,
        "start_date": need.start_date.isoformat(),
        "municipality_code": need.municipality_code,
        "status": need.status,
        "description": need.description,
        "must_skills": [s.skill_id for s in need.skills if s.requirement == "must"],
        "nice_skills": [s.skill_id for s in need.skills if s.requirement == "nice"],
        "min_education_level": need.min_education_level,
        "min_swedish_level": need.min_swedish_level,
        "driving_licence_id": need.driving_licence_id,
        "version": need.version,
        "is_synthetic": need.is_synthetic,
    }


def person_to_dict(person: Person) -> dict[str, Any]:
    return {
        "id": person.id,
        "tenant_id": person.tenant_id,
        "source_id": person.source_id,
        "pseudonym": person.pseudonym,
        "municipality_code": person.municipality_code,
        "education_level": person.education_level,
        "education_field": person.education_field,
        "swedish_level": person.swedish_level,
        "newly_arrived": person.newly_arrived,
        "available_from": person.available_from.isoformat() if person.available_from else None,
        "max_commute_km": person.max_commute_km,
        "occupations": [
            {"occupation_id": o.occupation_id, "years": o.years}
            for o in sorted(person.occupations, key=lambda o: -o.years)
        ],
        "skills": sorted(s.skill_id for s in person.skills),
        "languages": [
            {"language_id": x.language_id, "level": x.level}
            for x in sorted(person.languages, key=lambda x: x.language_id)
        ],
        "licences": sorted(x.licence_id for x in person.licences),
        "consents": [
            {
                "purpose": c.purpose,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in sorted(person.consents, key=lambda c: (c.purpose, c.given_at))
        ],
        "validations": [validation_to_dict(v) for v in person.validations],
        "is_synthetic": person.is_synthetic,
    }


def validation_to_dict(validation: SkillValidation) -> dict[str, Any]:
    return {
        "id": validation.id,
        "skill_id": validation.skill_id,
        "occupation_id": validation.occupation_id,
        "method": validation.method,
        "validated_on": validation.validated_on.isoformat(),
        "validated_by": validation.validated_by,
    }


def program_to_dict(program: EducationProgram) -> dict[str, Any]:
    return {
        "id": program.id,
        "tenant_id": program.tenant_id,
        "source_id": program.source_id,
        "provider_id": program.provider_id,
        "provider_name": program.provider.name if program.provider else None,
        "name": program.name,
        "form": program.form,
        "sun_code": program.sun_code,
        "municipality_code": program.municipality_code,
        "distance_learning": program.distance_learning,
        "duration_weeks": program.duration_weeks,
        "seats": program.seats,
        "starts": list(program.starts),
        "skills": list(program.skills),
        "occupations": list(program.occupations),
        "min_swedish_level": program.min_swedish_level,
        "is_synthetic": program.is_synthetic,
    }


def _by_source(session: Session, model: Any, tenant_id: int, source_id: str | None) -> Any:
    if source_id is None:
        return None
    return session.scalars(
        select(model).where(model.tenant_id == tenant_id, model.source_id == source_id)
    ).one_or_none()


def upsert_organization(
    session: Session, tenant_id: int, rec: dict[str, Any], synthetic: bool = False
) -> Organization:
    org = _by_source(session, Organization, tenant_id, rec.get("source_id"))
    if org is None:
        org = Organization(tenant_id=tenant_id, source_id=rec.get("source_id"))
        session.add(org)
    org.kind = rec["kind"]
    org.name = rec["name"]
    org.org_number = rec.get("org_number")
    org.municipality_code = rec["municipality_code"]
    org.sni_code = rec.get("sni_code")
    org.is_synthetic = synthetic
    return org


def upsert_need(
    session: Session, tenant_id: int, employer_id: int, rec: dict[str, Any], synthetic: bool = False
) -> CompetenceNeed:
    need = _by_source(session, CompetenceNeed, tenant_id, rec.get("source_id"))
    if need is None:
        need = CompetenceNeed(tenant_id=tenant_id, source_id=rec.get("source_id"))
        session.add(need)
    need.employer_id = employer_id
    need.occupation_id = rec["occupation_id"]
    need.title = rec["title"]
    need.headcount = int(rec["headcount"])
    start = as_date(rec["start_date"])
    assert start is not None
    need.start_date = start
    need.municipality_code = rec["municipality_code"]
    need.status = rec.get("status") or "open"
    need.description = rec.get("description")
    need.min_education_level = rec.get("min_education_level")
    need.min_swedish_level = rec.get("min_swedish_level")
    need.driving_licence_id = rec.get("driving_licence_id")
    need.is_synthetic = synthetic
    wanted = {s: "must" for s in rec.get("must_skills", [])}
    wanted.update({s: "nice" for s in rec.get("nice_skills", []) if s not in wanted})
    need.skills = [NeedSkill(skill_id=s, requirement=r) for s, r in sorted(wanted.items())]
    return need


def upsert_person(
    session: Session, tenant_id: int, rec: dict[str, Any], synthetic: bool = False
) -> Person:
    person = _by_source(session, Person, tenant_id, rec.get("source_id"))
    if person is None:
        person = Person(
            tenant_id=tenant_id, source_id=rec.get("source_id"), pseudonym=rec["pseudonym"]
        )
        session.add(person)
    person.municipality_code = rec["municipality_code"]
    person.education_level = rec.get("education_level")
    person.education_field = rec.get("education_field")
    person.swedish_level = rec.get("swedish_level") or "native"
    person.newly_arrived = bool(rec.get("newly_arrived", False))
    person.available_from = as_date(rec.get("available_from"))
    person.max_commute_km = float(rec.get("max_commute_km") or 50.0)
    person.is_synthetic = synthetic
    person.occupations = [
        PersonOccupation(occupation_id=o["occupation_id"], years=float(o.get("years") or 0))
        for o in rec.get("occupations", [])
    ]
    person.skills = [PersonSkill(skill_id=s) for s in sorted(set(rec.get("skills", [])))]
    person.languages = [
        PersonLanguage(language_id=x["language_id"], level=x["level"])
        for x in rec.get("languages", [])
    ]
    person.licences = [PersonLicence(licence_id=x) for x in sorted(set(rec.get("licences", [])))]
    if "validations" in rec:
        # Only a record that carries validations replaces them: a re-import of the
        # person's file (which has no such column) must not drop what an officer recorded.
        # Rows kept by (occupation, skill): a new row beside a deleted one with the same
        # key would meet the unique constraint before the delete is flushed.
        old = {(v.occupation_id, v.skill_id): v for v in person.validations}
        kept = []
        for v in rec["validations"]:
            row = old.get((v["occupation_id"], v["skill_id"])) or SkillValidation(
                skill_id=v["skill_id"], occupation_id=v["occupation_id"])
            row.method, row.validated_by = v["method"], v["validated_by"]
            row.validated_on = as_date(v["validated_on"]) or date.today()
            kept.append(row)
        person.validations = kept
    person.consents = [
        Consent(
            purpose=c["purpose"],
            given_at=as_date(c["given_at"]),
            withdrawn_at=as_date(c.get("withdrawn_at")),
        )
        for c in rec.get("consents", [])
    ]
    return person


def upsert_program(
    session: Session, tenant_id: int, provider_id: int, rec: dict[str, Any], synthetic: bool = False
) -> EducationProgram:
    program = _by_source(session, EducationProgram, tenant_id, rec.get("source_id"))
    if program is None:
        program = EducationProgram(tenant_id=tenant_id, source_id=rec.get("source_id"))
        session.add(program)
    program.provider_id = provider_id
    program.name = rec["name"]
    program.form = rec["form"]
    program.sun_code = rec.get("sun_code")
    program.municipality_code = rec["municipality_code"]
    program.distance_learning = bool(rec.get("distance_learning", False))
    program.duration_weeks = int(rec["duration_weeks"])
    program.seats = int(rec["seats"])
    program.starts = list(rec.get("starts", []))
    program.skills = list(rec.get("skills", []))
    program.occupations = list(rec.get("occupations", []))
    program.min_swedish_level = rec.get("min_swedish_level")
    program.is_synthetic = synthetic
    program.links = rec.get("links")
    return program
