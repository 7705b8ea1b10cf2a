"""The shipped register statistics, read once (see ``data/SOURCES.md``).

* employed persons by SSYK-4 and county (24 Västerbotten, 25 Norrbotten), 2020–2024;
* the national age profile per SSYK-4 in ten bands, 2020–2024;
* commuting flows home → work between municipalities, 2020–2024;
* every municipality's county, urban population and a population-weighted point.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lotsen.errors import InvalidInput

BANDS = ("16-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65-69")
FIRST_YEAR, LAST_YEAR = 2020, 2024
# From 2023 SCB counts ages 16–69 (before: 16–64/66) and imputes missing occupations:
# a level break of about +9 % between 2022 and 2023 that is not growth.
METHOD_BREAK_YEAR = 2023
COUNTIES = {"24": "Västerbottens län", "25": "Norrbottens län"}


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    county_code: str
    county_name: str
    urban_population: int
    lat: float
    lon: float


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("lotsen.regional") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def employment() -> dict[tuple[str, str], dict[int, int]]:
    """(county, ssyk4) -> {year: employed (both sexes)}."""
    out: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)
    for row in _rows("employment_county_ssyk4.csv"):
        out[(row["county_code"], row["ssyk4"])][int(row["year"])] = int(row["employed"])
    return dict(out)


@cache
def age_profile() -> dict[tuple[str, int], tuple[int, ...]]:
    """(ssyk4, year) -> employed in Sweden per age band (``BANDS``)."""
    return {
        (row["ssyk4"], int(row["year"])): tuple(int(row[b]) for b in BANDS)
        for row in _rows("age_profile_national_ssyk4.csv")
    }


@cache
def places() -> dict[str, Place]:
    return {
        row["municipality_code"]: Place(
            row["municipality_code"], row["municipality_name"], row["county_code"],
            row["county_name"], int(row["urban_population_2020"]),
            float(row["lat"]), float(row["lon"]),
        )
        for row in _rows("municipalities.csv")
    }


@cache
def commuting() -> dict[int, dict[tuple[str, str], int]]:
    """year -> {(home municipality, work municipality): employed persons}."""
    out: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    for row in _rows("commuting_flows.csv"):
        out[int(row["year"])][(row["home_code"], row["work_code"])] = int(row["employed"])
    return dict(out)


def county_of(code: str) -> str:
    place = places().get(code)
    if place is None:
        raise InvalidInput(f"unknown municipality code {code!r}", "municipality_code")
    return place.county_code


def require_county(code: str) -> str:
    if code not in COUNTIES:
        raise InvalidInput(
            f"no employment statistics for county {code!r}; shipped: {', '.join(COUNTIES)}",
            "county",
        )
    return code


def occupations_with_data() -> set[str]:
    return {ssyk4 for _, ssyk4 in employment()}
