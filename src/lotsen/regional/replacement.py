"""Replacement demand: how many of those employed today reach 65 in each coming year.

The county's employed count per occupation (SCB YREG60BAS, latest year) is spread
over ages with the *national* age profile of the same occupation (SCB YREG54BAS):
no regional split by age is published here, so this is an approximation. Someone
aged ``a`` in the data year reaches 65 in year ``data year + 65 - a``; within a
five-year band ages are taken as evenly spread, so a band gives a fifth of its
people to each of five years. Nobody is assumed to leave before 65 (death, early
retirement, moving) and nobody to keep working past it: 65 is the age the pension
system's guarantee age (*riktålder*) was close to in 2024, not a promise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lotsen.regional.statistics import (
    BANDS,
    COUNTIES,
    LAST_YEAR,
    METHOD_BREAK_YEAR,
    age_profile,
    employment,
    require_county,
)

RETIREMENT_AGE = 65
HORIZON = 10


def _band_of(age: int) -> tuple[int, int] | None:
    """The band index holding ``age`` and its width in years."""
    for i, band in enumerate(BANDS):
        low, high = (int(x) for x in band.split("-"))
        if low <= age <= high:
            return i, high - low + 1
    return None


@dataclass(frozen=True, slots=True)
class Replacement:
    """Who reaches 65, per year, of one occupation's employed in one county."""

    county_code: str
    ssyk4: str
    data_year: int
    employed: int
    trend: dict[int, int]  # employed per year 2020–2024 (the 2023 method break included)
    age_shares: tuple[float, ...]  # national share per band, data year
    reaching_65: dict[int, float]  # calendar year -> persons

    @property
    def total(self) -> float:
        return sum(self.reaching_65.values())

    @property
    def share_55_plus(self) -> float:
        return sum(self.age_shares[BANDS.index("55-59"):])

    def as_dict(self) -> dict[str, object]:
        return {
            "county_code": self.county_code,
            "county_name": COUNTIES[self.county_code],
            "ssyk4": self.ssyk4,
            "data_year": self.data_year,
            "employed": self.employed,
            "employed_by_year": {str(y): n for y, n in sorted(self.trend.items())},
            "share_55_plus": round(self.share_55_plus, 3),
            "reaching_65": [{"year": y, "persons": round(n, 1)}
                            for y, n in sorted(self.reaching_65.items())],
            "total": round(self.total, 1),
        }


def age_shares(ssyk4: str, year: int = LAST_YEAR) -> tuple[float, ...]:
    counts = age_profile().get((ssyk4, year))
    if not counts or sum(counts) == 0:
        return tuple(0.0 for _ in BANDS)
    total = sum(counts)
    return tuple(c / total for c in counts)


def replacement(
    county_code: str, ssyk4: str, first_year: int, years: int = HORIZON
) -> Replacement:
    """The occupation's employed in the county and how many reach 65 in
    ``first_year .. first_year + years - 1`` (0 when SCB has no figure)."""
    require_county(county_code)
    trend = employment().get((county_code, ssyk4), {})
    employed = trend.get(LAST_YEAR, 0)
    shares = age_shares(ssyk4)
    reaching: dict[int, float] = {}
    for year in range(first_year, first_year + years):
        age_then = RETIREMENT_AGE - (year - LAST_YEAR)
        band = _band_of(age_then)
        reaching[year] = employed * shares[band[0]] / band[1] if band else 0.0
    return Replacement(county_code, ssyk4, LAST_YEAR, employed, dict(trend), shares, reaching)


def replacements(
    counties: Iterable[str], occupations: Iterable[str], first_year: int, years: int = HORIZON
) -> list[Replacement]:
    """Every (county, occupation) pair with someone employed, largest total first."""
    out = [replacement(c, s, first_year, years) for c in sorted(set(counties))
           for s in sorted(set(occupations))]
    return sorted((r for r in out if r.employed), key=lambda r: (-r.total, r.ssyk4, r.county_code))


def method_notes() -> list[str]:
    """What the figures are and are not, shown next to them and written into exports."""
    return [
        f"Sysselsatta per yrke och län: SCB Yrkesregistret (YREG60BAS), {LAST_YEAR}.",
        f"Åldersfördelning: rikets åldersprofil för yrket (SCB YREG54BAS, {LAST_YEAR}) "
        "tillämpad på länets antal – en uppskattning, länets egen åldersstruktur kan avvika.",
        f"Metodbyte {METHOD_BREAK_YEAR}: SCB räknar sedan dess 16–69 år och imputerar saknade "
        "yrken, ett nivåskifte på cirka +9 % som inte är tillväxt.",
        "Inom ett femårsintervall antas åldrarna jämnt fördelade; ingen antas sluta före 65 "
        "eller arbeta efter 65.",
    ]
