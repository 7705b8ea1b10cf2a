"""One metric for every Monte Carlo run, kept in the form that makes its bands cheap.

A metric's values (runs x places x years) are the sum of up to three parts:

* ``full``: any array (runs, places, years), plus a constant ``shift`` (places, years);
* ``spread``: an area series (runs, years) split over places by fixed ``weights``;
* ``host``: an extra series (runs, years) at the host, place 0.

Percentiles commute with adding a constant and with scaling by a constant >= 0, so
the bands of ``full + shift`` are ``bands(full) + shift`` and those of a spread are
``bands(spread) x weight`` — exact, with one percentile pass per area series instead of
one per place. Only the host column of a spread with a host part needs its own pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lotsen.scenario.projection import FloatArray

PERCENTILES = (10, 50, 90)


def bands(values: FloatArray) -> FloatArray:
    """P10, P50, P90 over the runs (axis 0): shape (3, ...).

    The same numbers as ``np.percentile(values, PERCENTILES, axis=0)`` (linear
    interpolation), about twice as fast: the runs are moved to the last, contiguous axis
    and only the six order statistics the three percentiles need are partitioned out.
    """
    runs = values.shape[0]
    if runs == 1:
        return np.repeat(values, 3, axis=0)
    position = np.array(PERCENTILES, dtype=np.float64) / 100.0 * (runs - 1)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, runs - 1)
    data = np.ascontiguousarray(np.moveaxis(values, 0, -1))
    data.partition(sorted(set(low.tolist()) | set(high.tolist())), axis=-1)
    frac = position - low
    picked = (data[..., low] * (1.0 - frac) + data[..., high] * frac)
    result: FloatArray = np.moveaxis(picked, -1, 0)
    return result


@dataclass(frozen=True)
class Values:
    runs: int
    places: int
    years: int
    full: FloatArray | None = None
    shift: FloatArray | None = None
    spread: FloatArray | None = None
    weights: FloatArray | None = None
    host: FloatArray | None = None

    @classmethod
    def of(cls, full: FloatArray, shift: FloatArray | None = None) -> Values:
        runs, places, years = full.shape
        return cls(runs, places, years, full=full, shift=shift)

    @classmethod
    def spread_over(cls, series: FloatArray, weights: FloatArray,
                    host: FloatArray | None = None) -> Values:
        return cls(series.shape[0], weights.shape[0], series.shape[1], spread=series,
                   weights=weights, host=host)

    @classmethod
    def at_host(cls, series: FloatArray, places: int) -> Values:
        weights = np.zeros(places)
        weights[0] = 1.0
        return cls.spread_over(series, weights)

    @classmethod
    def constant(cls, shift: FloatArray, runs: int) -> Values:
        places, years = shift.shape
        return cls(runs, places, years, shift=shift)

    def array(self) -> FloatArray:
        """Every run's values (runs, places, years)."""
        out = np.zeros((self.runs, self.places, self.years))
        if self.full is not None:
            out += self.full
        if self.shift is not None:
            out += self.shift[None]
        if self.spread is not None and self.weights is not None:
            out += self.spread[:, None, :] * self.weights[None, :, None]
        if self.host is not None:
            out[:, 0, :] += self.host
        return out

    def area(self) -> FloatArray:
        """Sum over places (runs, years)."""
        out = np.zeros((self.runs, self.years))
        if self.full is not None:
            out += self.full.sum(axis=1)
        if self.shift is not None:
            out += self.shift.sum(axis=0)[None]
        if self.spread is not None and self.weights is not None:
            out += self.spread * self.weights.sum()
        if self.host is not None:
            out += self.host
        return out

    def place_bands(self, memo: dict[str, tuple[FloatArray, FloatArray]]) -> FloatArray:
        """(3, places, years). ``memo`` remembers the last ``full`` array's bands so that
        a total and its ``added`` part (same array, other shift) cost one pass."""
        assert self.full is None or self.spread is None, "full and spread do not combine"
        out = np.zeros((3, self.places, self.years))
        if self.full is not None:
            last = memo.get("full")
            if last is not None and last[0] is self.full:
                out += last[1]
            else:
                computed = bands(self.full)
                memo["full"] = (self.full, computed)
                out += computed
        if self.shift is not None:
            out += self.shift[None]
        if self.spread is not None and self.weights is not None:
            spread = bands(self.spread)
            out += spread[:, None, :] * self.weights[None, :, None]
            if self.host is not None:
                out[:, 0, :] = bands(self.spread * self.weights[0] + self.host)
        return out
