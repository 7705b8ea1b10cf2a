"""Demographic rates of a municipality from SCB's own figures, fitted on a window of years.

* Fertility: births by mother's age (SCB TAB1264) over the mean number of women of that
  age (BE0101N1, mean of two year-ends), the last five years of the window, shrunk
  towards the pooled rates of the five shipped municipalities with ``FERTILITY_PRIOR``
  woman-years per age (small municipalities borrow strength). The level follows the
  pooled total fertility's log-linear trend over the window, damped by ``DAMPING`` a year
  and capped at ±``MAX_TREND`` a year.
* Mortality: SCB's national death probabilities (TAB5248, 2024, back-cast to earlier
  years with the same forecast's decline) times a local level per sex. The level is
  observed deaths (TAB959, Luleå, Piteå, Boden) over expected; for Umeå and Skellefteå,
  whose deaths are not staged, the attrition of cohorts aged 70+ (where migration is
  small) over expected. Shrunk towards the pooled level with ``MORTALITY_PRIOR`` expected
  deaths. In projected years mortality falls by SCB's forecast decline (age and sex).
* Net migration by age and sex: the residual ``P(y) - survivors - births`` of each window
  year, averaged; where the window reaches 2024 and SCB's direct 2025 flows are staged
  (TAB6640: Luleå, Piteå, Boden) they are averaged in as one more year.

Municipalities without age data take the pooled fertility and mortality of the five
(Norrbotten and Västerbotten's coastal centres, the nearest pool the data allow) and no
baseline net migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from lotsen.scenario.projection import FloatArray, Rates, advance
from lotsen.scenario.regional_data import (
    AGES,
    FIRST_YEAR,
    LAST_YEAR,
    components,
    observed,
    observed_population,
)

PROFILE_CODES = ("2482", "2581", "2582")  # Skellefteå, Piteå, Boden
DEFAULT_FIT_YEARS = 10
FERTILITY_YEARS = 5
FERTILITY_PRIOR = 1000.0  # woman-years per age
MORTALITY_PRIOR = 100.0  # expected deaths
DAMPING, MAX_TREND = 0.9, 0.02
PATH_YEARS = 80
NATIONAL_BASE_YEAR = 2024


def national_death(year: int) -> FloatArray:
    """(2, 101) Swedish probability of dying in ``year`` by age at its start (SCB TAB5248)."""
    data = components()
    q = data.q2024 * (1.0 - data.improvement) ** (year - NATIONAL_BASE_YEAR)
    out = np.empty_like(q)
    out[:, :-1] = (q[:, :-1] + q[:, 1:]) / 2  # the year spans two ages
    out[:, 0] = q[:, 1]  # the infant deaths of the first months are counted at birth
    out[:, -1] = q[:, -1]
    return np.clip(out, 0.0, 1.0)


@dataclass(frozen=True)
class Fit:
    """Rates fitted on observed years (or pooled), with where each came from."""

    death: FloatArray  # (2, 101) in the window's last year
    improvement: FloatArray  # (2, 101) annual decline
    fertility: FloatArray  # (101,) by age at the start of the year
    trend: float  # annual change of the fertility level (before damping)
    infant_death: float
    boys_share: float
    net_migration: FloatArray  # (2, 101) persons per year
    window: tuple[int, int] | None
    mortality_level: FloatArray  # (2,) men, women against Sweden
    notes: tuple[str, ...]

    @property
    def total_fertility(self) -> float:
        return float(self.fertility.sum())


def fertility_path(trend: float, years: int = PATH_YEARS) -> FloatArray:
    steps = np.cumsum(DAMPING ** np.arange(1, years + 1))
    result: FloatArray = np.exp(trend * steps)
    return result


def rates_from(fit: Fit, fertility_factor: float = 1.0, mortality_factor: float = 1.0) -> Rates:
    return Rates(np.clip(fit.death * mortality_factor, 0.0, 1.0),
                 fit.fertility * fertility_factor, fit.infant_death, fit.boys_share,
                 fit.net_migration, fit.improvement, fertility_path(fit.trend))


def _years(window: tuple[int, int]) -> range:
    return range(max(window[0], FIRST_YEAR + 1), min(window[1], LAST_YEAR) + 1)


def _births_exposure(code: str, years: range) -> tuple[FloatArray, FloatArray]:
    """Births by mother's age at the start of the year, and the mean women of that age."""
    births, exposure = np.zeros(AGES), np.zeros(AGES)
    for year in years:
        before, after = observed(code, year - 1), observed(code, year)
        assert before is not None and after is not None
        births[:-1] += components().births[code][year - FIRST_YEAR, 1:]
        exposure[:-1] += (before[1, :-1] + after[1, 1:]) / 2
    return births, exposure


