"""Back-tests of the population projection, and the model error they measure.

``project_from(code, origin, years)`` projects a municipality from 31 Dec ``origin`` with
rates fitted only on years up to ``origin`` (the default ten-year window).

``model_error()`` runs that projection from every origin 2009–2023 for the five shipped
municipalities and measures the log error ``log(actual / projected)`` by horizon and age
group. Its spread, ``sigma(h, g) = slope_g x h`` (least squares through the origin over
the horizons with at least ten cases), is the demographic model's own error: the bands
of ``backtest`` and the Monte Carlo of a scenario draw from it. The errors of every
origin are used, including origins after a back-test's own origin: the error level is
a property of the model, measured once (docs/validation.md says so).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from lotsen.errors import InvalidInput
from lotsen.scenario.demography import default_window, fitted, rates_from
from lotsen.scenario.projection import FloatArray, advance
from lotsen.scenario.regional_data import FIRST_YEAR, LAST_YEAR, observed, observed_population

GROUPS: dict[str, tuple[int, int]] = {
    "0": (0, 1), "1–5": (1, 6), "6–15": (6, 16), "16–19": (16, 20), "20–64": (20, 65),
    "65–79": (65, 80), "80+": (80, 101), "total": (0, 101),
}
SEXES = {"all": slice(0, 2), "men": slice(0, 1), "women": slice(1, 2)}
ERROR_ORIGINS = range(FIRST_YEAR + 3, LAST_YEAR)
MAX_HORIZON = 40
Z90 = 1.2815515655446004  # standard normal P90


def project_from(code: str, origin: int, years: int,
                 window: tuple[int, int] | None = None) -> FloatArray:
    """(years, 2, 101) populations on 31 Dec origin+1 … origin+years, no establishment;
    rates fitted on ``window`` (default: the ten years up to the origin)."""
    start = observed(code, origin)
    if start is None:
        raise InvalidInput(f"no population by age and sex for {code} in {origin}; shipped: "
                           f"{', '.join(sorted(observed_population()))}, {FIRST_YEAR}–"
                           f"{LAST_YEAR}")
    if window is not None and window[1] > origin:
        raise InvalidInput(f"the fit window {window[0]}–{window[1]} ends after the origin "
                           f"{origin}")
    rates = rates_from(fitted(code, window or default_window(origin)))
    out = np.zeros((years, 2, 101))
    population = start
    for t in range(years):
        population, _, _ = advance(population, rates, t + 1)
        population = population + rates.net_migration
        out[t] = population
    return out


def group_sums(population: FloatArray) -> FloatArray:
    """(..., 2, 101) → (..., groups)."""
    by_age = population.sum(axis=-2)
    return np.stack([by_age[..., lo:hi].sum(axis=-1) for lo, hi in GROUPS.values()], axis=-1)


def rolling_errors(codes: tuple[str, ...] | None = None,
                   origins: range = ERROR_ORIGINS) -> dict[tuple[str, int, int], FloatArray]:
    """(code, origin, horizon) → log(actual / projected) by group."""
    out: dict[tuple[str, int, int], FloatArray] = {}
    for code in codes or tuple(sorted(observed_population())):
        for origin in origins:
            horizon = LAST_YEAR - origin
            projected = group_sums(project_from(code, origin, horizon))
            for h in range(1, horizon + 1):
                actual = observed(code, origin + h)
                assert actual is not None
                out[(code, origin, h)] = np.log(group_sums(actual) / projected[h - 1])
    return out


@cache
def model_error() -> FloatArray:
    """(MAX_HORIZON + 1, groups) standard deviation of the log error; row 0 is zero."""
    errors = rolling_errors()
    by_h: dict[int, list[FloatArray]] = {}
    for (_, _, h), e in errors.items():
        by_h.setdefault(h, []).append(e)
    horizons = np.array([h for h in sorted(by_h) if len(by_h[h]) >= 10], dtype=np.float64)
    rmse = np.array([np.sqrt(np.mean(np.square(by_h[int(h)]), axis=0)) for h in horizons])
    slope = (horizons @ rmse) / (horizons @ horizons)  # per group
    out: FloatArray = np.arange(MAX_HORIZON + 1, dtype=np.float64)[:, None] * slope[None, :]
    return out


def backtest(code: str, origin: int, to: int) -> dict[str, Any]:
    """Projection from ``origin`` to ``to`` with P10/P50/P90 from the model error."""
    if not FIRST_YEAR + 3 <= origin < to:
        raise InvalidInput(f"origin must be {FIRST_YEAR + 3} or later and before --to "
                           f"(got origin {origin}, to {to})")
    if to - origin > MAX_HORIZON:
        raise InvalidInput(f"at most {MAX_HORIZON} years ahead (got {to - origin})")
    projected = project_from(code, origin, to - origin)
    sigma = model_error()
    rows: list[dict[str, Any]] = []
    for t, year in enumerate(range(origin + 1, to + 1)):
        actual = observed(code, year)
        for sex, part in SEXES.items():
            p50 = group_sums(projected[t][part])
            truth = None if actual is None else group_sums(actual[part])
            for g, group in enumerate(GROUPS):
                spread = float(np.exp(Z90 * sigma[t + 1, g]))
                rows.append({
                    "year": year, "age_group": group, "sex": sex,
                    "projected_p10": round(float(p50[g]) / spread, 1),
                    "projected_p50": round(float(p50[g]), 1),
                    "projected_p90": round(float(p50[g]) * spread, 1),
                    "actual": None if truth is None else round(float(truth[g]), 1),
                })
    return {"municipality_code": code, "origin": origin, "to": to,
            "notes": list(fitted(code, default_window(origin)).notes), "rows": rows}
