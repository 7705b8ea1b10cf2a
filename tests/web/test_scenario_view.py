"""The scenario page's Swedish: every kind of scenario-file error reads in Swedish with its
file, line and key; every export table has the columns it promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lotsen.errors import InvalidInput, LimitExceeded
from lotsen.scenario import parse_scenario
from lotsen.services import scenarios
from lotsen.services.access import SYSTEM
from lotsen.web import scenario_view
from lotsen.web.app import create_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"
TOML = (EXAMPLES / "skelleftea-gigafactory.toml").read_text(encoding="utf-8")
YAML = (EXAMPLES / "boden-steel-hydrogen.yaml").read_text(encoding="utf-8")
ENGLISH = re.compile(r"\b(must|unknown|got|allowed|needs|shares|between|table of|is required|"
                     r"outside|negative|did you mean)\b")

# (text, kind, replaced, replacement, key the error must name)
SPOILED = [
    (TOML, "toml", "local_hire_share = {", "local_hire_shar = {", "local_hire_shar"),
    (TOML, "toml", "end = 2037", "end = 2018", "years.end"),
    (TOML, "toml", 'municipality = "2482"', 'municipality = "9999"', "municipality"),
    (TOML, "toml", "2020 = 400", "2020 = -400", "direct_jobs.2020"),
    (TOML, "toml", "2020 = 400", "2050 = 400", "direct_jobs.2050"),
    (TOML, "toml", 'occupation_mix = "battery-cell-factory"',
     'occupation_mix = { "8189" = 0.5, "4322" = 0.4 }', "occupation_mix"),
    (TOML, "toml", 'occupation_mix = "battery-cell-factory"', 'occupation_mix = "no-such"',
     "occupation_mix"),
    (TOML, "toml", 'occupation_mix = "battery-cell-factory"',
     'occupation_mix = { "0000" = 1.0 }', "occupation_mix.0000"),
    (TOML, "toml", 'industry = "battery-manufacturing"', 'industry = "banking"', "industry"),
    (TOML, "toml", "realisation = { low = 0.4, mode = 0.85, high = 1.0 }",
     "realisation = { low = 0.9, mode = 0.85, high = 1.0 }", "realisation"),
    (TOML, "toml", "realisation = { low = 0.4, mode = 0.85, high = 1.0 }",
     "realisation = { low = 0.4, mode = 0.85 }", "realisation"),
    (TOML, "toml", "local_hire_share = { low = 0.2, mode = 0.3, high = 0.45 }",
     "local_hire_share = { low = 0.2, mode = 0.3, high = 1.45 }", "local_hire_share"),
    (TOML, "toml", "local_hire_share = { low = 0.2, mode = 0.3, high = 0.45 }",
     "local_hire_share = { low = 0.2, mode = 0.95, high = 0.99 }", "commuter_share"),
    (TOML, "toml", "commuter_share = { low = 0.05, mode = 0.1, high = 0.2 }",
     'commuter_share = "many"', "commuter_share"),
    (TOML, "toml", "distance_decay_km = 30", "distance_decay_km = 0",
     "commuting.distance_decay_km"),
    (TOML, "toml", "[years]", "[years", None),
    (YAML, "yaml", '"2580": 0.45', '"2580": 0.55', "commuting.shares"),
    (YAML, "yaml", "years:\n", "years: 2025\nyearz:\n", "years"),
    (YAML, "yaml", "  2026: 300", "  2026: lots", "direct_jobs.2026"),
]


@pytest.mark.parametrize(("text", "kind", "old", "new", "key"), SPOILED)
def test_every_file_error_reads_in_swedish_with_line_and_key(
    text: str, kind: str, old: str, new: str, key: str | None
) -> None:
    assert old in text
    spoiled = text.replace(old, new, 1)
    with pytest.raises(InvalidInput) as caught:
        parse_scenario(spoiled, f"fabrik.{kind}", kind)
    shown = scenario_view.swedish_error(caught.value)
    assert shown["file"] == f"fabrik.{kind}"
    assert shown["key"] == key
    assert isinstance(shown["line"], int) and shown["line"] > 0
    assert shown["message"] and not ENGLISH.search(shown["message"]), shown["message"]
    # The same place as the English message the CLI prints.
    assert caught.value.location == ":".join(
        [f"fabrik.{kind}", str(shown["line"])]) + (f": {key}" if key else "")


def test_form_field_errors_name_the_field() -> None:
    shown = scenario_view.swedish_error(LimitExceeded(
        "runs must be between 1 and 20,000, got 0", "runs", quantity="runs", limit=20_000,
        value=0))
    assert shown == {"file": "", "line": None, "key": "runs",
                     "message": "Antal körningar ska vara 1–20\u202f000; 0 angavs."}


def test_every_export_table_has_its_columns() -> None:
    document = scenarios.run_example("boden-steel-hydrogen", runs=40, seed=3, actor=SYSTEM)
    for table, (_, columns) in scenario_view.EXPORTS.items():
        rows = scenario_view.export_rows(document, table)
        assert rows, table
        keys = [key for key, _ in columns]
        assert all(set(keys) <= set(row) for row in rows), table
    assert len(scenario_view.export_rows(document, "kommuner")) == len(document["rows"])
    assert len(scenario_view.export_rows(document, "utbildning")) == len(document["needs"])


def test_the_page_says_which_parameter_is_fitted_on_skelleftea() -> None:
    document = scenarios.run_example("boden-steel-hydrogen", runs=40, seed=3, actor=SYSTEM)
    rows = {row["parameter"]: row for row in scenario_view.assumption_rows(document)}
    assert "i urvalet" in rows["construction.registered_share"]["sources"]
    assert "i urvalet" not in rows["households.arrival_lag_years"]["sources"]
    assert rows["households.arrival_lag_years"]["sources"].startswith("SAKNAR KÄLLA")


@pytest.fixture(scope="module")
def client(demo_sqlite_url: str) -> TestClient:
    return TestClient(create_app(demo_sqlite_url))


def test_a_chosen_file_is_run_even_with_the_example_ticked(client: TestClient) -> None:
    """Without JavaScript the radio does not follow the file picker: the file still wins."""
    response = client.post("/scenarier", data={"kalla": "exempel",
                                               "exempel": "skelleftea-gigafactory",
                                               "korningar": "40"},
                           files={"fil": ("boden.yaml", YAML.encode(), "application/yaml")})
    assert response.status_code == 200
    assert "Vätgasstålverk i Boden" in response.text
    assert "Batterifabrik i Skellefteå (Northvolt Ett-liknande)</h2>" not in response.text


@pytest.mark.parametrize(("fields", "expected"), [
    ({"lokal_trolig": "0,5"}, "fyll i alla tre värdena"),
    ({"korningar": "många"}, "Antal körningar: skriv ett tal"),
    ({"korningar": "0"}, "Antal körningar ska vara 1–20\u202f000; 0 angavs."),
    ({"direkta_jobb": "-10"}, "antalet får inte vara negativt"),
    ({"lokal_lag": "0,9", "lokal_trolig": "0,5", "lokal_hog": "1"}, "kräver low ≤ mode ≤ high"),
])
def test_form_values_are_checked_in_swedish(client: TestClient, fields: dict[str, str],
                                            expected: str) -> None:
    response = client.get("/scenarier", params={"exempel": "boden-steel-hydrogen", **fields})
    assert response.status_code == 422
    assert expected in response.text and 'role="alert"' in response.text
    assert 'data-testid="scenario-result"' not in response.text
