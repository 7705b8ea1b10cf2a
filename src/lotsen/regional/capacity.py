"""Capacity plan: the training seats each year's gap asks for, against approved seats.

For an occupation and a year, the demand left after the people the allocation placed
must come out of programmes. A start of ``seats`` becomes ``seats × completion`` who
graduate and ``× placement`` who go on to work in the occupation, ``duration`` after
the start; so the year-``Y`` demand needs ``demand / (completion × placement)`` seats
starting by ``Y − duration``. Those seats are shared among the programmes leading to
the occupation in proportion to their approved seats (evenly when none have any), and
set against the seats each already has in that start year. A start year already past
is flagged: the first cohort cannot graduate in time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

WEEKS_PER_YEAR = 40  # a study year


@dataclass(frozen=True, slots=True)
class Rates:
    """Completion (1 − dropout) and placement in the occupation; ``sourced`` says
    whether the values come from a named source or are assumed defaults."""

    completion: float
    placement: float
    sourced: bool = False

    @property
    def yield_per_seat(self) -> float:
        return self.completion * self.placement


def study_years(weeks: int) -> int:
    return max(1, math.ceil(weeks / WEEKS_PER_YEAR))


def _approved(program: Mapping[str, Any], year: int) -> int:
    starts = [s for s in program.get("starts") or () if str(s)[:4] == str(year)]
    return int(program["seats"]) * len(starts)


def plan(
    demand: Sequence[Mapping[str, Any]],
    programs: Sequence[Mapping[str, Any]],
    ssyk4_of: Mapping[str, str],
    rates: Rates,
    today: date,
) -> list[dict[str, Any]]:
    """One row per (occupation, demand year, programme) — or with no programme, one row
    saying so. ``demand`` rows: ssyk4, label, year, demand, filled; ``ssyk4_of`` maps a
    programme's occupation ids to SSYK-4."""
    by_group: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for program in programs:
        for group in {ssyk4_of[o] for o in program.get("occupations") or () if o in ssyk4_of}:
            by_group[group].append(program)
    rows = []
    for item in demand:
        left = max(0, int(item["demand"]) - int(item["filled"]))
        if left == 0:
            continue
        seats_needed = left / rates.yield_per_seat
        offered = by_group.get(item["ssyk4"], [])
        base = {"ssyk4": item["ssyk4"], "label": item["label"], "year": item["year"],
                "to_train": left}
        if not offered:
            rows.append({**base, "program_id": None, "program": None, "provider": None,
                         "municipality_code": None, "duration_weeks": None, "start_year": None,
                         "approved_seats": 0, "seats_needed": math.ceil(seats_needed),
                         "shortfall": math.ceil(seats_needed), "first_graduates": None,
                         "too_late": None})
            continue
        weights = [float(p["seats"]) for p in offered]
        total = sum(weights) or float(len(offered))
        for program, weight in zip(offered, weights, strict=True):
            share = (weight or 1.0) / total
            years = study_years(int(program["duration_weeks"]))
            start_year = int(item["year"]) - years
            approved = _approved(program, start_year)
            needed = math.ceil(seats_needed * share)
            upcoming = sorted(str(s) for s in program.get("starts") or ()
                              if str(s) >= today.isoformat())
            first = (int(upcoming[0][:4]) + years) if upcoming else None
            # The earliest start still to come: the programme's next, or next year's.
            earliest = int(upcoming[0][:4]) if upcoming else today.year + 1
            rows.append({**base, "program_id": program.get("id"), "program": program["name"],
                         "provider": program.get("provider_name"), "form": program.get("form"),
                         "municipality_code": program["municipality_code"],
                         "duration_weeks": int(program["duration_weeks"]),
                         "start_year": start_year, "approved_seats": approved,
                         "seats_needed": needed, "shortfall": max(0, needed - approved),
                         "first_graduates": first, "too_late": start_year < earliest})
    return sorted(rows, key=lambda r: (-r["shortfall"], r["ssyk4"], r["year"],
                                       r["program"] or ""))
