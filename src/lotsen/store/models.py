"""The stored domain: organisations, needs, people, programs, job ads.

Everything that names an occupation, skill, language, licence, education or place
holds a JobTech concept id (or a national code for municipalities, SUN and SSYK),
never free text. Every row that belongs to someone carries ``tenant_id``: a tenant is
a municipality or a group of them working as one (Luleå + Boden).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Occupation and skill columns hold a JobTech id (12 characters) or a tenant's local
# concept id ``local:<tenant slug>:<slug>`` (migration 0004 widened them from 20).
CONCEPT_ID_LENGTH = 100


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Tenant(Base):
    __tablename__ = "tenant"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    municipality_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class Organization(Base):
    __tablename__ = "organization"
    __table_args__ = (UniqueConstraint("tenant_id", "source_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id"), index=True)
    source_id: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))  # employer | education_provider | municipality
    name: Mapped[str] = mapped_column(String(300))
    org_number: Mapped[str | None] = mapped_column(String(20))
    municipality_code: Mapped[str] = mapped_column(String(4), index=True)
    sni_code: Mapped[str | None] = mapped_column(String(10))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class CompetenceNeed(Base):
    __tablename__ = "competence_need"
    __table_args__ = (UniqueConstraint("tenant_id", "source_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id"), index=True)
    source_id: Mapped[str | None] = mapped_column(String(100))
    employer_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    occupation_id: Mapped[str] = mapped_column(String(CONCEPT_ID_LENGTH), index=True)
    title: Mapped[str] = mapped_column(String(300))
    headcount: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    municipality_code: Mapped[str] = mapped_column(String(4), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    description: Mapped[str | None] = mapped_column(Text)
    min_education_level: Mapped[str | None] = mapped_column(String(10))
    min_swedish_level: Mapped[str | None] = mapped_column(String(16))
    driving_licence_id: Mapped[str | None] = mapped_column(String(20))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: an UPDATE that saw an older version fails instead of
    # silently overwriting a colleague's edit.
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}

    employer: Mapped[Organization] = relationship()
    skills: Mapped[list[NeedSkill]] = relationship(
        cascade="all, delete-orphan", order_by="NeedSkill.skill_id"
    )


class NeedSkill(Base):
    __tablename__ = "need_skill"
    need_id: Mapped[int] = mapped_column(
        ForeignKey("competence_need.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(String(CONCEPT_ID_LENGTH), primary_key=True)
    requirement: Mapped[str] = mapped_column(String(8))  # must | nice


class Person(Base):
    """A job seeker, pseudonymous: no name, personal number or contact details here."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("tenant_id", "source_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id"), index=True)
    source_id: Mapped[str | None] = mapped_column(String(100))
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    municipality_code: Mapped[str] = mapped_column(String(4), index=True)
    education_level: Mapped[str | None] = mapped_column(String(10))  # SUN 2020 level code
    education_field: Mapped[str | None] = mapped_column(String(10))  # SUN 2020 field code
    swedish_level: Mapped[str] = mapped_column(String(16), default="native")
    newly_arrived: Mapped[bool] = mapped_column(Boolean, default=False)
    available_from: Mapped[date | None] = mapped_column(Date)
    max_commute_km: Mapped[float] = mapped_column(Float, default=50.0)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    occupations: Mapped[list[PersonOccupation]] = relationship(cascade="all, delete-orphan")
    skills: Mapped[list[PersonSkill]] = relationship(cascade="all, delete-orphan")
    languages: Mapped[list[PersonLanguage]] = relationship(cascade="all, delete-orphan")
    licences: Mapped[list[PersonLicence]] = relationship(cascade="all, delete-orphan")
    consents: Mapped[list[Consent]] = relationship(cascade="all, delete-orphan")
    validations: Mapped[list[SkillValidation]] = relationship(
        cascade="all, delete-orphan", order_by="SkillValidation.id"
    )


class PersonOccupation(Base):
    __tablename__ = "person_occupation"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    occupation_id: Mapped[str] = mapped_column(String(CONCEPT_ID_LENGTH), primary_key=True)
    years: Mapped[float] = mapped_column(Float, default=0.0)


class PersonSkill(Base):
    __tablename__ = "person_skill"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(String(CONCEPT_ID_LENGTH), primary_key=True)


class PersonLanguage(Base):
    __tablename__ = "person_language"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    language_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))


class PersonLicence(Base):
    __tablename__ = "person_licence"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    licence_id: Mapped[str] = mapped_column(String(20), primary_key=True)


class SkillValidation(Base):
    """A skill of a person validated against an occupation's (or a local role's) profile:
    how (``types.VALIDATION_METHODS``), by whom (the login that recorded it) and when.

    Personal data about the job seeker: it hangs off ``person`` by foreign key, so
    export, erasure and retention take it with the person (services/people.py).
    """

    __tablename__ = "skill_validation"
    __table_args__ = (UniqueConstraint("person_id", "occupation_id", "skill_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[str] = mapped_column(String(CONCEPT_ID_LENGTH))
    # The profile validated against: an occupation name or a tenant's local occupation.
    occupation_id: Mapped[str] = mapped_column(String(CONCEPT_ID_LENGTH))
    method: Mapped[str] = mapped_column(String(16))
    validated_on: Mapped[date] = mapped_column(Date)
    validated_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Consent(Base):
    __tablename__ = "consent"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))  # matching | statistics | contact | ...
    given_at: Mapped[date] = mapped_column(Date)
    withdrawn_at: Mapped[date | None] = mapped_column(Date)