def _deaths_expected(code: str, years: range) -> tuple[FloatArray, FloatArray, str]:
    data = components()
    observed_deaths, expected = np.zeros(2), np.zeros(2)
    for year in years:
        before, after = observed(code, year - 1), observed(code, year)
        assert before is not None and after is not None
        national = national_death(year)
        if code in data.deaths:
            observed_deaths += data.deaths[code][year - FIRST_YEAR, :, 1:].sum(axis=-1)
            expected += (before * national).sum(axis=-1)
        else:
            old = before[:, 69:].copy()
            old[:, -2] += old[:, -1]
            observed_deaths += old[:, :-1].sum(axis=-1) - after[:, 70:].sum(axis=-1)
            expected += (before[:, 69:] * national[:, 69:]).sum(axis=-1)
    how = ("deaths SCB TAB959" if code in data.deaths
           else "attrition of ages 70+ (no deaths staged)")
    return observed_deaths, expected, how


@cache
def _pool(window: tuple[int, int]) -> tuple[FloatArray, FloatArray, float, float, float]:
    """Pooled (ASFR, mortality level, trend, infant death, boys share) of the five."""
    codes = sorted(observed_population())
    fert_years = _years((window[1] - FERTILITY_YEARS + 1, window[1]))
    births = sum(_births_exposure(c, fert_years)[0] for c in codes)
    exposure = sum(_births_exposure(c, fert_years)[1] for c in codes)
    asfr = np.asarray(births) / np.maximum(np.asarray(exposure), 1.0)
    with_deaths = [c for c in codes if c in components().deaths]
    mort_years = _years((window[1] - DEFAULT_FIT_YEARS + 1, window[1]))
    pairs = [_deaths_expected(c, mort_years)[:2] for c in with_deaths]
    level = sum(p[0] for p in pairs) / sum(p[1] for p in pairs)
    trend_years = _years((window[1] - DEFAULT_FIT_YEARS + 1, window[1]))
    tfr = []
    for year in trend_years:
        b = sum(_births_exposure(c, range(year, year + 1))[0] for c in codes)
        e = sum(_births_exposure(c, range(year, year + 1))[1] for c in codes)
        tfr.append(float((np.asarray(b) / np.maximum(np.asarray(e), 1.0)).sum()))
    trend = 0.0
    if len(tfr) >= 3:
        trend = float(np.clip(np.polyfit(list(trend_years), np.log(tfr), 1)[0],
                              -MAX_TREND, MAX_TREND))
    data = components()
    infants = sum(float(data.deaths[c][y - FIRST_YEAR, :, 0].sum())
                  for c in with_deaths for y in mort_years)
    born = sum(float(data.births[c][y - FIRST_YEAR].sum()) for c in with_deaths
               for y in mort_years)
    all_born = sum(float(data.births[c][y - FIRST_YEAR].sum()) for c in codes
                   for y in mort_years)
    boys = sum(float(data.boys[c][y - FIRST_YEAR]) for c in codes for y in mort_years)
    return asfr, np.asarray(level), trend, infants / born, boys / all_born


