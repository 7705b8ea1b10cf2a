"""Uncertain parameters: triangular ranges, their seeded sampling, and rank sensitivity.

A parameter is a :class:`Range` (low, mode, high). The Monte Carlo draws every range at
once with Latin hypercube sampling (each parameter's runs cover its distribution
evenly), so bands are stable with few runs and identical for the same seed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Range:
    low: float
    mode: float
    high: float

    @classmethod
    def fixed(cls, value: float) -> Range:
        return cls(value, value, value)

    @property
    def is_fixed(self) -> bool:
        return self.low == self.high

    def problem(self) -> str | None:
        """Why this range is invalid, or None."""
        if not self.low <= self.mode <= self.high:
            return f"needs low <= mode <= high, got {self.low}, {self.mode}, {self.high}"
        return None

    def as_dict(self) -> dict[str, float]:
        return {"low": self.low, "mode": self.mode, "high": self.high}

    def quantile(self, u: FloatArray) -> FloatArray:
        """Inverse CDF of the triangular distribution at probabilities ``u``."""
        low, mode, high = self.low, self.mode, self.high
        if self.is_fixed:
            return np.full_like(u, mode)
        width = high - low
        split = (mode - low) / width
        left = low + np.sqrt(u * width * (mode - low))
        right = high - np.sqrt((1.0 - u) * width * (high - mode))
        return np.where(u < split, left, right)


def latin_hypercube(runs: int, dimensions: int, seed: int) -> FloatArray:
    """``runs`` x ``dimensions`` probabilities, one per stratum of each column."""
    rng = np.random.default_rng(seed)
    strata = np.argsort(rng.random((runs, dimensions)), axis=0)
    result: FloatArray = (strata + rng.random((runs, dimensions))) / runs
    return result


def sample(ranges: Mapping[str, Range], runs: int, seed: int) -> dict[str, FloatArray]:
    """Draw every parameter for ``runs`` runs; names are taken in sorted order."""
    names = sorted(ranges)
    u = latin_hypercube(runs, len(names), seed)
    return {name: ranges[name].quantile(u[:, i]) for i, name in enumerate(names)}


def modes(ranges: Mapping[str, Range]) -> dict[str, FloatArray]:
    """One run with every parameter at its mode (the deterministic run)."""
    return {name: np.array([r.mode]) for name, r in ranges.items()}


def _ranks(values: FloatArray) -> FloatArray:
    """Ranks along axis 0; ties share their average rank, so a constant column is flat."""
    from scipy.stats import rankdata  # imported here: scipy.stats is slow to import

    ranks: FloatArray = rankdata(values, axis=0).astype(np.float64)
    return ranks


def rank_correlations(inputs: FloatArray, outputs: FloatArray) -> FloatArray:
    """Spearman correlation of each input column with each output column.

    ``inputs`` is runs x parameters, ``outputs`` runs x outputs; the result is
    parameters x outputs, 0 where a column does not vary.
    """
    a = _ranks(inputs)
    b = _ranks(outputs)
    a -= a.mean(axis=0)
    b -= b.mean(axis=0)
    norm = np.sqrt((a * a).sum(axis=0))[:, None] * np.sqrt((b * b).sum(axis=0))[None, :]
    cov = a.T @ b
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = np.where(norm > 0, cov / np.where(norm > 0, norm, 1.0), 0.0)
    result: FloatArray = rho
    return result
