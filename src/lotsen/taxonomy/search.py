"""Swedish search over the taxonomy, the way a lotsare types: fast, sloppy, colloquial.

Every concept label (and each half of a "Träarbetare/Snickare" label) plus every
synonym becomes an *entry*. A query is tokenised like the labels
(:mod:`lotsen.text.normalize`); each token collects evidence from the
:class:`~lotsen.text.vocabulary.Vocabulary` (exact, stem, prefix, compound, typo).
An entry's score is then one of these levels, plus up to ``SPECIFICITY`` for how much
of the label the query covers (shorter, more specific labels first among equals):

* exact label (1.0) > label prefix (0.82+) > mean token quality (≤ 0.79: whole token
  > stem > prefix > compound part > typo, see the vocabulary module).

Keywords ("Chaffis", "Lastbilsförare") are search words the taxonomy links to
occupations (or skills, education fields): a hit on one also offers those, a bit
lower, so ``--type occupation-name`` finds them and reports the keyword as
``matched``. Deprecated concepts (2019 names since replaced) lose a little.

Built once (about half a second), then pickled in the cache directory keyed by the
taxonomy's input hash, the synonyms and this code; a bad cache file is rebuilt.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import heapq
import os
import pickle
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from lotsen.errors import InvalidInput, UnknownConcept, UnknownConceptType
from lotsen.settings import get_settings
from lotsen.taxonomy.local import LocalConcept
from lotsen.taxonomy.model import (
    KEYWORD,
    OCCUPATION,
    SKILL,
    SSYK4,
    Taxonomy,
    load_taxonomy,
    once,
)
from lotsen.text import normalize, vocabulary
from lotsen.text.normalize import STOPWORDS, index_terms, normalize_key, terms
from lotsen.text.vocabulary import Vocabulary

SYNONYMS_FILE = "synonyms.csv"
CACHE_PREFIX = "taxonomy-search-"

EXACT_LABEL = 0.93
LABEL_PREFIX = 0.82
SPECIFICITY = 0.07
DEPRECATED_PENALTY = 0.03
REDIRECT_PENALTY = 0.02
MAX_QUERY_CHARS = 200
MAX_QUERY_TOKENS = 8

# Entry kinds, and how much less a match on each is worth than on a preferred label.
PREFERRED, PART, SYNONYM, USER_SYNONYM = range(4)
KIND_PENALTY = (0.0, 0.005, 0.01, 0.005)
TYPE_RANK = {OCCUPATION: 0, KEYWORD: 1, SSYK4: 2, SKILL: 3}


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One concept found; ``matched`` is the label, synonym or keyword that matched."""

    concept_id: str
    type: str
    preferred_label: str
    ssyk4: str | None
    score: float
    matched: str

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "score": round(self.score, 4)}


