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
