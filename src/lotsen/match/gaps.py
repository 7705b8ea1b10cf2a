"""Education gaps: the demand left once available people and planned programs are counted.

Demand is every open need's headcount (plus extra needs from establishment
scenarios). From it we take (1) the people the region-wide allocation placed, then
(2) the seats of the programs that lead to the same SSYK-4 group — pooled across
the region, a start counting when it begins on or after today and its graduates
are out no later than ``GRACE_DAYS`` after the need's start, needs served in
start-date order. What remains is the gap, reported by occupation (SSYK-4),
skill, municipality and quarter, ranked largest first.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from lotsen.match.relations import OccupationRelations
from lotsen.taxonomy.model import SSYK4, Taxonomy
from lotsen.types import as_date

GRACE_DAYS = 180
NICE_SHARE = 0.5  # a nice-to-have skill weighs half a must-have in the skill view


def quarter(day: date) -> str:
    return f"{day.year}-K{(day.month - 1) // 3 + 1}"


def demand_rows(
    taxonomy: Taxonomy,
    needs: Sequence[Mapping[str, Any]],
    filled: Mapping[int, int],
    scenario: Sequence[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    rows = []
    for need in needs:
        group = taxonomy.ssyk4(need["occupation_id"])
        start = as_date(need["start_date"])
        got = int(filled.get(int(need["id"]), 0))
        rows.append(
            {
                "source": "need",
                "need_id": need["id"],
                "employer_name": need.get("employer_name"),
                "occupation_id": need["occupation_id"],
                "ssyk4": group.code if group else None,
                "ssyk4_label": group.label if group else need.get("title"),
                "municipality_code": need["municipality_code"],
                "sni": need.get("employer_sni"),
                "start_date": start,
                "quarter": quarter(start),
                "headcount": int(need["headcount"]),
                "filled": got,
                "remaining": max(0, int(need["headcount"]) - got),
                "must_skills": list(need.get("must_skills") or ()),
                "nice_skills": list(need.get("nice_skills") or ()),
            }
        )
    for i, extra in enumerate(scenario):
        group = taxonomy.by_code(SSYK4, str(extra["ssyk4"]))
        start = date(int(extra["year"]), 1, 1)
        rows.append(
            {
                # Extra demand is a scenario's, or replacement of those reaching 65.
                "source": extra.get("source", "scenario"),
                "need_id": None,
                "employer_name": extra.get("label") or f"Scenario {i + 1}",
                "occupation_id": group.id,
                "ssyk4": group.code,
                "ssyk4_label": group.label,
                "municipality_code": str(extra["municipality_code"]),
                "start_date": start,
                "quarter": quarter(start),
                "headcount": int(extra["headcount"]),
                "filled": 0,
                "remaining": int(extra["headcount"]),
                "must_skills": [],
                "nice_skills": [],
            }
        )
    return rows


def apply_program_seats(
    rows: list[dict[str, Any]],
    programs: Sequence[Mapping[str, Any]],
    relations: OccupationRelations,
    taxonomy: Taxonomy,
    as_of: date,
) -> dict[str, tuple[int, int]]:
    """Fill remaining demand from program seats; (programs, planned seats) per SSYK-4."""
    pools: dict[str, list[list[Any]]] = defaultdict(list)  # ssyk4 -> [[ready date, seats]]
    count: Counter[str] = Counter()
    for program in programs:
        groups = [taxonomy.ssyk4(o) for o in program.get("occupations") or ()]
        for group in {g.code for g in groups if g is not None and g.code}:
            count[group] += 1
            for start in program.get("starts") or ():
                begins = as_date(start)
                if begins >= as_of:
                    ready = begins + timedelta(weeks=int(program["duration_weeks"]))
                    pools[group].append([ready, int(program["seats"])])
    planned = {g: (count[g], sum(s for _, s in pools.get(g, []))) for g in count}
    for pool in pools.values():
        pool.sort(key=lambda x: x[0])
    for row in sorted(rows, key=lambda r: (r["start_date"], r["need_id"] or 0)):
        row["from_programs"] = 0
        left = row["remaining"]
        for entry in pools.get(row["ssyk4"] or "", []):
            if left == 0:
                break
            if entry[1] > 0 and entry[0] <= row["start_date"] + timedelta(days=GRACE_DAYS):
                take = min(left, entry[1])
                entry[1] -= take
                left -= take
                row["from_programs"] += take
        row["gap"] = left
    return planned


def summarise(
    taxonomy: Taxonomy,
    rows: list[dict[str, Any]],
    planned: Mapping[str, tuple[int, int]],
    upskilling: Counter[str],
) -> dict[str, Any]:
    """The gap by occupation, municipality, quarter and skill, each ranked."""

    def total(key: Any) -> list[dict[str, Any]]:
        acc: dict[Any, dict[str, Any]] = {}
        for row in rows:
            k = key(row)
            item = acc.setdefault(
                k, {"demand": 0, "filled": 0, "from_programs": 0, "gap": 0, "needs": 0}
            )
            item["demand"] += row["headcount"]
            item["filled"] += row["filled"]
            item["from_programs"] += row["from_programs"]
            item["gap"] += row["gap"]
            item["needs"] += 1
        return [{"key": k, **v} for k, v in sorted(acc.items(), key=lambda kv: -kv[1]["gap"])]

    occupations = []
    for item in total(lambda r: (r["ssyk4"], r["ssyk4_label"])):
        code, label = item.pop("key")
        programs, seats = planned.get(code or "", (0, 0))
        occupations.append(
            {
                "ssyk4": code,
                "label": label,
                "programs_in_region": programs,
                "no_program_in_region": programs == 0,
                "planned_seats": seats,
                **item,
            }
        )
    municipalities = []
    for item in total(lambda r: r["municipality_code"]):
        code = item.pop("key")
        municipalities.append({"municipality_code": code, **item})
    quarters = sorted(
        ({"quarter": item.pop("key"), **item} for item in total(lambda r: r["quarter"])),
        key=lambda q: q["quarter"],
    )
    skill_gap: Counter[str] = Counter()
    for row in rows:
        for skill in row["must_skills"]:
            skill_gap[skill] += row["gap"]
        for skill in row["nice_skills"]:
            skill_gap[skill] += row["gap"] * NICE_SHARE
    skills: list[dict[str, Any]] = []
    for skill in set(skill_gap) | set(upskilling):
        if skill_gap[skill] <= 0 and upskilling[skill] <= 0:
            continue
        found = taxonomy.find(skill)
        skills.append(
            {
                "concept_id": skill,
                "label": found.label if found else skill,
                "gap_weight": round(skill_gap[skill], 1),
                "missing_among_placed": upskilling[skill],
            }
        )
    skills.sort(key=lambda s: (-s["gap_weight"], -s["missing_among_placed"], s["label"]))
    detail = sorted(
        (
            {
                "ssyk4": r["ssyk4"],
                "label": r["ssyk4_label"],
                "municipality_code": r["municipality_code"],
                "quarter": r["quarter"],
                "source": r["source"],
                "need_id": r["need_id"],
                "employer_name": r["employer_name"],
                "demand": r["headcount"],
                "filled": r["filled"],
                "from_programs": r["from_programs"],
                "gap": r["gap"],
                "one_validation_away": r.get("one_validation_away", 0),
            }
            for r in rows
            if r["gap"] > 0
        ),
        key=lambda d: (-d["gap"], d["ssyk4"] or "", d["municipality_code"], d["quarter"]),
    )
    return {
        "totals": {
            "demand": sum(r["headcount"] for r in rows),
            "filled": sum(r["filled"] for r in rows),
            "from_programs": sum(r["from_programs"] for r in rows),
            "gap": sum(r["gap"] for r in rows),
        },
        "by_occupation": occupations,
        "by_municipality": municipalities,
        "by_quarter": quarters,
        "by_skill": skills,
        "rows": detail,
    }
