"""Small shared value types used across layers."""

from __future__ import annotations

from typing import Literal, TypeAlias

ConceptId: TypeAlias = str
MunicipalityCode: TypeAlias = str

OrganizationKind = Literal["employer", "education_provider", "municipality"]
ORGANIZATION_KINDS: tuple[str, ...] = ("employer", "education_provider", "municipality")

NeedStatus = Literal["open", "filled", "cancelled"]
NEED_STATUSES: tuple[str, ...] = ("open", "filled", "cancelled")

ProgramForm = Literal["YH", "Komvux", "AUB", "university", "gymnasium", "SFI"]
PROGRAM_FORMS: tuple[str, ...] = ("YH", "Komvux", "AUB", "university", "gymnasium", "SFI")

ConsentPurpose = Literal["matching", "statistics", "contact", "cross_tenant"]
CONSENT_PURPOSES: tuple[str, ...] = ("matching", "statistics", "contact", "cross_tenant")

# SFI courses A-D, then Swedish as in Komvux (grund, gymnasie), then native.
SWEDISH_LEVELS: tuple[str, ...] = (
    "none",
    "sfi_a",
    "sfi_b",
    "sfi_c",
    "sfi_d",
    "sva_grund",
    "sva_gymn",
    "native",
)
