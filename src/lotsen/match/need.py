"""A need as the matcher sees it: what must be true and what counts, validated once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from lotsen.errors import InvalidInput
from lotsen.types import SWEDISH_LEVELS, as_date


@dataclass(frozen=True)
class NeedSpec:
    occupation_id: str
    municipality_code: str
    start_date: date
    must_skills: tuple[str, ...] = ()
    nice_skills: tuple[str, ...] = ()
    min_swedish_level: str | None = None
    driving_licence_id: str | None = None
    min_education_level: str | None = None
    allow_relocation: bool = False
    headcount: int = 1
    need_id: int | None = None
    tenant_id: int | None = None

    def __post_init__(self) -> None:
        if self.min_swedish_level and self.min_swedish_level not in SWEDISH_LEVELS:
            raise InvalidInput(
                f"min_swedish_level {self.min_swedish_level!r} is not one of "
                f"{', '.join(SWEDISH_LEVELS)}"
            )
        if self.headcount < 0:
            raise InvalidInput(f"headcount must be 0 or more, got {self.headcount}")

    @classmethod
    def from_record(cls, rec: Mapping[str, Any], allow_relocation: bool = False) -> NeedSpec:
        """From a need dict as ``store.records.need_to_dict`` or the demo generator makes it."""
        must = tuple(rec.get("must_skills") or ())
        return cls(
            occupation_id=rec["occupation_id"],
            municipality_code=rec["municipality_code"],
            start_date=as_date(rec["start_date"]),
            must_skills=must,
            nice_skills=tuple(s for s in rec.get("nice_skills") or () if s not in must),
            min_swedish_level=rec.get("min_swedish_level"),
            driving_licence_id=rec.get("driving_licence_id"),
            min_education_level=rec.get("min_education_level"),
            allow_relocation=allow_relocation,
            headcount=int(rec.get("headcount") or 1),
            need_id=rec.get("id"),
            tenant_id=rec.get("tenant_id"),
        )
