"""The foundation pages in a real browser: start page, search with autocomplete, lists."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_start_page_shows_the_region_in_swedish(page: Any) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kompetensförsörjning")
    expect(page.get_by_test_id("fig-municipalities")).to_have_text("9")
    expect(page.get_by_test_id("fig-people")).to_have_text("400")
    expect(page.get_by_role("note")).to_contain_text("syntetiska")


def test_autocomplete_suggests_occupations_without_diacritics(page: Any) -> None:
    page.goto("/")
    box = page.get_by_role("combobox", name="Yrke, kompetens eller sökord")
    box.fill("lakare")
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    expect(page.get_by_role("listbox")).to_contain_text(re.compile("Läkare"))
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value(re.compile("^Läkare|läkare", re.IGNORECASE))


def test_search_page_lists_hits_with_ssyk(page: Any) -> None:
    page.goto("/taxonomi?q=montörer")
    table = page.get_by_test_id("taxonomy-results")
    expect(table).to_contain_text(re.compile("montör", re.IGNORECASE))


def test_needs_list_pages_and_filters(page: Any) -> None:
    page.goto("/behov")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kompetensbehov")
    rows = page.get_by_test_id("list-table").locator("tbody tr")
    expect(rows).to_have_count(50)
    page.get_by_label("Kommun (kod)").fill("2582")
    page.get_by_role("button", name="Filtrera").click()
    expect(page).to_have_url(re.compile("kommun=2582"))
    first_municipality = page.get_by_test_id("list-table").locator("tbody tr td").nth(4)
    expect(first_municipality).to_have_text("Boden")


def test_people_list_is_pseudonymous(page: Any) -> None:
    page.goto("/arbetssokande")
    expect(page.get_by_role("columnheader", name="Pseudonym")).to_be_visible()
    first = page.get_by_test_id("list-table").locator("tbody tr td").first
    expect(first).to_have_text(re.compile(r"^P[0-9A-F]{10}$"))
