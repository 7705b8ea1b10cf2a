"""The establishment model, vectorised over Monte Carlo runs (no Python loop over runs).

Per run ``r`` and year ``y`` (area totals; places get their commuting share ``w``):

* direct ``D = realisation x ramp``; indirect ``I = D x m_ind``; induced ``N = (D + I) x m_inn``;
* jobs are filled by locals (share ``l``), long-distance commuters (``c``) and
  in-migrants (``1 - l - c``; ``l`` and ``c`` are scaled down when they exceed 1);
* in-migrant-held jobs ``S``: when ``S`` rises the difference moves in; when it falls a
  ``departure_share`` of the difference moves out; households = workers / workers per
  household, with adults and children per household;
* the construction site follows the jobs' delay, realisation and closure;
* construction workers in temporary lodging (``construction.commuter_share``) register
  at the host with ``construction.registered_share`` while the site grows and leave
  with ``households.departure_share`` when it shrinks (alone, adults' profile);
* arrivals enter the cohort-component projection by age and sex (profiles below);
  their later births and deaths follow the place's rates; leavers are a share of
  everyone who came before, as they have aged, with the children born here
  (``staying``), not new movers leaving at the movers' ages.

The population response uses the projection's linearity: the response to one arriving
adult (or child) arriving in each year, at each lag, is projected once per place
(``kernels_by_arrival``: rates change over the years), and every run's
arrivals (divided by the share still here, the response multiplied by it back) are
combined with it by one matrix product. ``method="direct"`` projects each
run's population year by year instead; both give the same numbers (tested).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np

from lotsen.scenario.backtest import GROUPS, model_error
from lotsen.scenario.projection import (
    AGE_GROUPS,
    PARTITION,
    STAGE_OF,
    SUMMARY,
    FloatArray,
    Rates,
    advance,
    convolve,
    kernels_by_arrival,
    project,
    summarise,
    without_migration,
)
from lotsen.scenario.region import Region
from lotsen.scenario.regional_data import TENURES, components, tenure_shares
from lotsen.scenario.schema import Scenario
from lotsen.scenario.values import Values

ADULT_AGES, CHILD_AGES = (20, 65), (0, 18)


@cache
def adult_profile() -> FloatArray:
    """Age/sex shares of in-migrating adults (20–64): SCB's in-migrants to the five
    staged Norrbotten municipalities in 2025 (TAB6640) at those ages, 56 % men."""
    moved = components().in_migration_2025
    out = np.zeros_like(moved)
    out[:, ADULT_AGES[0]:ADULT_AGES[1]] = moved[:, ADULT_AGES[0]:ADULT_AGES[1]]
    result: FloatArray = out / out.sum()
    return result


@cache
def child_profile() -> FloatArray:
    """Age/sex shares of in-migrating children (0–17), the same SCB flows."""
    moved = components().in_migration_2025
    out = np.zeros_like(moved)
    out[:, CHILD_AGES[0]:CHILD_AGES[1]] = moved[:, CHILD_AGES[0]:CHILD_AGES[1]]
    result: FloatArray = out / out.sum()
    return result


def shifted(series: FloatArray, delay: FloatArray) -> FloatArray:
    """``series`` (years,) moved ``delay`` (runs, 1) years later, linearly between years."""
    years = series.shape[0]
    position = np.arange(years)[None, :] - delay
    low = np.floor(position).astype(np.int64)
    frac = position - low
    padded = np.concatenate([[0.0], series, [series[-1]]])  # index 0 = before the start
    first = padded[np.clip(low + 1, 0, years + 1)]
    second = padded[np.clip(low + 2, 0, years + 1)]
    result: FloatArray = (1.0 - frac) * first + frac * second
    return result


def phased(change: FloatArray, lag: FloatArray,
           departure: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(workers arriving, workers leaving) each year (runs, years) for a change of the
    in-migrant-held jobs ``change``.

    New hires move in over the following years: a share ``1 / (1 + lag)`` in the year
    their jobs appear, the rest geometrically after (mean delay ``lag``, runs x 1). A
    fall of the jobs hits the hires already here and those still on their way in
    proportion to their numbers, and a share ``departure`` (runs, years) of each loses
    the area: those here leave, those on their way never come (the rest stay, at other
    jobs). Without this, households whose jobs were cut before they moved kept arriving
    for years after (2,000 jobs in 2020 gone in 2021, lag 2: 1,829 people added by
    2025 where none remain)."""
    keep = lag[:, 0] / (1.0 + lag[:, 0])
    rise, fall = np.maximum(change, 0.0), np.maximum(-change, 0.0)
    arriving = np.zeros_like(change)
    leaving = np.zeros_like(change)
    here = np.zeros(change.shape[0])  # hires who have come (less those who left)
    waiting = np.zeros(change.shape[0])  # hires still on their way
    for t in range(change.shape[1]):
        waiting = waiting + rise[:, t]
        hired = here + waiting
        lost = fall[:, t] * departure[:, t]
        share = np.divide(waiting, hired, out=np.zeros_like(hired), where=hired > 0)
        waiting = waiting - np.minimum(lost * share, waiting)
        leaving[:, t] = np.minimum(lost * (1.0 - share), here)
        arriving[:, t] = (1.0 - keep) * waiting
        waiting = keep * waiting
        here = here - leaving[:, t] + arriving[:, t]
    return arriving, leaving


