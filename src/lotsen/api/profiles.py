"""Skill profile and local concept endpoints: show, edit, history, revert, suggestions;
a tenant's own occupations and skills (define, edit, delete)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from lotsen.api.deps import actor_of, engine_of
from lotsen.limits import MAX_ID
from lotsen.services import local_concepts, profiles
from lotsen.services.results.concepts import DeletedConcept, LocalConceptInfo, LocalConcepts
from lotsen.services.results.matching import NeedSuggestions, OccupationProfile, ProfileHistory

router = APIRouter(prefix="/api/v1")
TENANT = Query(None, description="Tenant slug (for roles that reach every tenant)")


class ProfileChange(BaseModel):
    op: Literal["add", "remove", "set", "reset"]
    skill_id: str
    weight: float | None = Field(None, ge=0, le=1)
    must: bool | None = None


class ProfileEdit(BaseModel):
    changes: list[ProfileChange]
    comment: str | None = None
    expected_version: int | None = Field(None, ge=0, le=MAX_ID)
    tenant: str | None = None


class ProfileRevert(BaseModel):
    version: int = Field(ge=0, le=MAX_ID)
    comment: str | None = None
    expected_version: int | None = Field(None, ge=0, le=MAX_ID)
    tenant: str | None = None


class LocalConceptIn(BaseModel):
    type: Literal["occupation-name", "skill"] = "occupation-name"
    label: str
    anchor_id: str
    description: str | None = None
    synonyms: list[str] = []
    tenant: str | None = None


@router.get("/profiles/{occupation_id}", tags=["profiles"])
def show_profile(
    request: Request,
    occupation_id: str,
    tenant: str | None = TENANT,
    version: int | None = Query(None, ge=0, le=MAX_ID,
                                description="An earlier version; 0 = no edits"),
) -> OccupationProfile:
    return profiles.show(engine_of(request), occupation_id, tenant, version,
                         actor=actor_of(request))


@router.post("/profiles/{occupation_id}/edits", tags=["profiles"], status_code=201)
def edit_profile(request: Request, occupation_id: str, body: ProfileEdit) -> OccupationProfile:
    changes = [c.model_dump(exclude_unset=True) for c in body.changes]
    return profiles.edit(engine_of(request), occupation_id, changes,
                         body.comment, body.tenant, body.expected_version, actor=actor_of(request))


@router.get("/profiles/{occupation_id}/versions", tags=["profiles"])
def profile_history(
    request: Request, occupation_id: str, tenant: str | None = TENANT
) -> ProfileHistory:
    return profiles.history(engine_of(request), occupation_id, tenant, actor=actor_of(request))


@router.post("/profiles/{occupation_id}/revert", tags=["profiles"], status_code=201)
def revert_profile(request: Request, occupation_id: str, body: ProfileRevert) -> OccupationProfile:
    return profiles.revert(engine_of(request), occupation_id, body.version,
                           body.comment, body.tenant, body.expected_version,
                           actor=actor_of(request))


@router.get("/profiles/{occupation_id}/suggestions", tags=["profiles"])
def need_suggestions(
    request: Request, occupation_id: str, tenant: str | None = TENANT
) -> NeedSuggestions:
    """The skall-krav and meriterande skills a new need for the occupation starts with."""
    return profiles.need_suggestions(engine_of(request), occupation_id, tenant,
                                     actor=actor_of(request))


class LocalConceptPatch(BaseModel):
    """Fields to change; those left out stay as they are (``description: ""`` clears)."""

    label: str | None = None
    description: str | None = None
    synonyms: list[str] | None = None
    anchor_id: str | None = None


@router.get("/local-concepts", tags=["profiles"])
def list_local_concepts(
    request: Request,
    tenant: str | None = TENANT,
    type: str | None = Query(None, description="occupation-name or skill"),
) -> LocalConcepts:
    return local_concepts.list_local(engine_of(request), tenant, type, actor=actor_of(request))


@router.post("/local-concepts", tags=["profiles"], status_code=201)
def add_local_concept(request: Request, body: LocalConceptIn) -> LocalConceptInfo:
    return local_concepts.add_local(
        engine_of(request), body.type, body.label, body.anchor_id,
        body.description, body.synonyms, body.tenant, actor=actor_of(request),
    )


@router.get("/local-concepts/{concept_id}", tags=["profiles"])
def get_local_concept(request: Request, concept_id: str) -> LocalConceptInfo:
    return local_concepts.get_local(engine_of(request), concept_id, actor=actor_of(request))


@router.patch("/local-concepts/{concept_id}", tags=["profiles"])
def edit_local_concept(request: Request, concept_id: str,
                       body: LocalConceptPatch) -> LocalConceptInfo:
    """Change label, description, synonyms or anchor; the id stays."""
    return local_concepts.edit_local(
        engine_of(request), concept_id, body.label, body.description,
        body.synonyms, body.anchor_id, actor=actor_of(request),
    )


@router.delete("/local-concepts/{concept_id}", tags=["profiles"])
def delete_local_concept(
    request: Request,
    concept_id: str,
    replace_with: str | None = Query(
        None, description="Concept that takes over every need, person and program using it"),
) -> DeletedConcept:
    """Delete a local concept; refused (409) while used, unless ``replace_with`` is given."""
    return local_concepts.delete_local(engine_of(request), concept_id,
                                       replace_with, actor=actor_of(request))
