"""A kompetenslots edits an occupation's skill profile and defines a new local role in
a real browser; the new role is then offered by autocomplete to its own tenant only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

# The logged-in server (a private copy of the demo region) and its helpers.
from .test_roles import HOME, auth_server, login, serious, tab  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.auth]


def _choose(page: Any, box: Any, listbox: str, typed: str, option: str) -> None:
    box.fill(typed)
    page.locator(listbox).get_by_role("option", name=re.compile(option)).first.click()


def test_lotsare_edits_a_profile_and_adds_a_local_occupation(
    tab: Any, auth_server: Any  # noqa: F811
) -> None:
    login(tab, auth_server, f"lots.{HOME}")
    tab.get_by_role("link", name="Yrkesprofiler").click()
    expect(tab.get_by_role("heading", name="Yrkesprofiler")).to_be_visible()
    _choose(tab, tab.get_by_role("combobox", name="Yrke"), "#yrke-q-list",
            "processoperatör kemisk", "Processoperatör kemisk industri")
    tab.get_by_role("button", name="Visa profil").click()
    expect(tab.get_by_test_id("profile-title")).to_contain_text("Processoperatör kemisk industri")
    expect(tab.get_by_test_id("profile-version")).to_contain_text("Inga ändringar ännu")
    assert serious(tab) == []

    first = tab.get_by_test_id("profile-skills").locator("tbody tr").first
    skill = first.locator("th").inner_text()
    first.get_by_role("checkbox").check()
    tab.get_by_label("Kommentar (varför?)").fill("Inte i cellfabriken")
    tab.get_by_role("button", name="Spara ny version").click()

    expect(tab.get_by_test_id("profile-version")).to_contain_text("Version 1 av 1")
    expect(tab.get_by_test_id("profile-version")).to_contain_text(f"lots.{HOME}")
    expect(tab.get_by_test_id("profile-removed")).to_contain_text(skill)
    history = tab.get_by_test_id("profile-history")
    expect(history).to_contain_text(f"tog bort {skill}")
    expect(history).to_contain_text("Inte i cellfabriken")
    assert skill not in tab.get_by_test_id("profile-skills").inner_text()
    assert serious(tab) == []

    tab.get_by_role("link", name="Nya yrken").click()
    tab.get_by_label("Benämning").fill("Battericellsoperatör")
    _choose(tab, tab.get_by_role("combobox", name="Närmaste standardbegrepp"), "#anchor-list",
            "processoperatör kemisk", "Processoperatör kemisk industri")
    tab.get_by_label("Beskrivning").fill("Sköter formering och åldring av battericeller.")
    tab.get_by_label("Synonymer").fill("Cellprocessoperatör")
    assert serious(tab) == []
    tab.get_by_role("button", name="Spara").click()
    row = tab.get_by_test_id("local-concepts").get_by_role("row", name=re.compile("Battericells"))
    expect(row).to_contain_text("Processoperatör kemisk industri")
    expect(row).to_contain_text("local:lulea-boden:battericellsoperator")

    # The need form's autocomplete now offers the new role, and its profile's skills.
    tab.goto("/registrera-behov")
    box = tab.get_by_role("combobox", name="Yrke")
    box.fill("battericellsop")
    offered = tab.locator("#occupation-list").get_by_role("option", name=re.compile(
        "^Battericellsoperatör"))
    expect(offered).to_be_visible()
    offered.click()
    assert tab.locator("#occupation_id").input_value() == "local:lulea-boden:battericellsoperator"
    expect(tab.get_by_test_id("need-skill-rows").locator("li").first).to_be_visible()
    assert serious(tab) == []

    # Another municipality's lotsare is never offered it.
    context = tab.context.browser.new_context(base_url=auth_server.url, locale="sv-SE")
    other = context.new_page()
    try:
        login(other, auth_server, "lots.umea")
        found = other.request.get("/api/v1/taxonomy/search?q=battericellsop&limit=20").json()
        assert "local:lulea-boden:battericellsoperator" not in {
            r["concept_id"] for r in found["results"]}
        assert other.request.get("/api/v1/local-concepts").json()["results"] == []
    finally:
        context.close()

    # Renaming keeps the id: the need form's autocomplete offers the new label.
    tab.goto("/nya-yrken")
    tab.get_by_role("link", name="Ändra eller ta bort Battericellsoperatör").click()
    expect(tab.get_by_test_id("local-edit")).to_be_visible()
    assert serious(tab) == []
    tab.get_by_label("Ny benämning").fill("Formeringsoperatör")
    tab.get_by_role("button", name="Spara ändringar").click()
    expect(tab.get_by_test_id("local-done")).to_contain_text("Ändrat")
    row = tab.get_by_test_id("local-concepts").get_by_role("row", name=re.compile("Formerings"))
    expect(row).to_contain_text("local:lulea-boden:battericellsoperator")
    tab.goto("/registrera-behov")
    tab.get_by_role("combobox", name="Yrke").fill("formeringsop")
    offered = tab.locator("#occupation-list").get_by_role("option", name=re.compile(
        "^Formeringsoperatör"))
    expect(offered).to_be_visible()
    offered.click()
    assert tab.locator("#occupation_id").input_value() == "local:lulea-boden:battericellsoperator"
    assert serious(tab) == []
