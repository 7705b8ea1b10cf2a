"""What a scenario is: the validated content of a scenario file.

The allowed keys of the file are declared once in :data:`KEYS`; the parser checks a file
against it (unknown keys are errors) and ``docs/scenarios.md`` documents the same tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from lotsen.scenario.ranges import Range

# Leaf kinds: text, code, year, series, mix, codes, code-shares, code-numbers, regions,
# positive (a number > 0), range (number or {low, mode, high} >= 0), share-range (in [0, 1]).
KEYS: dict[str, object] = {
    "name": "text",
    "description": "text",
    "municipality": "code",
    "industry": "text",
    "years": {"start": "year", "end": "year"},
    "direct_jobs": "series",
    "occupation_mix": "mix",
    "realisation": "range",
    "local_hire_share": "share-range",
    "local_hire_share_spinoff": "share-range",
    "commuter_share": "share-range",
    "construction": {"workers": "series", "commuter_share": "share-range",
                     "registered_share": "share-range"},
    "commuting": {"area": "codes", "shares": "code-shares", "radius_km": "positive",
                  "distance_decay_km": "positive"},
    "multipliers": {"indirect": "range", "induced": "range"},
    "households": {"workers_per_household": "range", "adults_per_household": "range",
                   "children_per_household": "range", "departure_share": "share-range",
                   "arrival_lag_years": "range"},
    "ramp": {"delay_years": "range"},
    "closure": {"year": "year", "probability": "share-range", "remaining_share": "share-range",
                "staff_leave": "share-range", "staff_move": "share-range"},
    "vacancy_chain": {"employed_share": "share-range", "same_occupation_share": "share-range"},
    "welfare": {"preschool_coverage": "share-range", "children_per_preschool_staff": "range",
                "pupils_per_teacher": "range", "elder_care_staff_per_80plus": "range",
                "health_care_staff_per_1000": "range", "persons_per_dwelling": "range"},
    "demography": {"fit_years": {"start": "year", "end": "year"},
                   "fertility_factor": "positive", "mortality_factor": "positive"},
    "population": "code-numbers",
    "regions": "regions",
}
REQUIRED = ("name", "municipality", "years", "direct_jobs")
REGION_KEYS = ("name", "population", "distance_km")
# Parameters that must stay above zero because the model divides by them.
DIVISORS = frozenset({
    "households.workers_per_household", "welfare.children_per_preschool_staff",
    "welfare.pupils_per_teacher", "welfare.persons_per_dwelling",
})


@dataclass(frozen=True, slots=True)
class CustomRegion:
    """A place outside the Swedish municipality list (e.g. a Nevada county for a back-test)."""

    code: str
    name: str
    population: float
    distance_km: float | None = None


@dataclass(frozen=True)
class Scenario:
    """One establishment and its region, every parameter resolved to a range."""

    name: str
    municipality: str
    start: int
    end: int
    direct_jobs: dict[int, float]
    industry: str
    occupation_mix: dict[str, float]
    parameters: dict[str, Range]
    area: tuple[str, ...]
    construction_workers: dict[int, float] = field(default_factory=dict)
    occupation_template: str | None = None
    area_shares: dict[str, float] | None = None
    radius_km: float | None = None
    distance_decay_km: float = 30.0
    fertility_factor: float = 1.0
    mortality_factor: float = 1.0
    fit_years: tuple[int, int] | None = None
    closure_year: int | None = None
    population: dict[str, float] = field(default_factory=dict)
    regions: dict[str, CustomRegion] = field(default_factory=dict)
    overridden: frozenset[str] = frozenset()
    # name -> the citation the file records for a value it sets (``source = "..."``)
    cited: dict[str, str] = field(default_factory=dict)
    description: str = ""
    source: str | None = None

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))

    def direct_series(self) -> NDArray[np.float64]:
        return ramp(self.direct_jobs, self.start, self.end)

    def construction_series(self) -> NDArray[np.float64]:
        return ramp(self.construction_workers, self.start, self.end, hold=False)

    def with_parameters(self, **values: Range) -> Scenario:
        """A copy with some parameters replaced (names with dots: pass via ``**{...}``)."""
        from dataclasses import replace

        merged = {**self.parameters, **values}
        # a replaced value no longer carries the citation the file gave the old one
        cited = {k: v for k, v in self.cited.items() if k not in values}
        return replace(self, parameters=merged, overridden=self.overridden | set(values),
                       cited=cited)


def ramp(points: dict[int, float], start: int, end: int, hold: bool = True) -> NDArray[np.float64]:
    """Yearly values from the listed years.

    Before the first listed year: 0. Between listed years: linear interpolation. After
    the last: the last value if ``hold`` (jobs stay), else 0 (a construction site closes).
    """
    years = np.arange(start, end + 1, dtype=np.float64)
    if not points:
        return np.zeros_like(years)
    xs = np.array(sorted(points), dtype=np.float64)
    ys = np.array([points[int(x)] for x in xs], dtype=np.float64)
    values = np.interp(years, xs, ys, left=0.0, right=ys[-1] if hold else 0.0)
    values[years < xs[0]] = 0.0
    result: NDArray[np.float64] = values
    return result
