"""Why a person ranks where they do, in Swedish, and which gaps remain.

The wording lives here, in one place, so it can be reviewed (and later translated)
without touching the scorer.
"""

from __future__ import annotations

from typing import Any

from lotsen.labels import number
from lotsen.match.geo import MunicipalityGrid
from lotsen.match.index import PeopleIndex, from_day_number
from lotsen.match.levels import EDUCATION_LABELS, SWEDISH_LABELS, LicenceBits
from lotsen.match.need import NeedSpec
from lotsen.match.relations import OccupationRelations
from lotsen.match.validation import STATED, VALIDATED
from lotsen.taxonomy.model import Taxonomy
from lotsen.types import SWEDISH_LEVELS


def swedish_number(value: float) -> str:
    text = number(value, 1)
    return text[:-2] if text.endswith(",0") else text


def skill_item(taxonomy: Taxonomy, skill_id: str, requirement: str) -> dict[str, str]:
    concept = taxonomy.find(skill_id)
    return {
        "concept_id": skill_id,
        "label": concept.label if concept else skill_id,
        "requirement": requirement,
    }


class Explainer:
    def __init__(
        self,
        taxonomy: Taxonomy,
        grid: MunicipalityGrid,
        licence_bits: LicenceBits,
        relations: OccupationRelations,
    ) -> None:
        self.taxonomy = taxonomy
        self.grid = grid
        self.licence_bits = licence_bits
        self.relations = relations

    def label(self, concept_id: str) -> str:
        concept = self.taxonomy.find(concept_id)
        return concept.label if concept else concept_id

    def explain(self, index: PeopleIndex, need: NeedSpec, row: int) -> dict[str, Any]:
        """Matched and missing skills and the Swedish reasons for one person; a matched
        skill says whether it is the person's own statement or validated."""
        matched: list[dict[str, Any]] = []
        missing: list[dict[str, Any]] = []
        for requirement, skills in (("must", need.must_skills), ("nice", need.nice_skills)):
            for skill in skills:
                item: dict[str, Any] = skill_item(self.taxonomy, skill, requirement)
                if index.has_skill(row, skill):
                    validated = index.is_validated(row, skill)
                    item.update(source=VALIDATED if validated else STATED, validated=validated)
                    matched.append(item)
                else:
                    missing.append(item)
        reasons = []
        must_have = len([m for m in matched if m["requirement"] == "must"])
        if need.must_skills:
            valid = len([m for m in matched if m["requirement"] == "must" and m["validated"]])
            reasons.append(f"Har {must_have} av {len(need.must_skills)} skall-krav"
                           + (f" ({valid} validerade)" if valid else
                              " (egen uppgift, inga validerade)" if must_have else ""))
        missing_must = [m["label"] for m in missing if m["requirement"] == "must"]
        if missing_must:
            reasons.append("Saknar: " + ", ".join(missing_must))
        if need.nice_skills:
            nice_have = len(matched) - must_have
            reasons.append(f"Har {nice_have} av {len(need.nice_skills)} meriterande kompetenser")
        reasons.append(self._experience(index, need, row))
        reasons.append(self._distance(index, need, row))
        reasons.append(self._availability(index, need, row))
        level = SWEDISH_LEVELS[int(index.swedish[row])]
        reasons.append(f"Svenska: {SWEDISH_LABELS.get(level, level)}")
        if need.driving_licence_id:
            reasons.append(f"Har körkort {self.licence_bits.label[need.driving_licence_id]}")
        edu = int(index.education[row])
        if edu >= 0:
            reasons.append(f"Utbildning: {EDUCATION_LABELS.get(edu, str(edu))}")
        return {"matched_skills": matched, "missing_skills": missing, "reasons": reasons}

    def _experience(self, index: PeopleIndex, need: NeedSpec, row: int) -> str:
        best: tuple[float, str, str, float] = (0.0, "", "", 0.0)
        for occupation, years in index.occupations_of_row(row):
            strength, kind = self.relations.affinity(need.occupation_id, occupation)
            if strength > best[0]:
                best = (strength, kind, occupation, years)
        strength, kind, occupation, years = best
        if strength <= 0:
            return "Ingen erfarenhet av yrket eller närliggande yrken"
        label, span = self.label(occupation), swedish_number(years)
        if kind == "same":
            return f"Har arbetat som {label} i {span} år"
        what = {
            "group": "samma yrkesgrupp",
            "substitute": "kan ersätta yrket enligt taxonomin",
            "skills": "liknande kompetenser",
        }[kind]
        return f"Erfarenhet som {label} ({span} år) – {what}"

    def _distance(self, index: PeopleIndex, need: NeedSpec, row: int) -> str:
        home = int(index.municipality[row])
        name = self.grid.names[home]
        km = float(self.grid.km[self.grid.row(need.municipality_code), home])
        if km < 1:
            return f"Bor i {name}, samma kommun som arbetsplatsen"
        text = f"Bor i {name}, {km:.0f} km från arbetsplatsen"
        if km > float(index.max_commute_km[row]):
            text += " (behöver flytta)"
        return text

    def _availability(self, index: PeopleIndex, need: NeedSpec, row: int) -> str:
        available = from_day_number(int(index.available[row]))
        if available is None or available <= need.start_date:
            start = max(available, need.start_date) if available else need.start_date
            return f"Kan börja {start.isoformat()}"
        late = (available - need.start_date).days
        return f"Kan börja {available.isoformat()} ({late} dagar efter önskad start)"
