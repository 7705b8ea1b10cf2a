"""Start populations and demographic rates for each municipality of a scenario.

Standard schedules (assumptions, documented in docs/scenarios.md):

* mortality: Gompertz–Makeham hazards per sex, calibrated to Swedish life expectancy at
  birth in 2017 (men 80.7, women 84.1 years, SCB), plus 2.1 ‰ infant deaths;
* fertility: a bell-shaped schedule over ages 15–49 centred on 31 years (the mean age at
  childbirth in Sweden), scaled by a local total fertility rate.

Where SCB's population by age and sex ships (five municipalities) the local mortality
level, fertility level and net migration by age and sex are fitted on the fit window
(by default the ten years up to the base year), so that a projection reproduces the
window on average. Elsewhere the pooled levels of the shipped municipalities, no net
migration, and the pooled age profile of Skellefteå, Piteå and Boden are used.
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
    observed,
    observed_population,
)

BOYS_SHARE = 0.5135  # about 105.5 boys per 100 girls at birth
INFANT_DEATH = 0.0021
LIFE_EXPECTANCY = (80.7, 84.1)  # men, women, Sweden 2017 (SCB)
MAKEHAM = (0.0002, 0.0001)  # age-independent hazard, men, women
GOMPERTZ_SLOPE = (0.105, 0.115)
MEAN_AGE_AT_BIRTH, SD_AGE_AT_BIRTH = 31.0, 5.5
PROFILE_CODES = ("2482", "2581", "2582")  # Skellefteå, Piteå, Boden
DEFAULT_FIT_YEARS = 10


def _survival(ages: FloatArray, makeham: float, slope: float, level: float) -> FloatArray:
    result: FloatArray = np.exp(-makeham * ages - level / slope * np.expm1(slope * ages))
    return result


@cache
def standard_death() -> FloatArray:
    """(2, 101) probabilities of dying within a year, by sex and age at the start of it."""
    fine = np.linspace(0.0, 130.0, 13001)
    out = np.zeros((2, AGES))
    ages = np.arange(AGES, dtype=np.float64)
    for sex in range(2):
        low, high = 1e-7, 1e-3
        for _ in range(80):  # bisection on the Gompertz level to hit e0
            mid = (low + high) / 2
            s = _survival(fine, MAKEHAM[sex], GOMPERTZ_SLOPE[sex], mid)
            e0 = float(np.sum((s[1:] + s[:-1]) / 2) * (fine[1] - fine[0]))
            low, high = (mid, high) if e0 > LIFE_EXPECTANCY[sex] else (low, mid)
        s0 = _survival(ages + 0.5, MAKEHAM[sex], GOMPERTZ_SLOPE[sex], low)
        s1 = _survival(ages + 1.5, MAKEHAM[sex], GOMPERTZ_SLOPE[sex], low)
        out[sex] = 1.0 - s1 / s0
    return out


@cache
def fertility_shape() -> FloatArray:
    """(101,) schedule over mothers' age at the start of the year, summing to 1."""
    ages = np.arange(AGES, dtype=np.float64)
    shape = np.exp(-0.5 * ((ages + 0.5 - MEAN_AGE_AT_BIRTH) / SD_AGE_AT_BIRTH) ** 2)
    shape[(ages < 15) | (ages > 49)] = 0.0
    result: FloatArray = shape / shape.sum()
    return result


@dataclass(frozen=True)
class Fit:
    """Levels fitted on observed years (or pooled defaults)."""

    mortality_level: float
    total_fertility: float
    net_migration: FloatArray  # (2, 101) persons per year
    window: tuple[int, int] | None


def rates_from(fit: Fit, fertility_factor: float = 1.0, mortality_factor: float = 1.0) -> Rates:
    death = np.clip(standard_death() * fit.mortality_level * mortality_factor, 0.0, 1.0)
    fertility = fertility_shape() * fit.total_fertility * fertility_factor
    return Rates(death, fertility, INFANT_DEATH, BOYS_SHARE, fit.net_migration)


def fit_rates(series: FloatArray, first_year: int, window: tuple[int, int]) -> Fit:
    """Fit mortality level, fertility and net migration on ``series`` (years, 2, 101)."""
    start, end = window
    before = series[start - first_year: end - first_year]
    after = series[start - first_year + 1: end - first_year + 1]
    shape = fertility_shape()
    exposure = np.einsum("ta,a->", before[:, 1, :], shape)
    total_fertility = float(after[:, :, 0].sum() / ((1.0 - INFANT_DEATH) * exposure))
    standard = Rates(standard_death(), shape * total_fertility, INFANT_DEATH, BOYS_SHARE,
                     np.zeros((2, AGES)))
    # Mortality level from the attrition of cohorts aged 70+ (migration is small there).
    old = slice(70, AGES)
    expected = float((before[:, :, old] * standard.death[:, old]).sum())
    aged = before[:, :, 69:].copy()
    aged[..., -2] += aged[..., -1]
    observed_loss = float(aged[..., :-1].sum() - after[:, :, 70:].sum())
    level = float(np.clip(observed_loss / expected, 0.7, 1.4)) if expected > 0 else 1.0
    rates = Rates(np.clip(standard.death * level, 0, 1), standard.fertility, INFANT_DEATH,
                  BOYS_SHARE, np.zeros((2, AGES)))
    projected, _, _ = advance(before, rates)
    net_migration: FloatArray = (after - projected).mean(axis=0)
    return Fit(level, total_fertility, net_migration, window)


def default_window(base_year: int) -> tuple[int, int]:
    end = min(max(base_year, FIRST_YEAR + 2), LAST_YEAR)
    return max(FIRST_YEAR, end - DEFAULT_FIT_YEARS), end


@cache
def fitted(code: str, window: tuple[int, int]) -> Fit:
    return fit_rates(observed_population()[code], FIRST_YEAR, window)


@cache
def pooled(window: tuple[int, int]) -> Fit:
    """Levels of the five shipped municipalities together; no net migration."""
    total = sum(observed_population().values())
    assert isinstance(total, np.ndarray)
    fit = fit_rates(total, FIRST_YEAR, window)
    return Fit(fit.mortality_level, fit.total_fertility, np.zeros((2, AGES)), None)


def default_profile(year: int) -> FloatArray:
    """Pooled age/sex shares (2, 101) of Skellefteå, Piteå and Boden in ``year`` (clamped)."""
    year = min(max(year, FIRST_YEAR), LAST_YEAR)
    pooled_population = sum(observed(code, year) for code in PROFILE_CODES)  # type: ignore[misc]
    assert isinstance(pooled_population, np.ndarray)
    result: FloatArray = pooled_population / pooled_population.sum()
    return result


def has_age_data(code: str) -> bool:
    return code in observed_population()