@dataclass(frozen=True)
class Inputs:
    """Everything deterministic a run needs, prepared once per scenario."""

    direct: FloatArray  # (Y,) announced direct jobs
    closure: int | None  # index of the closure year in the scenario's years
    construction: FloatArray  # (Y,)
    shares: FloatArray  # (M,) commuting shares, host first
    offset: int  # projection years before the scenario's first year
    start_population: FloatArray  # (M, 2, 101)
    rates: Rates
    baseline: FloatArray  # (M, Yp, len(SUMMARY))
    kernel_adult: FloatArray  # (M, Yp arrival years, Yp lags, len(SUMMARY))
    kernel_child: FloatArray
    error: FloatArray  # (Yp, len(SUMMARY)) sd of the baseline's log error, by horizon
    tenures: FloatArray  # (M, 4) shares of each place's housing stock by tenure


# Which back-test age group measures the model error of each summary column.
ERROR_GROUP = {"population": "total", "age_0": "0", "age_1_5": "1–5", "age_6_15": "6–15",
               "age_16_19": "16–19", "age_20_64": "20–64", "age_65_79": "65–79",
               "age_80_plus": "80+"}


def baseline_error(years: int) -> FloatArray:
    sigma = model_error()
    groups = list(GROUPS)
    out = np.zeros((years, len(SUMMARY)))
    for column, name in enumerate(SUMMARY):
        group = ERROR_GROUP.get(STAGE_OF.get(name, name))
        if group is not None:
            out[:, column] = sigma[1: years + 1, groups.index(group)]
    return out


def prepare(scenario: Scenario, region: Region) -> Inputs:
    years = scenario.end - region.base_year
    start = np.stack([p.population for p in region.places])
    baseline, _ = project(start, region.rates, years)
    return Inputs(
        direct=scenario.direct_series(),
        closure=None if scenario.closure_year is None else scenario.closure_year - scenario.start,
        construction=scenario.construction_series(),
        shares=region.shares, offset=scenario.start - region.base_year - 1,
        start_population=start, rates=region.rates, baseline=baseline,
        kernel_adult=kernels_by_arrival(region.rates, adult_profile(), years),
        kernel_child=kernels_by_arrival(region.rates, child_profile(), years),
        error=baseline_error(years),
        tenures=np.stack([tenure_shares(p.code, region.base_year) for p in region.places]))


