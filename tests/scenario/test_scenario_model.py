"""The model on real shipped data: accounting, monotonicity, bands, seeds, methods, needs."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from lotsen.errors import InvalidInput
from lotsen.scenario import Range, Scenario, parse_scenario, run_scenario, scenario_needs
from lotsen.scenario.assumptions import fitted_in_sample, has_source
from lotsen.scenario.catalog import parameter_defaults
from lotsen.scenario.model import chain_ends
from lotsen.scenario.needs import SOURCES
from lotsen.scenario.regional_data import observed_total
from lotsen.scenario.result import ScenarioResult

FloatArray = NDArray[np.float64]
GROUPS = ("age_0", "age_1_5", "age_6_15", "age_16_19", "age_20_64", "age_65_79",
          "age_80_plus", "population")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"

BASE = """\
name = "Model test"
municipality = "2482"
occupation_mix = "battery-cell-factory"
realisation = { low = 0.5, mode = 0.9, high = 1.0 }
[years]
start = 2018
end = 2030
[direct_jobs]
2019 = 200
2022 = 1500
2024 = 3000
2027 = 2000
[construction]
workers = { 2018 = 500, 2020 = 2000, 2023 = 0 }
[commuting]
area = ["2417", "2581", "2480"]
[ramp]
delay_years = 0
"""


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return parse_scenario(BASE, "model.toml")


def fixed(scenario: Scenario) -> Scenario:
    """Every range collapsed to its mode."""
    return replace(scenario, parameters={n: Range.fixed(r.mode)
                                         for n, r in scenario.parameters.items()})


def with_jobs(scenario: Scenario, factor: float) -> Scenario:
    return replace(scenario, direct_jobs={y: j * factor for y, j in scenario.direct_jobs.items()})


@pytest.mark.parametrize("method", ["kernel", "direct"])
def test_population_accounting_identity(scenario: Scenario, method: str) -> None:
    result = run_scenario(scenario, runs=40, seed=5, method=method, keep_samples=True)
    s = result.samples
    assert s is not None
    pop, births, deaths, moved = (s["population"], s["births"], s["deaths"],
                                  s["net_migration"])
    change = births[..., 1:] - deaths[..., 1:] + moved[..., 1:]
    np.testing.assert_allclose(pop[..., 1:], pop[..., :-1] + change, rtol=1e-9, atol=1e-6)
    # and the first year against the observed start population (31 Dec 2017)
    start = np.array([p.population.sum() for p in result.region.places])
    first = start[None] + births[..., 0] - deaths[..., 0] + moved[..., 0]
    np.testing.assert_allclose(pop[..., 0], first, rtol=1e-9)
    assert result.region.places[0].population.sum() == observed_total("2482", 2017) == 72723
    # age groups add up to the total
    groups = ("age_0", "age_1_5", "age_6_15", "age_16_19", "age_20_64", "age_65_79",
              "age_80_plus")
    np.testing.assert_allclose(sum(s[g] for g in groups), pop, rtol=1e-9)
    # the school stages split 6–15 exactly, in every run (model error included)
    np.testing.assert_allclose(s["age_6"] + s["age_7_9"] + s["age_10_12"] + s["age_13_15"],
                               s["age_6_15"], rtol=1e-9)
    assert np.all(s["age_16_18"] <= s["age_16_19"] + 1e-9)
    # the baseline is the population without the establishment
    np.testing.assert_allclose(s["population"] - s["population_baseline"],
                               s["population_added"], atol=1e-6)


def test_more_direct_jobs_means_more_in_migrants_and_preschool(scenario: Scenario) -> None:
    results = [run_scenario(with_jobs(scenario, f), deterministic=True) for f in (0.5, 1, 2)]
    households = [r.area["in_migrant_households"][1] for r in results]
    preschool = [r.area["preschool_places_added"][1] for r in results]
    population = [r.area["population_added"][1] for r in results]
    for smaller, larger in zip(results[:-1], results[1:], strict=True):
        assert np.all(larger.area["in_migrant_adults"][1].cumsum()
                      >= smaller.area["in_migrant_adults"][1].cumsum() - 1e-9)
    for series in (households, preschool, population):
        assert np.all(series[1] >= series[0] - 1e-9) and np.all(series[2] >= series[1] - 1e-9)
        assert series[2][-1] > series[0][-1] > 0
    # and zero direct jobs change nothing
    none = run_scenario(with_jobs(scenario, 0), deterministic=True)
    assert np.allclose(none.area["population_added"], 0)
    assert np.allclose(none.area["population"], none.area["population_baseline"])


def test_bands_are_ordered_and_seeded(scenario: Scenario) -> None:
    first = run_scenario(scenario, runs=200, seed=11)
    for name, band in first.bands.items():
        assert np.all(band[0] <= band[1] + 1e-9) and np.all(band[1] <= band[2] + 1e-9), name
        area = first.area[name]
        assert np.all(area[0] <= area[1] + 1e-9) and np.all(area[1] <= area[2] + 1e-9), name
    again = run_scenario(scenario, runs=200, seed=11)
    assert json.dumps(first.to_dict()) == json.dumps(again.to_dict())
    other = run_scenario(scenario, runs=200, seed=12)
    assert not np.allclose(other.area["total_jobs"], first.area["total_jobs"])
    # uncertain realisation gives a real band, and the sensitivity table ranks it
    assert first.area["direct_jobs"][2, -1] > first.area["direct_jobs"][0, -1]
    assert first.sensitivity[0]["parameter"] == "realisation"
    assert first.sensitivity[0]["rank_correlation"]["total_jobs"] > 0.6


def test_zero_width_ranges_equal_the_deterministic_run(scenario: Scenario) -> None:
    certain = fixed(scenario)
    # kernel superposition, without the model's own error
    monte_carlo = run_scenario(certain, runs=30, seed=2, demographic_error=False)
    deterministic = run_scenario(certain, deterministic=True)  # year-by-year projection
    assert monte_carlo.method == "kernel" and deterministic.method == "direct"
    for name, band in deterministic.bands.items():
        np.testing.assert_allclose(monte_carlo.bands[name], band, rtol=1e-9, atol=1e-6,
                                   err_msg=name)
        assert np.allclose(band[0], band[2])
    assert monte_carlo.sensitivity == []


def test_the_model_error_widens_population_bands_only(scenario: Scenario) -> None:
    certain = fixed(scenario)
    plain = run_scenario(certain, runs=300, seed=2, demographic_error=False)
    honest = run_scenario(certain, runs=300, seed=2)
    np.testing.assert_allclose(honest.area["population_added"], plain.area["population_added"])
    np.testing.assert_allclose(honest.area["total_jobs"], plain.area["total_jobs"])
    low, mid, high = honest.band("population", "2482")
    assert np.all(np.diff(high - low) > 0)  # wider with the horizon
    assert 0.02 < (high[6] - low[6]) / mid[6] < 0.12  # about ±3 % after 7 years
    sensitivity = {row["parameter"] for row in honest.sensitivity}
    assert sensitivity == {"demography.error"}


def test_kernel_and_direct_agree_run_by_run(scenario: Scenario) -> None:
    kernel = run_scenario(scenario, runs=25, seed=8, method="kernel", keep_samples=True)
    direct = run_scenario(scenario, runs=25, seed=8, method="direct", keep_samples=True)
    assert kernel.samples is not None and direct.samples is not None
    for name in ("population", "age_1_5", "births", "deaths", "teachers_added"):
        np.testing.assert_allclose(kernel.samples[name], direct.samples[name], rtol=1e-9,
                                   atol=1e-6, err_msg=name)


def test_needs_follow_the_occupation_mix(scenario: Scenario) -> None:
    result = run_scenario(scenario, runs=100, seed=4)
    needs = scenario_needs(result, sources=("direct",))
    assert needs and set(needs[0]) == {"year", "municipality_code", "ssyk4", "headcount"}
    assert {n["municipality_code"] for n in needs} == {"2482"}  # direct jobs are at the host
    median = result.area["direct_jobs"][1]
    growth = np.maximum(np.diff(median, prepend=0.0), 0.0)
    for y, year in enumerate(result.years):
        rows = [n for n in needs if n["year"] == year]
        assert sum(n["headcount"] for n in rows) == pytest.approx(growth[y], abs=0.2)
        for row in rows:
            share = scenario.occupation_mix[row["ssyk4"]]
            assert row["headcount"] == pytest.approx(growth[y] * share, abs=0.006)
    # jobs fall after 2024 (2,000 in 2027): no negative needs
    assert all(n["headcount"] > 0 for n in needs)
    assert not [n for n in needs if n["year"] in (2025, 2026, 2027)]
    everything = scenario_needs(result)
    assert len(everything) > len(needs)
    assert {"2341", "2343", "2221"} <= {n["ssyk4"] for n in everything}  # welfare staff
    with pytest.raises(ValueError):
        scenario_needs(result, sources=("nonsense",))
    assert set(SOURCES) >= {"direct", "indirect", "induced"}


@pytest.mark.parametrize("name", ["skelleftea-gigafactory.toml", "boden-steel-hydrogen.yaml"])
def test_examples_load_and_run(name: str) -> None:
    result = run_scenario(EXAMPLES / name, runs=100, seed=0)
    document = json.loads(json.dumps(result.to_dict()))
    assert document["assumptions"]["parameters"] and document["sources"]
    assert {s["id"] for s in document["sources"]} >= {"scb-population"}
    years = result.scenario.end - result.scenario.start + 1
    assert len(document["rows"]) == years * len(document["municipalities"])
    last = document["area"][-1]["metrics"]
    assert last["direct_jobs"]["p50"] > 0 and last["population_added"]["p50"] > 0
    assert document["occupations"][0]["p50"][-1] > 0
    assert document["vacancy_chain"]["occupations_left"]


def test_occupation_bands_shortcut_is_exact() -> None:
    """Occupations fed by one category take its scaled bands; check against brute force."""
    from lotsen.scenario.occupations import _band_rows, _linear_rows

    rng = np.random.default_rng(0)
    stacked = rng.gamma(2.0, 100.0, size=(300, 3, 6))  # runs x categories x years
    coefficients = np.array([[0.5, 0.0, 0.2, 0.0], [0.0, 0.3, 0.1, 0.0], [0.0, 0.0, 0.0, 0.0]])
    codes = ["8189", "7233", "4322", "2341"]

    def brute(indices: list[int]) -> np.ndarray:
        return np.einsum("rcy,co->ryo", stacked, coefficients[:, indices])

    fast = _linear_rows(stacked, coefficients, codes)
    slow = _band_rows(brute, codes)
    assert [r["ssyk4"] for r in fast] == codes
    for a, b in zip(fast, slow, strict=True):
        for key in ("p10", "p50", "p90"):
            np.testing.assert_allclose(a[key], b[key], atol=0.051)


def test_late_ramps_phase_in_and_closures(scenario: Scenario) -> None:
    """A later ramp moves jobs later; a closure with probability 1 cuts the jobs to the
    remaining share from its year and sends the leaving share of in-migrants away."""
    late = run_scenario(scenario.with_parameters(**{"ramp.delay_years": Range.fixed(2.0)}),
                        runs=50, seed=1)
    plain = run_scenario(scenario, runs=50, seed=1)
    years = plain.years
    y2022 = years.index(2022)
    assert late.area["direct_jobs"][1, y2022] < plain.area["direct_jobs"][1, y2022]
    assert late.area["direct_jobs"][1, -1] == pytest.approx(plain.area["direct_jobs"][1, -1])
    closing = replace(scenario.with_parameters(**{
        "closure.probability": Range.fixed(1.0), "closure.remaining_share": Range.fixed(0.4),
        "closure.staff_leave": Range.fixed(1.0)}), closure_year=2025)
    closed = run_scenario(closing, runs=50, seed=1, demographic_error=False)
    y2025 = years.index(2025)
    ratio = closed.area["direct_jobs"][1, y2025:] / plain.area["direct_jobs"][1, y2025:]
    np.testing.assert_allclose(ratio, 0.4, rtol=0.05)
    assert closed.area["households_leaving"][1, y2025] > 0
    assert closed.area["population_added"][1, -1] < plain.area["population_added"][1, -1]
    # slow arrivals: fewer people in the first years, the same in the long run
    slow = run_scenario(scenario.with_parameters(**{
        "households.arrival_lag_years": Range.fixed(2.0)}), runs=50, seed=1)
    fast = run_scenario(scenario.with_parameters(**{
        "households.arrival_lag_years": Range.fixed(0.0)}), runs=50, seed=1)
    assert slow.area["population_added"][1, 2] < fast.area["population_added"][1, 2]


def test_the_vacancy_chain_ends_with_residents_commuters_or_in_migrants() -> None:
    """Shares add to 1; nobody employed among local hires = no chain; the more local hires
    leave a job elsewhere, the fewer jobs end with residents who were not employed."""
    def ends(local: float, employed: float) -> tuple[float, float, float]:
        first = (np.array(local), np.array(0.1), np.array(0.9 - local))
        refill = (np.array(0.49), np.array(0.1), np.array(0.41))
        a, b, c = chain_ends(first, refill, np.array(employed))
        return float(a), float(b), float(c)

    assert ends(0.4, 0.0) == pytest.approx((0.4, 0.1, 0.5))
    for local in (0.0, 0.4, 0.9):
        for employed in (0.0, 0.5, 0.9):
            assert sum(ends(local, employed)) == pytest.approx(1.0)
    less, more = ends(0.4, 0.3), ends(0.4, 0.8)
    assert more[0] < less[0] and more[1] > less[1] and more[2] > less[2]
    # the shipped defaults together: at the employed share's mode (SCB employment rates)
    # the spin-off local share's mode ends a quarter of the jobs with residents who were
    # not employed (Bartik 1993); changing one default without the other breaks this
    defaults = parameter_defaults()
    local = defaults["local_hire_share_spinoff"].value.mode
    commuter = defaults["commuter_share"].value.mode
    spin = (np.array(local), np.array(commuter), np.array(1.0 - local - commuter))
    employed = np.array(defaults["vacancy_chain.employed_share"].value.mode)
    assert float(chain_ends(spin, spin, employed)[0]) == pytest.approx(0.25, abs=0.01)


def test_the_chain_adds_in_migrants(scenario: Scenario) -> None:
    """Counting the chain, more jobs end with in-migrants than the local-hire shares
    alone say, and so more people arrive; without employed local hires it is the same."""
    def area(employed: float, name: str) -> float:
        s = fixed(scenario).with_parameters(**{
            "vacancy_chain.employed_share": Range.fixed(employed)})
        return float(run_scenario(s, deterministic=True).area[name][1, -1])

    jobs = area(0.65, "total_jobs")
    first = (area(0.0, "filled_by_locals"), area(0.0, "filled_by_in_migrants"))
    chain = (area(0.65, "filled_by_locals"), area(0.65, "filled_by_in_migrants"))
    assert chain[1] > first[1] and chain[0] < first[0]
    assert (chain[0] + chain[1] + area(0.65, "filled_by_commuters")
            == pytest.approx(jobs, rel=1e-9))
    assert area(0.65, "population_added") > area(0.0, "population_added")


def test_parameters_without_a_source_are_flagged(scenario: Scenario) -> None:
    result = run_scenario(scenario, deterministic=True)
    rows = {row["parameter"]: row for row in result.assumptions["parameters"]}
    assert rows["households.arrival_lag_years"]["unsourced"] is True  # judgement only
    assert rows["households.children_per_household"]["unsourced"] is False  # SCB flows
    assert rows["multipliers.indirect"]["unsourced"] is False  # Moretti–Thulin, Nevada
    assert rows["local_hire_share_spinoff"]["unsourced"] is False  # Bartik (1993)
    model = " ".join(row["assumption"] for row in result.assumptions["model"])
    assert "TAB1264" in model and "TAB6640" in model  # every rate says where it is from


def test_the_flag_clears_only_with_a_real_source() -> None:
    """A default counts as sourced only with a catalogued source besides Lotsen's own
    judgement; a value the file sets only with ``source = "..."``, which it then shows."""
    assert has_source(["scb-employment-2024", "lotsen-assumption"])
    assert not has_source(["lotsen-assumption"])
    assert not has_source(["no-such-source", "lotsen-assumption"])  # a typo is no source
    assert not has_source([])
    for name, default in parameter_defaults().items():  # every cited id is catalogued
        refs = list(default.sources)
        assert (has_source(refs) or fitted_in_sample(refs)
                or default.sources == ("lotsen-assumption",)), name

    text = BASE + ("[vacancy_chain]\nemployed_share = { low = 0.7, mode = 0.79, high = 0.88, "
                   'source = "SCB TAB3205" }\nsame_occupation_share = 0.5\n')
    cited = parse_scenario(text, "cited.toml")
    rows = {row["parameter"]: row for row in
            run_scenario(cited, deterministic=True).assumptions["parameters"]}
    chain, same = rows["vacancy_chain.employed_share"], rows["vacancy_chain.same_occupation_share"]
    assert chain["origin"] == "scenario file" and chain["sources"] == ["SCB TAB3205"]
    assert chain["unsourced"] is False
    assert same["origin"] == "scenario file" and same["unsourced"] is True  # no source given
    # replacing the value (as the web page's fields do) drops the file's citation
    replaced = cited.with_parameters(**{"vacancy_chain.employed_share": Range.fixed(0.5)})
    rows = {row["parameter"]: row for row in
            run_scenario(replaced, deterministic=True).assumptions["parameters"]}
    assert rows["vacancy_chain.employed_share"]["unsourced"] is True
    with pytest.raises(InvalidInput, match="source"):
        parse_scenario(BASE + '[vacancy_chain]\nemployed_share = { low = 0.7, mode = 0.8, '
                              'high = 0.9, source = "" }\n', "empty.toml")


def test_a_household_holds_no_more_workers_than_adults(scenario: Scenario) -> None:
    """Drawn independently, workers per household could exceed adults; capped, every
    in-migrant worker is at least one adult, never fewer adults than workers."""
    def area(workers: float, adults: float, name: str) -> FloatArray:
        s = fixed(scenario).with_parameters(**{
            "households.workers_per_household": Range.fixed(workers),
            "households.adults_per_household": Range.fixed(adults),
            "households.arrival_lag_years": Range.fixed(0.0)})
        return run_scenario(s, deterministic=True).area[name][1]

    rising = slice(0, 7)  # jobs rise until 2024: nobody leaves yet
    workers = area(1.8, 1.5, "in_migrant_workers_arriving")[rising]
    np.testing.assert_allclose(area(1.8, 1.5, "in_migrant_adults")[rising], workers,
                               rtol=1e-9)
    assert (area(1.3, 1.5, "in_migrant_adults")[rising] > workers * 1.1).any()


def test_added_dwellings_split_by_the_staged_stock() -> None:
    boden = run_scenario(EXAMPLES / "boden-steel-hydrogen.yaml", runs=50, seed=1)
    places = {p["municipality_code"]: p for p in boden.assumptions["places"]}
    stock = places["2582"]["housing_stock"]
    assert stock["source"].startswith("SCB TAB824") and stock["total"] > 15_000
    total = boden.band("housing_units_added", "2582")[1]
    rental = boden.band("housing_units_added_rental", "2582")[1]
    np.testing.assert_allclose(rental, total * stock["rental"] / stock["total"], rtol=1e-9)
    assert places["2581"]["housing_stock"] is not None  # Piteå is staged too


def test_the_construction_site_follows_the_jobs_delay_realisation_and_closure(
        scenario: Scenario) -> None:
    """A plant two years late is built two years late; a half-realised plant has half the
    builders; a plant closed (to 0.4 of its jobs) from 2021 keeps 0.4 of its site."""
    on_time = fixed(scenario).with_parameters(**{
        "ramp.delay_years": Range.fixed(0.0), "realisation": Range.fixed(1.0)})
    plain = run_scenario(on_time, deterministic=True)
    late = run_scenario(on_time.with_parameters(**{"ramp.delay_years": Range.fixed(2.0)}),
                        deterministic=True)
    for metric in ("construction_workers", "temporary_lodging", "direct_jobs"):
        before, after = plain.area[metric][1], late.area[metric][1]
        assert before[:4].max() > 0
        np.testing.assert_allclose(after[2:], before[:-2], rtol=1e-12)
        np.testing.assert_array_equal(after[:2], 0.0)
    half = run_scenario(on_time.with_parameters(**{"realisation": Range.fixed(0.5)}),
                        deterministic=True)
    np.testing.assert_allclose(half.area["construction_workers"][1],
                               0.5 * plain.area["construction_workers"][1], rtol=1e-12)
    closing = replace(on_time.with_parameters(**{
        "closure.probability": Range.fixed(1.0),
        "closure.remaining_share": Range.fixed(0.4)}), closure_year=2021)
    closed = run_scenario(closing, deterministic=True).area["construction_workers"][1]
    site = plain.area["construction_workers"][1]
    cut = plain.years.index(2021)
    np.testing.assert_allclose(closed[:cut], site[:cut], rtol=1e-12)
    np.testing.assert_allclose(closed[cut:], 0.4 * site[cut:], rtol=1e-12)
    assert site[cut] > 0


def registering(scenario: Scenario, share: float, departure: float = 1.0,
                jobs: float = 0.0) -> Scenario:
    """``scenario`` at its modes with construction.registered_share ``share``; no direct
    jobs by default, so that only the construction workers move anyone."""
    return with_jobs(fixed(scenario), jobs).with_parameters(**{
        "construction.registered_share": Range.fixed(share),
        "construction.commuter_share": Range.fixed(0.8),
        "households.departure_share": Range.fixed(departure)})


def test_registered_construction_workers_live_at_the_host_while_the_site_runs(
        scenario: Scenario) -> None:
    """The site (500 in 2018, 2,000 in 2020, 0 from 2023): half of the 80 % lodged
    register, so the host's 20–64 rise by about 0.4 x the workforce and fall back once
    the site has closed; nobody registers elsewhere."""
    result = run_scenario(registering(scenario, 0.5), deterministic=True)
    site = result.area["construction_workers"][1]
    registered = result.area["construction_registered"][1]
    np.testing.assert_allclose(registered, 0.4 * site, atol=1e-9)
    added = result.band("age_20_64", "2482")[1] - run_scenario(
        registering(scenario, 0.0), deterministic=True).band("age_20_64", "2482")[1]
    building = [result.years.index(y) for y in (2018, 2019, 2020, 2021, 2022)]
    # a few of the registered age out of 20–64 or die: within 3 % of the peak
    np.testing.assert_allclose(added[building], registered[building],
                               atol=0.03 * registered.max())
    assert added[result.years.index(2020)] > 0.97 * registered.max()
    # all of them have left, with the children they had here: nothing remains at any age
    # (leavers drawn at the movers' ages had left 20–64 2–3 % of the peak too low)
    closed = [result.years.index(y) for y in range(2023, 2031)]
    without = run_scenario(registering(scenario, 0.0), deterministic=True)
    for group in GROUPS:
        residue = result.area[group][1][closed] - without.area[group][1][closed]
        np.testing.assert_allclose(residue, 0.0, atol=1e-5 * registered.max())
    for place in ("2417", "2581", "2480"):
        assert np.allclose(result.band("population_added", place)[1], 0.0)


@pytest.mark.parametrize("method", ["kernel", "direct"])
@pytest.mark.parametrize("departure", [1.0, 0.7])
def test_leavers_are_a_share_of_everyone_who_came_as_they_have_aged(
        scenario: Scenario, method: str, departure: float) -> None:
    """All 3,000 jobs go in 2025: from then on every age group's added population is
    ``1 - departure`` times what it is when nobody leaves — the children born here and
    those who have passed 65 leave with the rest. (Leavers drawn at the movers' ages
    had left some 8 % of the peak behind, mostly children.)"""
    def run(share: float, jobs: dict[int, float]) -> ScenarioResult:
        return run_scenario(replace(fixed(scenario), direct_jobs=jobs).with_parameters(**{
            "households.departure_share": Range.fixed(share),
            "households.arrival_lag_years": Range.fixed(0.0)}),
            runs=1, seed=0, deterministic=True, method=method)

    closing = {2019: 200.0, 2022: 1500.0, 2024: 3000.0, 2025: 0.0}
    nothing, stay, leave = run(0.0, {}), run(0.0, closing), run(departure, closing)
    after = slice(stay.years.index(2025), None)
    peak = (stay.area["population"][1] - nothing.area["population"][1]).max()
    assert peak > 3000
    for group in GROUPS:
        base = nothing.area[group][1][after]
        expected = (1.0 - departure) * (stay.area[group][1][after] - base)
        np.testing.assert_allclose(leave.area[group][1][after] - base, expected,
                                   atol=1e-6 * peak)
    assert leave.area["households_leaving"][1][stay.years.index(2025)] > 0


@pytest.mark.parametrize("ranged", [False, True])
def test_jobs_cut_before_the_households_arrive_send_nobody_away(
        scenario: Scenario, ranged: bool) -> None:
    """2,000 jobs appear in 2020 and go in 2021, while their households are still on the
    way (arrival lag 2 years): the leavers can only be those who have come. Counted as
    arrivals less the jobs' leavers, the households living here went below zero."""
    cut = replace(scenario if ranged else fixed(scenario),
                  direct_jobs={2019: 0.0, 2020: 2000.0, 2021: 0.0}).with_parameters(**{
        "households.departure_share": Range.fixed(1.0),
        "households.arrival_lag_years": Range.fixed(2.0)})
    result = run_scenario(cut, runs=200 if ranged else 1, seed=3,
                          deterministic=not ranged, demographic_error=False)
    here, arriving = result.area["in_migrant_households"], result.area["households_arriving"]
    leaving = result.area["households_leaving"]
    assert here.min() >= -1e-9 and leaving.min() >= -1e-9  # P10, P50 and P90, every year
    assert arriving[1].sum() > 0 and leaving[1].sum() > 0
    if not ranged:  # the households here are those that came less those that left
        np.testing.assert_allclose(here[1], np.cumsum(arriving[1] - leaving[1]), atol=1e-6)


