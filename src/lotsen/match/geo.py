"""Distances between municipalities, from their centroids in the taxonomy.

Travel is estimated as the great-circle distance between municipality centroids:
coarse (a person in the far corner of Arvidsjaur is further away than this says)
but it needs nothing but the taxonomy and is the same for everyone.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from lotsen.errors import InvalidInput
from lotsen.taxonomy.model import MUNICIPALITY, Taxonomy

EARTH_RADIUS_KM = 6371.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


class MunicipalityGrid:
    """Every municipality as a row index, with a full distance matrix (290 × 290 km)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        places = sorted(
            (c for c in taxonomy.of_type(MUNICIPALITY) if c.code and "lat" in c.extra),
            key=lambda c: str(c.code),
        )
        self.codes: list[str] = [str(c.code) for c in places]
        self.names: list[str] = [c.label for c in places]
        self.index: dict[str, int] = {code: i for i, code in enumerate(self.codes)}
        lat = np.radians(np.array([c.extra["lat"] for c in places], dtype=np.float64))
        lon = np.radians(np.array([c.extra["lon"] for c in places], dtype=np.float64))
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        a = (
            np.sin(dlat / 2) ** 2
            + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
        )
        self.km: np.ndarray = (2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))).astype(np.float32)

    def row(self, code: str) -> int:
        try:
            return self.index[code]
        except KeyError:
            raise InvalidInput(
                f"unknown municipality code {code!r}: use the 4-digit SCB code, e.g. 2482"
            ) from None

    def distance(self, a: str, b: str) -> float:
        return float(self.km[self.row(a), self.row(b)])

    def name(self, code: str) -> str:
        i = self.index.get(code)
        return self.names[i] if i is not None else code


@cache
def grid_for(taxonomy: Taxonomy) -> MunicipalityGrid:
    return MunicipalityGrid(taxonomy)
