"""Turn cell text into taxonomy concepts and national codes — and never guess.

A value may be a concept id (``rxrQ_Nyy_k6y``) or Swedish text ("svetsare"). Text is
accepted only when it names one concept unambiguously:

0. it is the id, label or a synonym of one of the importing tenant's local concepts
   (``local:<tenant>:<slug>``, "Battericellsoperatör"); or
1. it equals (case- and diacritic-insensitively) the label, a "/"-part of a label,
   of exactly one current concept of the wanted type; or
2. taxonomy search's top hit matched it exactly (a synonym, say) and scores above
   the second; or
3. the top hit is clearly ahead of the second (``CLEAR_LEAD``) and good enough.

Anything else is *unresolved*, reported with the closest candidates so the user can
pick one. Each distinct text is resolved once per import (100,000 people name only a
few thousand distinct skills).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from lotsen.errors import LotsenError
from lotsen.labels import label
from lotsen.taxonomy.local import LocalConcept, is_local
from lotsen.taxonomy.model import MUNICIPALITY, Taxonomy
from lotsen.text.normalize import normalize_key

CONCEPT_ID = re.compile(r"^[0-9A-Za-z]{4}_[0-9A-Za-z]{3}_[0-9A-Za-z]{3}$")
EXACT_LEAD = 0.01
CLEAR_LEAD = 0.10
MIN_SCORE = 0.60
CANDIDATES = 3


class Searcher(Protocol):
    def search(self, query: str, types: Sequence[str] | None = None,
               limit: int = 10) -> Sequence[Any]: ...


@dataclass(frozen=True, slots=True)
class Resolved:
    value: str  # the concept id or code stored
    label: str
    how: str  # id | code | label | search


@dataclass(frozen=True, slots=True)
class Unresolved:
    reason: str
    candidates: tuple[str, ...] = ()

    def message(self, text: str) -> str:
        shown = f'"{text}"' if len(text) <= 80 else f'"{text[:77]}..."'
        closest = f" (närmast: {'; '.join(self.candidates)})" if self.candidates else ""
        return f"{shown} {self.reason}{closest}"


Resolution = Resolved | Unresolved


@lru_cache(maxsize=16)
def labels_of(taxonomy: Taxonomy, types: tuple[str, ...], coded: bool = False
              ) -> dict[str, list[Any]]:
    """Normalised label (and "/"-part) → concepts of ``types``; built once per process."""
    return _labels_by_key([c for t in types for c in taxonomy.of_type(t)
                           if c.code or not coded])


def _labels_by_key(concepts: Sequence[Any]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for concept in concepts:
        keys = {normalize_key(concept.label)}
        keys.update(normalize_key(part) for part in concept.label.split("/"))
        for key in keys:
            if key:
                found.setdefault(key, []).append(concept)
    return found


def _pick(concepts: list[Any]) -> tuple[Any | None, list[Any]]:
    """The one current concept among same-label concepts, or None and the rivals."""
    current = [c for c in concepts if not c.deprecated] or concepts
    return (current[0], current) if len(current) == 1 else (None, current)


class _Resolver:
    """Each distinct text resolved once for the resolver's life (one import)."""

    def __init__(self) -> None:
        self._cache: dict[str, Resolution] = {}

    def resolve(self, text: str) -> Resolution:
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self._resolve(text)
        return found

    def _resolve(self, text: str) -> Resolution:
        raise NotImplementedError


class ConceptResolver(_Resolver):
    """Resolves cells to concept ids of ``types``; ``noun`` names them in messages."""

    def __init__(self, taxonomy: Taxonomy, searcher: Searcher | None, types: Sequence[str],
                 noun: str, local: Sequence[LocalConcept] = ()) -> None:
        super().__init__()
        self.taxonomy = taxonomy
        self.searcher = searcher
        self.types = tuple(types)
        self.noun = noun
        self._labels = labels_of(taxonomy, self.types)
        self._local = {c.concept_id: c for c in local if c.type in self.types}
        self._local_labels = _labels_by_key([
            _LocalName(name, c.concept_id, c.label)
            for c in self._local.values() for name in (c.label, *c.synonyms)
        ])

    def _resolve(self, text: str) -> Resolution:
        if is_local(text):
            found = self._local.get(text)
            if found is None:
                return Unresolved(f"är inte {self.noun} som kommunen själv lagt till (se "
                                  "Nya yrken)")
            return Resolved(found.concept_id, found.label, "local")
        mine = {n.id: n for n in self._local_labels.get(normalize_key(text), ())}
        if len(mine) == 1:
            name = next(iter(mine.values()))
            return Resolved(name.id, name.local_label, "local")
        concept = self.taxonomy.find(text)
        if concept is not None:
            if concept.type not in self.types:
                kind = label("concept_type", concept.type)
                return Unresolved(f"är id för {kind} ({concept.label}), inte för {self.noun}")
            return Resolved(concept.id, concept.label, "id")
        if CONCEPT_ID.match(text):
            return Unresolved("är inget begrepps-id i taxonomin (sök upp det under "
                              "Yrken och kompetenser)")
        same = self._labels.get(normalize_key(text))
        if same:
            chosen, rivals = _pick(same)
            if chosen is not None:
                return Resolved(chosen.id, chosen.label, "label")
            return Unresolved(f"kan betyda {len(rivals)} olika begrepp ({self.noun}); "
                              "ange begreppets id", tuple(_show(c.label, c.id) for c in rivals))
        return self._search(text)

    def _search(self, text: str) -> Resolution:
        if self.searcher is None:
            return Unresolved(f"finns inte i taxonomin som {self.noun}")
        try:
            hits = list(self.searcher.search(text, types=list(self.types), limit=CANDIDATES))
        except LotsenError:
            hits = []
        if not hits:
            return Unresolved(f"finns inte i taxonomin som {self.noun}")
        top = hits[0]
        lead = top.score - hits[1].score if len(hits) > 1 else 1.0
        exact = normalize_key(top.matched) == normalize_key(text)
        if (exact and lead >= EXACT_LEAD) or (top.score >= MIN_SCORE and lead >= CLEAR_LEAD):
            return Resolved(top.concept_id, top.preferred_label, "search")
        reason = (f"är tvetydigt: passar flera begrepp ({self.noun}) lika bra"
                  if exact or top.score >= MIN_SCORE
                  else f"finns inte i taxonomin som {self.noun}")
        return Unresolved(reason, tuple(_show(h.preferred_label, h.concept_id) for h in hits))


