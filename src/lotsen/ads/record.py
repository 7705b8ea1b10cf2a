"""One job ad as Lotsen reads it, from the JobTech shapes people actually have.

Accepted: the JobSearch / historical-ads JSON (``description: {"text": ...}``,
``employer: {"name"}``, ``workplace_address: {"municipality_code"}``,
``occupation: {"concept_id"}``, ``occupation_group: {"legacy_ams_taxonomy_id"}``) and
the flat normalised shape (``description`` a string, ``municipality_code``, ``ssyk4``,
``occupation_concept_id``). Only ``id``, ``headline`` and ``description`` are
required. Problems are returned as ``(field, problem)`` pairs so a reader can report
``FILE:LINE: field: problem``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

MAX_ID = 100
MAX_HEADLINE = 500
MUNICIPALITY = re.compile(r"^\d{4}$")
SSYK4 = re.compile(r"^\d{4}$")


@dataclass(frozen=True, slots=True)
class AdRecord:
    source_id: str
    headline: str
    description: str
    employer_name: str | None = None
    municipality_code: str | None = None
    published_at: date | None = None
    occupation_id: str | None = None
    ssyk4: str | None = None


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        text = value.get("text")
        return text if isinstance(text, str) else None
    return None


def _nested(raw: dict[str, Any], key: str, inner: str) -> Any:
    value = raw.get(key)
    return value.get(inner) if isinstance(value, dict) else value


def description_text(raw: dict[str, Any]) -> str | None:
    """The ad body: a string, or JobTech's ``{"text": ...}``."""
    return _text(raw.get("description"))


def parse_ad(raw: Any) -> tuple[AdRecord | None, list[tuple[str, str]]]:
    """The record, or ``None`` with every problem found in it."""
    if not isinstance(raw, dict):
        return None, [("record", f"expected a JSON object, got {type(raw).__name__}")]
    problems: list[tuple[str, str]] = []
    ad_id = raw.get("id")
    if isinstance(ad_id, bool) or not isinstance(ad_id, str | int) or str(ad_id).strip() == "":
        problems.append(("id", "missing or empty; every ad needs its JobTech id"))
    elif len(str(ad_id)) > MAX_ID:
        problems.append(("id", f"longer than {MAX_ID} characters"))
    headline = raw.get("headline")
    if not isinstance(headline, str) or not headline.strip():
        problems.append(("headline", "missing or empty"))
    elif len(headline) > MAX_HEADLINE:
        problems.append(("headline", f"longer than {MAX_HEADLINE} characters"))
    description = description_text(raw)
    if description is None:
        problems.append(("description", 'missing: give a string or {"text": "..."}'))
    municipality = raw.get("municipality_code") or _nested(
        raw, "workplace_address", "municipality_code"
    )
    if municipality is not None and (
        not isinstance(municipality, str) or not MUNICIPALITY.match(municipality)
    ):
        problems.append(("municipality_code", f"{municipality!r} is not a 4-digit kommun code"))
    published: date | None = None
    raw_date = raw.get("publication_date") or raw.get("published_at")
    if raw_date is not None:
        try:
            published = datetime.fromisoformat(str(raw_date).replace("Z", "+00:00")).date()
        except ValueError:
            problems.append(("publication_date", f"{raw_date!r} is not an ISO date"))
    ssyk4 = raw.get("ssyk4") or _nested(raw, "occupation_group", "legacy_ams_taxonomy_id")
    if ssyk4 is not None and (not isinstance(ssyk4, str) or not SSYK4.match(ssyk4)):
        problems.append(("ssyk4", f"{ssyk4!r} is not a 4-digit SSYK code"))
    occupation = raw.get("occupation_concept_id") or _nested(raw, "occupation", "concept_id")
    if occupation is not None and not isinstance(occupation, str):
        problems.append(("occupation", "concept_id must be a string"))
    employer = _nested(raw, "employer", "name")
    if problems:
        return None, problems
    assert isinstance(headline, str) and description is not None
    return (
        AdRecord(
            source_id=str(ad_id).strip(),
            headline=headline.strip(),
            description=description,
            employer_name=employer.strip()[:300] if isinstance(employer, str) else None,
            municipality_code=municipality,
            published_at=published,
            occupation_id=occupation,
            ssyk4=ssyk4,
        ),
        [],
    )
