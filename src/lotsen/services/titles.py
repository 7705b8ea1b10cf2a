"""Job titles → vocabulary ids: `lotsen titles rank`, the API and the Titlar page.

Titles and vocabularies are reference data (no tenant scope, no stored state besides
the vector cache): every role may rank them. A vocabulary is any list of
``(id, label)`` rows in any language; ids may repeat (synonyms). Rankings combine
character n-grams with multilingual-e5 embeddings (:mod:`lotsen.ads.titles`) when the
embedding package loads; vocabulary vectors are cached under ``LOTSEN_CACHE_DIR``
keyed by the vocabulary's content hash, and every vocabulary starts from the vectors
shipped with the occupation model and from those of the SSYK-4 group names
(:mod:`lotsen.ads.group_vectors`). Labels the taxonomy knows as occupation
names get their SSYK-4 group's name as context, labels in another language the
nearest group name (:func:`attach_context`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from lotsen.ads.embedding import E5Encoder, VectorCache, e5_available
from lotsen.ads.enrich import get_enricher
from lotsen.ads.group_vectors import group_names, load_group_vectors
from lotsen.ads.titles import TitleRanker, uses_context
from lotsen.errors import InvalidInput, LimitExceeded, NotFound
from lotsen.limits import MAX_TITLE_CHARS, MAX_TITLE_QUERIES, MAX_TITLE_VOCABULARY
from lotsen.services.access import Actor, require_reference_data
from lotsen.services.results.ads import (
    RankedTitle,
    TitleMatchRow,
    TitleRanking,
    TitleRequestRanking,
    TitleSuggestion,
    TitleSuggestions,
)
from lotsen.settings import get_settings
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.model import OCCUPATION
from lotsen.taxonomy.search import load_synonyms
from lotsen.text import fold
from lotsen.text.language import labels_are_swedish

CACHE_FOLDER = "titles"


@cache
def _encoder() -> E5Encoder:
    # A vocabulary is embedded in bulk: one single-threaded engine per core (see
    # E5Encoder: robust when other processes share the cores).
    return E5Encoder(threads=1, workers=os.cpu_count() or 1)


def _vector_cache() -> VectorCache:
    return VectorCache(get_settings().cache_dir / CACHE_FOLDER, _encoder())


@cache
def _shipped_vectors() -> dict[str, np.ndarray]:
    """text → vector of the occupation model's title entries (built with the model) and
    of every SSYK-4 group name (built beside it), so that the default vocabulary's first
    ranking embeds none of them."""
    model = get_enricher().classifier
    known = load_group_vectors()
    if model.label_vectors is not None:
        known.update(zip(model.titles.labels, model.label_vectors, strict=True))
    return known


@cache
def _occupation_groups() -> tuple[dict[str, str], dict[str, str]]:
    """SSYK-4 group name of each occupation name: by concept id, and by folded label
    (current names first, so a deprecated namesake does not override them)."""
    taxonomy = load_taxonomy()
    by_id: dict[str, str] = {}
    by_label: dict[str, str] = {}
    names = sorted(taxonomy.of_type(OCCUPATION), key=lambda c: c.deprecated)
    for concept in names:
        group = taxonomy.ssyk4(concept.id)
        if group is None:
            continue
        by_id[concept.id] = group.label
        by_label.setdefault(fold(concept.label), group.label)
    return by_id, by_label


def label_context(rows: Sequence[tuple[str, str]]) -> tuple[list[int], list[str]]:
    """Each row's SSYK-4 group as an index into the returned group names (−1: none).

    A row is known by its id when the id is an occupation concept, else by its label
    when that is an occupation name of the taxonomy; any other vocabulary (ESCO's
    English labels, a local list) gets no context and ranks by its labels alone."""
    by_id, by_label = _occupation_groups()
    found = [by_id.get(row_id) or by_label.get(fold(label)) for row_id, label in rows]
    # Sorted, so a vocabulary with every group shares its cached vectors with the pivot's.
    names = sorted({group for group in found if group is not None})
    index = {name: number for number, name in enumerate(names)}
    return [-1 if group is None else index[group] for group in found], names


@cache
def _group_names() -> list[str]:
    """Every current SSYK-4 group's name, the pivots of a vocabulary in another language."""
    return group_names(load_taxonomy())


