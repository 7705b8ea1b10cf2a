"""Grouped cross-validation folds for labelled ads: reposts never cross a fold.

The same ad is often posted again, by the employer or by a staffing agency, and
public dumps copy each other. Two ads are in one *group* when they share an employer
or the same headline (folded) — connected components, so a chain of reposts is one
group; an ad without employer is grouped by its source file. Groups are dealt to
folds greedily, biggest first, each to the currently smallest fold (ties: lowest fold
number; groups in order of size then key), so the assignment is deterministic and
written out with the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lotsen.text import fold


def _key(value: Any) -> str:
    return " ".join(fold(str(value or "")).split())


def linked_keys(links: Sequence[tuple[str, str]]) -> list[str]:
    """Per (a, b) link, the key of a's connected component (its smallest member key)."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(a) for a, _ in links]


def employer_groups(ads: Sequence[dict[str, Any]]) -> list[str]:
    """One group key per ad (the smallest member key of its connected component)."""
    links = []
    for ad in ads:
        employer = _key(ad.get("employer"))
        first = f"employer:{employer}" if employer else f"source:{ad.get('source', '')}"
        links.append((first, f"headline:{_key(ad.get('headline'))}"))
    return linked_keys(links)


def assign_folds(groups: Sequence[str], k: int = 5) -> list[int]:
    """Fold number (0..k-1) per ad, whole groups per fold, folds about equal in size."""
    sizes: dict[str, int] = {}
    for group in groups:
        sizes[group] = sizes.get(group, 0) + 1
    load = [0] * k
    fold_of: dict[str, int] = {}
    for group in sorted(sizes, key=lambda g: (-sizes[g], g)):
        target = min(range(k), key=lambda f: (load[f], f))
        fold_of[group] = target
        load[target] += sizes[group]
    return [fold_of[group] for group in groups]
