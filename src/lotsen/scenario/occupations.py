"""Which occupations the new jobs need, and which occupations local hires leave behind.

Occupations needed = the direct jobs x the scenario's occupation mix + indirect and
induced jobs x their shipped mixes + added welfare staff x the welfare mixes.

Vacancy chain (first link), a simple documented rule: a local hire who leaves a job
leaves it in the same SSYK-4 group as the new job with probability
``vacancy_chain.same_occupation_share``; otherwise in one of the groups whose
occupations the JobTech taxonomy lists as able to substitute the new job's occupations
("substituted_by" edges), weighted by the published substitutability (25 or 75). A group
without such edges keeps the whole share. Later links of the chain are not followed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np

from lotsen.scenario.catalog import spinoff_mixes, welfare_mixes
from lotsen.scenario.metrics import WELFARE_STAFF
from lotsen.scenario.projection import FloatArray
from lotsen.scenario.result import BAND_KEYS
from lotsen.scenario.schema import Scenario
from lotsen.scenario.values import bands
from lotsen.taxonomy.model import OCCUPATION, SSYK4, load_taxonomy

TOP_SOURCES = 20


def category_mixes(scenario: Scenario) -> dict[str, dict[str, float]]:
    """Occupation shares for each kind of job: direct, indirect, induced, welfare staff."""
    mixes = {"direct": dict(scenario.occupation_mix),
             "indirect": spinoff_mixes()["indirect"].shares,
             "induced": spinoff_mixes()["induced"].shares}
    for metric, mix in WELFARE_STAFF.items():
        mixes[metric] = welfare_mixes()[mix].shares
    return mixes


@cache
def label(code: str) -> str:
    try:
        return load_taxonomy().by_code(SSYK4, code).label
    except Exception:  # a code outside the taxonomy cannot get here, but stay readable
        return code


@cache
def substitution_sources(code: str) -> dict[str, float]:
    """SSYK-4 groups (other than ``code``) whose people can do ``code``'s jobs, weights sum 1."""
    taxonomy = load_taxonomy()
    group = taxonomy.by_code(SSYK4, code)
    weights: dict[str, float] = {}
    for name in taxonomy.narrower(group.id):
        if name.type != OCCUPATION:
            continue
        for substitute, weight in taxonomy.substitutes(name.id):
            other = taxonomy.ssyk4(substitute.id)
            if other is not None and other.code and other.code != code:
                weights[other.code] = weights.get(other.code, 0.0) + weight
    total = sum(weights.values())
    return {k: v / total for k, v in sorted(weights.items())} if total else {}


def _matrix(mixes: dict[str, dict[str, float]], codes: list[str]) -> FloatArray:
    index = {c: i for i, c in enumerate(codes)}
    matrix = np.zeros((len(mixes), len(codes)))
    for row, mix in enumerate(mixes.values()):
        for code, share in mix.items():
            matrix[row, index[code]] += share
    return matrix


def _row(code: str, band: FloatArray, extra: dict[str, Any] | None) -> dict[str, Any]:
    row: dict[str, Any] = {"ssyk4": code, "label": label(code)}
    row.update({key: np.round(band[b], 1).tolist() for b, key in enumerate(BAND_KEYS)})
    if extra:
        row.update(extra.get(code, {}))
    return row


def _band_rows(compute: Callable[[list[int]], FloatArray], codes: list[str],
               extra: dict[str, Any] | None = None, chunk: int = 16) -> list[dict[str, Any]]:
    """One row of bands per occupation; ``compute(indices)`` gives (runs, years, len)."""
    rows: list[dict[str, Any]] = []
    for first in range(0, len(codes), chunk):
        indices = list(range(first, min(first + chunk, len(codes))))
        part = bands(compute(indices))  # (3, years, chunk)
        rows += [_row(codes[index], part[:, :, i], extra) for i, index in enumerate(indices)]
    return rows


def _linear_rows(stacked: FloatArray, coefficients: FloatArray, codes: list[str],
                 extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows for occupations = sum over categories of series (runs, categories, years) x
    fixed coefficients (categories, occupations). An occupation fed by one category
    gets that category's bands scaled (exact); the others are summed run by run."""
    per_category = bands(stacked)  # (3, categories, years)
    feeders = [np.flatnonzero(coefficients[:, o]) for o in range(len(codes))]
    mixed = [o for o, f in enumerate(feeders) if len(f) > 1]

    def compute(indices: list[int]) -> FloatArray:
        picked = [mixed[i] for i in indices]
        result: FloatArray = np.einsum("rcy,co->ryo", stacked, coefficients[:, picked])
        return result

    computed = dict(zip(mixed, _band_rows(compute, [codes[o] for o in mixed], extra),
                        strict=True))
    rows = []
    for o, code in enumerate(codes):
        if o in computed:
            rows.append(computed[o])
        else:
            c = int(feeders[o][0]) if len(feeders[o]) else 0
            rows.append(_row(code, per_category[:, c, :] * coefficients[c, o], extra))
    return rows


def occupation_table(scenario: Scenario,
                     area_series: dict[str, FloatArray]) -> list[dict[str, Any]]:
    """Area headcount by SSYK-4 per year (stocks), bands over runs, largest first."""
    mixes = category_mixes(scenario)
    codes = sorted({c for mix in mixes.values() for c in mix})
    matrix = _matrix(mixes, codes)
    stacked = np.stack([area_series[k] for k in mixes], axis=1)  # runs x categories x years
    by_category = {
        code: {"categories": [k for k, mix in mixes.items() if code in mix]} for code in codes}
    rows = _linear_rows(stacked, matrix, codes, by_category)
    rows.sort(key=lambda r: -r["p50"][-1])
    return rows


def vacancy_chain_table(scenario: Scenario, vacancies: dict[str, FloatArray],
                        same_share: FloatArray) -> dict[str, Any]:
    """Jobs left at other employers by the occupation left, per year (flows), bands."""
    mixes = {k: v for k, v in category_mixes(scenario).items()
             if k in ("direct", "indirect", "induced")}
    moved: dict[str, dict[str, float]] = {}
    for category, mix in mixes.items():
        spread: dict[str, float] = {}
        for code, share in mix.items():
            sources = substitution_sources(code) or {code: 1.0}
            for other, weight in sources.items():
                spread[other] = spread.get(other, 0.0) + share * weight
        moved[category] = spread
    codes = sorted({c for mix in [*mixes.values(), *moved.values()] for c in mix})
    same_matrix = _matrix(mixes, codes)
    other_matrix = _matrix(moved, codes)
    stacked = np.stack([vacancies[f"_vacancies_{k}"] for k in mixes], axis=1)
    if np.all(same_share == same_share[0]):
        share = float(same_share[0])
        rows = _linear_rows(stacked, share * same_matrix + (1 - share) * other_matrix, codes)
    else:
        stay = same_share[:, None, None]

        def compute(indices: list[int]) -> FloatArray:
            same: FloatArray = np.einsum("rcy,co->ryo", stacked, same_matrix[:, indices])
            moving: FloatArray = np.einsum("rcy,co->ryo", stacked, other_matrix[:, indices])
            result: FloatArray = same * stay + moving * (1.0 - stay)
            return result

        rows = _band_rows(compute, codes)
    rows.sort(key=lambda r: -sum(r["p50"]))
    return {
        "rule": "first link only: same SSYK-4 group with probability "
                "vacancy_chain.same_occupation_share, otherwise the groups that the JobTech "
                "taxonomy lists as substitutes (substituted_by), weighted by substitutability",
        "unit": "jobs left at other employers during the year",
        "occupations_left": rows[:TOP_SOURCES],
    }