@pytest.mark.parametrize("departure", [1.0, 0.5])
def test_households_whose_jobs_are_cut_on_the_way_do_not_come(
        scenario: Scenario, departure: float) -> None:
    """2,000 jobs appear in 2020 and go in 2021 while two thirds of their households are
    still on the way (lag 2 years). A share ``departure`` of those on the way never comes;
    the rest still do (they stay, at other jobs). The model before brought every one of
    them: with everyone leaving it had 1,829 people added in 2025, where none remain."""
    def run(jobs: dict[int, float], share: float) -> ScenarioResult:
        return run_scenario(replace(fixed(scenario), direct_jobs=jobs).with_parameters(**{
            "households.departure_share": Range.fixed(share),
            "households.arrival_lag_years": Range.fixed(2.0)}),
            runs=1, seed=0, deterministic=True, demographic_error=False)

    cut = run({2019: 0.0, 2020: 2000.0, 2021: 0.0}, departure)
    kept = run({2019: 0.0, 2020: 2000.0, 2021: 2000.0}, departure)
    nothing = run({}, departure)
    later = [cut.years.index(y) for y in range(2022, 2031)]
    arriving_cut = cut.area["in_migrant_workers_arriving"][1]
    arriving_kept = kept.area["in_migrant_workers_arriving"][1]
    # those still on the way in 2021 arrive later only as the share that stays
    np.testing.assert_allclose(arriving_cut[later], (1.0 - departure) * arriving_kept[later],
                               atol=1e-6)
    added = cut.area["population"][1] - nothing.area["population"][1]
    peak = (kept.area["population"][1] - nothing.area["population"][1]).max()
    assert peak > 2000
    if departure == 1.0:
        # everyone who came has left and nobody else comes
        assert np.abs(added[later]).max() < 1e-6 * peak
    else:
        assert 0.3 * peak < added[cut.years.index(2030)] < 0.7 * peak


