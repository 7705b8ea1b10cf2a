"""Search and browse the taxonomy; users' own synonyms live in the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from lotsen.errors import InvalidInput
from lotsen.store.db import transaction
from lotsen.store.models import Synonym
from lotsen.taxonomy import Concept, load_taxonomy
from lotsen.taxonomy.search import SearchIndex, get_search_index

_loaded_synonyms: set[tuple[str, str, str]] = set()


def search_index(engine: Engine | None = None) -> SearchIndex:
    """The shared index, with the database's user synonyms added (once per database)."""
    index = get_search_index()
    if engine is not None:
        with transaction(engine) as session:
            for synonym in session.scalars(select(Synonym)):
                key = (str(engine.url), synonym.label, synonym.concept_id)
                if key not in _loaded_synonyms:
                    index.add_synonym(synonym.label, synonym.concept_id)
                    _loaded_synonyms.add(key)
    return index


def search(
    query: str, types: list[str] | None = None, limit: int = 10, engine: Engine | None = None
) -> dict[str, Any]:
    if not 0 < limit <= 100:
        raise InvalidInput(f"limit must be between 1 and 100, got {limit}")
    hits = search_index(engine).search(query, types=types or None, limit=limit)
    return {"query": query, "results": [hit.as_dict() for hit in hits]}


def _ref(concept: Concept) -> dict[str, Any]:
    return {"concept_id": concept.id, "type": concept.type, "preferred_label": concept.label}


def show(concept_id: str) -> dict[str, Any]:
    """A concept with its broader, narrower, related and substitute concepts."""
    taxonomy = load_taxonomy()
    concept = taxonomy.get(concept_id)
    group = taxonomy.ssyk4(concept_id)
    return {
        **concept.as_dict(),
        "definition": concept.definition,
        "ssyk4": group.code if group is not None else None,
        "broader": [_ref(c) for c in taxonomy.broader(concept_id)],
        "narrower": [_ref(c) for c in taxonomy.narrower(concept_id)],
        "related": [_ref(c) for c in taxonomy.related(concept_id)],
        "substitutes": [
            {**_ref(c), "substitutability": weight}
            for c, weight in sorted(
                taxonomy.substitutes(concept_id), key=lambda cw: (-cw[1], cw[0].label)
            )
        ],
    }


def add_synonym(engine: Engine, label: str, concept_id: str) -> dict[str, Any]:
    """Store a user's synonym; search finds it at once and after restarts."""
    label = label.strip()
    if not label:
        raise InvalidInput("a synonym needs a label")
    concept = load_taxonomy().get(concept_id)
    with transaction(engine) as session:
        exists = session.scalars(
            select(Synonym).where(Synonym.label == label, Synonym.concept_id == concept_id)
        ).one_or_none()
        if exists is None:
            session.add(Synonym(label=label, concept_id=concept_id))
    search_index(engine)
    return {"label": label, "concept_id": concept.id, "preferred_label": concept.label}
