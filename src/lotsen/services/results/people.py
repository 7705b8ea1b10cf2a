"""Results of the pages and rights around one person and one need."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict

from lotsen.services.results import Record
from lotsen.services.results.accounts import ConsentChange
from lotsen.services.results.matching import Pathway


class TenantName(TypedDict):
    slug: str
    name: str


class PersonExport(TypedDict):
    """Everything stored about one person (the right of access, GDPR art. 15)."""

    exported_at: str
    about: str
    tenant: TenantName | None
    record: Record
    tables: dict[str, list[dict[str, Any]]]  # every row of every table that refers to them


class PersonErased(TypedDict):
    erased: bool
    person_id: int
    rows_deleted: dict[str, int]  # per table


class Validation(TypedDict):
    """One validated skill: against which profile, how, when and by whom, labelled."""

    id: int
    skill_id: str
    occupation_id: str
    method: str
    validated_on: str
    validated_by: str | None
    skill_label: str
    occupation_label: str
    method_label: str


class PersonValidations(TypedDict):
    """A person's validated skills, each with skill, profile, method, when and by whom."""

    person_id: int
    pseudonym: str
    validations: list[Validation]


class ValidationMethod(TypedDict):
    method: str
    label: str


class Choice(TypedDict):
    id: str
    label: str
    stated: NotRequired[bool]  # a skill the person states


class ValidationForm(TypedDict):
    """What the person page's validation form offers."""

    occupations: list[Choice]
    skills: list[Choice]
    methods: list[ValidationMethod]


class Fit(TypedDict):
    need: Record  # with labels
    score: float
    eligible: bool
    reasons: list[str]
    matched_skills: list[dict[str, Any]]  # each with its source: stated or validated
    missing_skills: list[dict[str, Any]]


class PersonPage(TypedDict):
    """A person's page: the needs they fit best, a pathway to the best, their consents."""

    person: Record
    fits: list[Fit]
    pathway: Pathway | None
    consent_trail: list[ConsentChange]
    may_change: bool
    restricted: bool  # no active matching consent: only what an officer needs is shown


class EmployerChoice(TypedDict):
    id: int
    name: str
    municipality_code: str | None


class NeedFormOptions(TypedDict):
    employers: list[EmployerChoice]
    own_organization: bool
    home_municipality: str | None