def _fit(code: str | None, window: tuple[int, int]) -> Fit:
    asfr_pool, level_pool, trend, infant, boys = _pool(window)
    end = min(window[1], LAST_YEAR)
    improvement = components().improvement
    if code is None:
        death = national_death(end) * level_pool[:, None]
        notes: tuple[str, ...] = (
            "no age data shipped: pooled fertility and mortality of the five shipped "
            "municipalities, no baseline net migration",)
        return Fit(death, improvement, asfr_pool, trend, infant, boys,
                   np.zeros((2, AGES)), None, level_pool, notes)
    fert_years = _years((end - FERTILITY_YEARS + 1, end))
    births, exposure = _births_exposure(code, fert_years)
    asfr = (births + FERTILITY_PRIOR * asfr_pool) / (exposure + FERTILITY_PRIOR)
    mort_years = _years((end - DEFAULT_FIT_YEARS + 1, end))
    deaths, expected, how = _deaths_expected(code, mort_years)
    level = (deaths + MORTALITY_PRIOR * level_pool) / (expected + MORTALITY_PRIOR)
    years = _years(window)
    residuals = []
    for year in years:
        rates = Rates(np.clip(national_death(year) * level[:, None], 0, 1), asfr, infant, boys,
                      np.zeros((2, AGES)))
        before, after = observed(code, year - 1), observed(code, year)
        assert before is not None and after is not None
        expected_population, _, _ = advance(before, rates, 0)
        # The year's own births (SCB), not the window's rates: otherwise the fall of
        # fertility inside the window is booked as migration of infants.
        born = components().births[code][year - FIRST_YEAR].sum() * (1.0 - infant)
        expected_population[:, 0] = born * np.array([boys, 1.0 - boys])
        residuals.append(after - expected_population)
    direct = components().net_migration_2025.get(code)
    used_direct = direct is not None and window[1] >= LAST_YEAR
    if used_direct:
        assert direct is not None
        residuals.append(direct)
    net: FloatArray = np.mean(residuals, axis=0)
    span = f"{years[0]}–{years[-1]}"
    notes = (
        f"{code} fertility: SCB TAB1264 births by mother's age {fert_years[0]}–{end} / mean "
        f"women (BE0101N1), shrunk towards the pooled five with {FERTILITY_PRIOR:,.0f} "
        f"woman-years per age: total fertility {asfr.sum():.2f}; level trend "
        f"{trend:+.1%}/year (pooled, damped {DAMPING:g} a year)",
        f"{code} mortality: SCB TAB5248 national probabilities x level men "
        f"{level[0]:.2f}, women {level[1]:.2f} ({how} {mort_years[0]}–{end}, shrunk with "
        f"{MORTALITY_PRIOR:.0f} expected deaths); falling by SCB's 2024 forecast decline",
        f"{code} net migration by age and sex: residual of BE0101N1 population, births and "
        f"deaths, mean of {span}" + (" and SCB TAB6640 direct net migration 2025"
                                     if used_direct else "")
        + f": {net.sum():+,.0f} a year",
    )
    return Fit(np.clip(national_death(end) * level[:, None], 0, 1), improvement, asfr, trend,
               infant, boys, net, (years[0], years[-1]), level, notes)


def default_window(base_year: int) -> tuple[int, int]:
    end = min(max(base_year, FIRST_YEAR + 3), LAST_YEAR)
    return max(FIRST_YEAR + 1, end - DEFAULT_FIT_YEARS + 1), end


@cache
def fitted(code: str, window: tuple[int, int]) -> Fit:
    return _fit(code, window)


@cache
def pooled(window: tuple[int, int]) -> Fit:
    return _fit(None, window)


def default_profile(year: int) -> FloatArray:
    """Pooled age/sex shares (2, 101) of Skellefteå, Piteå and Boden in ``year`` (clamped)."""
    year = min(max(year, FIRST_YEAR), LAST_YEAR)
    pooled_population = sum(observed(code, year) for code in PROFILE_CODES)  # type: ignore[misc]
    assert isinstance(pooled_population, np.ndarray)
    result: FloatArray = pooled_population / pooled_population.sum()
    return result


def has_age_data(code: str) -> bool:
    return code in observed_population()
