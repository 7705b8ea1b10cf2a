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
    page.get_by_label("Kommun", exact=True).fill("Boden")  # by name, not by code
    page.get_by_role("button", name="Filtrera").click()
    expect(page).to_have_url(re.compile("kommun=Boden"))
    column = page.get_by_test_id("list-table").locator("tbody tr td:nth-child(5)")
    expect(column.first).to_have_text("Boden")
    assert set(column.all_inner_texts()) == {"Boden"}
    # The headings sort the list: press "Antal" twice for the largest first.
    page.get_by_role("button", name="Antal").click()
    page.get_by_role("button", name="Antal").click()
    counts = [int(c) for c in page.get_by_test_id("list-table")
              .locator("tbody tr td:nth-child(3)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)


def test_people_list_is_pseudonymous(page: Any) -> None:
    page.goto("/arbetssokande")
    expect(page.get_by_role("columnheader", name="Pseudonym")).to_be_visible()
    first = page.get_by_test_id("list-table").locator("tbody tr td").first
    expect(first).to_have_text(re.compile(r"^P[0-9A-F]{10}$"))