def test_registered_workers_who_do_not_leave_stay_after_the_site(scenario: Scenario) -> None:
    """With households.departure_share 0.4, 60 % of the peak registered stay on."""
    result = run_scenario(registering(scenario, 1.0, departure=0.4), deterministic=True)
    registered = result.area["construction_registered"][1]
    after = result.years.index(2024)
    assert registered[after] == pytest.approx(0.6 * registered.max(), rel=1e-9)
    assert result.area["age_20_64"][1][after] > run_scenario(
        registering(scenario, 0.0), deterministic=True).area["age_20_64"][1][after] + 500


def test_a_zero_registered_share_leaves_the_population_as_without_a_site(
        scenario: Scenario) -> None:
    """Share 0 (the default) gives the population of the same runs with no construction at
    all: the construction workers enter nothing but the lodging figures."""
    with_site = run_scenario(scenario, runs=60, seed=3, keep_samples=True)
    without = run_scenario(replace(scenario, construction_workers={}), runs=60, seed=3,
                           keep_samples=True)
    assert with_site.samples is not None and without.samples is not None
    assert scenario.parameters["construction.registered_share"] == Range.fixed(0.0)
    assert with_site.samples["temporary_lodging"].max() > 0
    for name in ("population", "age_20_64", "age_1_5", "births", "housing_units_added"):
        np.testing.assert_array_equal(with_site.samples[name], without.samples[name], name)