class SearchIndex:
    """Label and synonym entries over a :class:`Vocabulary`; build with :meth:`build`."""

    def __init__(self) -> None:
        self.cache_key: str | None = None
        self.loaded_from_cache = False
        self._vocab = Vocabulary()
        self._owners: list[str] = []
        self._texts: list[str] = []
        self._keys: list[str] = []
        self._kinds: list[int] = []
        self._seen: set[tuple[str, str]] = set()
        # concept id → (type, preferred label, SSYK-4 code, deprecated)
        self._info: dict[str, tuple[str, str, str | None, bool]] = {}
        self._redirects: dict[str, tuple[str, ...]] = {}
        self._reach: dict[str, frozenset[str]] = {}
        self._types: set[str] = set()

    @classmethod
    def build(cls, taxonomy: Taxonomy,
              synonyms: Iterable[tuple[str, str]] = ()) -> SearchIndex:
        """Index every concept of ``taxonomy`` plus ``(label, concept_id)`` synonyms."""
        index = cls()
        for concept in taxonomy:
            code = None
            if concept.type in (OCCUPATION, SSYK4, KEYWORD):
                group = taxonomy.ssyk4(concept.id)
                code = group.code if group is not None else None
            index._info[concept.id] = (concept.type, concept.label, code, concept.deprecated)
            index._types.add(concept.type)
            index._add_entry(concept.label, concept.id, PREFERRED)
            for part in concept.label.split("/") if "/" in concept.label else ():
                index._add_entry(part.strip(), concept.id, PART)
            if concept.type == KEYWORD:
                targets = tuple(r.id for r in taxonomy.related(concept.id) if r.type != KEYWORD)
                if targets:
                    index._redirects[concept.id] = targets
        for label, concept_id in synonyms:
            if concept_id not in index._info:
                raise UnknownConcept(concept_id)
            index._add_entry(label, concept_id, SYNONYM)
        index._vocab.finish()
        for source, targets in index._redirects.items():
            index._reach[source] = frozenset(index._info[t][0] for t in targets)
        return index

    @classmethod
    def of_local(cls, taxonomy: Taxonomy, concepts: Iterable[LocalConcept]) -> SearchIndex:
        """A small index of one tenant's local concepts, searched beside the shared one.

        Kept apart rather than added to the shared index (as user synonyms are) so a
        tenant's concepts are never found by another tenant; a local occupation
        reports its anchor's SSYK-4 group.
        """
        index = cls()
        for local in concepts:
            group = taxonomy.ssyk4(local.anchor_id) if local.type == OCCUPATION else None
            index._info[local.concept_id] = (
                local.type, local.label, group.code if group else None, False
            )
            index._types.add(local.type)
            index._add_entry(local.label, local.concept_id, PREFERRED)
            for synonym in local.synonyms:
                index._add_entry(synonym, local.concept_id, USER_SYNONYM)
        index._vocab.finish()
        return index

    @classmethod
    def cached(cls, taxonomy: Taxonomy, synonyms: Sequence[tuple[str, str]],
               cache_dir: Path) -> SearchIndex:
        """The index from ``cache_dir`` when it matches, else built and written there."""
        source_hash = taxonomy.meta.get("input_sha256")
        if not source_hash:
            return cls.build(taxonomy, synonyms)
        key = _cache_key(str(source_hash), synonyms)
        loaded = _read(path := cache_dir / f"{CACHE_PREFIX}{key[:24]}.pickle")
        if isinstance(loaded, cls) and loaded.cache_key == key:
            loaded.loaded_from_cache = True
            return loaded
        index = cls.build(taxonomy, synonyms)
        index.cache_key = key
        _write_atomically(path, index)
        return index

    @property
    def types(self) -> list[str]:
        return sorted(self._types)

    def __len__(self) -> int:
        return len(self._owners)

    def add_synonym(self, label: str, concept_id: str) -> None:
        """Make ``label`` find ``concept_id`` from now on (in this process)."""
        if concept_id not in self._info:
            raise UnknownConcept(concept_id)
        if not normalize_key(label):
            raise InvalidInput("empty synonym: type at least one letter")
        self._add_entry(label.strip(), concept_id, USER_SYNONYM, late=True)

    def search(self, query: str, types: Sequence[str] | None = None,
               limit: int = 10) -> list[SearchHit]:
        """The best ``limit`` concepts for ``query``, optionally of the given types."""
        every = terms(query[:MAX_QUERY_CHARS])
        if not every:
            raise InvalidInput("empty query: type at least one letter")
        if limit < 1:
            raise InvalidInput(f"limit must be at least 1, got {limit}")
        for concept_type in types or ():
            if concept_type not in self._types:
                raise UnknownConceptType(concept_type, self.types)
        allowed = frozenset(types) if types else None
        qkey = " ".join(token for token, _ in every)
        content = [term for term in every if term[0] not in STOPWORDS] or every
        tokens = list(dict.fromkeys(content))[:MAX_QUERY_TOKENS]
        totals: dict[int, float] = {}
        for position, (token, token_stem) in enumerate(tokens):
            wants_prefix = position == len(tokens) - 1 or len(token) >= 4
            found = self._vocab.lookup(token, token_stem, prefix=wants_prefix)
            for rest, rest_stem in _job_word(token):
                # "lagerjobb" means a job whose title starts with or names "lager": those
                # titles count as a whole-word match; keywords ("Lager") are left out.
                for doc, quality in self._vocab.lookup(rest, rest_stem).items():
                    if self._info[self._owners[doc]][0] == KEYWORD:
                        continue
                    quality = vocabulary.EXACT if quality >= vocabulary.PREFIX else quality
                    if found.get(doc, 0.0) < quality:
                        found[doc] = quality
            for doc, quality in found.items():
                totals[doc] = totals.get(doc, 0.0) + quality
        best = self._score(qkey, len(tokens), totals, allowed)
        if len(best) > limit:  # keep the top ``limit`` scores and anything tied with them
            cut = heapq.nlargest(limit, [held[0] for held in best.values()])[-1] - 1e-4
            best = {cid: held for cid, held in best.items() if held[0] >= cut}
        info = self._info

        def order(item: tuple[str, tuple[float, int]]) -> tuple[float, bool, int, int, str]:
            concept_type, label, _, deprecated = info[item[0]]
            return (-round(item[1][0], 4), deprecated, TYPE_RANK.get(concept_type, 9),
                    len(label), label)

        return [
            SearchHit(cid, info[cid][0], info[cid][1], info[cid][2], score, self._texts[doc])
            for cid, (score, doc) in sorted(best.items(), key=order)[:limit]
        ]

    def _score(self, qkey: str, n_tokens: int, totals: dict[int, float],
               allowed: frozenset[str] | None) -> dict[str, tuple[float, int]]:
        """Best (score, entry) per concept, keywords also scoring their targets.

        The hot loop (thousands of entries for a common word): written out flat.
        """
        best: dict[str, tuple[float, int]] = {}
        info, redirects, reach = self._info, self._redirects, self._reach
        owners, keys, kinds = self._owners, self._keys, self._kinds
        qlen = len(qkey)
        for doc, total in totals.items():
            owner = owners[doc]
            owner_info = info[owner]
            direct = allowed is None or owner_info[0] in allowed
            targets = redirects.get(owner)
            if not direct and (targets is None or reach[owner].isdisjoint(allowed or ())):
                continue
            key = keys[doc]
            if key == qkey:
                level = EXACT_LABEL
            elif key.startswith(qkey):
                level = LABEL_PREFIX
            else:
                level = total / n_tokens
            score = level + SPECIFICITY * min(1.0, qlen / len(key)) - KIND_PENALTY[kinds[doc]]
            if direct:
                mine = score - DEPRECATED_PENALTY if owner_info[3] else score
                held = best.get(owner)
                if held is None or mine > held[0]:
                    best[owner] = (mine, doc)
            # A keyword offers its occupations below any label that starts with what was
            # typed: "svets" is the keyword Svets, but Svetsare must come before
            # Spårsvetsare, which the keyword lists and the label does not start with.
            via = min(score, LABEL_PREFIX) - REDIRECT_PENALTY
            for target in targets or ():
                target_type, _, _, deprecated = info[target]
                if allowed is not None and target_type not in allowed:
                    continue
                theirs = via - (DEPRECATED_PENALTY if deprecated else 0.0)
                held = best.get(target)
                if held is None or theirs > held[0]:
                    best[target] = (theirs, doc)
        return best

    def _add_entry(self, text: str, owner: str, kind: int, late: bool = False) -> None:
        key = normalize_key(text)
        if not key or (key, owner) in self._seen:
            return
        self._seen.add((key, owner))
        doc = len(self._owners)
        self._owners.append(owner)
        self._texts.append(text)
        self._keys.append(key)
        self._kinds.append(kind)
        add = self._vocab.add_late if late else self._vocab.add
        for token, token_stem in dict.fromkeys(index_terms(text)):
            add(token, token_stem, doc)


