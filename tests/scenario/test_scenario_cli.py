"""`lotsen scenario run|validate` as a script would call them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli_runner import run_cli as run

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "scenarios" / \
    "boden-steel-hydrogen.yaml"




def test_run_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenario", "run", str(EXAMPLE), "--runs", "60", "--seed", "3",
                       "--json")
    assert code == 0
    data = json.loads(out)
    assert data["run"] == {"runs": 60, "seed": 3, "method": "kernel",
                           "percentiles": [10, 50, 90], "base_year": 2024}
    codes = [m["code"] for m in data["municipalities"]]
    assert codes == ["2582", "2580", "2581", "2560"]
    assert len(data["rows"]) == 20 * 4 and len(data["area"]) == 20
    row = data["rows"][0]
    assert set(row) == {"year", "municipality_code", "municipality_name", "metrics"}
    assert set(row["metrics"]["population"]) == {"p10", "p50", "p90"}
    assert set(data["metrics"]) == set(row["metrics"])
    assert {"parameters", "model", "places"} <= set(data["assumptions"])
    assert all({"id", "title", "checked", "used_for"} <= set(s) for s in data["sources"])
    assert data["sensitivity"][0]["rank"] == 1
    need = data["needs"][0]
    assert set(need) == {"year", "municipality_code", "ssyk4", "headcount"}
    # the same seed prints the same document
    assert run(capsys, "scenario", "run", str(EXAMPLE), "--runs", "60", "--seed", "3",
               "--json")[1] == out


def test_run_prints_a_swedish_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenario", "run", str(EXAMPLE), "--runs", "40")
    assert code == 0
    assert "Direkta jobb" in out and "Pendlingsområde" in out and "Luleå" in out
    # the share of construction workers who register is fitted on Skellefteå: said so
    flat = " ".join(out.split())  # the console wraps long lines
    assert "i urvalet, ingen extern källa): construction.registered_share" in flat


def test_bad_file_exits_2_naming_key_and_line(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace('"2580": 0.45', '"2580": 0.55'),
                   encoding="utf-8")
    for command in ("run", "validate"):
        code, out, err = run(capsys, "scenario", command, str(bad), "--json")
        assert code == 2 and out == ""
        assert err.startswith(f"error: {bad}:")
        assert "commuting.shares: shares must sum to 1, they sum to 1.1" in err
        assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "scenario", "run", str(tmp_path / "missing.toml"))
    assert code == 2 and "cannot read the scenario file" in err


def test_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenario", "validate", str(EXAMPLE), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["valid"] is True and data["municipality_code"] == "2582"
    assert "realisation" in data["uncertain_parameters"]


def test_backtest_json_rows(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenario", "backtest", "2582", "--origin", "2016", "--to",
                       "2024", "--json")
    assert code == 0
    rows = json.loads(out)["rows"]
    assert set(rows[0]) == {"year", "age_group", "sex", "projected_p10", "projected_p50",
                            "projected_p90", "actual"}
    assert {r["age_group"] for r in rows} == {"0", "1–5", "6–15", "16–19", "20–64", "65–79",
                                              "80+", "total"}
    assert {r["year"] for r in rows} == set(range(2017, 2025))
    total = next(r for r in rows if r["year"] == 2024 and r["age_group"] == "total"
                 and r["sex"] == "all")
    assert total["actual"] == 28049.0
    assert abs(total["projected_p50"] / total["actual"] - 1) < 0.05


def test_backtest_with_a_scenario_must_start_after_the_origin(
        capsys: pytest.CaptureFixture[str]) -> None:
    backtest = EXAMPLE.parent / "backtests" / "skelleftea-known-2017.toml"
    code, _, err = run(capsys, "scenario", "backtest", "2482", "--origin", "2016", "--to",
                       "2020", "--scenario", str(backtest))
    assert code == 2 and "start = 2017" in err
    code, out, _ = run(capsys, "scenario", "backtest", "2482", "--origin", "2017", "--to",
                       "2020", "--scenario", str(backtest), "--runs", "50", "--json")
    rows = json.loads(out)["rows"]
    assert {r["sex"] for r in rows} == {"all"} and max(r["year"] for r in rows) == 2020
    assert all(r["projected_p10"] <= r["projected_p50"] <= r["projected_p90"] for r in rows)