def attach_context(
    ranker: TitleRanker, rows: Sequence[tuple[str, str]], cache: VectorCache,
    known: dict[str, np.ndarray] | None = None,
) -> TitleRanker:
    """The label context a vocabulary gets (the ranker must have its vectors): its
    labels' own SSYK-4 groups when the taxonomy knows most of them, else, for labels
    that are not Swedish, the nearest group name; else none."""
    label_group, group_names = label_context(rows)
    if uses_context(label_group):  # else its group names need not be embedded
        return ranker.attach_context(label_group, cache.vectors(group_names, known))
    if not labels_are_swedish(ranker.labels):
        return ranker.attach_pivot(cache.vectors(_group_names(), known))
    return ranker


def _ranker(rows: Sequence[tuple[str, str]], embeddings: bool) -> TitleRanker:
    ranker = TitleRanker().fit([r[0] for r in rows], [r[1] for r in rows])
    if embeddings and e5_available():
        cache, known = _vector_cache(), _shipped_vectors()
        ranker.attach_vectors(cache.vectors(ranker.labels, known), _encoder())
        attach_context(ranker, rows, cache, known)
    return ranker


def _default_vocabulary() -> list[tuple[str, str]]:
    """Current occupation names + the synonyms Lotsen ships, as (concept id, label)."""
    taxonomy = load_taxonomy()
    rows = [(c.id, c.label) for c in taxonomy.of_type(OCCUPATION) if not c.deprecated]
    current = {cid for cid, _ in rows}
    return rows + [(cid, label) for label, cid in load_synonyms() if cid in current]


@cache
def _default_title_ranker(embeddings: bool = True) -> TitleRanker:
    """What "vad heter yrket?" and a rank without vocabulary use."""
    return _ranker(_default_vocabulary(), embeddings)


def rank_texts(
    texts: Sequence[str], vocabulary: Sequence[tuple[str, str]] | None = None, top: int = 10,
    *, embeddings: bool = True, query_vectors: np.ndarray | None = None, actor: Actor,
) -> list[list[TitleMatchRow]]:
    """The ``top`` ids per text as ``{id, label, score}`` (label: the best-matching one)."""
    require_reference_data(actor)
    ranker = _default_title_ranker(embeddings) if vocabulary is None else _ranker(
        vocabulary, embeddings)
    return [[{"id": m.id, "label": m.label, "score": m.score} for m in matches]
            for matches in ranker.rank_many(list(texts), top, query_vectors)]


def rank_request(
    texts: Sequence[str], vocabulary: Sequence[tuple[str, str]] | None = None, top: int = 10,
    *, actor: Actor,
) -> TitleRequestRanking:
    """One web or API request: bounded so the embedding work fits a request."""
    require_reference_data(actor)
    texts = [t.strip() for t in texts if t.strip()]
    if not texts:
        raise InvalidInput("skriv minst en yrkestitel")
    if len(texts) > MAX_TITLE_QUERIES:
        raise LimitExceeded(f"at most {MAX_TITLE_QUERIES} titles per request;"
                            " use `lotsen titles rank` for more", quantity="title_queries",
                            limit=MAX_TITLE_QUERIES, value=len(texts))
    if vocabulary is not None and not 0 < len(vocabulary) <= MAX_TITLE_VOCABULARY:
        raise LimitExceeded(f"a vocabulary needs 1 to {MAX_TITLE_VOCABULARY} rows per request;"
                            " use `lotsen titles rank` for larger ones",
                            quantity="title_vocabulary", limit=MAX_TITLE_VOCABULARY,
                            value=len(vocabulary))
    for number, text in enumerate(texts, start=1):
        _check_title(text, f"title {number}")
    for number, (_, label) in enumerate(vocabulary or (), start=1):
        _check_title(label, f"vocabulary row {number}")
    ranked = rank_texts(texts, vocabulary, top, actor=actor)
    return {"embeddings": e5_available(),
            "results": [{"query": text, "matches": matches}
                        for text, matches in zip(texts, ranked, strict=True)]}


