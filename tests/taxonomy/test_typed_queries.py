"""Search as people type: the hand-judged query set (403 queries: colloquial titles,
partial words, compounds, plurals, -jobb/-tjänst forms, typos) keeps its top-3
relevance, and the three failures the issue named stay fixed."""

from __future__ import annotations

import pytest

from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.search import get_search_index
from lotsen.taxonomy.typed_queries import load_typed_queries, top3_relevance

# Measured 0.851 when the set was written (docs/performance.md); a change that loses
# more than a few queries fails here and must say why in the set or in search.py.
MIN_TOP3 = 0.83


def _occupations(text: str) -> list[str]:
    hits = get_search_index().search(text, types=["occupation-name"], limit=3)
    return [hit.concept_id for hit in hits]


def _labels(text: str) -> list[str]:
    return [h.preferred_label for h in
            get_search_index().search(text, types=["occupation-name"], limit=3)]


def test_the_set_is_large_and_every_line_names_real_occupations() -> None:
    queries = load_typed_queries(load_taxonomy())
    assert len(queries) >= 300
    assert len({q.text for q in queries}) >= 300


def test_top3_relevance_on_the_typed_queries() -> None:
    share, misses = top3_relevance(load_typed_queries(load_taxonomy()), _occupations)
    assert share >= MIN_TOP3, misses


@pytest.mark.parametrize(("typed", "first_three_has"), [
    ("svets", "Svetsare"),
    ("takläggare", "Tak- och tätskiktsmontör"),
    ("lagerjobb", "Lagerarbetare/Terminalarbetare"),
    ("städjobb", "Städare"),
    ("bageri", "Bagare/Konditor"),
])
def test_the_named_failures_stay_fixed(typed: str, first_three_has: str) -> None:
    assert first_three_has in _labels(typed)


def test_svets_puts_svetsare_first() -> None:
    assert _labels("svets")[0] == "Svetsare"
