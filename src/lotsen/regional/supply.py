"""Where an occupation's workers are, and whom a kompetensdag could reach.

Counties rank by SCB's employed count. Inside a county no register figure splits an
occupation by municipality, so a municipality's workers in the occupation are
estimated as the county count times the municipality's share of the county's
employed residents (the commuting table's row sums where SCB publishes the full
matrix, Norrbotten; else its share of the county's urban population). How many of
them one could attract to a workplace is that estimate times the share of the
municipality's employed who already commute there (at least ``MIN_PULL``: a
campaign can move some who do not commute yet). Travel time is the straight-line
distance between population-weighted points at ``ROAD_KMH`` with a detour factor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from lotsen.regional.statistics import COUNTIES, LAST_YEAR, commuting, employment, places

MIN_PULL = 0.02  # share of a place's workers a campaign may reach who do not commute yet
ROAD_KMH = 70.0  # average road speed assumed for the travel-time estimate
DETOUR = 1.25  # road distance / straight-line distance, a rule of thumb for Norrland
MAX_KM = 250.0  # beyond this, a commuting campaign makes little sense


def resident_workers(year: int = LAST_YEAR) -> dict[str, int]:
    """Employed residents per municipality where SCB's matrix holds every work place."""
    matrix = commuting().get(year, {})
    homes = {h for h, w in matrix if h[:2] == "25" and w[:2] == "25"}
    totals: dict[str, int] = defaultdict(int)
    for (home, _), n in matrix.items():
        if home in homes:
            totals[home] += n
    return dict(totals)


def municipality_shares(county: str) -> dict[str, tuple[float, str]]:
    """Each municipality's share of the county's workers, and what the share rests on."""
    workers = {c: n for c, n in resident_workers().items() if c[:2] == county}
    if workers:
        total = sum(workers.values())
        return {c: (n / total, "pendling") for c, n in workers.items()}
    pops = {c: p.urban_population for c, p in places().items() if p.county_code == county}
    total = sum(pops.values()) or 1
    return {c: (n / total, "tatortsbefolkning") for c, n in pops.items()}


@dataclass(frozen=True, slots=True)
class Source:
    """A municipality as a place to find the occupation's workers."""

    code: str
    name: str
    county_code: str
    workers: float  # estimated employed in the occupation living there
    share_basis: str
    commute_share: float | None  # of its employed, share already working at the target
    likely: float  # the workers one could attract
    job_seekers: int
    distance_km: float
    minutes: int

    def as_dict(self) -> dict[str, object]:
        return {
            "municipality_code": self.code, "municipality_name": self.name,
            "county_code": self.county_code, "estimated_workers": round(self.workers, 1),
            "share_basis": self.share_basis,
            "commute_share": None if self.commute_share is None else round(self.commute_share, 3),
            "likely": round(self.likely, 1), "job_seekers": self.job_seekers,
            "distance_km": round(self.distance_km), "travel_minutes": self.minutes,
        }


def county_ranking(ssyk4: str) -> list[dict[str, object]]:
    out = []
    for county, name in COUNTIES.items():
        trend = employment().get((county, ssyk4), {})
        out.append({"county_code": county, "county_name": name,
                    "employed": trend.get(LAST_YEAR, 0),
                    "employed_by_year": {str(y): n for y, n in sorted(trend.items())}})
    return sorted(out, key=lambda c: -int(c["employed"]))  # type: ignore[call-overload]


def sources(
    ssyk4: str, target: str, job_seekers: Mapping[str, int],
    distance: Callable[[float, float, float, float], float],
) -> list[Source]:
    """Municipalities of the shipped counties within ``MAX_KM`` of ``target``, ranked by
    the workers and job seekers one could attract, the target itself left out;
    ``distance(lat1, lon1, lat2, lon2)`` in km."""
    where = places()[target]
    flows = commuting().get(LAST_YEAR, {})
    residents = resident_workers()
    out = []
    for county in COUNTIES:
        employed = employment().get((county, ssyk4), {}).get(LAST_YEAR, 0)
        for code, (share, basis) in municipality_shares(county).items():
            place = places()[code]
            km = distance(place.lat, place.lon, where.lat, where.lon)
            if code == target or km > MAX_KM:
                continue
            workers = employed * share
            pull = None
            if code in residents and residents[code]:
                pull = flows.get((code, target), 0) / residents[code]
            likely = workers * max(pull or 0.0, MIN_PULL) + job_seekers.get(code, 0)
            minutes = round(km * DETOUR / ROAD_KMH * 60)
            out.append(Source(code, place.name, county, workers, basis, pull, likely,
                              job_seekers.get(code, 0), km, minutes))
    return sorted(out, key=lambda s: (-s.likely, s.distance_km))
