"""The regional statistics shipped with the scenario model (see ``data/SOURCE.md``).

* population by single year of age and sex, 2006–2024, for five municipalities (SCB);
* every municipality's centroid and the 2020 population of its urban localities (SCB);
* SCB's births by mother's age, deaths by age and sex, national death probabilities with
  their forecast decline, and direct net migration 2025 (``scb_components.csv``, built by
  ``scripts/build_scenario_rates.py``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from numpy.typing import NDArray

AGES = 101  # 0..99 and the open class 100+
SEXES = 2  # 0 = men, 1 = women
FIRST_YEAR, LAST_YEAR = 2006, 2024
# Share of Sweden's population living in urban localities in 2020:
# 9,088,367 in localities (the shipped file) / 10,379,295 inhabitants (SCB, 31 Dec 2020).
URBAN_SHARE_2020 = 0.8756


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    name: str
    county_code: str
    x_m: float  # area centroid, SWEREF 99 TM
    y_m: float
    locality_population_2020: int
    localities_2020: int


def _text(name: str) -> str:
    return (resources.files("lotsen.scenario") / "data" / name).read_text(encoding="utf-8")


@cache
def municipalities() -> dict[str, Municipality]:
    rows = csv.DictReader(io.StringIO(_text("municipalities.csv")))
    return {
        r["municipality_code"]: Municipality(
            r["municipality_code"], r["municipality_name"], r["county_code"],
            float(r["centroid_x_sweref99tm"]), float(r["centroid_y_sweref99tm"]),
            int(r["locality_population_2020"]), int(r["localities_2020"]))
        for r in rows
    }


@cache
def observed_population() -> dict[str, NDArray[np.float64]]:
    """Population on 31 December by code: array years x sexes x ages (2006..2024)."""
    out: dict[str, NDArray[np.float64]] = {}
    rows = csv.reader(io.StringIO(_text("population_by_age_sex_2006_2024.csv")))
    next(rows)
    for code, year, age, sex, population in rows:
        if code not in out:
            out[code] = np.zeros((LAST_YEAR - FIRST_YEAR + 1, SEXES, AGES))
        out[code][int(year) - FIRST_YEAR, int(sex) - 1, int(age)] = float(population)
    return out


def observed(code: str, year: int) -> NDArray[np.float64] | None:
    """Observed population (sexes x ages) of ``code`` on 31 Dec ``year``, if shipped."""
    table = observed_population().get(code)
    if table is None or not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return table[year - FIRST_YEAR]


def observed_total(code: str, year: int) -> float | None:
    population = observed(code, year)
    return None if population is None else float(population.sum())


def locality_estimate(code: str) -> float | None:
    """Municipal population estimated from its urban localities (2020), if it has any."""
    info = municipalities().get(code)
    if info is None or info.locality_population_2020 == 0:
        return None
    return info.locality_population_2020 / URBAN_SHARE_2020


def distance_km(a: str, b: str) -> float:
    """Straight-line distance between two municipalities' area centroids."""
    first, second = municipalities()[a], municipalities()[b]
    return float(np.hypot(first.x_m - second.x_m, first.y_m - second.y_m) / 1000.0)


@dataclass(frozen=True)
class Components:
    """SCB component counts by code (see ``scripts/build_scenario_rates.py``)."""

    births: dict[str, NDArray[np.float64]]  # years x 101, by mother's age attained
    boys: dict[str, NDArray[np.float64]]  # years
    deaths: dict[str, NDArray[np.float64]]  # years x sexes x 101, by age attained
    net_migration_2025: dict[str, NDArray[np.float64]]  # sexes x 101, direct flows
    in_migration_2025: NDArray[np.float64]  # sexes x 101, five Norrbotten municipalities
    dwellings: dict[str, dict[int, NDArray[np.float64]]]  # code -> year -> 4 tenures
    q2024: NDArray[np.float64]  # sexes x 101, Sweden
    improvement: NDArray[np.float64]  # sexes x 101, annual decline 2024-2050


@cache
def components() -> Components:
    years = LAST_YEAR - FIRST_YEAR + 1
    births: dict[str, NDArray[np.float64]] = {}
    boys: dict[str, NDArray[np.float64]] = {}
    deaths: dict[str, NDArray[np.float64]] = {}
    net: dict[str, NDArray[np.float64]] = {}
    q2024, improvement = np.zeros((SEXES, AGES)), np.zeros((SEXES, AGES))
    moved_in = np.zeros((SEXES, AGES))
    dwellings: dict[str, dict[int, NDArray[np.float64]]] = {}
    rows = csv.reader(io.StringIO(_text("scb_components.csv")))
    next(rows)
    for series, code, year_text, sex_text, age_text, value_text in rows:
        t, sex, age, value = int(year_text) - FIRST_YEAR, int(sex_text) - 1, int(age_text), \
            float(value_text)
        if series == "births":
            births.setdefault(code, np.zeros((years, AGES)))[t, age] = value
        elif series == "boys":
            boys.setdefault(code, np.zeros(years))[t] = value
        elif series == "deaths":
            deaths.setdefault(code, np.zeros((years, SEXES, AGES)))[t, sex, age] = value
        elif series == "net_migration":
            net.setdefault(code, np.zeros((SEXES, AGES)))[sex, age] += value
        elif series == "dwellings":
            by_year = dwellings.setdefault(code, {})
            by_year.setdefault(int(year_text), np.zeros(4))[int(sex_text) - 1] = value
        elif series == "in_migration":
            moved_in[sex, age] += value
        elif series == "q2024":
            q2024[sex, age] = value
        elif series == "improvement":
            improvement[sex, age] = value
    return Components(births, boys, deaths, net, moved_in, dwellings, q2024, improvement)


TENURES = ("rental", "tenant_owned", "owner_occupied", "other")


def housing_stock(code: str, year: int) -> tuple[int, NDArray[np.float64]] | None:
    """(year used, dwellings by tenure) from SCB TAB824 — the nearest staged year."""
    by_year = components().dwellings.get(code)
    if not by_year:
        return None
    used = min(by_year, key=lambda y: (abs(y - year), -y))
    return used, by_year[used]


def tenure_shares(code: str, year: int) -> NDArray[np.float64]:
    """Shares of the stock by tenure; the pooled staged municipalities where none is."""
    found = housing_stock(code, year)
    if found is None:
        pooled = sum(s[1] for c in components().dwellings
                     if (s := housing_stock(c, year)) is not None)
        stock = np.asarray(pooled, dtype=np.float64)
    else:
        stock = found[1]
    result: NDArray[np.float64] = stock / stock.sum()
    return result