def _split(local: FloatArray, commuter: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    total = np.maximum(local + commuter, 1.0)
    local, commuter = local / total, commuter / total
    return local, commuter, 1.0 - local - commuter


def chain_ends(first: tuple[FloatArray, FloatArray, FloatArray],
               refill: tuple[FloatArray, FloatArray, FloatArray],
               employed: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Who finally holds a new job once the vacancy chain has run its course: local
    residents who were not employed, commuters, in-migrants (shares summing to 1).

    ``first`` = (local, commuter, in-migrant) shares of the job's own hires; a share
    ``employed`` of its local hires leaves a job at another employer, which is refilled
    with the ``refill`` shares (ordinary employers: the spin-off shares), and so on. The
    chain is geometric with ratio ``local_refill x employed``, so a vacancy left by a
    local hire ends with the refill shares scaled by ``1 / (1 - ratio)``. Without it
    every local hire would count as one job taken by the area's own residents, though
    in a tight labour market most of the vacancies they leave are filled from outside.
    """
    local, commuter, mover = first
    local_r, commuter_r, mover_r = refill
    moved_on = local * employed / (1.0 - local_r * employed)
    return (local * (1.0 - employed) + moved_on * local_r * (1.0 - employed),
            commuter + moved_on * commuter_r, mover + moved_on * mover_r)


def registered_construction(lodging: FloatArray, share: FloatArray,
                            departure: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Construction workers from outside who register as residents and who leave again,
    per year (runs, years): a ``share`` of those in temporary lodging registers while the
    site grows; when it shrinks (the series ends), ``departure`` of the difference leaves and the
    rest stay, on the same rule as in-migrant staff whose jobs disappear. They come
    alone, with the adult movers' age/sex profile: Skellefteå's extra in-migration in
    2021–24 was 90 % aged 20–49 and 64 % men, a workforce rather than families."""
    change = np.diff(lodging * share, axis=-1, prepend=0.0)
    return np.maximum(change, 0.0), np.maximum(-change, 0.0) * departure


# The largest share of the earlier arrivals that can leave in one year: everyone leaving
# would make the cumulative share 0, which ``staying`` divides by. At 1 - 1e-9 it would
# take some thirty near-total departures to underflow.
MOST_LEAVING = 1.0 - 1e-9


def kept_factors(arriving: FloatArray, leaving: FloatArray) -> FloatArray:
    """The share (runs, years) of those here at the start of each year who are still
    here at its end, when each year's leavers (persons, like ``arriving``) are a share of
    all who came before: the leavers are those who came, as they have aged, with the
    children born here, rather than new movers leaving at the movers' ages. Leavers
    beyond those who have come (jobs cut before the households arrived) leave nobody."""
    stock = np.zeros(arriving.shape[0])
    factor = np.ones_like(arriving)
    for t in range(arriving.shape[1]):
        here = stock > 0
        gone = np.where(here, leaving[:, t] / np.where(here, stock, 1.0), 0.0)
        factor[:, t] = 1.0 - np.minimum(gone, MOST_LEAVING)
        stock = stock * factor[:, t] + arriving[:, t]
    return factor


def staying(arriving: FloatArray, leaving: FloatArray) -> FloatArray:
    """The share (runs, years) of everyone who arrived in earlier years still here at the
    end of each year (:func:`kept_factors`, accumulated)."""
    result: FloatArray = np.cumprod(kept_factors(arriving, leaving), axis=-1, dtype=np.float64)
    return result


def stock_and_leavers(coming: FloatArray, factor: FloatArray) -> tuple[FloatArray, FloatArray]:
    """(stock at each year's end, leavers in each year) of a stream ``coming`` (runs,
    years) whose earlier arrivals are kept by ``factor`` (:func:`kept_factors`): the
    counts the population follows, so neither is ever negative."""
    stock = np.zeros_like(coming)
    leavers = np.zeros_like(coming)
    here = np.zeros(coming.shape[0])
    for t in range(coming.shape[1]):
        leavers[:, t] = here * (1.0 - factor[:, t])
        here = here * factor[:, t] + coming[:, t]
        stock[:, t] = here
    return stock, leavers


def _positive_steps(stock: FloatArray) -> FloatArray:
    result: FloatArray = np.maximum(np.diff(stock, axis=-1, prepend=0.0), 0.0)
    return result


def simulate(inputs: Inputs, p: dict[str, FloatArray],
             method: str = "kernel") -> Iterator[tuple[str, Values | FloatArray]]:
    """Yield ``(metric, Values)`` for every metric; names starting with ``_`` carry plain
    area series (runs x years) for the occupation and vacancy-chain tables.

    ``p["demography.error"]`` (standard normal, one per run; absent = 0) scales the
    baseline of every age group by ``exp(z x sigma(horizon, group))``: the model's own
    error as the rolling-origin back-tests measured it, common to all groups and places
    of a run (errors of neighbouring groups and years move together in the back-tests)."""
    weights = inputs.shares
    places = weights.shape[0]
    col = {name: i for i, name in enumerate(SUMMARY)}

    def v(name: str) -> FloatArray:
        return p[name][:, None]

    def spread(series: FloatArray, host: FloatArray | None = None) -> Values:
        return Values.spread_over(series, weights, host)

    runs, years = p["realisation"].shape[0], inputs.direct.shape[0]
    closed = np.zeros((runs, years), dtype=bool)
    if inputs.closure is not None:
        # the deterministic run (no draw) closes when the probability's mode exceeds 1/2
        hit = p.get("_closure.draw", np.full(runs, 0.5))[:, None] < v("closure.probability")
        closed = hit & (np.arange(years)[None, :] >= inputs.closure)

    def as_realised(series: FloatArray) -> FloatArray:
        # The building site belongs to the plant: a late plant is built late, a smaller
        # one by fewer builders, and a closed one is no longer built (the site shrinks
        # like the jobs), so the jobs and the site share one delay, realisation, closure.
        out = v("realisation") * shifted(series, v("ramp.delay_years"))
        result: FloatArray = np.where(closed, out * v("closure.remaining_share"), out)
        return result

    direct = as_realised(inputs.direct)
    indirect = direct * v("multipliers.indirect")
    induced = (direct + indirect) * v("multipliers.induced")
    spinoff = indirect + induced
    yield "direct_jobs", Values.at_host(direct, places)
    yield "indirect_jobs", spread(indirect)
    yield "induced_jobs", spread(induced)
    yield "total_jobs", spread(spinoff, direct)
    construction = as_realised(inputs.construction)
    lodging = construction * v("construction.commuter_share")
    yield "construction_workers", Values.at_host(construction, places)
    yield "temporary_lodging", Values.at_host(lodging, places)
    registering, deregistering = registered_construction(
        lodging, v("construction.registered_share"), v("households.departure_share"))
    yield "construction_registered", Values.at_host(
        np.cumsum(registering - deregistering, axis=-1), places)

    employed = v("vacancy_chain.employed_share")
    first_d = _split(v("local_hire_share"), v("commuter_share"))
    first_s = _split(v("local_hire_share_spinoff"), v("commuter_share"))
    local_d, commuter_d, mover_d = chain_ends(first_d, first_s, employed)
    local_s, commuter_s, mover_s = chain_ends(first_s, first_s, employed)
    yield "filled_by_locals", spread(local_s * spinoff, local_d * direct)
    yield "filled_by_commuters", spread(commuter_s * spinoff, commuter_d * direct)
    yield "filled_by_in_migrants", spread(mover_s * spinoff, mover_d * direct)
    local_d, local_s = first_d[0], first_s[0]  # the chain's first link, for its table
    chain = {"_vacancies_direct": _positive_steps(local_d * direct) * employed,
             "_vacancies_indirect": _positive_steps(local_s * indirect) * employed,
             "_vacancies_induced": _positive_steps(local_s * induced) * employed}
    yield from chain.items()
    yield "vacancies_left", spread(chain["_vacancies_direct"] + chain["_vacancies_indirect"]
                                   + chain["_vacancies_induced"])
    yield "_direct", direct
    yield "_indirect", indirect
    yield "_induced", induced

    held = mover_d * direct + mover_s * spinoff
    change = np.diff(held, axis=-1, prepend=0.0)
    departure = np.where(closed, v("closure.staff_leave"), v("households.departure_share"))
    arriving, leaving = phased(change, v("households.arrival_lag_years"),
                               np.broadcast_to(departure, change.shape))
    # independent draws could put more workers than adults in a household: capped
    per_household = np.minimum(v("households.workers_per_household"),
                               v("households.adults_per_household"))
    coming = arriving / per_household
    # Households leave as the population does (kept_factors): jobs cut before their
    # households arrived send nobody away, so no count here goes below zero.
    kept = kept_factors(arriving, leaving)
    households_here, households_gone = stock_and_leavers(coming, kept)
    households = coming - households_gone
    yield "in_migrant_workers_arriving", spread(arriving)
    yield "households_arriving", spread(coming)
    yield "households_leaving", spread(households_gone)
    yield "in_migrant_households", spread(households_here)
    yield "in_migrant_adults", spread(households * v("households.adults_per_household"))
    yield "in_migrant_children", spread(households * v("households.children_per_household"))

    def padded(series: FloatArray, before: float = 0.0) -> FloatArray:
        return np.concatenate([np.full((runs, inputs.offset), before), series], axis=-1)

    # Arrival streams with the share of them still here: households (adults and
    # children) and, at the host only, registered construction workers, a stream skipped
    # when no run registers anyone so that scenarios without them cost what they did.
    host_only = np.zeros_like(weights)
    host_only[0] = 1.0
    groups = [Arrivals(padded(np.cumprod(kept, axis=-1, dtype=np.float64), 1.0),
                       [padded(coming * v("households.adults_per_household")),
                        padded(coming * v("households.children_per_household"))],
                       [inputs.kernel_adult, inputs.kernel_child],
                       [adult_profile(), child_profile()], weights)]
    if np.any(registering):
        # convolve() spreads every stream by ``weights``; this kernel is divided by the
        # host's weight (and zero elsewhere) so that the stream lands at the host whole.
        host_kernel = np.zeros_like(inputs.kernel_adult)
        if weights[0] > 0:
            host_kernel[0] = inputs.kernel_adult[0] / weights[0]
        groups.append(Arrivals(padded(staying(registering, deregistering), 1.0),
                               [padded(registering)], [host_kernel], [adult_profile()],
                               host_only))
    keep = slice(inputs.offset, inputs.offset + years)
    baseline = inputs.baseline[:, keep, :]
    if method == "direct":
        impact_all = impact_direct(inputs, groups)[:, :, keep, :]
    else:
        # the kernels hold arrivals only: net migration (arrivals less leavers) follows
        # from the accounting identity, the change of the added population less its
        # births, plus its deaths
        full = {name: _response(groups, weights, col[name])
                for name in ("population", "births", "deaths")}
        full["net_migration"] = (np.diff(full["population"], axis=-1, prepend=0.0)
                                 - full["births"] + full["deaths"])

    def impact(name: str) -> FloatArray:
        if method == "direct":
            return np.ascontiguousarray(impact_all[..., col[name]])
        if name in full:
            return np.ascontiguousarray(full[name][:, :, keep])
        return np.ascontiguousarray(_response(groups, weights, col[name])[:, :, keep])

    errors = _baseline_errors(inputs, p, baseline, keep, runs)
    added = impact("population")
    base_population = baseline[..., col["population"]]
    total_error = sum(errors[g] for g in PARTITION)
    assert isinstance(total_error, np.ndarray)
    error = total_error
    yield "population_added", Values.of(added)
    yield "population", Values.of(added + error, base_population)
    yield "population_baseline", Values.of(error, base_population)
    per_1000 = v("welfare.health_care_staff_per_1000")[:, :, None] / 1000.0
    yield "health_care_staff", Values.of((added + error + base_population[None]) * per_1000)
    yield "health_care_staff_added", Values.of(added * per_1000)
    dwellings = added / v("welfare.persons_per_dwelling")[:, :, None]
    yield "housing_units_added", Values.of(dwellings)
    for t, tenure in enumerate(TENURES[:3]):
        yield f"housing_units_added_{tenure}", Values.of(
            dwellings * inputs.tenures[None, :, t, None])
    for name in SUMMARY[1:]:
        added = impact(name)
        error = errors.get(name, np.diff(total_error, axis=-1, prepend=0.0)
                           if name == "net_migration" else 0.0 * added)
        yield name, Values.of(added + error, baseline[..., col[name]])
        yield from _welfare(name, added, error + baseline[None, ..., col[name]], p)


def _baseline_errors(inputs: Inputs, p: dict[str, FloatArray], baseline: FloatArray,
                     keep: slice, runs: int) -> dict[str, FloatArray]:
    """The baseline's own error in every run, by age group (runs, places, years).

    A group's log error is ``z_g x sigma(horizon, g)`` with ``z_g = rho z + sqrt(1 - rho^2)
    e_g``: ``z`` (``p["demography.error"]``) common to all groups, ``e_g``
    (``p["_demography.error.<group>"]``) its own; ``rho`` per horizon makes the groups'
    sum as uncertain as the back-tests measured the total (groups move together, not
    fully). The total is the sum of the groups and its change is migration.
    """
    col = {name: i for i, name in enumerate(SUMMARY)}
    sigma = inputs.error[keep]
    groups = list(PARTITION)
    host = baseline[0]  # (years, columns)
    spread = np.stack([sigma[:, col[g]] * host[:, col[g]] for g in groups], axis=-1)
    target = (sigma[:, col["population"]] * host[:, col["population"]]) ** 2
    together, alone = spread.sum(axis=-1) ** 2, (spread ** 2).sum(axis=-1)
    rho2 = np.clip((target - alone) / np.maximum(together - alone, 1e-12), 0.0, 1.0)
    common = p.get("demography.error", np.zeros(runs))[:, None]
    out: dict[str, FloatArray] = {}
    for g in groups:
        own = p.get(f"_demography.error.{g}", np.zeros(runs))[:, None]
        z = np.sqrt(rho2)[None] * common + np.sqrt(1.0 - rho2)[None] * own  # runs, years
        factor = np.expm1(z[:, None, :] * sigma[None, None, :, col[g]])
        out[g] = factor * baseline[None, ..., col[g]]
        for stage in (s for s, parent in STAGE_OF.items() if parent == g):
            out[stage] = factor * baseline[None, ..., col[stage]]
    return out


@dataclass(frozen=True)
class Arrivals:
    """Streams of arrivals (runs, projection years) that leave together: ``kept`` is the
    share of their earlier arrivals still here (``staying``); each stream has its kernel
    and age/sex profile, and settles over places by ``places`` (direct method)."""

    kept: FloatArray
    streams: list[FloatArray]
    kernels: list[FloatArray]
    profiles: list[FloatArray]
    places: FloatArray

    @cached_property
    def divided(self) -> FloatArray:
        """The streams side by side, each divided by ``kept`` (see ``_response``)."""
        return np.concatenate([s / self.kept for s in self.streams], axis=-1)


FLOWS = ("births", "deaths")


def _response(groups: list[Arrivals], weights: FloatArray, column: int) -> FloatArray:
    """One summary column's response (runs, places, projection years) by the kernels.

    An arrival in year ``a`` counts in year ``y`` with ``K[a, y - a] x kept[y] / kept[a]``
    (the leavers of the years between take their share of it), so the arrivals are
    divided by ``kept`` and the response multiplied by it: one matrix product still.
    Births and deaths of year ``y`` happen before that year's leavers go: ``kept[y - 1]``.
    """
    total = np.zeros((groups[0].kept.shape[0], weights.shape[0], groups[0].kept.shape[1]))
    for group in groups:
        kernels = np.stack([k[..., column] for k in group.kernels])
        scale = group.kept
        if SUMMARY[column] in FLOWS:
            scale = np.concatenate([np.ones_like(scale[:, :1]), scale[:, :-1]], axis=-1)
        total += convolve(group.divided, kernels, weights) * scale[:, None, :]
    return total


def impact_direct(inputs: Inputs, groups: list[Arrivals]) -> FloatArray:
    """The establishment's effect by projecting every run's added population year by
    year: each year it ages, has children and dies, then the year's leavers take their
    share of it, then the year's arrivals come. Slower than the kernels (the whole age
    structure of every run is carried), so it serves the deterministic run and the test
    that both methods agree. Returns (runs, places, projection years, len(SUMMARY)).
    """
    quiet = without_migration(inputs.rates)
    runs, years = groups[0].kept.shape
    places = inputs.start_population.shape[0]
    out = np.zeros((runs, places, years, len(SUMMARY)))
    for group in groups:
        population = np.zeros((runs,) + inputs.start_population.shape)
        step = group.kept / np.concatenate([np.ones((runs, 1)), group.kept[:, :-1]], axis=-1)
        for t in range(years):
            population, births, deaths = advance(population, quiet, t + 1)
            before = population.sum(axis=(-2, -1))
            population = population * step[:, t, None, None, None]
            moved = sum(s[:, None, t, None, None] * group.places[None, :, None, None] * profile
                        for s, profile in zip(group.streams, group.profiles, strict=True))
            population = population + moved
            out[:, :, t, : 1 + len(AGE_GROUPS)] += summarise(population)
            out[:, :, t, -3] += births
            out[:, :, t, -2] += deaths
            out[:, :, t, -1] += population.sum(axis=(-2, -1)) - before
    return out


def _welfare(name: str, added: FloatArray, base: FloatArray,
             p: dict[str, FloatArray]) -> Iterator[tuple[str, Values]]:
    def v(key: str) -> FloatArray:
        return p[key][:, None, None]

    total = added + base
    if name == "age_1_5":
        coverage = v("welfare.preschool_coverage")
        yield "preschool_places", Values.of(total * coverage)
        yield "preschool_places_added", Values.of(added * coverage)
        yield "preschool_staff_added", Values.of(
            added * coverage / v("welfare.children_per_preschool_staff"))
    elif name == "age_6_15":
        yield "pupils", Values.of(total)
        yield "pupils_added", Values.of(added)
        yield "teachers", Values.of(total / v("welfare.pupils_per_teacher"))
        yield "teachers_added", Values.of(added / v("welfare.pupils_per_teacher"))
    elif name == "age_80_plus":
        yield "elder_care_staff", Values.of(total * v("welfare.elder_care_staff_per_80plus"))
        yield "elder_care_staff_added", Values.of(
            added * v("welfare.elder_care_staff_per_80plus"))
