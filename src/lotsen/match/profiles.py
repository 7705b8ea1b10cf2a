"""Skill profile of an occupation: which skills it takes, where that comes from, how strongly.

Four sources, each turned into a share between 0 and 1 and weighted:
the taxonomy's SSYK-4 → skill relations (0.4, present or not), the needs entered for
the occupation's group (0.3 × share of needs asking for it, must-haves counting
double), the programs leading to the group (0.15 × share teaching it) and the job
ads for it that enrichment tagged with skills (0.15 × share of ads).
This part is computed on read; a tenant's edits (add, remove, reweigh a skill, mark
it must-have by default) are an *overlay* stored as versions and applied last
(:func:`apply_edits`), so new ads and needs keep improving the computed part while
the lotsar's judgement stays on top of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from lotsen.match.relations import OccupationRelations
from lotsen.taxonomy.model import OCCUPATION, SSYK4, Taxonomy

SOURCE_WEIGHTS = {"taxonomy": 0.4, "needs": 0.3, "programs": 0.15, "ads": 0.15}
ORIGIN_LABELS = {"taxonomy": "taxonomi", "needs": "behov", "programs": "utbildningar",
                 "ads": "annonser"}


def _ad_skills(enrichment: Mapping[str, Any] | None) -> set[str]:
    found: set[str] = set()
    for item in (enrichment or {}).get("skills") or ():
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, Mapping) and item.get("concept_id"):
            found.add(str(item["concept_id"]))
    return found


def build_profile(
    taxonomy: Taxonomy,
    relations: OccupationRelations,
    occupation_id: str,
    needs: Sequence[Mapping[str, Any]] = (),
    programs: Sequence[Mapping[str, Any]] = (),
    ads: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """``ads`` are dicts with ``occupation_id``/``ssyk4`` and ``enrichment``."""
    concept = taxonomy.require(occupation_id, OCCUPATION, SSYK4)
    group = relations.group_id(concept.id)
    code = taxonomy.ssyk4(concept.id)

    def same_group(other: str | None) -> bool:
        return bool(other) and relations.group_id(str(other)) == group

    taxonomy_skills = relations.group_skills(concept.id)
    mine = [n for n in needs if same_group(n.get("occupation_id"))]
    must: Counter[str] = Counter(s for n in mine for s in n.get("must_skills") or ())
    nice: Counter[str] = Counter(s for n in mine for s in n.get("nice_skills") or ())
    leading = [p for p in programs if any(same_group(o) for o in p.get("occupations") or ())]
    taught: Counter[str] = Counter(s for p in leading for s in p.get("skills") or ())
    tagged = [
        a
        for a in ads
        if same_group(a.get("occupation_id")) or (code and a.get("ssyk4") == code.code)
    ]
    in_ads: Counter[str] = Counter(s for a in tagged for s in _ad_skills(a.get("enrichment")))
    skills = set(taxonomy_skills) | set(must) | set(nice) | set(taught) | set(in_ads)
    rows: list[dict[str, Any]] = []
    for skill in skills:
        shares = {
            "taxonomy": 1.0 if skill in taxonomy_skills else 0.0,
            "needs": (2 * must[skill] + nice[skill]) / (2 * len(mine)) if mine else 0.0,
            "programs": taught[skill] / len(leading) if leading else 0.0,
            "ads": in_ads[skill] / len(tagged) if tagged else 0.0,
        }
        found = taxonomy.find(skill)
        rows.append(
            {
                "concept_id": skill,
                "label": found.label if found else skill,
                "strength": round(sum(SOURCE_WEIGHTS[k] * v for k, v in shares.items()), 3),
                "origins": [
                    {"source": k, "label": ORIGIN_LABELS[k],
                     "strength": round(SOURCE_WEIGHTS[k] * v, 3)}
                    for k, v in shares.items() if v > 0
                ],
                "sources": {
                    "taxonomy": skill in taxonomy_skills,
                    "needs_must": must[skill],
                    "needs_nice": nice[skill],
                    "programs": taught[skill],
                    "ads": in_ads[skill],
                },
            }
        )
    rows.sort(key=lambda r: (-float(r["strength"]), str(r["label"])))
    return {
        "occupation": {**concept.as_dict(), "ssyk4": code.code if code else None},
        "counts": {
            "taxonomy_skills": len(taxonomy_skills),
            "needs": len(mine),
            "programs": len(leading),
            "ads": len(tagged),
        },
        "source_weights": SOURCE_WEIGHTS,
        "skills": rows,
        "editable": False,
    }