def test_kernel_and_direct_agree_with_registered_workers(scenario: Scenario) -> None:
    s = replace(scenario).with_parameters(**{
        "construction.registered_share": Range(0.2, 0.5, 0.9)})
    kernel = run_scenario(s, runs=20, seed=8, method="kernel", keep_samples=True)
    direct = run_scenario(s, runs=20, seed=8, method="direct", keep_samples=True)
    assert kernel.samples is not None and direct.samples is not None
    for name in ("population", "age_20_64", "births", "population_added"):
        np.testing.assert_allclose(kernel.samples[name], direct.samples[name], rtol=1e-9,
                                   atol=1e-6, err_msg=name)


def test_the_registered_share_is_flagged_as_fitted_in_sample(scenario: Scenario) -> None:
    rows = {row["parameter"]: row for row in
            run_scenario(scenario, deterministic=True).assumptions["parameters"]}
    row = rows["construction.registered_share"]
    assert row["unsourced"] is True and row["in_sample"] is True
    assert rows["households.arrival_lag_years"]["in_sample"] is False
    assert not has_source(["lotsen-fit-skelleftea"])  # an in-sample fit is no source
    cited = parse_scenario(BASE.replace(
        "workers = { 2018 = 500, 2020 = 2000, 2023 = 0 }",
        "workers = { 2018 = 500, 2020 = 2000, 2023 = 0 }\nregistered_share = { low = 0.1, "
        'mode = 0.2, high = 0.3, source = "egen räkning av folkbokförda byggarbetare" }'),
        "cited.toml")
    rows = {row["parameter"]: row for row in
            run_scenario(cited, deterministic=True).assumptions["parameters"]}
    assert rows["construction.registered_share"]["unsourced"] is False
    assert rows["construction.registered_share"]["in_sample"] is False
