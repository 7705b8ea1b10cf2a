"""A scenario's additional occupation needs, in the shape the education-gap report reads.

``headcount`` for (year, municipality, SSYK-4) is the increase of the median (P50)
headcount over the previous year — the number of people who must be trained or
recruited that year — for the kinds of job asked for: the establishment's direct jobs
(counted at the host municipality), indirect and induced jobs and the added welfare
staff (where they live). Decreases give no negative needs; they are left out.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lotsen.scenario.occupations import category_mixes
from lotsen.scenario.result import ScenarioResult

# Needs category → the metric whose P50 it scales.
SOURCES = {
    "direct": "direct_jobs",
    "indirect": "indirect_jobs",
    "induced": "induced_jobs",
    "preschool_staff_added": "preschool_staff_added",
    "teachers_added": "teachers_added",
    "elder_care_staff_added": "elder_care_staff_added",
    "health_care_staff_added": "health_care_staff_added",
}
ALL = tuple(SOURCES)


def scenario_needs(result: ScenarioResult,
                   sources: tuple[str, ...] = ALL) -> list[dict[str, Any]]:
    """Rows ``{year, municipality_code, ssyk4, headcount}``, one per positive need.

    ``sources`` restricts the kinds of job (keys of :data:`SOURCES`); rows of the same
    (year, municipality, occupation) from several kinds are added together.
    """
    unknown = sorted(set(sources) - set(SOURCES))
    if unknown:
        raise ValueError(f"unknown need sources {unknown}; use {list(SOURCES)}")
    mixes = category_mixes(result.scenario)
    totals: dict[tuple[int, str, str], float] = {}
    for source in sources:
        median = result.bands[SOURCES[source]][1]  # places x years
        growth = np.maximum(np.diff(median, axis=1, prepend=0.0), 0.0)
        for m, code in enumerate(result.region.codes):
            for y, year in enumerate(result.years):
                if growth[m, y] <= 0:
                    continue
                for ssyk4, share in mixes[source].items():
                    key = (year, code, ssyk4)
                    totals[key] = totals.get(key, 0.0) + growth[m, y] * share
    rounded = [(key, round(headcount, 2)) for key, headcount in sorted(totals.items())]
    return [{"year": year, "municipality_code": code, "ssyk4": ssyk4, "headcount": headcount}
            for (year, code, ssyk4), headcount in rounded if headcount > 0]
