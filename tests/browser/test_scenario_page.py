"""The scenario page in a real browser: run the Skellefteå example, read the bands, change a
parameter, export a table, hand the needs to the gap report, and a bad file in Swedish."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from lotsen.web.scenario_view import CHARTS

from . import test_roles as roles
from .test_roles import login, serious

pytestmark = pytest.mark.browser
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "scenarios"
EXAMPLE = EXAMPLES / "skelleftea-gigafactory.toml"
# The signed-in server (LOTSEN_AUTH=on, demo accounts) and its tab, from the roles tests.
auth_server = roles.auth_server
tab = roles.tab


def _number(text: str) -> float:
    return float(re.sub(r"[\s\u202f\u00a0]", "", text).replace(",", "."))


def _bands(page: Any) -> dict[str, list[tuple[float, float, float]]]:
    """The year table as metric → [(P10, P50, P90) per year], read from the rendered cells."""
    cells = page.get_by_test_id("scenario-years").locator("tbody td").evaluate_all(
        "cells => cells.map(c => [c.dataset.metric, c.dataset.band, c.textContent])")
    years = page.get_by_test_id("scenario-years").locator("tbody tr").count()
    out: dict[str, list[list[float]]] = {}
    for metric, band, text in cells:
        series = out.setdefault(metric, [])
        if band == "p10":
            series.append([])
        series[-1].append(_number(text))
    assert all(len(series) == years for series in out.values())
    return {m: [(a, b, c) for a, b, c in series] for m, series in out.items()}


def _run_example(page: Any) -> dict[str, list[tuple[float, float, float]]]:
    page.goto("/scenarier")
    page.get_by_label("Exempel", exact=True).select_option("skelleftea-gigafactory")
    page.get_by_role("button", name="Kör scenariot").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("Batterifabrik i Skellefteå"))
           ).to_be_visible()
    return _bands(page)


def test_the_example_shows_bands_in_order_and_reacts_to_a_parameter(page: Any) -> None:
    bands = _run_example(page)
    # Every chart of the page (jobs, movers, population, schools, school stages, care,
    # the elderly, dwellings) drawn by the offline plotly, each band a filled area.
    expect(page.get_by_test_id("band-chart")).to_have_count(len(CHARTS))
    expect(page.locator("#chart-jobb .main-svg").first).to_be_attached()
    assert page.locator("#chart-jobb path.js-fill").count() >= 3
    expect(page.locator("#chart-jobb")).to_have_attribute("role", "img")
    assert "tabellen" in (page.locator("#chart-jobb").get_attribute("aria-label") or "")
    # P10 <= P50 <= P90 in every cell of the rendered table, and the bands are real bands.
    assert len(bands["direct_jobs"]) == 20
    for metric, series in bands.items():
        for p10, p50, p90 in series:
            assert p10 <= p50 <= p90, metric
    last = {m: series[-1] for m, series in bands.items()}
    assert last["direct_jobs"][0] < last["direct_jobs"][2]
    assert last["population_added"][1] > 0 and last["housing_units_added"][1] > 0
    # The per-municipality, sensitivity, assumptions, sources and training tables are there.
    places = page.get_by_test_id("scenario-places").locator("tbody tr")
    expect(places).to_have_count(6)
    expect(places.first).to_contain_text("Skellefteå (värdkommun)")
    expect(page.get_by_test_id("scenario-sensitivity").locator("tbody tr").first
           ).to_contain_text("realisation")
    expect(page.get_by_test_id("scenario-assumptions")).to_contain_text("Scenariofilen")
    expect(page.get_by_test_id("scenario-sources")).to_contain_text("moretti-thulin-2013")
    assert page.get_by_test_id("training-occupations").locator("tbody tr").count() > 5
    assert serious(page) == []

    # Half the direct jobs at full capacity: the direct-job band halves (same seed).
    hint = page.locator("#direkta-hint").inner_text()
    peak = _number(re.search(r"I scenariot: ([\d\s\u202f]+)", hint).group(1))  # type: ignore[union-attr]
    page.get_by_label("Direkta jobb vid full drift").fill(str(int(peak / 2)))
    page.keyboard.press("Enter")  # keyboard only: Enter in a field submits the form
    expect(page.get_by_label("Direkta jobb vid full drift")).to_have_value(str(int(peak / 2)))
    halved = _bands(page)
    for before, after in zip(bands["direct_jobs"], halved["direct_jobs"], strict=True):
        assert all(abs(b / 2 - a) <= 1 for a, b in zip(after, before, strict=True))
    assert halved["population_added"][-1][1] < last["population_added"][1]
    # More local hiring: fewer households move in.
    page.get_by_label("Lokal rekrytering, lägst").fill("0,7")
    page.get_by_label("Lokal rekrytering, troligast").fill("0,8")
    page.get_by_label("Lokal rekrytering, högst").fill("0,85")
    page.get_by_label("Slumpfrö").focus()
    page.keyboard.press("Tab")  # the run button comes next in the tab order
    expect(page.get_by_role("button", name="Kör scenariot")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Lokal rekrytering, troligast")).to_have_value("0,8")
    local = _bands(page)
    assert local["in_migrant_households"][-1][1] < halved["in_migrant_households"][-1][1]
    assert local["direct_jobs"] == halved["direct_jobs"]


def test_the_year_table_exports_as_csv_and_the_needs_go_to_the_gap_report(page: Any) -> None:
    bands = _run_example(page)
    with page.expect_download() as download:
        page.get_by_test_id("export-years-csv").click()
    rows = list(csv.reader(io.StringIO(
        Path(download.value.path()).read_text("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["År", "Direkta jobb P10", "Direkta jobb P50", "Direkta jobb P90"]
    assert len(rows) == 21
    assert [round(float(r[2])) for r in rows[1:]] == [round(b[1]) for b in bands["direct_jobs"]]

    text = page.get_by_test_id("add-to-gaps").locator("xpath=..").inner_text()
    added = _number(re.search(r"– ([\d\s\u202f]+) personer", text).group(1))  # type: ignore[union-attr]
    page.get_by_test_id("add-to-gaps").click()
    expect(page).to_have_url(re.compile(r"/utbildningsgap\?scenario="))
    expect(page.get_by_test_id("gap-scenario")).to_contain_text("Batterifabrik i Skellefteå")
    row = page.get_by_test_id("gap-sources").locator("tbody tr", has_text="Scenario:")
    expect(row).to_have_count(1)
    assert _number(row.locator("td").first.inner_text()) == added
    expect(page.get_by_label(re.compile("Lägg till ett etableringsscenario"))).to_be_visible()
    assert serious(page) == []


def test_a_bad_file_is_explained_in_swedish_with_key_and_line(page: Any, tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "local_hire_share = {", "local_hire_shar = {", 1)
    line = next(i for i, row in enumerate(text.splitlines(), start=1)
                if row.startswith("local_hire_shar "))
    bad = tmp_path / "min-fabrik.toml"
    bad.write_text(text, encoding="utf-8")
    page.goto("/scenarier")
    page.get_by_label("Scenariofil (.toml eller .yaml)").set_input_files(str(bad))
    # choosing a file selects the upload as the source (keyboard users can pick the radio)
    expect(page.get_by_label("Ladda upp en egen fil")).to_be_checked()
    with page.expect_response(re.compile(r"/scenarier$")) as answer:
        page.get_by_role("button", name="Kör scenariot").click()
    assert answer.value.status == 422
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("min-fabrik.toml")
    expect(alert).to_contain_text(f"rad {line}")
    expect(alert).to_contain_text("local_hire_shar")
    expect(alert).to_contain_text("okänd nyckel")
    expect(alert).to_contain_text("menade du ”local_hire_share”")
    expect(page.get_by_test_id("scenario-result")).to_have_count(0)
    # the text stays in the box to be corrected and run again
    box = page.get_by_label("Scenariofilens text (TOML eller YAML)")
    assert "local_hire_shar = {" in box.input_value()
    assert serious(page) == []
    box.fill(box.input_value().replace("local_hire_shar = {", "local_hire_share = {"))
    page.get_by_role("button", name="Kör scenariot").click()
    expect(page.get_by_test_id("scenario-result")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)


@pytest.mark.auth
def test_a_signed_in_analyst_uploads_a_scenario_and_downloads_a_table(
    tab: Any, auth_server: Any
) -> None:
    """With sessions and CSRF on: the upload form posts, the export rides on the session."""
    login(tab, auth_server, "analytiker")
    tab.get_by_role("link", name="Scenarier").click()
    expect(tab).to_have_url(re.compile(r"/scenarier$"))
    tab.get_by_label("Ladda upp en egen fil").check()
    tab.get_by_label("Scenariofil (.toml eller .yaml)").set_input_files(
        str(EXAMPLES / "boden-steel-hydrogen.yaml"))
    tab.get_by_label("Antal körningar").fill("200")
    tab.get_by_role("button", name="Kör scenariot").click()
    expect(tab.get_by_role("heading", level=2, name=re.compile("Vätgasstålverk i Boden"))
           ).to_be_visible()
    expect(tab.get_by_test_id("scenario-run")).to_contain_text("200 körningar")
    with tab.expect_download() as download:
        tab.get_by_test_id("export-places-csv").click()
    rows = list(csv.reader(io.StringIO(
        Path(download.value.path()).read_text("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["År", "Kommunkod", "Kommun"]
    assert {r[2] for r in rows[1:]} >= {"Boden", "Luleå"}
    assert len(rows) == 1 + 20 * len({r[1] for r in rows[1:]})


@pytest.mark.auth
def test_a_lotsare_saves_a_run_shares_it_reopens_it_and_deletes_it(
    tab: Any, auth_server: Any
) -> None:
    """Run the example, save it under a name (CSRF on), find it in the list, open it after
    a reload (read from the database, not the process), then delete it."""
    name = "Skellefteå – delad körning från webbläsartestet"
    login(tab, auth_server, "lots.lulea-boden")
    tab.goto("/scenarier")
    tab.get_by_label("Exempel", exact=True).select_option("skelleftea-gigafactory")
    tab.get_by_label("Antal körningar").fill("200")
    tab.get_by_role("button", name="Kör scenariot").click()
    expect(tab.get_by_test_id("scenario-run")).to_contain_text("200 körningar")
    bands = _bands(tab)
    expect(tab.get_by_role("heading", name="Spara och dela med regionen")).to_be_visible()
    assert serious(tab) == []
    tab.get_by_label("Namn på det sparade scenariot").fill(name)
    tab.get_by_role("button", name="Spara och dela med regionen").click()
    expect(tab).to_have_url(re.compile(r"/scenarier/sparade/\d+$"))
    saved_url = tab.url
    expect(tab.get_by_role("heading", level=1)).to_contain_text(name)
    expect(tab.get_by_test_id("saved-meta")).to_contain_text("lots.lulea-boden")

    tab.goto("/scenarier")
    listed = tab.get_by_test_id("saved-scenarios")
    expect(listed.get_by_role("link", name=name)).to_be_visible()
    assert serious(tab) == []
    listed.get_by_role("link", name=name).click()
    expect(tab).to_have_url(saved_url)
    tab.reload()
    expect(tab.get_by_test_id("scenario-run")).to_contain_text("200 körningar")
    assert _bands(tab) == bands
    expect(tab.get_by_test_id("band-chart")).to_have_count(len(CHARTS))
    expect(tab.get_by_test_id("add-to-gaps")).to_have_attribute(
        "href", re.compile(r"scenario=saved%3A\d+$"))
    with tab.expect_download() as download:
        tab.get_by_test_id("export-years-csv").click()
    rows = list(csv.reader(io.StringIO(
        Path(download.value.path()).read_text("utf-8-sig")), delimiter=";"))
    assert len(rows) == 21
    assert serious(tab) == []
    tab.get_by_test_id("add-to-gaps").click()
    expect(tab.get_by_test_id("gap-scenario")).to_contain_text("Batterifabrik i Skellefteå")

    tab.goto(saved_url)
    tab.get_by_test_id("delete-saved").click()
    expect(tab).to_have_url(re.compile(r"/scenarier$"))
    expect(tab.get_by_role("link", name=name)).to_have_count(0)
    assert tab.goto(saved_url).status == 404  # type: ignore[union-attr]
