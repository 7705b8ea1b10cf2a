"""The taxonomy in memory: concepts by id and type, and the relations between them."""

from __future__ import annotations

import gzip
import json
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import update_wrapper
from importlib import resources
from typing import Any, Generic, TypeVar

from lotsen.errors import InvalidInput, UnknownConcept, UnknownConceptType
from lotsen.taxonomy.build import DATA_FILE, GEOMETRY_FILE

OCCUPATION = "occupation-name"
SSYK4 = "ssyk-level-4"
SKILL = "skill"
KEYWORD = "keyword"
MUNICIPALITY = "municipality"
LANGUAGE = "language"
DRIVING_LICENCE = "driving-licence"
COLLECTION = "occupation-collection"

# Relations are stored once, in the direction the taxonomy publishes them.
BROADER = "broader"
RELATED = "related"
SUBSTITUTED_BY = "substituted_by"


@dataclass(frozen=True, slots=True)
class Concept:
    id: str
    type: str
    label: str
    code: str | None = None
    definition: str | None = None
    deprecated: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "concept_id": self.id,
            "type": self.type,
            "preferred_label": self.label,
            "code": self.code,
            "deprecated": self.deprecated,
        }


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    relation: str
    target: str
    weight: float | None
    origin: str


class Taxonomy:
    """Read-only view of the taxonomy; build with :func:`load_taxonomy`."""

    def __init__(
        self,
        concepts: Iterable[Concept],
        edges: Iterable[Edge],
        meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.meta = dict(meta or {})
        self._concepts: dict[str, Concept] = {}
        self._by_type: dict[str, list[Concept]] = defaultdict(list)
        for concept in concepts:
            self._concepts[concept.id] = concept
            self._by_type[concept.type].append(concept)
        self._out: dict[str, list[Edge]] = defaultdict(list)
        self._in: dict[str, list[Edge]] = defaultdict(list)
        for edge in edges:
            self._out[edge.source].append(edge)
            self._in[edge.target].append(edge)
        self._by_code: dict[tuple[str, str], Concept] = {
            (c.type, c.code): c for c in self._concepts.values() if c.code
        }
        self._ssyk4_cache: dict[str, Concept | None] = {}

    def __len__(self) -> int:
        return len(self._concepts)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._concepts

    def __iter__(self) -> Any:
        return iter(self._concepts.values())

    @property
    def types(self) -> list[str]:
        return sorted(self._by_type)

    def get(self, concept_id: str) -> Concept:
        try:
            return self._concepts[concept_id]
        except KeyError:
            raise UnknownConcept(concept_id) from None

    def find(self, concept_id: str) -> Concept | None:
        return self._concepts.get(concept_id)

    def require(self, concept_id: str, *types: str) -> Concept:
        """The concept, checked to be one of ``types`` (input validation at the boundary)."""
        concept = self.get(concept_id)
        if types and concept.type not in types:
            raise InvalidInput(
                f"concept {concept_id!r} ({concept.label}) is a {concept.type}, "
                f"expected {' or '.join(types)}"
            )
        return concept

    def of_type(self, concept_type: str) -> list[Concept]:
        self.check_type(concept_type)
        return list(self._by_type[concept_type])

    def check_type(self, concept_type: str) -> None:
        if concept_type not in self._by_type:
            raise UnknownConceptType(concept_type, self.types)

    def by_code(self, concept_type: str, code: str) -> Concept:
        concept = self._by_code.get((concept_type, code))
        if concept is None:
            raise InvalidInput(f"no {concept_type} with code {code!r}")
        return concept

    def edges_from(self, concept_id: str, relation: str | None = None) -> list[Edge]:
        return [e for e in self._out.get(concept_id, ()) if relation in (None, e.relation)]

    def edges_to(self, concept_id: str, relation: str | None = None) -> list[Edge]:
        return [e for e in self._in.get(concept_id, ()) if relation in (None, e.relation)]

    def broader(self, concept_id: str) -> list[Concept]:
        return [self._concepts[e.target] for e in self.edges_from(concept_id, BROADER)]

    def narrower(self, concept_id: str) -> list[Concept]:
        return [self._concepts[e.source] for e in self.edges_to(concept_id, BROADER)]

    def related(self, concept_id: str) -> list[Concept]:
        """Related in either direction (keyword ↔ occupation, SSYK-4 ↔ skill, ...)."""
        seen: dict[str, Concept] = {}
        for e in self.edges_from(concept_id, RELATED):
            seen.setdefault(e.target, self._concepts[e.target])
        for e in self.edges_to(concept_id, RELATED):
            seen.setdefault(e.source, self._concepts[e.source])
        return list(seen.values())

    def substitutes(self, concept_id: str) -> list[tuple[Concept, float]]:
        """Occupations that can substitute for ``concept_id``, with substitutability %."""
        return [
            (self._concepts[e.target], e.weight or 0.0)
            for e in self.edges_from(concept_id, SUBSTITUTED_BY)
        ]

    def ssyk4(self, concept_id: str) -> Concept | None:
        """The SSYK-2012 unit group of an occupation name (or the group itself)."""
        if concept_id in self._ssyk4_cache:
            return self._ssyk4_cache[concept_id]
        concept = self._concepts.get(concept_id)
        found: Concept | None = None
        if concept is not None:
            if concept.type == SSYK4:
                found = concept
            elif concept.type == OCCUPATION:
                found = next((b for b in self.broader(concept_id) if b.type == SSYK4), None)
            elif concept.type == KEYWORD:
                occupations = [r for r in self.related(concept_id) if r.type == OCCUPATION]
                found = self.ssyk4(occupations[0].id) if occupations else None
        self._ssyk4_cache[concept_id] = found
        return found

    def skills_of(self, concept_id: str) -> list[Concept]:
        """Skills the taxonomy relates to an occupation name's (or SSYK-4's) group."""
        group = self.ssyk4(concept_id)
        if group is None:
            return []
        return [c for c in self.related(group.id) if c.type == SKILL]

    def municipality_name(self, code: str) -> str:
        """The municipality's name, or the code as it is when no municipality has it (an
        old or mistyped code in a user's row is shown, not refused)."""
        concept = self._by_code.get((MUNICIPALITY, code))
        return concept.label if concept is not None else code

    def municipality(self, code: str) -> Concept:
        concept = self._by_code.get((MUNICIPALITY, code))
        if concept is None:
            raise InvalidInput(
                f"unknown municipality code {code!r}: use the 4-digit SCB code, e.g. 2482"
            )
        return concept


def _decode(payload: Mapping[str, Any]) -> Taxonomy:
    concepts = [
        Concept(
            id=r[0], type=r[1], label=r[2], code=r[3], definition=r[4], deprecated=r[5], extra=r[6]
        )
        for r in payload["concepts"]
    ]
    edges = [Edge(*r) for r in payload["relations"]]
    return Taxonomy(concepts, edges, payload["meta"])


T = TypeVar("T")


class once(Generic[T]):  # noqa: N801 - used as a decorator, like functools.cache
    """``functools.cache`` for a loader without arguments, built at most once per process.

    ``functools.cache`` lets two threads that miss at the same time both build the value
    (a web worker's first requests arrive together on its thread pool): seconds of CPU
    and twice the memory for the taxonomy or the search index. Here the first caller
    builds under a lock and the others wait for its result; afterwards no lock is taken.
    """

    def __init__(self, loader: Callable[[], T]) -> None:
        self._loader = loader
        self._lock = threading.Lock()
        self._value: T | None = None
        self._done = False
        update_wrapper(self, loader)

    def __call__(self) -> T:
        if not self._done:
            with self._lock:
                if not self._done:
                    self._value = self._loader()
                    self._done = True
        return self._value  # type: ignore[return-value]

    def cache_clear(self) -> None:
        with self._lock:
            self._value, self._done = None, False


@once
def load_taxonomy() -> Taxonomy:
    """The taxonomy shipped in the package, loaded once per process."""
    data = resources.files("lotsen.taxonomy") / "data" / DATA_FILE
    with data.open("rb") as raw, gzip.open(raw) as handle:
        return _decode(json.load(handle))


@once
def load_municipality_geometry() -> dict[str, Any]:
    """GeoJSON of the 290 municipalities (SCB 2024, generalised, WGS84)."""
    data = resources.files("lotsen.taxonomy") / "data" / GEOMETRY_FILE
    with data.open("rb") as raw, gzip.open(raw) as handle:
        result: dict[str, Any] = json.load(handle)
        return result
