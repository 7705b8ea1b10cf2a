"""A program proposal for an education gap, to take to an employer and a provider.

Form heuristic (documented in docs/performance.md § Matching too):
SSYK major group 2 (professions needing a degree) → university; 1 and 3 (managers,
technicians) → YH; 4–9 → AUB (labour-market training, short) when the occupation is
in the taxonomy's collection without educational requirements or at most six
skills need teaching, otherwise Komvux (vocational adult education).
Cohort: the gap, between 8 and 30 per group; more than 30 → several cohorts.
Providers: the region's providers already running programs in the same SSYK-2
area (e.g. 71 building trades for roofers), else the same SSYK-1 area.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from lotsen.match.relations import OccupationRelations
from lotsen.taxonomy.model import SSYK4, Taxonomy

MIN_COHORT, MAX_COHORT = 8, 30
SKILLS_TO_TEACH = 8
SHORT_COURSE_SKILLS = 6
WEEKS = {"AUB": 12, "Komvux": 30, "YH": 40, "university": 120}


def program_form(ssyk4: str, skills: int, open_occupation: bool) -> str:
    major = ssyk4[:1]
    if major == "2":
        return "university"
    if major in ("1", "3"):
        return "YH"
    return "AUB" if open_occupation or skills <= SHORT_COURSE_SKILLS else "Komvux"


def propose(
    taxonomy: Taxonomy,
    relations: OccupationRelations,
    gap: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    programs: Sequence[Mapping[str, Any]],
    open_occupations: set[str],
) -> dict[str, Any]:
    """``gap`` is one ``by_occupation`` entry; ``rows`` the demand rows of the report."""
    code = str(gap["ssyk4"])
    mine = [r for r in rows if r["ssyk4"] == code and r["gap"] > 0]
    wanted: Counter[str] = Counter()
    for row in mine:
        for skill in row["must_skills"]:
            wanted[skill] += 2 * row["gap"]
        for skill in row["nice_skills"]:
            wanted[skill] += row["gap"]
    group = taxonomy.by_code(SSYK4, code)
    if len(wanted) < SKILLS_TO_TEACH:  # scenario demand names no skills: use the taxonomy
        for concept in sorted(relations.group_skills(group.id)):
            wanted.setdefault(concept, 0)
    teach = [s for s, _ in sorted(wanted.items(), key=lambda kv: (-kv[1], kv[0]))]
    teach = teach[:SKILLS_TO_TEACH]
    is_open = any(relations.group_id(o) == group.id for o in open_occupations)
    form = program_form(code, len(teach), is_open)
    size = int(gap["gap"])
    cohort = max(MIN_COHORT, min(MAX_COHORT, size))
    existing = []
    providers: dict[str, dict[str, Any]] = {}
    for program in programs:
        codes = [taxonomy.ssyk4(o) for o in program.get("occupations") or ()]
        codes_str = {c.code for c in codes if c is not None and c.code}
        if code in codes_str:
            existing.append(program["name"])
        for level in (4, 2, 1):
            if any(c[:level] == code[:level] for c in codes_str):
                entry = providers.setdefault(
                    str(program.get("provider_name")),
                    {
                        "name": program.get("provider_name"),
                        "provider_id": program.get("provider_id"),
                        "municipality_code": program["municipality_code"],
                        "area": f"SSYK {code[:level]}",
                        "level": level,
                        "programs": [],
                    },
                )
                entry["level"] = max(entry["level"], level)
                entry["area"] = f"SSYK {code[: entry['level']]}"
                entry["programs"].append(program["name"])
                break
    suitable = sorted(providers.values(), key=lambda p: (-p["level"], str(p["name"])))
    best_level = suitable[0]["level"] if suitable else 0
    # Weighted by the gap, never one element per person (a gap can be any size).
    employers: Counter[str] = Counter()
    for r in mine:
        employers[str(r["employer_name"])] += int(r["gap"])
    return {
        "ssyk4": code,
        "label": group.label,
        "gap": size,
        "skills_to_teach": [
            {"concept_id": s, "label": taxonomy.get(s).label, "weight": wanted[s]} for s in teach
        ],
        "cohort_size": cohort,
        "cohorts": -(-size // MAX_COHORT) if size > MAX_COHORT else 1,
        "form": form,
        "duration_weeks": WEEKS[form],
        "existing_programs": sorted(set(existing)),
        "no_program_in_region": not existing,
        "providers": [p for p in suitable if p["level"] == best_level][:5],
        "employers": [{"name": n, "gap": g} for n, g in employers.most_common(5)],
        "municipalities": sorted({r["municipality_code"] for r in mine}),
    }