def _read_tsv(path: Path, what: str) -> list[tuple[str, str]]:
    """Rows of a two-column TSV file (``what`` names the columns in the error)."""
    if not path.is_file():
        raise NotFound(f"no such file: {path}")
    with path.open(encoding="utf-8-sig") as handle:
        return _parse_tsv(handle.read(), what, str(path))


def parse_tsv(text: str, what: str, where: str = "", *, actor: Actor) -> list[tuple[str, str]]:
    """Rows of pasted two-column text (the web page's own vocabulary)."""
    require_reference_data(actor)
    return _parse_tsv(text, what, where)


def _parse_tsv(text: str, what: str, where: str = "") -> list[tuple[str, str]]:
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].strip() or not parts[1].strip():
            raise InvalidInput(f"expected {what}", f"{where}:{number}" if where else
                               f"line {number}")
        rows.append((parts[0].strip(), parts[1].strip()))
        _check_title(rows[-1][1], f"{where}:{number}" if where else f"line {number}")
    return rows


def _check_title(text: str, location: str) -> None:
    if len(text) > MAX_TITLE_CHARS:
        raise LimitExceeded(f"a title or label has at most {MAX_TITLE_CHARS} characters,"
                            f" this one {len(text)}", location, quantity="title_chars",
                            limit=MAX_TITLE_CHARS, value=len(text))


def rank_titles(
    queries: Path, output: Path | None, vocabulary: Path | None = None, top: int = 10,
    *, embeddings: bool = True, actor: Actor,
) -> TitleRanking:
    """Rank vocabulary ids for each query; R.tsv rows are qid, id, rank, score. Query
    vectors are cached like vocabularies, so a rerun of the same file is fast."""
    require_reference_data(actor)
    query_rows = _read_tsv(queries, "qid<TAB>text")
    vocab = None if vocabulary is None else _read_tsv(vocabulary, "id<TAB>label")
    texts = [text for _, text in query_rows]
    use_e5 = embeddings and e5_available()
    query_vectors = _vector_cache().vectors(texts) if use_e5 and texts else None
    ranked = rank_texts(texts, vocab, top, embeddings=use_e5, query_vectors=query_vectors,
                        actor=actor)
    results: list[RankedTitle] = [
        {"qid": qid, "id": match["id"], "rank": rank, "score": match["score"],
         "label": match["label"]}
        for (qid, _), matches in zip(query_rows, ranked, strict=True)
        for rank, match in enumerate(matches, start=1)]
    if output is not None:
        with output.open("w", encoding="utf-8") as handle:
            for row in results:
                handle.write(f"{row['qid']}\t{row['id']}\t{row['rank']}\t{row['score']:.4f}\n")
    return {"queries": len(query_rows), "output": str(output) if output else None,
            "embeddings": use_e5, "results": results}


def suggest_titles(text: str, top: int = 10, *, actor: Actor) -> TitleSuggestions:
    """The web form's "vad heter yrket?" box: occupation names for free text."""
    require_reference_data(actor)
    if not text.strip():
        raise InvalidInput("skriv en yrkestitel")
    _check_title(text.strip(), "title")
    taxonomy = load_taxonomy()
    results: list[TitleSuggestion] = []
    for match in _default_title_ranker().rank(text, top):
        group = taxonomy.ssyk4(match.id)
        results.append({"concept_id": match.id, "preferred_label": taxonomy.get(match.id).label,
                        "matched": match.label, "ssyk4": group.code if group else None,
                        "score": match.score})
    return {"query": text, "results": results}
