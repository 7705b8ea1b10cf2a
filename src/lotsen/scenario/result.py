"""The result of a scenario run: P10/P50/P90 bands per year and place, and what they rest on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lotsen.scenario.metrics import METRICS
from lotsen.scenario.projection import FloatArray
from lotsen.scenario.region import Region
from lotsen.scenario.schema import Scenario
from lotsen.scenario.values import PERCENTILES

BAND_KEYS = ("p10", "p50", "p90")


def _round(values: FloatArray, digits: int = 1) -> list[Any]:
    rounded: list[Any] = np.round(values, digits).tolist()
    return rounded


@dataclass
class ScenarioResult:
    """Bands are arrays (3 = P10/P50/P90, places, years) per metric; ``area`` (3, years)."""

    scenario: Scenario
    region: Region
    runs: int
    seed: int | None
    method: str
    bands: dict[str, FloatArray]
    area: dict[str, FloatArray]
    occupations: list[dict[str, Any]]
    vacancy_chain: dict[str, Any]
    sensitivity: list[dict[str, Any]]
    assumptions: dict[str, Any]
    sources: list[dict[str, Any]]
    samples: dict[str, FloatArray] | None = None
    timing: dict[str, float] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return self.scenario.years

    def band(self, metric: str, code: str | None = None) -> FloatArray:
        """(3, years) band of ``metric`` for one place, or for the whole area."""
        if code is None:
            return self.area[metric]
        return self.bands[metric][:, self.region.codes.index(code), :]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable document: rows per year x place, plus area totals."""
        years = self.years
        rows = []
        for m, place in enumerate(self.region.places):
            for y, year in enumerate(years):
                rows.append({
                    "year": year, "municipality_code": place.code,
                    "municipality_name": place.name,
                    "metrics": {name: dict(zip(BAND_KEYS, _round(b[:, m, y]), strict=True))
                                for name, b in self.bands.items()},
                })
        area = [{"year": year,
                 "metrics": {name: dict(zip(BAND_KEYS, _round(b[:, y]), strict=True))
                             for name, b in self.area.items()}}
                for y, year in enumerate(years)]
        return {
            "scenario": {
                "name": self.scenario.name, "description": self.scenario.description,
                "file": self.scenario.source, "municipality_code": self.scenario.municipality,
                "years": {"start": self.scenario.start, "end": self.scenario.end},
                "industry": self.scenario.industry,
                "occupation_template": self.scenario.occupation_template,
            },
            "run": {"runs": self.runs, "seed": self.seed, "method": self.method,
                    "percentiles": list(PERCENTILES), "base_year": self.region.base_year},
            "municipalities": [
                {"code": p.code, "name": p.name, "host": p.host,
                 "commuting_share": round(p.share, 4),
                 "distance_km": None if p.distance_km is None else round(p.distance_km, 1),
                 "start_population": round(float(p.population.sum())),
                 "population_source": p.population_source}
                for p in self.region.places
            ],
            "metrics": {name: METRICS[name].as_dict() for name in self.bands},
            "rows": rows,
            "area": area,
            "occupations": self.occupations,
            "vacancy_chain": self.vacancy_chain,
            "sensitivity": self.sensitivity,
            "assumptions": self.assumptions,
            "sources": self.sources,
            "warnings": list(self.region.warnings),
        }

    def summary_rows(self, metrics: tuple[str, ...]) -> list[dict[str, Any]]:
        """Area P50 (P10–P90) per year for a short table."""
        out = []
        for y, year in enumerate(self.years):
            row: dict[str, Any] = {"year": year}
            for name in metrics:
                lo, mid, hi = self.area[name][:, y]
                row[name] = f"{mid:,.0f}" if np.isclose(lo, hi) else \
                    f"{mid:,.0f} ({lo:,.0f}–{hi:,.0f})"
            out.append(row)
        return out
