"""Bad scenario files: every error names the key and the line it is on (TOML and YAML)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lotsen.errors import InvalidInput
from lotsen.scenario import load_scenario, parse_scenario

GOOD_TOML = """\
name = "Test"
municipality = "2482"
occupation_mix = "battery-cell-factory"
local_hire_share = { low = 0.2, mode = 0.3, high = 0.4 }
[years]
start = 2020
end = 2030
[direct_jobs]
2021 = 100
2023 = 500
[construction]
workers = { 2020 = 200, 2022 = 0 }
[commuting]
area = [
  "2417",
  "2581",
]
"""

GOOD_YAML = """\
name: Test
municipality: "2582"
years:
  start: 2025
  end: 2035
direct_jobs:
  2026: 300
  2028: 900
commuting:
  shares:
    "2582": 0.6
    "2580": 0.4
occupation_mix:
  "8129": 0.5
  "7233": 0.5
"""


def error_of(text: str, kind: str = "toml", name: str = "s.toml") -> str:
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(text, name, kind)
    return str(caught.value)


def test_good_files_parse() -> None:
    toml = parse_scenario(GOOD_TOML, "s.toml")
    assert toml.area == ("2482", "2417", "2581")
    assert toml.parameters["local_hire_share"].mode == 0.3
    assert "local_hire_share" in toml.overridden
    assert toml.direct_series()[[0, 1, 2, 3, 10]].tolist() == [0, 100, 300, 500, 500]
    assert toml.construction_series()[:4].tolist() == [200, 100, 0, 0]
    yaml = parse_scenario(GOOD_YAML, "s.yaml", "yaml")
    assert yaml.area_shares == {"2582": 0.6, "2580": 0.4}
    assert yaml.occupation_mix == {"8129": 0.5, "7233": 0.5}


@pytest.mark.parametrize(("old", "new", "expected"), [
    # unknown keys, top level and nested, with a suggestion
    ('name = "Test"', 'name = "Test"\nlocal_hire_shar = 0.3', "s.toml:2: local_hire_shar: "
                                                             "unknown key 'local_hire_shar'"),
    ("end = 2030", "end = 2030\nstop = 2031", "s.toml:8: years.stop: unknown key"),
    # shares that do not sum to 1
    ('occupation_mix = "battery-cell-factory"', 'occupation_mix = { "8189" = 0.5, "7233" = 0.4 }',
     "s.toml:3: occupation_mix: shares must sum to 1, they sum to 0.9"),
    # negative jobs, in the ramp and in the construction workforce
    ("2023 = 500", "2023 = -5", "s.toml:10: direct_jobs.2023: jobs must not be negative"),
    ("workers = { 2020 = 200, 2022 = 0 }", "workers = { 2020 = -200 }",
     "s.toml:12: construction.workers.2020: workers must not be negative"),
    # unknown municipality codes: the host, and an item of a multi-line array
    ('municipality = "2482"', 'municipality = "2499"', "s.toml:2: municipality: unknown "
                                                       "municipality code '2499'"),
    ('  "2581",', '  "9999",', "s.toml:16: commuting.area.1: unknown municipality code '9999'"),
    # a year range of zero length
    ("end = 2030", "end = 2020", "s.toml:7: years.end: the year range 2020–2020 has zero length"),
    # ranges out of order, shares above 1, unknown SSYK-4 codes and templates
    ("low = 0.2, mode = 0.3", "low = 0.35, mode = 0.3",
     "s.toml:4: local_hire_share: needs low <= mode <= high"),
    ("high = 0.4 }", "high = 1.4 }", "s.toml:4: local_hire_share: is a share"),
    ('occupation_mix = "battery-cell-factory"', 'occupation_mix = { "8189" = 0.5, "0000" = 0.5 }',
     "s.toml:3: occupation_mix.0000: unknown SSYK-4 code '0000'"),
    ('occupation_mix = "battery-cell-factory"', 'occupation_mix = "chip-fab"',
     "s.toml:3: occupation_mix: unknown occupation template 'chip-fab'"),
    ("2021 = 100", "2040 = 100", "s.toml:9: direct_jobs.2040: year 2040 is outside"),
])
def test_toml_errors_name_key_and_line(old: str, new: str, expected: str) -> None:
    assert old in GOOD_TOML
    assert expected in error_of(GOOD_TOML.replace(old, new, 1))


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("name: Test", "name: Test\nhouseholds:\n  kids: 2", "s.yaml:3: households.kids: unknown key"),
    ('    "2580": 0.4', '    "2580": 0.3', "s.yaml:10: commuting.shares: shares must sum to 1"),
    ("  2028: 900", "  2028: -900", "s.yaml:8: direct_jobs.2028: jobs must not be negative"),
    ('    "2580": 0.4', '    "1234": 0.4', "s.yaml:12: commuting.shares.1234: unknown "
                                            "municipality code"),
    ("  end: 2035", "  end: 2025", "s.yaml:5: years.end: the year range 2025–2025 has zero "
                                   "length"),
    ('  "8129": 0.5', '  "8129": 0.7', "s.yaml:13: occupation_mix: shares must sum to 1"),
])
def test_yaml_errors_name_key_and_line(old: str, new: str, expected: str) -> None:
    assert old in GOOD_YAML
    assert expected in error_of(GOOD_YAML.replace(old, new, 1), "yaml", "s.yaml")


def test_required_keys_and_top_level_after_table() -> None:
    assert "s.toml: direct_jobs: is required" in error_of(
        GOOD_TOML.split("[direct_jobs]")[0])
    late = GOOD_TOML + "\n[direct_jobs.extra]\n"  # a table inside the ramp
    assert "direct_jobs" in error_of(late)
    misplaced = GOOD_TOML.replace("[construction]", "realisation = 0.5\n[construction]")
    message = error_of(misplaced)
    assert "s.toml:11: direct_jobs.realisation" in message and "before the first [table]" in message


def test_files_on_disk_and_syntax_errors(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text('name = "x"\nmunicipality = \n', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"broken\.toml:2: not valid TOML"):
        load_scenario(bad)
    odd = tmp_path / "scenario.json"
    odd.write_text("{}", encoding="utf-8")
    with pytest.raises(InvalidInput, match="must end in .toml, .yaml or .yml"):
        load_scenario(odd)
    yaml = tmp_path / "dup.yaml"
    yaml.write_text("name: a\nname: b\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"dup\.yaml:2: name: duplicate key"):
        load_scenario(yaml)


def test_custom_regions_need_a_population() -> None:
    text = GOOD_TOML + '\n[regions."US-NV-STOREY"]\nname = "Storey County"\n'
    assert 's.toml:19: regions.US-NV-STOREY: needs a population' in error_of(text)
    looks_swedish = GOOD_TOML + '\n[regions."1234"]\npopulation = 5\n'
    assert "must not look like a Swedish municipality code" in error_of(looks_swedish)
