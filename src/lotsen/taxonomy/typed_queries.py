"""The hand-judged query set: how lotsar and job seekers type, and which occupations
count as right for each query. Used by the regression test and by
``bench/taxonomy_search.py`` (top-3 relevance beside latency)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from lotsen.errors import InvalidInput
from lotsen.taxonomy.model import OCCUPATION, Taxonomy

FILE = "typed_queries.txt"


@dataclass(frozen=True)
class TypedQuery:
    text: str
    accepted: frozenset[str]  # occupation concept ids
    labels: tuple[str, ...]


def load_typed_queries(taxonomy: Taxonomy) -> list[TypedQuery]:
    """Every query of the shipped set; a line whose labels name no occupation is refused."""
    by_label: dict[str, set[str]] = {}
    for concept in taxonomy.of_type(OCCUPATION):
        by_label.setdefault(concept.label, set()).add(concept.id)
    text = (resources.files("lotsen.taxonomy") / "data" / FILE).read_text(encoding="utf-8")
    found: list[TypedQuery] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        labels_part, _, queries_part = line.partition(" = ")
        labels = tuple(label.strip() for label in labels_part.split("|"))
        accepted = frozenset(cid for label in labels for cid in by_label.get(label, ()))
        if not accepted or not queries_part.strip():
            raise InvalidInput(f"no occupation named {labels} (or no queries)",
                               f"{FILE}:{number}")
        found += [TypedQuery(q.strip(), accepted, labels)
                  for q in queries_part.split(";") if q.strip()]
    return found


def top3_relevance(queries: list[TypedQuery], search: object) -> tuple[float, list[str]]:
    """Share of queries with an accepted occupation in the first three, and the misses.
    ``search(text)`` returns occupation concept ids, best first."""
    misses = []
    for query in queries:
        ids = search(query.text)[:3]  # type: ignore[operator]
        if not query.accepted & set(ids):
            misses.append(query.text)
    return 1 - len(misses) / len(queries), misses
