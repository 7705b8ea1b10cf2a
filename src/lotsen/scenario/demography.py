"""Demographic rates of a municipality from SCB's own figures, fitted on a window of years.

* Fertility: births by mother's age (SCB TAB1264) over the mean number of women of that
  age (BE0101N1, mean of two year-ends), the last five years of the window, shrunk
  towards the pooled rates of the five shipped municipalities with ``FERTILITY_PRIOR``
  woman-years per age (small municipalities borrow strength). The five-year mean is
  dated to the middle of those years; the pooled total fertility's log-linear trend
  (capped at ±``MAX_TREND`` a year) moves it to the origin and on into the projection,
  damped by a factor a year. The trend's span and damping are chosen from
  ``TREND_SPANS`` x ``DAMPINGS`` by how well each rule predicted every municipality's
  total fertility 1–``TREND_HORIZON`` years ahead from earlier origins whose predicted
  years also end by the window's last year (``trend_rule``): a back-test from 2017 picks
  its rule on 2011–2017 only.
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
MAX_TREND = 0.02
TREND_SPANS = (0, 5, 7)  # years of pooled total fertility the trend is fitted on (0: none)
DAMPINGS = (0.0, 0.5, 0.8, 0.9, 1.0)
TREND_HORIZON = 5  # years ahead a candidate rule is scored on
MIN_TREND_CASES = 15  # (municipality, origin, horizon) scores needed to choose a rule
FALLBACK_RULE = (0, 0.0)  # too few past years to choose: no trend
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
    damping: float  # factor a year on the trend's continuation
    infant_death: float
    boys_share: float
    net_migration: FloatArray  # (2, 101) persons per year
    window: tuple[int, int] | None
    mortality_level: FloatArray  # (2,) men, women against Sweden
    notes: tuple[str, ...]

    @property
    def total_fertility(self) -> float:
        return float(self.fertility.sum())


def fertility_path(trend: float, damping: float, years: int = PATH_YEARS) -> FloatArray:
    steps = np.cumsum(damping ** np.arange(1, years + 1))
    result: FloatArray = np.exp(trend * steps)
    return result


def rates_from(fit: Fit, fertility_factor: float = 1.0, mortality_factor: float = 1.0) -> Rates:
    return Rates(np.clip(fit.death * mortality_factor, 0.0, 1.0),
                 fit.fertility * fertility_factor, fit.infant_death, fit.boys_share,
                 fit.net_migration, fit.improvement, fertility_path(fit.trend, fit.damping))


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
def year_tfr(code: str, year: int) -> float:
    births, exposure = _births_exposure(code, range(year, year + 1))
    return float((births / np.maximum(exposure, 1.0)).sum())


@cache
def _pooled_tfr(year: int) -> float:
    codes = sorted(observed_population())
    births = sum(_births_exposure(c, range(year, year + 1))[0] for c in codes)
    exposure = sum(_births_exposure(c, range(year, year + 1))[1] for c in codes)
    return float((np.asarray(births) / np.maximum(np.asarray(exposure), 1.0)).sum())


@cache
def pooled_trend(end: int, span: int) -> float:
    """Log-linear slope of the five's pooled total fertility over ``span`` years to ``end``."""
    years = _years((end - span + 1, end))
    if span == 0 or len(years) < 3:
        return 0.0
    slope = np.polyfit(list(years), np.log([_pooled_tfr(y) for y in years]), 1)[0]
    return float(np.clip(slope, -MAX_TREND, MAX_TREND))


def _predicted_tfr(code: str, origin: int, ahead: int, span: int, damping: float) -> float:
    """Total fertility ``ahead`` years after ``origin`` by the rule (span, damping)."""
    years = _years((origin - FERTILITY_YEARS + 1, origin))
    level = float(np.mean([year_tfr(code, y) for y in years]))
    trend = pooled_trend(origin, span)
    ahead_steps = float(np.sum(damping ** np.arange(1, ahead + 1)))
    moved = origin - (years[0] + years[-1]) / 2 + ahead_steps
    return level * float(np.exp(trend * moved))


@cache
def trend_rule(end: int, first_origin: int | None = None) -> tuple[int, float]:
    """(span, damping) of the fertility trend that best predicted, from origins whose
    predicted years all end by ``end``, each municipality's total fertility 1–
    ``TREND_HORIZON`` years ahead (mean squared log error). Nothing after ``end`` is read.

    Every rule is scored on the same origins: by default from the first one the longest
    span can be fitted on (2013); ``first_origin`` moves that start, only to measure how
    much the choice depends on it (docs/validation.md)."""
    codes = sorted(observed_population())
    best: tuple[float, int, float] | None = None
    first = FIRST_YEAR + max(TREND_SPANS) if first_origin is None else first_origin
    for span in TREND_SPANS:
        origins = range(first, end)
        cases = [(code, origin, ahead) for code in codes for origin in origins
                 for ahead in range(1, TREND_HORIZON + 1) if origin + ahead <= end]
        if len(cases) < MIN_TREND_CASES:
            continue
        for damping in DAMPINGS if span else (0.0,):
            score = float(np.mean([
                np.log(_predicted_tfr(code, origin, ahead, span, damping)
                       / year_tfr(code, origin + ahead)) ** 2
                for code, origin, ahead in cases]))
            if best is None or score < best[0]:
                best = (score, span, damping)
    return FALLBACK_RULE if best is None else (best[1], best[2])


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
    end = min(window[1], LAST_YEAR)
    trend = pooled_trend(end, trend_rule(end)[0])
    data = components()
    infants = sum(float(data.deaths[c][y - FIRST_YEAR, :, 0].sum())
                  for c in with_deaths for y in mort_years)
    born = sum(float(data.births[c][y - FIRST_YEAR].sum()) for c in with_deaths
               for y in mort_years)
    all_born = sum(float(data.births[c][y - FIRST_YEAR].sum()) for c in codes
                   for y in mort_years)
    boys = sum(float(data.boys[c][y - FIRST_YEAR]) for c in codes for y in mort_years)
    return asfr, np.asarray(level), trend, infants / born, boys / all_born


