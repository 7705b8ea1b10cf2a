"""Vacancy chains: the jobs a big hirer's recruits leave behind at other employers.

Assumptions, stated with every result:
* a share ``outside_share`` of the hires come from outside the local labour market's
  jobs (job seekers, graduates, people moving in) and leave no vacancy here;
* the rest come from the hired occupation itself (other employers' staff) and from the
  occupations nearest to it — the taxonomy's substitutability and the SSYK-4 groups'
  skill overlap, as on the transitions page (``TransitionFinder``) — each in proportion
  to ``closeness × employed in the county`` (SCB, 2024);
* each vacancy left behind is refilled the same way in the next step.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from lotsen.match.transitions import TransitionFinder

OUTSIDE_SHARE = 0.3  # assumed: not measured in Lotsen's data
NEAREST = 6  # occupations besides the hired one that can supply a step


def _sources(finder: TransitionFinder, occupation_id: str,
             employed: Mapping[str, int]) -> list[dict[str, Any]]:
    """Where a hire in ``occupation_id`` comes from: (occupation, closeness, pull)."""
    own = finder.taxonomy.ssyk4(occupation_id)
    out: list[dict[str, Any]] = []
    if own is not None and own.code:
        out.append({"concept_id": own.id, "label": own.label, "ssyk4": own.code,
                    "closeness": 1.0, "via": "samma yrke hos andra arbetsgivare"})
    for item in finder.nearest(occupation_id, limit=NEAREST)["results"]:
        if item["ssyk4"] and item["ssyk4"] != (own.code if own else None):
            via = (f"utbytbarhet {item['substitutability']:.0f} %"
                   if item["substitutability"] else
                   f"kompetensöverlapp {100 * item['skill_overlap']:.0f} %")
            out.append({"concept_id": item["concept_id"], "label": item["preferred_label"],
                        "ssyk4": item["ssyk4"], "closeness": item["score"], "via": via})
    for item in out:
        item["pull"] = float(item["closeness"]) * employed.get(str(item["ssyk4"]), 0)
    return [item for item in out if float(item["pull"]) > 0]


def chain(finder: TransitionFinder, hires: Mapping[str, float], employed: Mapping[str, int],
          steps: int = 2, outside_share: float = OUTSIDE_SHARE) -> list[dict[str, Any]]:
    """Per step, the vacancies left per SSYK-4 group, with where they came from.
    ``hires``: occupation id -> number hired in step 0."""
    out = []
    wave = dict(hires)
    for step in range(1, steps + 1):
        left: dict[str, dict[str, Any]] = {}
        for occupation_id, count in wave.items():
            local = count * (1 - outside_share)
            sources = _sources(finder, occupation_id, employed)
            total = sum(s["pull"] for s in sources)
            for s in sources:
                moved = local * s["pull"] / total if total else 0.0
                item = left.setdefault(s["ssyk4"], {
                    "ssyk4": s["ssyk4"], "label": s["label"], "concept_id": s["concept_id"],
                    "vacancies": 0.0, "employed": employed.get(s["ssyk4"], 0),
                    "from": defaultdict(float), "via": s["via"]})
                item["vacancies"] += moved
                item["from"][occupation_id] += moved
        rows = sorted(left.values(), key=lambda r: -r["vacancies"])
        out.append({"step": step, "vacancies": round(sum(r["vacancies"] for r in rows), 1),
                    "occupations": [{**r, "vacancies": round(r["vacancies"], 1),
                                     "from": {k: round(v, 1) for k, v in r["from"].items()}}
                                    for r in rows if r["vacancies"] >= 0.5]})
        wave = {r["concept_id"]: r["vacancies"] for r in rows if r["vacancies"] >= 0.5}
    return out
