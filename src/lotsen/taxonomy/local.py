"""Local concepts: a tenant's own occupations and skills on top of the national taxonomy.

New roles appear before the taxonomy names them (the ALBATTS case: battery cell
operator, formation technician). A tenant defines them as concepts of its own, each
anchored to the nearest standard concept of the same type. The anchor is what keeps
them usable everywhere: an occupation's SSYK-4 group, its relations and how matching
credits experience all come from the anchor.

Ids have the form ``local:<tenant slug>:<slug>`` so that they can never collide with a
JobTech id (``abcd_efg_hij``) or another tenant's concept, and say whose they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lotsen.errors import InvalidInput
from lotsen.taxonomy.model import OCCUPATION, SKILL, Concept, Taxonomy
from lotsen.text.normalize import fold

PREFIX = "local:"
TYPES = (OCCUPATION, SKILL)
TYPE_LABELS = {OCCUPATION: "yrke", SKILL: "kompetens"}
MAX_ID_LENGTH = 100
MAX_SLUG_LENGTH = 40
MAX_SYNONYMS = 20


def is_local(concept_id: str) -> bool:
    return concept_id.startswith(PREFIX)


def slugify(label: str) -> str:
    """``"Battericellsoperatör"`` → ``"battericellsoperator"``: folded, ASCII, dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-")


def make_id(tenant_slug: str, label: str, taken: Iterable[str] = ()) -> str:
    """A new local id for ``label`` in ``tenant_slug``, not one of ``taken``."""
    slug = slugify(label)
    if not slug:
        raise InvalidInput("benämningen måste innehålla minst en bokstav eller siffra", "label")
    base = f"{PREFIX}{tenant_slug}:{slug}"
    if len(base) > MAX_ID_LENGTH - 4:
        raise InvalidInput(f"kommunens kortnamn {tenant_slug!r} är för långt för lokala begrepp")
    used = set(taken)
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@dataclass(frozen=True)
class LocalConcept:
    """A local concept as the core sees it (no database row)."""

    concept_id: str
    type: str
    label: str
    anchor_id: str
    tenant_id: int
    description: str | None = None
    synonyms: tuple[str, ...] = field(default_factory=tuple)

    def as_concept(self) -> Concept:
        return Concept(self.concept_id, self.type, self.label, definition=self.description)


def validate(
    taxonomy: Taxonomy,
    concept_type: str,
    label: str,
    anchor_id: str,
    description: str | None = None,
    synonyms: Sequence[str] = (),
) -> dict[str, Any]:
    """Clean input for a new local concept; messages name the field."""
    if concept_type not in TYPES:
        raise InvalidInput(f"type must be one of {', '.join(TYPES)}", "type")
    label = " ".join(label.split())
    if not 2 <= len(label) <= 200:
        raise InvalidInput("benämningen ska vara 2–200 tecken", "label")
    anchor = taxonomy.find(anchor_id)
    if anchor is None:
        raise InvalidInput(
            f"{anchor_id!r} är inget begrepp i taxonomin; sök närmaste standardbegrepp", "anchor_id"
        )
    if anchor.type != concept_type:
        raise InvalidInput(
            f"närmaste standardbegrepp ska vara av typen {concept_type}, "
            f"{anchor.label} är {anchor.type}",
            "anchor_id",
        )
    cleaned = tuple(dict.fromkeys(" ".join(s.split()) for s in synonyms if s.strip()))
    if len(cleaned) > MAX_SYNONYMS or any(len(s) > 200 for s in cleaned):
        raise InvalidInput(f"högst {MAX_SYNONYMS} synonymer, var och en högst 200 tecken",
                           "synonyms")
    text = (description or "").strip() or None
    if text is not None and len(text) > 5000:
        raise InvalidInput("beskrivningen får vara högst 5000 tecken", "description")
    return {"type": concept_type, "label": label, "anchor_id": anchor.id,
            "description": text, "synonyms": list(cleaned)}


def anchor_of(concept_id: str, anchors: Mapping[str, str]) -> str:
    """The standard concept to use for ``concept_id`` (itself when it is standard)."""
    return anchors.get(concept_id, concept_id)
