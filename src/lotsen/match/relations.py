"""How close one occupation is to another, for crediting related experience.

Order of evidence, strongest first: the same occupation; the same SSYK-4 unit
group; the taxonomy's substitutability (an occupation that can stand in for the
wanted one, at 25 % or 75 %); and, for everything else, skill overlap — the
Jaccard index of the two SSYK-4 groups' taxonomy skills — as a transfer estimate.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from lotsen.taxonomy.model import SKILL, SSYK4, Taxonomy

SAME = 1.0
SAME_GROUP = 0.8
# Substitutability 75 % → 0.6, 25 % → 0.35: below a same-group colleague.
SUBSTITUTE_BASE = 0.225
SUBSTITUTE_SLOPE = 0.005
TRANSFER_CAP = 0.5

KIND_LABELS = {
    "same": "samma yrke",
    "group": "samma yrkesgrupp",
    "substitute": "kan ersätta yrket enligt taxonomin",
    "skills": "liknande kompetenser",
}


class OccupationRelations:
    """Affinity of occupations to a wanted one; cached per wanted occupation."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._group_skills: dict[str, frozenset[str]] = {
            g.id: frozenset(c.id for c in taxonomy.related(g.id) if c.type == SKILL)
            for g in taxonomy.of_type(SSYK4)
        }
        self._cache: dict[tuple[str, str], tuple[float, str]] = {}

    def group_id(self, occupation_id: str) -> str | None:
        group = self.taxonomy.ssyk4(occupation_id)
        return group.id if group else None

    def group_skills(self, occupation_id: str) -> frozenset[str]:
        group = self.group_id(occupation_id)
        return self._group_skills.get(group, frozenset()) if group else frozenset()

    def skill_overlap(self, a: str, b: str) -> float:
        sa, sb = self.group_skills(a), self.group_skills(b)
        if not sa or not sb:
            return 0.0
        return len(sa & sb) / len(sa | sb)

    def affinity(self, wanted: str, have: str) -> tuple[float, str]:
        """(strength 0..1, kind) of experience in ``have`` for a job as ``wanted``."""
        key = (wanted, have)
        if key not in self._cache:
            self._cache[key] = self._affinity(wanted, have)
        return self._cache[key]

    def _affinity(self, wanted: str, have: str) -> tuple[float, str]:
        if wanted == have:
            return SAME, "same"
        gw, gh = self.group_id(wanted), self.group_id(have)
        if gw is not None and gw == gh:
            return SAME_GROUP, "group"
        best = (0.0, "")
        for concept, weight in self.taxonomy.substitutes(wanted):
            if concept.id == have:
                best = max(best, (SUBSTITUTE_BASE + SUBSTITUTE_SLOPE * weight, "substitute"))
        transfer = min(TRANSFER_CAP, self.skill_overlap(wanted, have))
        if transfer > best[0]:
            best = (transfer, "skills")
        return best if best[0] > 0 else (0.0, "")

    def vector(self, wanted: str, vocabulary: Sequence[str]) -> np.ndarray:
        """Affinity of each occupation in ``vocabulary`` to ``wanted``, plus a trailing 0
        so that padding index -1 maps to no affinity."""
        out = np.zeros(len(vocabulary) + 1, dtype=np.float32)
        for i, have in enumerate(vocabulary):
            out[i] = self.affinity(wanted, have)[0]
        return out
