"""Cohort-component projection by single year of age and sex, vectorised over any leading axes.

One year ``t`` (1 = the first projected year), for a population ``P`` (..., sexes, ages)
on 31 December:

1. deaths: ``P * q_t`` by age and sex (people counted by their age at the start of the
   year), ``q_t = q x (1 - improvement)^t`` (SCB's forecast decline of mortality);
2. survivors age one year; the 100+ class keeps its survivors;
3. births: ``sum_a f_t(a) * women(a)``, ``f_t = f x trend_t``, split by the share of
   boys, minus the infants who die in their birth year;
4. net migration (persons by age and sex) is added.

So ``P[t+1] = P[t] + births - deaths + net migration`` exactly. The same code projects the
baseline (one array per municipality) and the response to one in-migrant (kernels).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

# Age groups reported for every year: welfare demand is computed from them. The first
# seven partition the ages; the school stages after them overlap 6–15 and 16–19.
AGE_GROUPS: dict[str, tuple[int, int]] = {
    "age_0": (0, 1), "age_1_5": (1, 6), "age_6_15": (6, 16), "age_16_19": (16, 20),
    "age_20_64": (20, 65), "age_65_79": (65, 80), "age_80_plus": (80, 101),
    "age_6": (6, 7), "age_7_9": (7, 10), "age_10_12": (10, 13), "age_13_15": (13, 16),
    "age_16_18": (16, 19),
}
PARTITION = ("age_0", "age_1_5", "age_6_15", "age_16_19", "age_20_64", "age_65_79",
             "age_80_plus")
# Each school stage takes the model error of the group that holds it.
STAGE_OF = {"age_6": "age_6_15", "age_7_9": "age_6_15", "age_10_12": "age_6_15",
            "age_13_15": "age_6_15", "age_16_18": "age_16_19"}
# Summary columns of a projection, in this order.
SUMMARY = ("population", *AGE_GROUPS, "births", "deaths", "net_migration")


@dataclass(frozen=True)
class Rates:
    """Demographic rates of one municipality (or stacked: leading axis = municipality)."""

    death: FloatArray  # (..., 2, 101) probability of dying in the year, by age at start
    fertility: FloatArray  # (..., 101) births per woman in the year, by age at start
    infant_death: float  # probability that a child born in the year dies before 31 Dec
    boys_share: float
    net_migration: FloatArray  # (..., 2, 101) persons per year without the establishment
    improvement: FloatArray | float = 0.0  # (..., 2, 101) annual decline of ``death``
    # (years, ...) factor on ``fertility`` in projected year t = index t - 1 (None: 1)
    fertility_path: FloatArray | None = None

    def at(self, step: int) -> tuple[FloatArray, FloatArray]:
        """(death, fertility) in projected year ``step`` (1 = first year after the base)."""
        death = self.death * (1.0 - np.asarray(self.improvement)) ** step
        fertility = self.fertility
        if self.fertility_path is not None:
            path = self.fertility_path[min(step, len(self.fertility_path)) - 1]
            fertility = fertility * np.asarray(path)[..., None]
        return death, fertility


def advance(population: FloatArray, rates: Rates,
            step: int = 1) -> tuple[FloatArray, FloatArray, FloatArray]:
    """One year without migration: (next population, births, deaths), leading axes kept."""
    death, fertility = rates.at(step)
    deaths_by_age = population * death
    survivors = population - deaths_by_age
    nxt = np.empty_like(population)
    nxt[..., 1:] = survivors[..., :-1]
    nxt[..., -1] += survivors[..., -1]
    births = np.einsum("...a,...a->...", population[..., 1, :], fertility)
    living = births * (1.0 - rates.infant_death)
    nxt[..., 0, 0] = living * rates.boys_share
    nxt[..., 1, 0] = living * (1.0 - rates.boys_share)
    deaths = deaths_by_age.sum(axis=(-2, -1)) + births * rates.infant_death
    return nxt, births, deaths


def summarise(population: FloatArray) -> FloatArray:
    """Total and age-group sums of (..., 2, 101) populations → (..., 1 + groups)."""
    by_age = population.sum(axis=-2)
    columns = [by_age.sum(axis=-1)]
    columns += [by_age[..., lo:hi].sum(axis=-1) for lo, hi in AGE_GROUPS.values()]
    return np.stack(columns, axis=-1)


def project(start: FloatArray, rates: Rates, years: int,
            migration: FloatArray | None = None) -> tuple[FloatArray, FloatArray]:
    """Project ``start`` (..., 2, 101) for ``years`` years.

    ``migration`` (..., years, 2, 101) is added on top of the rates' baseline net
    migration. Returns the summary (..., years, len(SUMMARY)) and the final population.
    """
    population = start.astype(np.float64, copy=True)
    out = np.zeros(start.shape[:-2] + (years, len(SUMMARY)))
    for t in range(years):
        population, births, deaths = advance(population, rates, t + 1)
        moved = np.broadcast_to(rates.net_migration, population.shape)
        if migration is not None:
            moved = moved + migration[..., t, :, :]
        population = population + moved
        out[..., t, : 1 + len(AGE_GROUPS)] = summarise(population)
        out[..., t, -3] = births
        out[..., t, -2] = deaths
        out[..., t, -1] = moved.sum(axis=(-2, -1))
    return out, population


def without_migration(rates: Rates) -> Rates:
    """The same rates with the baseline's net migration switched off: an added population
    (the establishment's) only ages, has children and dies."""
    return Rates(rates.death, rates.fertility, rates.infant_death, rates.boys_share,
                 np.zeros_like(rates.net_migration), rates.improvement, rates.fertility_path)


def kernels(rates: Rates, profile: FloatArray, years: int, arrival: int = 1) -> FloatArray:
    """Response of a population to one person arriving with age/sex ``profile`` (2, 101).

    Row ``lag`` holds the SUMMARY ``lag`` years after the arrival year (lag 0 = the
    arrival year, projected year ``arrival``): the arrivals, the children they have,
    minus their deaths. Baseline migration is switched off. Because the projection is
    linear in the population, any stream of arrivals is the sum of these responses
    scaled by the arrivals. Leading axes of ``rates`` (municipalities) are kept:
    (..., years, len(SUMMARY)).
    """
    quiet = without_migration(rates)
    shape = rates.death.shape
    population = np.broadcast_to(profile, shape).astype(np.float64, copy=True)
    out = np.zeros(shape[:-2] + (years, len(SUMMARY)))
    out[..., 0, : 1 + len(AGE_GROUPS)] = summarise(population)
    out[..., 0, -1] = profile.sum()
    for lag in range(1, years):
        population, births, deaths = advance(population, quiet, arrival + lag)
        out[..., lag, : 1 + len(AGE_GROUPS)] = summarise(population)
        out[..., lag, -3] = births
        out[..., lag, -2] = deaths
    return out


def kernels_by_arrival(rates: Rates, profile: FloatArray, years: int) -> FloatArray:
    """``kernels`` for an arrival in each projected year (rates change over time):
    (..., arrival years, lags, len(SUMMARY))."""
    return np.stack([kernels(rates, profile, years, arrival + 1) for arrival in range(years)],
                    axis=-3)


def convolve(arrivals: FloatArray, kernel: FloatArray, weights: FloatArray) -> FloatArray:
    """Population response of every run to its stream of arrivals.

    ``arrivals`` is (runs, years) for the whole area, ``weights`` (places,) the share
    that settles in each place and ``kernel`` (places, arrival years, lags) the response
    of one arrival in each year at each lag. ``arrivals`` may stack several streams side
    by side (runs, streams x years) with their kernels stacked the same way (streams,
    places, arrival years, lags). Returns (runs, places, years): one matrix product over
    all runs and places, with a lower-triangular matrix per place and stream.
    """
    stacked = kernel if kernel.ndim == 4 else kernel[None]
    streams, places, years, _ = stacked.shape
    lag = np.arange(years)[None, :] - np.arange(years)[:, None]  # [arrival, year]
    arrival = np.arange(years)[:, None]
    gathered = np.where(lag >= 0, stacked[:, :, arrival, np.clip(lag, 0, None)], 0.0)
    toeplitz = gathered.transpose(0, 2, 1, 3).reshape(streams * years, places * years)
    result = (arrivals @ toeplitz).reshape(arrivals.shape[0], places, years)
    out: FloatArray = result * weights[None, :, None]
    return out
