"""Benchmark taxonomy search: latency, throughput, build vs cached load, memory, baseline.

Run from the repository root::

    .venv/bin/python bench/taxonomy_search.py            # 1,000 queries, baseline on 200
    .venv/bin/python bench/taxonomy_search.py --json     # the same figures as JSON

Queries are generated deterministically (``--seed``) from the shipped taxonomy and
synonyms, in seven kinds a lotsare produces: exact labels, lowercase without
diacritics, prefixes (typing in progress), plural/definite forms, one typo,
compounds (a modifier glued to a label's head word) and shipped synonyms. A third
of them are restricted to ``occupation-name``.

The naive baseline is rapidfuzz ``WRatio`` over every folded label (filtered by type
first when the query is), the obvious thing to write instead of an index. Both are
scored on recall@3: is the concept the query was made from among the first three?
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from lotsen.taxonomy.model import OCCUPATION, Concept, load_taxonomy
from lotsen.taxonomy.search import SearchIndex, load_synonyms
from lotsen.taxonomy.typed_queries import load_typed_queries, top3_relevance
from lotsen.text.normalize import fold, stem

KINDS = ("exact", "folded", "prefix", "inflected", "typo", "compound", "synonym")
MODIFIERS = ("gods", "skol", "industri", "bygg", "natt", "region", "lager")
OCCUPATION_ONLY = 3  # every third query is restricted to occupation names


@dataclass(frozen=True)
class Query:
    text: str
    kind: str
    types: tuple[str, ...] | None
    expected: str | None  # concept id the query was made from, when there is one


def inflect(word: str) -> str:
    """A plural or definite form, roughly as Swedish makes them."""
    if word.endswith("are"):
        return word[:-1] + "na"           # lärare → lärarna
    if word.endswith("a"):
        return word[:-1] + "or"           # undersköterska → undersköterskor
    if word.endswith("ör"):
        return word + "erna"              # montör → montörerna
    if word.endswith("e"):
        return word + "n"
    return word + "er"


def typo(word: str, rng: random.Random) -> str:
    """One edit in a long word: a swap, a dropped or a doubled letter."""
    i = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def make_queries(concepts: Sequence[Concept], synonyms: Sequence[tuple[str, str]],
                 count: int, seed: int) -> list[Query]:
    rng = random.Random(seed)
    occupations = [c for c in concepts if c.type == OCCUPATION]
    queries: list[Query] = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        types = (OCCUPATION,) if n % OCCUPATION_ONLY == 0 else None
        pool = occupations if types or rng.random() < 0.5 else concepts
        concept = rng.choice(pool)
        label = concept.label.split("/")[0].split(",")[0].strip()
        words = label.split()
        expected: str | None = concept.id
        if kind == "exact":
            text = concept.label
        elif kind == "folded":
            text = fold(label)
        elif kind == "prefix":
            text = label[: max(3, len(label) // 2)]
            expected = None  # many labels share a prefix
        elif kind == "inflected":
            text = " ".join(words[:-1] + [inflect(words[-1])])
        elif kind == "typo":
            longest = max(words, key=len)
            text = label.replace(longest, typo(longest, rng)) if len(longest) >= 6 else label
        elif kind == "compound":
            text = rng.choice(MODIFIERS) + words[-1].lower()
            expected = None
        else:
            text, expected = rng.choice(synonyms)
        if kind in ("folded", "inflected", "typo") and label != concept.label:
            expected = None  # "Forskare" from "Forskare, IT" names several concepts
        queries.append(Query(text, kind, types, expected))
    return queries


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(queries: Sequence[Query],
        search: Callable[[Query], list[str]]) -> tuple[list[float], float]:
    """Latencies in ms and recall@3 over the queries that have an expected concept."""
    latencies: list[float] = []
    found = judged = 0
    for query in queries:
        start = time.perf_counter()
        ids = search(query)
        latencies.append((time.perf_counter() - start) * 1000)
        if query.expected is not None:
            judged += 1
            found += query.expected in ids[:3]
    return latencies, found / judged if judged else 0.0


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--baseline-queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    taxonomy = load_taxonomy()
    taxonomy_s = time.perf_counter() - start
    synonyms = load_synonyms()

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        SearchIndex.cached(taxonomy, synonyms, Path(tmp))  # cold: builds and writes
        cold_s = time.perf_counter() - start
        pickle_bytes = sum(p.stat().st_size for p in Path(tmp).iterdir())
        start = time.perf_counter()
        index = SearchIndex.cached(taxonomy, synonyms, Path(tmp))
        cached_s = time.perf_counter() - start
        assert index.loaded_from_cache

    fold.cache_clear()
    stem.cache_clear()
    tracemalloc.start()
    SearchIndex.build(taxonomy, synonyms)
    _, build_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    queries = make_queries(list(taxonomy), synonyms, args.queries, args.seed)
    for warm in ("lakare", "montör", "svetsare"):
        index.search(warm)

    def ours(query: Query) -> list[str]:
        return [h.concept_id for h in index.search(query.text, query.types, limit=10)]

    started = time.perf_counter()
    latencies, recall = run(queries, ours)
    wall = time.perf_counter() - started

    # The hand-judged set, typed as people type: top-3 relevance beside its latency.
    typed = load_typed_queries(taxonomy)
    typed_ms: list[float] = []

    def typed_search(text: str) -> list[str]:
        start = time.perf_counter()
        hits = index.search(text, [OCCUPATION], limit=3)
        typed_ms.append((time.perf_counter() - start) * 1000)
        return [h.concept_id for h in hits]

    typed_top3, _ = top3_relevance(typed, typed_search)

    labels = {None: [(fold(c.label), c.id) for c in taxonomy]}
    labels[(OCCUPATION,)] = [(fold(c.label), c.id) for c in taxonomy if c.type == OCCUPATION]

    def naive(query: Query) -> list[str]:
        choices = labels[query.types]
        found = process.extract(fold(query.text), [lab for lab, _ in choices],
                                scorer=fuzz.WRatio, limit=10)
        return [choices[i][1] for _, _, i in found]

    base_latencies, base_recall = run(queries[: args.baseline_queries], naive)
    by_kind = {
        kind: round(statistics.mean(
            ms for ms, q in zip(latencies, queries, strict=True) if q.kind == kind), 3)
        for kind in KINDS
    }
    result: dict[str, object] = {
        "queries": len(queries),
        "throughput_qps": round(len(queries) / wall, 1),
        "p50_ms": round(percentile(latencies, 0.50), 3),
        "p95_ms": round(percentile(latencies, 0.95), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
        "max_ms": round(max(latencies), 3),
        "mean_ms_by_kind": by_kind,
        "recall_at_3": round(recall, 3),
        "typed_queries": len(typed),
        "typed_top3_relevance": round(typed_top3, 3),
        "typed_p50_ms": round(percentile(typed_ms, 0.50), 3),
        "typed_p95_ms": round(percentile(typed_ms, 0.95), 3),
        "taxonomy_load_s": round(taxonomy_s, 3),
        "index_build_cold_s": round(cold_s, 3),
        "index_cached_load_s": round(cached_s, 3),
        "index_pickle_mb": round(pickle_bytes / 1e6, 2),
        "index_build_peak_traced_mb": round(build_peak / 1e6, 1),
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "baseline_queries": len(base_latencies),
        "baseline_p50_ms": round(percentile(base_latencies, 0.50), 3),
        "baseline_p95_ms": round(percentile(base_latencies, 0.95), 3),
        "baseline_recall_at_3": round(base_recall, 3),
        "speedup_p50": round(percentile(base_latencies, 0.5) / percentile(latencies, 0.5), 1),
        "speedup_mean": round(statistics.mean(base_latencies) / statistics.mean(latencies), 1),
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        width = max(len(k) for k in result)
        for key, value in result.items():
            print(f"{key:<{width}}  {value}")
    return result


if __name__ == "__main__":
    main()
