"""Demography on the shipped SCB data, and the import contract of the core package."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from lotsen.scenario.demography import fit_rates, fitted, rates_from, standard_death
from lotsen.scenario.projection import SUMMARY, kernels, project
from lotsen.scenario.regional_data import FIRST_YEAR, observed, observed_population

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "lotsen" / "scenario"


def test_fit_uses_only_the_window() -> None:
    """A back-test fitted on 2006–2017 must not see 2018+: cut the data, same fit."""
    series = observed_population()["2482"]
    cut = fit_rates(series[: 2017 - FIRST_YEAR + 1], FIRST_YEAR, (2006, 2017))
    full = fitted("2482", (2006, 2017))
    assert cut.total_fertility == full.total_fertility
    np.testing.assert_array_equal(cut.net_migration, full.net_migration)


def test_fitted_levels_are_plausible() -> None:
    for code in ("2480", "2482", "2580", "2581", "2582"):
        fit = fitted(code, (2007, 2017))
        assert 1.4 < fit.total_fertility < 2.1, code
        assert 0.8 < fit.mortality_level < 1.4, code
    death = standard_death()
    assert np.all(np.diff(death[:, 30:], axis=1) > 0)  # mortality rises with age
    assert np.all(death[0, 40:] > death[1, 40:])  # men die younger


@pytest.mark.parametrize("code", ["2581", "2582"])
def test_projection_from_2017_lands_near_2024(code: str) -> None:
    rates = rates_from(fitted(code, (2006, 2017)))
    start = observed(code, 2017)
    assert start is not None
    summary, _ = project(start, rates, 7)
    actual = observed(code, 2024)
    assert actual is not None
    assert summary[-1, 0] == pytest.approx(actual.sum(), rel=0.01)
    # and the fit window is reproduced on average (the projection starts in 2006)
    first = observed(code, 2006)
    assert first is not None
    window, _ = project(first, rates, 11)
    assert window[-1, 0] == pytest.approx(observed(code, 2017).sum(), rel=0.005)  # type: ignore[union-attr]


def test_kernel_of_one_arrival_conserves_people() -> None:
    rates = rates_from(fitted("2482", (2007, 2017)))
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
