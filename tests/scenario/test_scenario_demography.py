"""Demography on the shipped SCB data, and the import contract of the core package."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from lotsen.errors import InvalidInput
from lotsen.scenario import demography
from lotsen.scenario.backtest import backtest, model_error, project_from
from lotsen.scenario.demography import (
    DAMPINGS,
    FALLBACK_RULE,
    TREND_SPANS,
    fertility_path,
    fitted,
    national_death,
    pooled,
    rates_from,
    trend_rule,
)
from lotsen.scenario.projection import SUMMARY, kernels
from lotsen.scenario.regional_data import LAST_YEAR, components, observed

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "lotsen" / "scenario"


def test_fit_uses_only_the_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A back-test fitted up to 2017 must not see 2018+: poison later years, same fit."""
    clean = fitted("2482", (2008, 2017))
    table = observed.__globals__["observed_population"]()["2482"].copy()
    poisoned = table.copy()
    poisoned[2018 - 2006:] *= 3.0
    monkeypatch.setitem(observed.__globals__["observed_population"](), "2482", poisoned)
    fitted.cache_clear()
    try:
        again = fitted("2482", (2008, 2017))
        assert again.total_fertility == clean.total_fertility
        np.testing.assert_array_equal(again.net_migration, clean.net_migration)
        np.testing.assert_array_equal(again.mortality_level, clean.mortality_level)
    finally:
        monkeypatch.setitem(observed.__globals__["observed_population"](), "2482", table)
        fitted.cache_clear()


def _clear_fits() -> None:
    for name in ("fitted", "pooled", "_pool", "trend_rule", "year_tfr", "_pooled_tfr",
                 "pooled_trend"):
        getattr(demography, name).cache_clear()


