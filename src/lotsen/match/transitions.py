"""Transitions: where people in an occupation (say, one being automated) can go next.

Two kinds of evidence: the taxonomy's substitutability relations (25 % or 75 %,
in either direction) between occupation names, and skill overlap — the Jaccard
index of the SSYK-4 groups' taxonomy skills — across all 400 groups. A candidate
ranks by ``max(0.8 × substitutability, overlap / 0.5)`` capped at 1: a 75 %
substitute and a group sharing half its skills both count as close.
The taxonomy's "Yrkessamling, yrken utan krav på utbildning" lists occupations
without educational requirements: the start points for people far from the
labour market.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lotsen.match.explain import skill_item
from lotsen.match.relations import OccupationRelations
from lotsen.taxonomy.model import (
    COLLECTION,
    OCCUPATION,
    SSYK4,
    SUBSTITUTED_BY,
    Concept,
    Taxonomy,
)

OPEN_COLLECTION_LABEL = "Yrkessamling, yrken utan krav på utbildning"
OVERLAP_FULL = 0.5
SUBSTITUTE_FACTOR = 0.8


def entry_occupations(taxonomy: Taxonomy) -> list[Concept]:
    """Occupations in the taxonomy's collection of jobs without educational requirements."""
    for collection in taxonomy.of_type(COLLECTION):
        if collection.label == OPEN_COLLECTION_LABEL:
            return sorted(
                (c for c in taxonomy.related(collection.id) if c.type == OCCUPATION),
                key=lambda c: c.label,
            )
    return []


class TransitionFinder:
    def __init__(self, taxonomy: Taxonomy, relations: OccupationRelations) -> None:
        self.taxonomy = taxonomy
        self.relations = relations
        self.open_ids = {c.id for c in entry_occupations(taxonomy)}

    def _substitutes(self, occupation_id: str) -> dict[str, float]:
        found: dict[str, float] = {}
        for concept, weight in self.taxonomy.substitutes(occupation_id):
            found[concept.id] = max(found.get(concept.id, 0.0), weight)
        for edge in self.taxonomy.edges_to(occupation_id, SUBSTITUTED_BY):
            found[edge.source] = max(found.get(edge.source, 0.0), edge.weight or 0.0)
        return found

    def nearest(
        self,
        occupation_id: str,
        programs: Sequence[Mapping[str, Any]] = (),
        limit: int = 10,
    ) -> dict[str, Any]:
        source = self.taxonomy.require(occupation_id, OCCUPATION, SSYK4)
        own_group = self.relations.group_id(source.id)
        own_skills = self.relations.group_skills(source.id)
        scored: dict[str, dict[str, Any]] = {}
        if source.type == OCCUPATION:
            for target, weight in self._substitutes(source.id).items():
                scored[target] = {"substitutability": weight, "skill_overlap": 0.0}
        for group in self.taxonomy.of_type(SSYK4):
            if group.id == own_group:
                continue
            overlap = self.relations.skill_overlap(source.id, group.id)
            if overlap > 0:
                scored.setdefault(group.id, {"substitutability": 0.0})["skill_overlap"] = overlap
        for target, item in scored.items():
            if item.get("skill_overlap", 0.0) == 0.0:
                item["skill_overlap"] = self.relations.skill_overlap(source.id, target)
            item["score"] = round(
                min(
                    1.0,
                    max(
                        SUBSTITUTE_FACTOR * item["substitutability"] / 100,
                        item["skill_overlap"] / OVERLAP_FULL,
                    ),
                ),
                3,
            )
        best = sorted(scored.items(), key=lambda kv: (-kv[1]["score"], kv[0]))[:limit]
        results = [self._describe(source, target, item, programs) for target, item in best]
        starts = sorted(
            (
                (self.relations.skill_overlap(source.id, c.id), c)
                for c in entry_occupations(self.taxonomy)
            ),
            key=lambda x: (-x[0], x[1].label),
        )[:limit]
        return {
            "occupation": {**source.as_dict(), "ssyk4": _code(self.taxonomy, source.id)},
            "skills": len(own_skills),
            "results": results,
            "entry_points": [
                {
                    "concept_id": c.id,
                    "preferred_label": c.label,
                    "ssyk4": _code(self.taxonomy, c.id),
                    "skill_overlap": round(overlap, 3),
                }
                for overlap, c in starts
            ],
        }

    def _describe(
        self,
        source: Concept,
        target_id: str,
        item: Mapping[str, Any],
        programs: Sequence[Mapping[str, Any]],
    ) -> dict[str, Any]:
        target = self.taxonomy.get(target_id)
        missing = sorted(
            self.relations.group_skills(target_id) - self.relations.group_skills(source.id)
        )
        target_group = self.relations.group_id(target_id)
        useful = []
        for program in programs:
            teaches = set(program.get("skills") or ()) & set(missing)
            leads = any(
                self.relations.group_id(o) == target_group for o in program.get("occupations") or ()
            )
            if teaches or leads:
                useful.append((len(teaches) + (5 if leads else 0), program, sorted(teaches)))
        useful.sort(key=lambda x: (-x[0], x[1].get("id") or 0))
        return {
            "concept_id": target.id,
            "type": target.type,
            "preferred_label": target.label,
            "ssyk4": _code(self.taxonomy, target.id),
            "substitutability": item["substitutability"],
            "skill_overlap": round(item["skill_overlap"], 3),
            "score": item["score"],
            "no_education_required": target.id in self.open_ids,
            "missing_skills": [skill_item(self.taxonomy, s, "must") for s in missing][:15],
            "missing_total": len(missing),
            "programs": [
                {
                    "program_id": p.get("id"),
                    "name": p["name"],
                    "form": p["form"],
                    "municipality_code": p["municipality_code"],
                    "teaches": len(teaches),
                }
                for _, p, teaches in useful[:5]
            ],
        }


def _code(taxonomy: Taxonomy, concept_id: str) -> str | None:
    group = taxonomy.ssyk4(concept_id)
    return group.code if group else None
