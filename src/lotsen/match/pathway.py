"""Need → pathway: which programs close a person's missing skills, and in what order.

Greedy weighted set cover over the region's programs, run while a must-have skill
is missing (a program is proposed only if it closes one): must-haves count twice,
nice-to-haves once, divided by a cost that grows with the program's length,
so a two-week truck course that closes one gap beats a two-year degree that
closes the same gap. Programs within the person's commuting limit (or at a
distance) come first; a farther one is only proposed for a skill nothing nearer
teaches. A skill counts as held when the person states it or had it validated
(``match/validation.py``); the plan lists the need's held skills with that source.
Someone whose Swedish is below what the need or a chosen program asks
for starts with SFI. Steps run one after another from the earliest start date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from lotsen.match.explain import skill_item
from lotsen.match.geo import MunicipalityGrid
from lotsen.match.levels import SWEDISH_LABELS, swedish_rank
from lotsen.match.need import NeedSpec
from lotsen.match.validation import held_skills, latest_by_skill, source_of
from lotsen.taxonomy.model import Taxonomy
from lotsen.types import SWEDISH_LEVELS

SFI = "SFI"
SFI_TOP = swedish_rank("sfi_d")
SFI_COURSES = 4  # A, B, C, D: a program's duration covers all four
MUST_WEIGHT, NICE_WEIGHT = 2.0, 1.0


def earliest_start(starts: Sequence[str], after: date) -> date | None:
    days = sorted(date.fromisoformat(s) for s in starts)
    return next((d for d in days if d >= after), None)


class PathwayPlanner:
    def __init__(self, taxonomy: Taxonomy, grid: MunicipalityGrid) -> None:
        self.taxonomy = taxonomy
        self.grid = grid

    def _place(self, person: Mapping[str, Any], program: Mapping[str, Any]) -> tuple[float, bool]:
        km = self.grid.distance(person["municipality_code"], program["municipality_code"])
        limit = float(person.get("max_commute_km") or 50.0)
        return km, bool(program.get("distance_learning")) or km <= limit

    def plan(
        self,
        person: Mapping[str, Any],
        need: NeedSpec,
        programs: Sequence[Mapping[str, Any]],
        as_of: date,
    ) -> dict[str, Any]:
        have = held_skills(person)
        weight = {s: MUST_WEIGHT for s in need.must_skills if s not in have}
        weight.update({s: NICE_WEIGHT for s in need.nice_skills if s not in have})
        level = swedish_rank(person.get("swedish_level") or "native")
        steps: list[dict[str, Any]] = []
        cursor = as_of
        sfi: dict[str, Any] | None = None
        wanted = swedish_rank(need.min_swedish_level)
        if level < wanted:
            sfi = self._sfi_step(person, programs, level, wanted, as_of)
        chosen, open_skills = self._choose(person, programs, weight, _end(sfi, as_of))
        required = max([0] + [swedish_rank(p.get("min_swedish_level")) for p, *_ in chosen])
        if level < required and (sfi is None or wanted < required):
            # A chosen program asks for more Swedish than the need: plan SFI first, again.
            sfi = self._sfi_step(person, programs, level, max(required, wanted), as_of)
            chosen, open_skills = self._choose(person, programs, weight, _end(sfi, as_of))
        if sfi is not None:
            steps.append(sfi)
            cursor = _end(sfi, as_of)
        for program, teaches, km, reachable in chosen:
            step = self._step(program, km, reachable, cursor)
            step["teaches"] = [skill_item(self.taxonomy, s, _req(need, s)) for s in teaches]
            step["why"] = f"Lär ut {len(teaches)} av {len(weight)} saknade kompetenser" + (
                "" if reachable else " (längre bort än personens pendlingsgräns)"
            )
            if step["start"] is None:
                step["why"] += "; ingen planerad start efter föregående steg – fråga anordnaren"
            steps.append(step)
            cursor = _end(step, cursor)
        for i, step in enumerate(steps, start=1):
            step["order"] = i
        missing = [skill_item(self.taxonomy, s, _req(need, s)) for s in weight]
        validations = latest_by_skill(person.get("validations") or ())
        held = []
        for skill in (*need.must_skills, *need.nice_skills):
            if skill in have:
                found = validations.get(skill)
                where = self.taxonomy.find(found["occupation_id"]) if found else None
                held.append({**skill_item(self.taxonomy, skill, _req(need, skill)),
                             **source_of(found, where.label if where else
                                         (found or {}).get("occupation_id", ""))})
        uncovered = [
            m for m in missing if m["concept_id"] in open_skills and m["requirement"] == "must"
        ]
        return {
            "person_id": person.get("id"),
            "pseudonym": person.get("pseudonym"),
            "need_id": need.need_id,
            "missing_skills": missing,
            "held_skills": held,
            "steps": steps,
            "uncovered_skills": uncovered,
            "ready_date": cursor.isoformat() if steps else as_of.isoformat(),
            "summary": _summary(steps, missing, uncovered, cursor),
        }

    def _choose(
        self,
        person: Mapping[str, Any],
        programs: Sequence[Mapping[str, Any]],
        weight: Mapping[str, float],
        after: date,
    ) -> tuple[list[tuple[Mapping[str, Any], list[str], float, bool]], set[str]]:
        """Greedy set cover, each pick starting after the previous one ends."""
        open_skills = set(weight)
        chosen: list[tuple[Mapping[str, Any], list[str], float, bool]] = []
        candidates = [p for p in programs if p["form"] != SFI and set(p["skills"]) & open_skills]
        cursor = after
        # Only gaps in must-have skills are worth a program; nice-to-haves ride along.
        while any(weight[s] == MUST_WEIGHT for s in open_skills):
            best: tuple[tuple[float, ...], Mapping[str, Any], list[str], float, bool] | None = None
            for program in candidates:
                teaches = sorted(open_skills & set(program["skills"]))
                if not any(weight[s] == MUST_WEIGHT for s in teaches):
                    continue
                km, reachable = self._place(person, program)
                value = sum(weight[s] for s in teaches) / (1 + program["duration_weeks"] / 52)
                start = earliest_start(program["starts"], cursor)
                key = (
                    float(reachable),
                    float(start is not None),
                    value,
                    -(start or date.max).toordinal(),
                    -float(program.get("id") or 0),
                )
                if best is None or key > best[0]:
                    best = (key, program, teaches, km, reachable)
            if best is None:
                break
            _, program, teaches, km, reachable = best
            chosen.append((program, teaches, km, reachable))
            open_skills -= set(teaches)
            start = earliest_start(program["starts"], cursor)
            if start is not None:
                cursor = start + timedelta(weeks=int(program["duration_weeks"]))
        return chosen, open_skills

    def _step(
        self, program: Mapping[str, Any], km: float, reachable: bool, after: date
    ) -> dict[str, Any]:
        start = earliest_start(program["starts"], after)
        weeks = int(program["duration_weeks"])
        return {
            "program_id": program.get("id"),
            "name": program["name"],
            "form": program["form"],
            "provider_name": program.get("provider_name"),
            "municipality_code": program["municipality_code"],
            "municipality": self.grid.name(program["municipality_code"]),
            "distance_km": round(km, 1),
            "distance_learning": bool(program.get("distance_learning")),
            "within_commute": reachable,
            "start": start.isoformat() if start else None,
            "end": (start + timedelta(weeks=weeks)).isoformat() if start else None,
            "duration_weeks": weeks,
            "seats": program.get("seats"),
            "min_swedish_level": program.get("min_swedish_level"),
            "teaches": [],
        }

    def _sfi_step(
        self,
        person: Mapping[str, Any],
        programs: Sequence[Mapping[str, Any]],
        level: int,
        required: int,
        after: date,
    ) -> dict[str, Any] | None:
        options = [p for p in programs if p["form"] == SFI]
        if not options:
            return None
        nearest = min(options, key=lambda p: (self._place(person, p)[0], p.get("id") or 0))
        km, reachable = self._place(person, nearest)
        step = self._step(nearest, km, reachable, after)
        # SFI runs as courses A–D; someone at C needs only D, a quarter of the time.
        courses = max(1, min(required, SFI_TOP) - level)
        step["duration_weeks"] = -(-int(nearest["duration_weeks"]) * courses // SFI_COURSES)
        if step["start"]:
            end = date.fromisoformat(step["start"]) + timedelta(weeks=step["duration_weeks"])
            step["end"] = end.isoformat()
        target = min(required, SFI_TOP)
        step["why"] = (
            f"Svenska först: från {SWEDISH_LABELS[SWEDISH_LEVELS[level]]} "
            f"till {SWEDISH_LABELS[SWEDISH_LEVELS[target]]}"
        )
        return step


def _end(step: Mapping[str, Any] | None, default: date) -> date:
    if step is None or not step.get("end"):
        return default
    return date.fromisoformat(step["end"])


def _req(need: NeedSpec, skill: str) -> str:
    return "must" if skill in need.must_skills else "nice"


def _summary(
    steps: list[dict[str, Any]],
    missing: list[dict[str, str]],
    uncovered: list[dict[str, str]],
    ready: date,
) -> str:
    if not uncovered and not steps:
        return "Har alla skall-krav – ingen utbildning behövs."
    parts = []
    if steps:
        names = " → ".join(f"{s['name']} ({s['form']})" for s in steps)
        parts.append(f"{len(steps)} steg: {names}. Klar tidigast {ready.isoformat()}.")
    if uncovered:
        labels = ", ".join(u["label"] for u in uncovered)
        parts.append(f"Ingen utbildning i regionen lär ut: {labels}.")
    return " ".join(parts)