class PersonChange(Base):
    """The last change to a person's matching data (migration 0008; written by triggers).

    ``stamp`` orders changes: on SQLite a counter in commit order, on PostgreSQL the id
    of the writing transaction (read against a snapshot, see ``match/loading.py``). An
    erased person's row stays: it is how a cached people index learns they left.
    """

    __tablename__ = "person_change"
    person: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    stamp: Mapped[int] = mapped_column(BigInteger, index=True)


class EducationProgram(Base):
    __tablename__ = "education_program"
    __table_args__ = (UniqueConstraint("tenant_id", "source_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id"), index=True)
    source_id: Mapped[str | None] = mapped_column(String(100))
    provider_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    form: Mapped[str] = mapped_column(String(16))  # YH | Komvux | AUB | university | ...
    sun_code: Mapped[str | None] = mapped_column(String(10))
    municipality_code: Mapped[str] = mapped_column(String(4), index=True)
    distance_learning: Mapped[bool] = mapped_column(Boolean, default=False)
    duration_weeks: Mapped[int] = mapped_column(Integer)
    seats: Mapped[int] = mapped_column(Integer)
    starts: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)  # skill concept ids
    occupations: Mapped[list[str]] = mapped_column(JSON, default=list)  # occupation ids
    min_swedish_level: Mapped[str | None] = mapped_column(String(16))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where the SUN code, occupations and skills came from: published by the source or
    # inferred through the taxonomy, and how (migration 0006; None = entered by a user).
    links: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    provider: Mapped[Organization] = relationship()


class JobAd(Base):
    __tablename__ = "job_ad"
    __table_args__ = (Index("ix_job_ad_ssyk4_municipality", "ssyk4", "municipality_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(100), unique=True)
    headline: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    employer_name: Mapped[str | None] = mapped_column(String(300))
    municipality_code: Mapped[str | None] = mapped_column(String(4))
    occupation_id: Mapped[str | None] = mapped_column(String(20))
    ssyk4: Mapped[str | None] = mapped_column(String(4))
    published_at: Mapped[date | None] = mapped_column(Date, index=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    duplicate_count: Mapped[int] = mapped_column(Integer, default=0)
    # Source ids of reposts folded into this ad (migration 0003), so re-ingest is a no-op.
    duplicate_ids: Mapped[list[str] | None] = mapped_column(JSON)
    enrichment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)


class Synonym(Base):
    """A user's own word for a concept ("rörmokare" for VVS-montör), found by search."""

    __tablename__ = "synonym"
    __table_args__ = (UniqueConstraint("label", "concept_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    concept_id: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class UserAccount(Base):
    """Someone who logs in. ``tenant_id``/``organization_id`` are the membership that
    decides what the account sees (services/access.py); ``auth_epoch`` grows on every
    password change or deactivation so older session cookies stop working."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    auth_epoch: Mapped[int] = mapped_column(Integer, default=1)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)


class WorkLease(Base):
    """A count with an expiry that every worker process sees (``store/leases.py``): a
    user's long-work slot, failed logins of one name from one address."""

    __tablename__ = "work_lease"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class UserSession(Base):
    """A login, server-side: the cookie carries a random id whose SHA-256 is stored here,
    so logout, a password change or a deactivation ends it at once (a signed cookie
    alone would live out its age)."""

    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    sid_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class ApiToken(Base):
    """A bearer token for an integration; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class AuditEntry(Base):
    """Who read or changed personal data. No foreign keys on purpose: the trail must
    outlive the account and the person it names."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    username: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    tenant_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))  # read | list | export | update | erase ...
    entity: Mapped[str] = mapped_column(String(32))  # person | ...
    entity_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[str | None] = mapped_column(String(500))


class LocalConcept(Base):
    """A tenant's own occupation or skill (a new battery role, say), anchored to the
    nearest standard taxonomy concept so that everything keyed on the taxonomy
    (SSYK-4 group, relations, matching) still has something to hold on to."""

    __tablename__ = "local_concept"
    __table_args__ = (UniqueConstraint("concept_id", name="uq_local_concept_concept_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id"), index=True)
    concept_id: Mapped[str] = mapped_column(String(CONCEPT_ID_LENGTH))  # local:<tenant>:<slug>
    type: Mapped[str] = mapped_column(String(32))  # occupation-name | skill
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    anchor_id: Mapped[str] = mapped_column(String(20))  # a standard concept of the same type
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class ProfileVersion(Base):
    """One version of a tenant's edits to an occupation's skill profile.

    ``state`` is the whole overlay after this version (skill id → {removed, weight,
    must, by}), so any version can be shown or restored without replaying history;
    ``changes`` is what this version changed. The unique (tenant, occupation,
    version) makes two simultaneous edits conflict instead of both landing.
    """

    __tablename__ = "profile_version"
    __table_args__ = (
        UniqueConstraint(
            "tenant_id", "occupation_id", "version", name="uq_profile_version_tenant_occ_version"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id"), index=True)
    occupation_id: Mapped[str] = mapped_column(String(CONCEPT_ID_LENGTH), index=True)
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    comment: Mapped[str | None] = mapped_column(String(500))
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SavedScenario(Base):
    """A scenario run a planner saved to share with the region (migration 0005).

    ``result`` is the run's result document: region-wide aggregates per year and
    municipality, no personal data, so every signed-in role reads every saved run;
    ``tenant_id`` and ``created_by`` say who shared it (and who may delete it).
    """

    __tablename__ = "saved_scenario"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(Integer)  # user_account.id (None: system)
    created_by_name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    name: Mapped[str] = mapped_column(String(200))
    document: Mapped[str] = mapped_column(Text)  # the scenario file's text
    kind: Mapped[str] = mapped_column(String(8))  # toml | yaml | json
    runs: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer)
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