@dataclass(frozen=True, slots=True)
class _LocalName:
    """A local concept's label or synonym, shaped like a concept for ``_labels_by_key``."""

    label: str
    id: str
    local_label: str
    deprecated: bool = False


def _show(label: str, concept_id: str) -> str:
    return f"{label} [{concept_id}]"


class CodeResolver(_Resolver):
    """National codes (municipality, SUN level, SUN field) given as code, id or name.

    ``pad`` zero-pads numeric codes to that width; ``prefix`` keeps only the first
    characters of the code (SUN levels are compared on level 1: "33" and "3" store "3").
    """

    def __init__(self, taxonomy: Taxonomy, types: Sequence[str], noun: str,
                 example: str, pad: int = 0, prefix: int = 0) -> None:
        super().__init__()
        self.taxonomy = taxonomy
        self.noun = noun
        self.example = example
        self.pad = pad
        self.prefix = prefix
        self.types = tuple(types)
        concepts = [c for t in types for c in taxonomy.of_type(t) if c.code]
        self._codes = {str(c.code).lower(): c for c in concepts}
        self._labels = labels_of(taxonomy, self.types, coded=True)

    def _store(self, code: str | None) -> str:
        text = code or ""
        return text[: self.prefix] if self.prefix else text

    def _resolve(self, text: str) -> Resolution:
        code = text.lower()
        if self.pad and code.isdigit() and len(code) < self.pad:
            code = code.zfill(self.pad)  # Excel drops the leading zero of 0180
        concept = self._codes.get(code)
        if concept is not None:
            return Resolved(self._store(concept.code), concept.label, "code")
        by_id = self.taxonomy.find(text)
        if by_id is not None and by_id.code and by_id.type in self.types:
            return Resolved(self._store(by_id.code), by_id.label, "id")
        same = self._labels.get(normalize_key(text))
        if same:
            stored = {self._store(c.code) for c in same}
            if len(stored) == 1:
                return Resolved(stored.pop(), same[0].label, "label")
            return Unresolved(f"kan betyda flera ({self.noun}); ange koden",
                              tuple(f"{c.label} [{c.code}]" for c in same))
        kind = "kod" if text[:1].isdigit() else "namn"
        close = difflib.get_close_matches(normalize_key(text), list(self._labels), n=3, cutoff=0.8)
        candidates = tuple(f"{self._labels[k][0].label} [{self._labels[k][0].code}]" for k in close)
        return Unresolved(f"är inget känt {kind} på {self.noun}; ange {self.example}", candidates)


def municipality_resolver(taxonomy: Taxonomy) -> CodeResolver:
    return CodeResolver(taxonomy, [MUNICIPALITY], "kommun",
                        "SCB:s fyrsiffriga kod (2580 för Luleå) eller namnet", pad=4)


def education_level_resolver(taxonomy: Taxonomy) -> CodeResolver:
    types = [t for t in taxonomy.types if t.startswith("sun-education-level")]
    return CodeResolver(taxonomy, types, "utbildningsnivå (SUN)",
                        "en SUN-nivå 0–6 (3 = gymnasial) eller dess namn", prefix=1)


def education_field_resolver(taxonomy: Taxonomy) -> CodeResolver:
    types = [t for t in taxonomy.types if t.startswith("sun-education-field")]
    return CodeResolver(taxonomy, types, "utbildningsinriktning (SUN)",
                        "en SUN-kod som 521 eller dess namn")
