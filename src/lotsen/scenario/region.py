"""The scenario's region: its places, their start populations, rates and commuting shares.

The *commuting share* of a place is the share of the establishment's workforce (and of
the in-migrant households) that lives there. It is taken from the scenario file, or
derived from distance: ``share ∝ population x exp(-distance / decay)`` between area
centroids, with the host at distance 0 (decay 30 km by default, an assumption).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lotsen.errors import InvalidInput
from lotsen.scenario.demography import (
    Fit,
    default_profile,
    default_window,
    fitted,
    has_age_data,
    pooled,
    rates_from,
)
from lotsen.scenario.projection import FloatArray, Rates
from lotsen.scenario.regional_data import (
    FIRST_YEAR,
    LAST_YEAR,
    distance_km,
    locality_estimate,
    municipalities,
    observed,
)
from lotsen.scenario.schema import Scenario


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    host: bool
    distance_km: float | None
    share: float
    population: FloatArray  # (2, 101) on 31 Dec of the base year
    population_source: str
    fit: Fit


@dataclass(frozen=True)
class Region:
    places: tuple[Place, ...]
    base_year: int
    share_method: str
    rates: Rates  # stacked: leading axis = place
    warnings: list[str] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.places]

    @property
    def shares(self) -> FloatArray:
        return np.array([p.share for p in self.places])


def base_year(scenario: Scenario) -> int:
    """The last year of observed population the projection starts from (31 Dec)."""
    year = min(scenario.start - 1, LAST_YEAR)
    if year < FIRST_YEAR:
        raise InvalidInput(f"the scenario starts in {scenario.start}; the shipped population "
                           f"data begin in {FIRST_YEAR}, so start in {FIRST_YEAR + 1} or later")
    return year


def _start_population(scenario: Scenario, code: str, year: int,
                      warnings: list[str]) -> tuple[FloatArray, str, Fit]:
    window = scenario.fit_years or default_window(year)
    override = scenario.population.get(code)
    if has_age_data(code):
        population = observed(code, year)
        assert population is not None
        source = f"SCB population by age and sex, 31 Dec {year}"
        if override is not None:
            population = population * (override / population.sum())
            source += f", scaled to {override:,.0f} (scenario file)"
        fit = fitted(code, window)
        return population, source, fit
    profile = default_profile(year)
    fit = pooled(window)
    if override is not None:
        return profile * override, f"{override:,.0f} (scenario file) x default age profile", fit
    if code in scenario.regions:
        total = scenario.regions[code].population
        return profile * total, f"{total:,.0f} (scenario file, custom region) x default age " \
                                "profile", fit
    estimate = locality_estimate(code)
    name = municipalities()[code].name
    if estimate is None:
        raise InvalidInput(
            f"no population is shipped for {code} {name} (its town belongs to a neighbour's "
            f"urban locality); give it in the scenario file: [population] \"{code}\" = TOTAL")
    if municipalities()[code].county_code == "01" or code in ("1480", "1481", "1280"):
        warnings.append(f"{code} {name}: population estimated from urban localities, which "
                        "split badly in metropolitan areas; set [population] to be sure")
    return (profile * estimate,
            f"2020 urban-locality population {estimate * 0.8756:,.0f} / 0.876 = "
            f"{estimate:,.0f} x default age profile (assumption)", fit)


def _name(scenario: Scenario, code: str) -> str:
    if code in scenario.regions:
        return scenario.regions[code].name
    return municipalities()[code].name


def _distance(scenario: Scenario, code: str) -> float | None:
    if code == scenario.municipality:
        return 0.0
    if code in scenario.regions or scenario.municipality in scenario.regions:
        region = scenario.regions.get(code)
        return None if region is None else region.distance_km
    return distance_km(scenario.municipality, code)


def _area_codes(scenario: Scenario) -> list[str]:
    codes = list(scenario.area)
    if scenario.radius_km is not None and scenario.municipality not in scenario.regions:
        for code in sorted(municipalities()):
            if code not in codes and distance_km(scenario.municipality, code) <= \
                    scenario.radius_km:
                codes.append(code)
    return codes


def build_region(scenario: Scenario) -> Region:
    """Resolve places, start populations, rates and commuting shares of ``scenario``."""
    year = base_year(scenario)
    warnings: list[str] = []
    codes = _area_codes(scenario)
    starts = {code: _start_population(scenario, code, year, warnings) for code in codes}
    distances = {code: _distance(scenario, code) for code in codes}
    if scenario.area_shares is not None:
        shares = dict(scenario.area_shares)
        method = "scenario file"
    else:
        missing = [c for c in codes if distances[c] is None]
        if missing:
            raise InvalidInput(f"no distance for {', '.join(missing)}: give distance_km under "
                               "[regions] or shares under [commuting]")
        weights = {c: float(starts[c][0].sum()) * float(np.exp(-(distances[c] or 0.0)
                                                               / scenario.distance_decay_km))
                   for c in codes}
        total = sum(weights.values())
        shares = {c: w / total for c, w in weights.items()}
        method = (f"population x exp(-distance / {scenario.distance_decay_km:g} km) between "
                  "area centroids (assumption)")
    places = tuple(
        Place(code, _name(scenario, code), code == scenario.municipality, distances[code],
              shares[code], *starts[code])
        for code in codes
    )
    each = [rates_from(p.fit, scenario.fertility_factor, scenario.mortality_factor)
            for p in places]
    stacked = Rates(
        death=np.stack([r.death for r in each]),
        fertility=np.stack([r.fertility for r in each]),
        infant_death=each[0].infant_death, boys_share=each[0].boys_share,
        net_migration=np.stack([r.net_migration for r in each]),
        improvement=np.stack([np.asarray(r.improvement) for r in each]),
        fertility_path=np.stack([r.fertility_path for r in each if r.fertility_path is not None],
                                axis=1),
    )
    return Region(places, year, method, stacked, warnings)