def _residual(code: str, year: int, level: FloatArray, infant: float,
              boys: float) -> FloatArray:
    """Net migration by age and sex in ``year``: population minus survivors and births."""
    rates = Rates(np.clip(national_death(year) * level[:, None], 0, 1), np.zeros(AGES), infant,
                  boys, np.zeros((2, AGES)))
    before, after = observed(code, year - 1), observed(code, year)
    assert before is not None and after is not None
    expected_population, _, _ = advance(before, rates, 0)
    # The year's own births (SCB), not the window's rates: otherwise the fall of
    # fertility inside the window is booked as migration of infants.
    born = components().births[code][year - FIRST_YEAR].sum() * (1.0 - infant)
    expected_population[:, 0] = born * np.array([boys, 1.0 - boys])
    result: FloatArray = after - expected_population
    return result


def residual_migration(code: str, year: int, fit: Fit) -> FloatArray:
    """SCB's net migration by age and sex in ``year`` as a residual, at the mortality,
    infant deaths and sex ratio of ``fit`` (the back-tests score rules with it)."""
    return _residual(code, year, fit.mortality_level, fit.infant_death, fit.boys_share)


def _fit(code: str | None, window: tuple[int, int]) -> Fit:
    asfr_pool, level_pool, trend, infant, boys = _pool(window)
    end = min(window[1], LAST_YEAR)
    span, damping = trend_rule(end)
    fert_years = _years((end - FERTILITY_YEARS + 1, end))
    # the five-year mean stands for the middle of its years: the trend moves it to the end
    to_end = float(np.exp(trend * (len(fert_years) - 1) / 2))
    improvement = components().improvement
    if code is None:
        death = national_death(end) * level_pool[:, None]
        notes: tuple[str, ...] = (
            "no age data shipped: pooled fertility and mortality of the five shipped "
            "municipalities, no baseline net migration",)
        return Fit(death, improvement, asfr_pool * to_end, trend, damping, infant, boys,
                   np.zeros((2, AGES)), None, level_pool, notes)
    births, exposure = _births_exposure(code, fert_years)
    asfr = (births + FERTILITY_PRIOR * asfr_pool) / (exposure + FERTILITY_PRIOR) * to_end
    mort_years = _years((end - DEFAULT_FIT_YEARS + 1, end))
    deaths, expected, how = _deaths_expected(code, mort_years)
    level = (deaths + MORTALITY_PRIOR * level_pool) / (expected + MORTALITY_PRIOR)
    years = _years(window)
    residuals = [_residual(code, year, level, infant, boys) for year in years]
    direct = components().net_migration_2025.get(code)
    used_direct = direct is not None and window[1] >= LAST_YEAR
    if used_direct:
        assert direct is not None
        residuals.append(direct)
    net: FloatArray = np.mean(residuals, axis=0)
    window_text = f"{years[0]}–{years[-1]}"
    notes = (
        f"{code} fertility: SCB TAB1264 births by mother's age {fert_years[0]}–{end} / mean "
        f"women (BE0101N1), shrunk towards the pooled five with {FERTILITY_PRIOR:,.0f} "
        f"woman-years per age, moved to {end} by the trend: total fertility "
        f"{asfr.sum():.2f}; trend {trend:+.1%}/year (pooled five, {span} years to {end}; "
        f"0 = none), damped {damping:g} a year — span and damping chosen by how well each "
        f"rule predicted total fertility from origins with data up to {end} only",
        f"{code} mortality: SCB TAB5248 national probabilities x level men "
        f"{level[0]:.2f}, women {level[1]:.2f} ({how} {mort_years[0]}–{end}, shrunk with "
        f"{MORTALITY_PRIOR:.0f} expected deaths); falling by SCB's 2024 forecast decline",
        f"{code} net migration by age and sex: residual of BE0101N1 population, births and "
        f"deaths, mean of {window_text}" + (" and SCB TAB6640 direct net migration 2025"
                                     if used_direct else "")
        + f": {net.sum():+,.0f} a year",
    )
    return Fit(np.clip(national_death(end) * level[:, None], 0, 1), improvement, asfr, trend,
               damping,
               infant, boys, net, (years[0], years[-1]), level, notes)


def default_window(base_year: int) -> tuple[int, int]:
    """The years rates are fitted on for a projection from ``base_year``: net migration
    is averaged over all of them (fertility and mortality use the last five and ten
    whatever the window)."""
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
