"""Validated prior learning of a person over HTTP: list, record, take back."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from lotsen.api.deps import RowId, actor_of, engine_of
from lotsen.services import validations
from lotsen.services.results.people import PersonValidations

router = APIRouter(prefix="/api/v1")
PersonRef = Path(..., max_length=40, description="The person's id or pseudonym (P...)")


class ValidationIn(BaseModel):
    occupation_id: str = Field(max_length=100, description="Occupation (or local role) whose "
                                                             "profile the skills were validated "
                                                             "against")
    skills: list[str] = Field(min_length=1, max_length=validations.MAX_SKILLS)
    method: Literal["industry", "komvux", "certificate"] = Field(
        description="industry = branschvalidering, komvux = Komvux validering, "
                    "certificate = certifikat/intyg")
    validated_on: date | None = Field(None, description="When (default today)")


@router.get("/people/{person}/validations", tags=["people"])
def person_validations(request: Request, person: str = PersonRef) -> PersonValidations:
    """The person's validated skills: profile, method, when and by whom."""
    return validations.of_person(engine_of(request), person, actor=actor_of(request))


@router.post("/people/{person}/validations", tags=["people"], status_code=201)
def person_validate(request: Request, body: ValidationIn,
                    person: str = PersonRef) -> PersonValidations:
    """Mark skills validated against an occupation's profile; the signed-in user is
    recorded as who validated."""
    return validations.validate(engine_of(request), person, body.occupation_id, body.skills,
                                body.method, body.validated_on, actor=actor_of(request))


@router.delete("/people/{person}/validations/{validation_id}", tags=["people"])
def person_unvalidate(request: Request, validation_id: RowId,
                      person: str = PersonRef) -> PersonValidations:
    """Take back one validation entered by mistake."""
    return validations.remove(engine_of(request), person, validation_id,
                              actor=actor_of(request))
