"""The obvious way to match: loop over people, score each in plain Python.

Kept as the benchmark baseline and as an independent check of the vectorised
scorer — tests assert both give the same scores on the demo region.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from lotsen.match.geo import MunicipalityGrid
from lotsen.match.levels import LicenceBits, education_rank, has_matching_consent, swedish_rank
from lotsen.match.need import NeedSpec
from lotsen.match.relations import OccupationRelations
from lotsen.match.scorer import (
    AVAILABILITY_GRACE_DAYS,
    DEFAULT_EDUCATION,
    EXPERIENCE_FULL_YEARS,
    NATIVE,
    RELOCATION_SCALE_KM,
    Weights,
)
from lotsen.types import as_date


class NaiveMatcher:
    def __init__(
        self,
        grid: MunicipalityGrid,
        licence_bits: LicenceBits,
        relations: OccupationRelations,
        weights: Weights | None = None,
        consent_cutoff: date | None = None,
    ) -> None:
        self.consent_cutoff = consent_cutoff
        self.grid = grid
        self.licence_bits = licence_bits
        self.relations = relations
        self.weights = weights or Weights()

    def score(self, need: NeedSpec, person: Mapping[str, Any]) -> tuple[bool, float]:
        """(eligible, score out of 100) of one person dict."""
        w = self.weights
        if not has_matching_consent(person.get("consents") or (), self.consent_cutoff):
            return False, 0.0
        points = 0.0
        total = w.occupation + w.experience + w.education + w.swedish + w.distance + w.availability
        skills = set(person.get("skills") or ())
        if need.must_skills:
            total += w.must_skills
            points += w.must_skills * len(skills & set(need.must_skills)) / len(need.must_skills)
        if need.nice_skills:
            total += w.nice_skills
            points += w.nice_skills * len(skills & set(need.nice_skills)) / len(need.nice_skills)
        best, years = 0.0, 0.0
        for occ in sorted(person.get("occupations") or (), key=lambda o: -(o.get("years") or 0)):
            strength = self.relations.affinity(need.occupation_id, occ["occupation_id"])[0]
            if strength > best:
                best, years = strength, float(occ.get("years") or 0)
        points += w.occupation * best
        points += w.experience * best * min(years, EXPERIENCE_FULL_YEARS) / EXPERIENCE_FULL_YEARS
        wanted = education_rank(need.min_education_level)
        wanted = DEFAULT_EDUCATION if wanted < 0 else wanted
        points += w.education * min(
            max(education_rank(person.get("education_level")), 0) / max(1, wanted), 1.0
        )
        level = swedish_rank(person.get("swedish_level") or "native")
        wanted_sv = swedish_rank(need.min_swedish_level)
        if need.min_swedish_level and level < wanted_sv:
            return False, 0.0
        points += w.swedish * min(level / max(1, wanted_sv or NATIVE), 1.0)
        if need.driving_licence_id:
            total += w.licence
            mask = self.licence_bits.mask(person.get("licences") or ())
            if not mask & self.licence_bits.required(need.driving_licence_id):
                return False, 0.0
            points += w.licence
        km = self.grid.distance(need.municipality_code, person["municipality_code"])
        limit = float(person.get("max_commute_km") or 50.0)
        if need.allow_relocation:
            points += w.distance * max(0.0, 1.0 - km / RELOCATION_SCALE_KM)
        elif km > limit:
            return False, 0.0
        else:
            points += w.distance * max(0.0, 1.0 - km / max(limit, 1.0))
        available = as_date(person.get("available_from")) or need.start_date
        delay = max(0, (available - need.start_date).days)
        points += w.availability * max(0.0, 1.0 - delay / AVAILABILITY_GRACE_DAYS)
        return True, 100.0 * points / total

    def top(
        self, need: NeedSpec, people: Iterable[Mapping[str, Any]], k: int = 10
    ) -> list[tuple[float, int]]:
        """(score, position in ``people``) of the best ``k``, best first."""
        scored = []
        for position, person in enumerate(people):
            ok, score = self.score(need, person)
            if ok:
                scored.append((score, position))
        scored.sort(key=lambda x: (-x[0], x[1]))
        return scored[:k]