def test_fertility_trend_rule_sees_only_years_up_to_its_end(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The trend rule of a 2017 back-test is chosen on 2017 and before: halving every
    birth after 2017 changes neither the rule nor the fitted fertility."""
    clean_rule, clean = trend_rule(2017), fitted("2580", (2008, 2017))
    births = components().births
    saved = {code: table.copy() for code, table in births.items()}
    try:
        for table in births.values():
            table[2018 - 2006:] *= 0.5
        _clear_fits()
        assert trend_rule(2017) == clean_rule
        again = fitted("2580", (2008, 2017))
        np.testing.assert_array_equal(again.fertility, clean.fertility)
        assert (again.trend, again.damping) == (clean.trend, clean.damping)
        # while a rule chosen on the poisoned years does see them
        assert fitted("2580", (2015, 2024)).total_fertility < 0.8 * again.total_fertility
    finally:
        for code, table in saved.items():
            births[code][:] = table
        _clear_fits()


def test_fertility_trend_rule_is_chosen_from_its_grid() -> None:
    for end in range(2009, LAST_YEAR + 1):
        span, damping = trend_rule(end)
        assert span in TREND_SPANS and damping in DAMPINGS
        fit = fitted("2480", (end - 9, end))
        assert fit.damping == damping
        if span == 0:
            assert fit.trend == 0.0
    # with too few earlier origins to score a rule on, no trend is assumed
    assert trend_rule(2009) == FALLBACK_RULE
    assert fitted("2480", (2007, 2009)).trend == 0.0


def test_fertility_trend_rule_start_is_the_first_origin_every_span_fits() -> None:
    """By default every rule is scored from 2013 (data from 2007, longest span 7 years);
    a later start with too few cases falls back to no trend."""
    assert trend_rule(2017) == trend_rule(2017, 2006 + max(TREND_SPANS))
    assert trend_rule(2015, 2014) == FALLBACK_RULE  # one origin x five municipalities
    for first in range(2009, 2015):
        span, damping = trend_rule(2019, first)
        assert span in TREND_SPANS and damping in DAMPINGS


def test_fertility_path_follows_the_damping() -> None:
    np.testing.assert_allclose(fertility_path(-0.02, 0.0, 5), np.ones(5))
    np.testing.assert_allclose(fertility_path(-0.02, 1.0, 5), np.exp(-0.02 * np.arange(1, 6)))
    damped = fertility_path(-0.02, 0.5, 40)
    assert np.all(np.diff(damped) < 0) and damped[-1] > np.exp(-0.02 * 1.0 - 1e-9)


def test_rates_come_from_scb_and_say_so() -> None:
    for code in ("2480", "2482", "2580", "2581", "2582"):
        fit = fitted(code, (2008, 2017))
        assert 1.4 < fit.total_fertility < 2.1, code
        assert np.all((fit.mortality_level > 0.8) & (fit.mortality_level < 1.3)), code
        text = " ".join(fit.notes)
        assert "TAB1264" in text and "TAB5248" in text and "2008–2017" in text
    # Luleå has its own deaths, Umeå borrows the attrition of the old
    assert "TAB959" in fitted("2580", (2008, 2017)).notes[1]
    assert "attrition" in fitted("2480", (2008, 2017)).notes[1]
    # the 2025 direct flows are used only when the window reaches 2024
    assert "TAB6640" in fitted("2580", (2015, LAST_YEAR)).notes[2]
    assert "TAB6640" not in fitted("2580", (2008, 2017)).notes[2]
    assert "no age data" in pooled((2008, 2017)).notes[0]
    death = national_death(2017)
    assert np.all(np.diff(death[:, 45:99], axis=1) > 0)  # mortality rises with age
    assert np.all(death[0, 40:] > death[1, 40:])  # men die younger
    assert np.all(national_death(2024) <= national_death(2017))  # and it falls over time
    assert components().improvement[:, 80].min() > 0.005


def test_deaths_and_births_reproduce_scb_counts() -> None:
    """Luleå's fitted mortality applied to its 2017 population gives about SCB's deaths."""
    fit = fitted("2580", (2008, 2017))
    start = observed("2580", 2016)
    assert start is not None
    expected = float((start * national_death(2017) * fit.mortality_level[:, None]).sum())
    actual = float(components().deaths["2580"][2017 - 2006, :, 1:].sum())
    assert expected == pytest.approx(actual, rel=0.1)
    births = float((start[1] * fit.fertility).sum())
    assert births == pytest.approx(components().births["2580"][2017 - 2006].sum(), rel=0.1)


@pytest.mark.parametrize("code", ["2580", "2480"])
def test_projection_from_2017_lands_near_2024(code: str) -> None:
    projected = project_from(code, 2017, 7)[-1]
    actual = observed(code, 2024)
    assert actual is not None
    assert projected.sum() == pytest.approx(actual.sum(), rel=0.015)
    assert projected[:, 80:].sum() == pytest.approx(actual[:, 80:].sum(), rel=0.03)


def test_backtest_rows_and_bands() -> None:
    result = backtest("2581", 2017, 2024)
    rows = [r for r in result["rows"] if r["sex"] == "all"]
    assert len(rows) == 7 * 8
    total_2024 = next(r for r in rows if r["year"] == 2024 and r["age_group"] == "total")
    assert total_2024["projected_p10"] < total_2024["projected_p50"] < total_2024["projected_p90"]
    assert total_2024["actual"] == 42447.0
    width = [r["projected_p90"] - r["projected_p10"] for r in rows if r["age_group"] == "total"]
    assert width == sorted(width)  # the band widens with the horizon
    men = sum(r["projected_p50"] for r in result["rows"]
              if r["sex"] == "men" and r["year"] == 2024 and r["age_group"] != "total")
    women = sum(r["projected_p50"] for r in result["rows"]
                if r["sex"] == "women" and r["year"] == 2024 and r["age_group"] != "total")
    assert men + women == pytest.approx(total_2024["projected_p50"], abs=1.0)
    assert model_error()[7, -1] > model_error()[1, -1] > 0
    # beyond the data: projected, no actual
    assert backtest("2581", 2020, 2030)["rows"][-1]["actual"] is None


def test_kernel_of_one_arrival_conserves_people() -> None:
    rates = rates_from(fitted("2482", (2008, 2017)))
    profile = np.zeros((2, 101))
    profile[1, 30] = 1.0  # one woman aged 30
    k = kernels(rates, profile, 10)
    col = {name: i for i, name in enumerate(SUMMARY)}
    assert k[0, col["population"]] == 1.0 and k[0, col["net_migration"]] == 1.0
    change = k[1:, col["births"]] - k[1:, col["deaths"]]
    np.testing.assert_allclose(np.diff(k[:, col["population"]]), change, atol=1e-12)
    assert 0.1 < k[:, col["births"]].sum() < 1.0  # she has children over the decade


def test_core_does_not_import_the_edges() -> None:
    forbidden = ("lotsen.services", "lotsen.cli", "lotsen.web", "lotsen.api")
    for module in PACKAGE.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(forbidden), f"{module.name} imports {name}"


def test_projection_from_a_given_window() -> None:
    """A shorter window averages other years' migration; a window past the origin is refused."""
    default = project_from("2480", 2017, 3)
    short = project_from("2480", 2017, 3, (2015, 2017))
    assert not np.allclose(default, short)
    np.testing.assert_array_equal(short, project_from("2480", 2017, 3, (2015, 2017)))
    with pytest.raises(InvalidInput):
        project_from("2480", 2017, 3, (2010, 2019))
