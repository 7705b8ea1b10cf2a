"""Skill scoring against hand-annotated gold in the ``skills_dev_gold.jsonl`` format.

Each gold item lists the concept ids a recruiter would accept (``accept``). At concept
level, only items with a non-empty ``accept`` count (the taxonomy has them):

* an item is *found* when the engine returns (as required or meriting) any id in its
  ``accept`` list → recall = found / items;
* a returned id is *correct* when it is in the ``accept`` list of some item of the ad
  → precision = correct / returned;
* requirement-class agreement: over found items, the share where the engine's class
  (of the matching id) equals the gold class.
Micro and per-ad macro figures are both given (one ad may hold many items).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lotsen.errors import InvalidInput

EVALUATED = ("required", "meriting")


def load_gold(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Ad id → gold items; every line needs ``id`` and a ``skills`` list."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    gold: dict[str, list[dict[str, Any]]] = {}
    for number, line in enumerate(path.read_text("utf-8").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"not JSON: {exc.msg}", f"{path}:{number}") from None
        if not isinstance(row, dict) or "id" not in row or not isinstance(
                row.get("skills"), list):
            raise InvalidInput("needs id and a skills list", f"{path}:{number}")
        for item in row["skills"]:
            if not isinstance(item, dict) or not isinstance(item.get("accept"), list) or item.get(
                    "requirement") not in EVALUATED:
                raise InvalidInput("each skill needs accept (list) and requirement"
                                   " (required|meriting)", f"{path}:{number}")
        gold[str(row["id"])] = row["skills"]
    return gold


class GoldScore:
    """Accumulates concept-level counts over ads."""

    def __init__(self) -> None:
        self.found = self.items = self.correct = self.returned = 0
        self.agree = self.compared = 0
        self.per_ad: list[tuple[float, float]] = []

    def add(self, items: Iterable[dict[str, Any]], skills: Iterable[dict[str, Any]]) -> None:
        predicted = {s["concept_id"]: s["requirement"] for s in skills
                     if s.get("concept_id") and s["requirement"] in EVALUATED}
        linked = [i for i in items if i["accept"]]
        accepted = {cid for item in linked for cid in item["accept"]}
        found = 0
        for item in linked:
            hits = [cid for cid in item["accept"] if cid in predicted]
            if hits:
                found += 1
                self.compared += 1
                self.agree += predicted[hits[0]] == item["requirement"]
        correct = sum(1 for cid in predicted if cid in accepted)
        self.found += found
        self.items += len(linked)
        self.correct += correct
        self.returned += len(predicted)
        if linked or predicted:
            self.per_ad.append((correct / len(predicted) if predicted else 1.0,
                                found / len(linked) if linked else 1.0))

    def report(self) -> dict[str, Any]:
        p = self.correct / self.returned if self.returned else 0.0
        r = self.found / self.items if self.items else 0.0
        macro_p = sum(a for a, _ in self.per_ad) / len(self.per_ad) if self.per_ad else 0.0
        macro_r = sum(b for _, b in self.per_ad) / len(self.per_ad) if self.per_ad else 0.0
        return {
            "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "items": self.items, "found": self.found, "returned": self.returned,
            "correct": self.correct,
            "macro_precision": round(macro_p, 4), "macro_recall": round(macro_r, 4),
            "requirement_agreement": round(self.agree / self.compared, 4)
            if self.compared else None,
        }