# How job seekers name a trade by its work: "lagerjobb", "städjobbet", "nattjänst".
JOB_SUFFIXES = ("jobbet", "jobben", "jobb", "tjansten", "tjanster", "tjanst")


def _job_word(token: str) -> list[tuple[str, str]]:
    """The trade word of a "-jobb"/"-tjänst" token (folded), or the worker of a
    workplace ("bageri" → "bagare", "gjuteri" → "gjutare"), as a query term; else []."""
    for suffix in JOB_SUFFIXES:
        rest = token[: -len(suffix)]
        if token.endswith(suffix) and len(rest) >= 3:
            return terms(rest)[:1]
    if token.endswith("eri") and len(token) >= 6:
        return terms(token[:-3] + "are")[:1]
    return []


def load_synonyms(path: Path | None = None) -> list[tuple[str, str]]:
    """``(label, concept_id)`` pairs from a ``label,concept_id,note`` CSV (default: shipped)."""
    if path is None:
        text = (resources.files("lotsen.taxonomy") / "data" / SYNONYMS_FILE).read_text("utf-8")
        name = SYNONYMS_FILE
    else:
        text, name = path.read_text("utf-8"), str(path)
    pairs: list[tuple[str, str]] = []
    for row_number, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        label, concept_id = (row.get("label") or "").strip(), (row.get("concept_id") or "").strip()
        if not label or not concept_id:
            raise InvalidInput("label and concept_id are both required", f"{name}:{row_number}")
        pairs.append((label, concept_id))
    return pairs


def _cache_key(source_hash: str, synonyms: Sequence[tuple[str, str]]) -> str:
    """Taxonomy input hash + synonyms + the source of the code that builds the index."""
    digest = hashlib.sha256(source_hash.encode())
    for label, concept_id in synonyms:
        digest.update(f"\x00{label}\x01{concept_id}".encode())
    for source in (normalize.__file__, vocabulary.__file__, __file__):
        digest.update(Path(str(source)).read_bytes())
    return digest.hexdigest()


def _read(path: Path) -> object:
    """The unpickled cache file, or None when it is missing, corrupt or unreadable."""
    was_enabled = gc.isenabled()
    gc.disable()  # unpickling ~100k small objects: collections would only cost time
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # truncated, garbage, from another version: the caller rebuilds
        return None
    finally:
        if was_enabled:
            gc.enable()


def _write_atomically(path: Path, index: SearchIndex) -> None:
    """Write via a temporary file, drop older index files; on failure just rebuild next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=CACHE_PREFIX, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(index, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        for old in path.parent.glob(f"{CACHE_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass


@once
def get_search_index() -> SearchIndex:
    """The shipped taxonomy + shipped synonyms, indexed once per process (disk-cached)."""
    return SearchIndex.cached(load_taxonomy(), load_synonyms(), get_settings().cache_dir)
