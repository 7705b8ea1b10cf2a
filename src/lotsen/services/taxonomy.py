"""Search and browse the taxonomy; users' own synonyms live in the database, and a
tenant's local concepts are searched beside the shared index for that tenant only."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Engine, select

from lotsen.errors import InvalidInput
from lotsen.services.access import Actor, may, require, require_reference_data, scope
from lotsen.services.local_concepts import local_index
from lotsen.services.results.concepts import (
    ConceptDetail,
    ConceptRef,
    Hit,
    SearchResult,
    Substitute,
    SynonymAdded,
)
from lotsen.store.db import transaction
from lotsen.store.models import Synonym
from lotsen.taxonomy import Concept, load_taxonomy
from lotsen.taxonomy.search import SearchHit, SearchIndex, get_search_index

_loaded_synonyms: set[tuple[str, str, str]] = set()
# Adding to the shared index while another thread searches or adds would race.
_synonyms_lock = threading.Lock()


def search_index(engine: Engine | None = None) -> SearchIndex:
    """The shared index, with the database's user synonyms added (once per database)."""
    index = get_search_index()
    if engine is not None:
        with transaction(engine) as session:
            stored = session.execute(select(Synonym.label, Synonym.concept_id)).all()
        url = str(engine.url)
        if any((url, label, concept) not in _loaded_synonyms for label, concept in stored):
            with _synonyms_lock:
                for label, concept in stored:
                    if (url, label, concept) not in _loaded_synonyms:
                        index.add_synonym(label, concept)
                        _loaded_synonyms.add((url, label, concept))
    return index


class TenantSearch:
    """The shared index and one tenant's local concepts, searched as one."""

    def __init__(self, shared: SearchIndex, local: SearchIndex | None) -> None:
        self.shared = shared
        self.local = local

    def search(self, query: str, types: Sequence[str] | None = None,
               limit: int = 10) -> list[SearchHit]:
        hits = self.shared.search(query, types=types, limit=limit)
        if self.local is None:
            return hits
        wanted = [t for t in types if t in self.local.types] if types else None
        if types and not wanted:
            return hits
        hits = hits + self.local.search(query, types=wanted, limit=limit)
        # Stable: among equal scores the national concept stays first.
        hits.sort(key=lambda hit: -round(hit.score, 4))
        return hits[:limit]


def _tenant_search(engine: Engine | None, tenant_id: int | None) -> TenantSearch:
    local = local_index(engine, tenant_id) if engine is not None else None
    return TenantSearch(search_index(engine), local)


def search(
    query: str, types: list[str] | None = None, limit: int = 10, engine: Engine | None = None,
    tenant: str | None = None, *, actor: Actor,
) -> SearchResult:
    """Concepts for what the user typed; ``actor``'s tenant (or the ``tenant`` named by
    a role that reaches every tenant) adds its local concepts."""
    require_reference_data(actor)
    if not 0 < limit <= 100:
        raise InvalidInput(f"limit must be between 1 and 100, got {limit}")
    # A tenant's local concepts are its own: only a role that reads them adds them.
    tenant_id = scope(actor, "local_concepts").tenant_id if may(actor, "local_concepts") else None
    if tenant and engine is not None:
        with transaction(engine) as session:
            target = scope(actor, "local_concepts", "read").tenant(session, tenant)
            tenant_id = target.id if target is not None else None
    hits = _tenant_search(engine, tenant_id).search(query, types=types or None, limit=limit)
    return SearchResult(query=query, results=[cast(Hit, hit.as_dict()) for hit in hits])


def best_occupation(query: str, engine: Engine | None = None, *, actor: Actor) -> str | None:
    """The occupation a search box means when Enter is pressed without a suggestion
    picked: the best hit for what was typed, or None when nothing matches."""
    if not query.strip():
        return None
    hits = search(query.strip()[:200], ["occupation-name"], 1, engine, actor=actor)["results"]
    return str(hits[0]["concept_id"]) if hits else None


def _ref(concept: Concept) -> ConceptRef:
    return ConceptRef(concept_id=concept.id, type=concept.type, preferred_label=concept.label)


def show(concept_id: str, *, actor: Actor) -> ConceptDetail:
    """A concept with its broader, narrower, related and substitute concepts."""
    require_reference_data(actor)
    taxonomy = load_taxonomy()
    concept = taxonomy.get(concept_id)
    group = taxonomy.ssyk4(concept_id)
    return {
        "concept_id": concept.id, "type": concept.type, "preferred_label": concept.label,
        "code": concept.code, "deprecated": concept.deprecated,
        "definition": concept.definition,
        "ssyk4": group.code if group is not None else None,
        "broader": [_ref(c) for c in taxonomy.broader(concept_id)],
        "narrower": [_ref(c) for c in taxonomy.narrower(concept_id)],
        "related": [_ref(c) for c in taxonomy.related(concept_id)],
        "substitutes": [
            Substitute(**_ref(c), substitutability=weight)
            for c, weight in sorted(
                taxonomy.substitutes(concept_id), key=lambda cw: (-cw[1], cw[0].label)
            )
        ],
    }


def add_synonym(
    engine: Engine, label: str, concept_id: str, *, actor: Actor,
) -> SynonymAdded:
    """Store a user's synonym; search finds it at once and after restarts.

    Synonyms are shared by every tenant, so only administrators and lotsar add them
    (``access.WRITE["synonyms"]``); the command line acts as the system.
    """
    require(actor, "synonyms", "write")
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
