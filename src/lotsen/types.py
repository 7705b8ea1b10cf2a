"""Small shared value types used across layers."""

from __future__ import annotations

from datetime import date
from typing import Literal, TypeAlias, overload

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

# How a person's prior learning was validated (validering av reell kompetens):
# branschvalidering, Komvux validering, or a certificate / intyg.
ValidationMethod = Literal["industry", "komvux", "certificate"]
VALIDATION_METHODS: tuple[str, ...] = ("industry", "komvux", "certificate")

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


# A date as records carry it between layers: a ``date``, or its ISO text once a record
# has been through JSON, a form or a file; None or "" when the field is empty.
RecordDate: TypeAlias = date | str | None


@overload
def as_date(value: date | str) -> date: ...
@overload
def as_date(value: None) -> None: ...
def as_date(value: RecordDate) -> date | None:
    """The ``date`` of a record's date field (ISO text parsed; None or "" is None)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
