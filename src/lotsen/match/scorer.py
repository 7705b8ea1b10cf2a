"""Need → people: hard requirements filter, named parts rank, top-k by partition.

Each part is a share (0..1) of what the need asks for, times its weight. Parts that
do not apply to a need (no nice-to-have skills, no licence asked for) are left out
and the rest rescaled, so a score is always out of 100 and scores of different needs
compare — the region-wide allocation adds them up.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

import numpy as np

from lotsen.errors import InvalidInput
from lotsen.match.geo import MunicipalityGrid
from lotsen.match.index import NO_DATE, PeopleIndex, day_number
from lotsen.match.levels import LicenceBits, education_rank, swedish_rank
from lotsen.match.need import NeedSpec
from lotsen.match.relations import OccupationRelations

EXPERIENCE_FULL_YEARS = 10.0
AVAILABILITY_GRACE_DAYS = 180.0
RELOCATION_SCALE_KM = 400.0
DEFAULT_EDUCATION = 3  # gymnasial: what most needs silently assume
NATIVE = swedish_rank("native")


@dataclass(frozen=True)
class Weights:
    """Points per part before rescaling to 100 (the defaults already sum to 100)."""

    must_skills: float = 40.0
    nice_skills: float = 10.0
    occupation: float = 15.0
    experience: float = 5.0
    education: float = 5.0
    swedish: float = 5.0
    licence: float = 5.0
    distance: float = 10.0
    availability: float = 5.0

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise InvalidInput(f"weight {f.name} must be 0 or more")


PARTS: tuple[str, ...] = tuple(f.name for f in fields(Weights))


@dataclass
class Ranking:
    """The top rows for one need, best first, with their parts (points out of 100)."""

    rows: np.ndarray
    scores: np.ndarray
    parts: dict[str, np.ndarray]
    eligible: int
    maxima: dict[str, float] = field(default_factory=dict)  # the most points each part gives

    def parts_of(self, i: int) -> dict[str, float]:
        return {name: round(float(values[i]), 2) for name, values in self.parts.items()}


def _patched(old: np.ndarray, new: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=old.dtype)
    out[: len(old)] = old
    out[rows] = new
    return out


class Matcher:
    """Scores every person in a PeopleIndex against a need; ``fit`` binds the index."""

    def __init__(
        self,
        grid: MunicipalityGrid,
        licence_bits: LicenceBits,
        relations: OccupationRelations,
        weights: Weights | None = None,
        memo_bytes: int = 256 * 2**20,
    ) -> None:
        self.memo_bytes = memo_bytes
        self.grid = grid
        self.licence_bits = licence_bits
        self.relations = relations
        self.weights = weights or Weights()
        self.index_: PeopleIndex | None = None
        self._memo: dict[Any, Any] = {}
        self._memo_bytes = 0

    def fit(self, index: PeopleIndex) -> Matcher:
        self.index_ = index
        self._memo = {}
        self._memo_bytes = 0
        # Column-wise copies: the per-need work walks one slot of everyone at a time.
        self._slots = [
            np.ascontiguousarray(index.occupations[:, k]) for k in range(index.occupations.shape[1])
        ]
        self._years = [np.ascontiguousarray(index.years[:, k]) for k in range(index.years.shape[1])]
        self._available = np.where(index.available == NO_DATE, -(10**6), index.available)
        return self

    def refit(self, index: PeopleIndex, update: PeopleIndex, rows: np.ndarray) -> Matcher:
        """A new matcher for ``index``, which is this matcher's index with ``update``'s
        people patched in at ``rows`` (``PeopleIndex.patched``): the memoised shares are
        carried over and recomputed for those rows alone. This matcher stays as it was
        for requests still using it."""
        fresh = Matcher(self.grid, self.licence_bits, self.relations, self.weights,
                        self.memo_bytes).fit(index)
        for key, value in self._memo.items():
            old = value if isinstance(value, tuple) else (value,)
            new = self._share(key, update)
            new = new if isinstance(new, tuple) else (new,)
            patched = tuple(_patched(a, b, rows, len(index)) for a, b in zip(old, new, strict=True))
            fresh._memo[key] = patched if isinstance(value, tuple) else patched[0]
            fresh._memo_bytes += sum(a.nbytes for a in patched)
        return fresh

    def _cached(self, key: tuple[Any, ...]) -> Any:
        """Shares that depend on one property of a need only (its occupation, place,
        Swedish level...) are computed once per value, within ``memo_bytes``."""
        if key in self._memo:
            return self._memo[key]
        value = self._share(key, self._index())
        arrays = value if isinstance(value, tuple) else (value,)
        size = sum(a.nbytes for a in arrays)
        if self._memo_bytes + size <= self.memo_bytes:
            self._memo[key] = value
            self._memo_bytes += size
        return value

    def _share(self, key: tuple[Any, ...], index: PeopleIndex) -> Any:
        """The memoised share named by ``key`` for every row of ``index``: each row's
        value depends on that row alone, so a patched index recomputes changed rows."""
        kind = key[0]
        if kind == "occupation":
            return self._occupation(key[1], index)
        if kind == "distance":
            return self._distance(key[1], key[2], index)
        if kind == "education":
            wanted = max(1, key[1])
            return np.minimum(np.maximum(index.education, 0).astype(np.float32) / wanted,
                              1.0).astype(np.float32)
        if kind == "swedish_ok":
            return index.swedish >= key[1]
        if kind == "swedish":
            wanted = max(1, key[1] or NATIVE)
            return np.minimum(index.swedish.astype(np.float32) / wanted, 1.0).astype(np.float32)
        if kind == "licence":
            return (index.licences & key[1]) != 0
        if kind == "ones":
            return np.ones(len(index), dtype=np.float32)
        raise ValueError(f"no share named {kind!r}")

    def _index(self) -> PeopleIndex:
        if self.index_ is None:
            raise InvalidInput("the matcher has no people yet: call fit(index) first")
        return self.index_

    def applicable(self, need: NeedSpec) -> dict[str, float]:
        """Weights of the parts that apply to ``need`` (the rest are not scored)."""
        w = asdict(self.weights)
        if not need.must_skills:
            del w["must_skills"]
        if not need.nice_skills:
            del w["nice_skills"]
        if not need.driving_licence_id:
            del w["licence"]
        return w

    def _skill_share(self, skills: tuple[str, ...], rows: np.ndarray | None) -> np.ndarray:
        index = self._index()
        n = len(index)
        postings = [index.holders(s) for s in skills]
        counts = np.bincount(np.concatenate(postings), minlength=n) if postings else np.zeros(n)
        if rows is not None:
            counts = counts[rows]
        return counts.astype(np.float32) / max(1, len(skills))

    def _occupation(
        self, occupation_id: str, index: PeopleIndex
    ) -> tuple[np.ndarray, np.ndarray]:
        """(best affinity, experience share) of everyone for jobs as ``occupation_id``."""
        affinity = self.relations.vector(occupation_id, index.occupation_vocab)
        if index is self.index_:
            slots, years_held = self._slots, self._years
        else:
            slots = [index.occupations[:, k] for k in range(index.occupations.shape[1])]
            years_held = [index.years[:, k] for k in range(index.years.shape[1])]
        best = affinity[slots[0]]  # index -1 hits the trailing 0
        years = years_held[0]
        for column, more in zip(slots[1:], years_held[1:], strict=True):
            value = affinity[column]
            better = value > best
            best = np.where(better, value, best)
            years = np.where(better, more, years)
        experience = best * np.minimum(years, EXPERIENCE_FULL_YEARS) / EXPERIENCE_FULL_YEARS
        return best.astype(np.float32), experience.astype(np.float32)

    def _distance(
        self, code: str, relocation: bool, index: PeopleIndex
    ) -> tuple[np.ndarray, np.ndarray]:
        """(within reach, distance share) of everyone for a workplace in ``code``."""
        km = self.grid.km[self.grid.row(code)][index.municipality]
        if relocation:
            ok = np.ones(len(km), dtype=bool)
            return ok, np.clip(1.0 - km / RELOCATION_SCALE_KM, 0.0, 1.0).astype(np.float32)
        ok = km <= index.max_commute_km
        share = np.clip(1.0 - km / np.maximum(index.max_commute_km, 1.0), 0.0, 1.0)
        return ok, share.astype(np.float32)

    def meets_requirements(
        self, need: NeedSpec, rows: np.ndarray, mask: np.ndarray | None = None
    ) -> np.ndarray:
        """For ``rows`` only, the hard requirements ``score_all`` applies to everyone
        (consent, Swedish level, licence, commuting reach): a few rows without the
        whole-population arrays (tests/match/test_validation.py holds the two equal)."""
        index = self._index()
        ok = index.consent[rows].copy()
        if mask is not None:
            ok &= mask[rows]
        if need.min_swedish_level:
            ok &= index.swedish[rows] >= swedish_rank(need.min_swedish_level)
        if need.driving_licence_id:
            ok &= (index.licences[rows] & self.licence_bits.required(need.driving_licence_id)) != 0
        if not need.allow_relocation:
            km = self.grid.km[self.grid.row(need.municipality_code)][index.municipality[rows]]
            ok &= km <= index.max_commute_km[rows]
        return np.asarray(ok, dtype=bool)

    def eligible(self, need: NeedSpec, mask: np.ndarray | None = None) -> np.ndarray:
        """The hard requirements: consent, ``mask``, Swedish, licence, reach (every row)."""
        index = self._index()
        eligible = index.consent.copy()
        if mask is not None:
            eligible &= mask
        if need.min_swedish_level:
            eligible &= self._cached(("swedish_ok", swedish_rank(need.min_swedish_level)))
        if need.driving_licence_id:
            eligible &= self._cached(("licence", self.licence_bits.required(
                need.driving_licence_id)))
        eligible &= self._cached(("distance", need.municipality_code, need.allow_relocation))[0]
        return eligible

    def points(self, need: NeedSpec) -> dict[str, float]:
        """Points per applicable part, rescaled to sum to 100."""
        weights = self.applicable(need)
        scale = 100.0 / max(1e-9, sum(weights.values()))
        return {name: weights[name] * scale for name in PARTS if name in weights}

    def shares(self, need: NeedSpec, rows: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Share 0..1 per applicable part, of every row or of ``rows`` alone (each row's
        share depends on that row only, so both give the same values)."""

        def at(values: np.ndarray) -> np.ndarray:
            return values if rows is None else values[rows]

        applicable = self.applicable(need)
        share: dict[str, np.ndarray] = {}
        if "must_skills" in applicable:
            share["must_skills"] = self._skill_share(need.must_skills, rows)
        if "nice_skills" in applicable:
            share["nice_skills"] = self._skill_share(need.nice_skills, rows)
        occupation, experience = self._cached(("occupation", need.occupation_id))
        share["occupation"], share["experience"] = at(occupation), at(experience)
        wanted_edu = education_rank(need.min_education_level)
        share["education"] = at(self._cached(
            ("education", DEFAULT_EDUCATION if wanted_edu < 0 else wanted_edu)))
        share["swedish"] = at(self._cached(("swedish", swedish_rank(need.min_swedish_level))))
        if need.driving_licence_id:
            share["licence"] = at(self._cached(("ones",)))
        share["distance"] = at(self._cached(
            ("distance", need.municipality_code, need.allow_relocation))[1])
        delay = np.maximum(at(self._available) - day_number(need.start_date), 0)
        share["availability"] = np.clip(
            1.0 - delay.astype(np.float32) / np.float32(AVAILABILITY_GRACE_DAYS), 0.0, 1.0
        )
        return share

    def score_all(
        self, need: NeedSpec, mask: np.ndarray | None = None
    ) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, float]]:
        """(eligible mask, share 0..1 per part, points per part) for every row."""
        return self.eligible(need, mask), self.shares(need), self.points(need)

    def top(self, need: NeedSpec, k: int = 10, mask: np.ndarray | None = None) -> Ranking:
        """The ``k`` best eligible rows. Shares are computed for the eligible rows alone
        (a third of everyone for a typical need): less CPU per query at a million people
        (docs/performance.md, "Why the median grew")."""
        if k < 1:
            raise InvalidInput(f"top must be 1 or more, got {k}")
        index = self._index()
        candidates = np.flatnonzero(self.eligible(need, mask))
        share = self.shares(need, candidates)
        points = self.points(need)
        total = np.zeros(len(candidates), dtype=np.float32)
        for name, value in points.items():
            total += share[name] * np.float32(value)
        picked = np.arange(len(candidates))
        if len(candidates) > k:
            # Everyone scoring at least the k-th best (ties at the cut included), so the
            # choice among equal scores below does not depend on row order.
            kth = np.partition(total, len(total) - k)[len(total) - k]
            picked = np.flatnonzero(total >= kth)
        # Best first; equal scores by person id: the same people whatever order the
        # rows are in (a refreshed index appends people, a full load sorts them by id).
        picked = picked[np.lexsort((index.person_ids[candidates[picked]], -total[picked]))[:k]]
        return Ranking(
            rows=candidates[picked],
            scores=total[picked],
            parts={name: share[name][picked] * np.float32(v) for name, v in points.items()},
            eligible=len(candidates),
            maxima={name: round(float(v), 2) for name, v in points.items()},
        )
