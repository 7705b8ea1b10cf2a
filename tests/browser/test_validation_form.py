"""An officer marks a job seeker's skills validated on the person page in a real browser:
the table shows how, when and by whom, the skill list tells validated from stated, the
mark can be taken back; the gap report shows how many are one validation away."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

# The logged-in server (a private copy of the demo region) and its helpers.
from .test_roles import HOME, auth_server, login, serious, tab  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.auth]


@pytest.fixture(autouse=True)
def _patient() -> Iterator[None]:
    """The first start page of a fresh server computes the region's figures (seconds on
    a loaded 2-core machine): wait longer than Playwright's 5 s here, then put it back."""
    expect.set_options(timeout=30_000)
    yield
    expect.set_options(timeout=5_000)


def test_officer_records_and_removes_a_validation(tab: Any, auth_server: Any) -> None:  # noqa: F811
    officer = f"handlaggare.{HOME}"
    login(tab, auth_server, officer)
    tab.goto("/arbetssokande")
    tab.get_by_test_id("list-table").locator("tbody tr td").first.get_by_role("link").click()
    form = tab.get_by_test_id("validation-form")
    expect(form).to_be_visible()
    assert serious(tab) == []
    before = tab.get_by_test_id("person-validations").locator("tbody tr").count()
    skill = form.locator("label.check").first.inner_text().split(" (inte angiven")[0].strip()
    form.get_by_test_id("validation-skill-1").check()
    form.get_by_label("Hur").select_option(label="Komvux validering")
    form.get_by_label("När (datum)").fill("2026-11-20")
    profile = form.get_by_label("Validerad mot yrkesprofil").locator("option:checked").inner_text()
    form.get_by_role("button", name="Spara validering").click()

    expect(tab.get_by_test_id("validation-saved")).to_contain_text("Valideringen är sparad")
    table = tab.get_by_test_id("person-validations")
    row = table.locator("tbody tr").filter(has_text=skill).filter(has_text="2026-11-20")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Komvux validering")
    expect(row).to_contain_text(profile)
    expect(row).to_contain_text(officer)  # the acting user is who validated
    assert table.locator("tbody tr").count() >= max(1, before)
    stated = tab.get_by_test_id("person-skills").locator("li").filter(has_text=skill)
    if stated.count():  # a skill the person states is now marked validated
        expect(stated.first).to_contain_text("validerad")
    assert serious(tab) == []

    row.get_by_role("button", name="Ta bort").click()
    expect(tab.get_by_test_id("validation-saved")).to_contain_text("borttagen")
    expect(tab.get_by_test_id("person-validations").locator("tbody tr")
           .filter(has_text=skill).filter(has_text="2026-11-20")).to_have_count(0)


def test_a_bad_date_is_shown_on_the_form(tab: Any, auth_server: Any) -> None:  # noqa: F811
    login(tab, auth_server, f"handlaggare.{HOME}")
    tab.goto("/arbetssokande")
    tab.get_by_test_id("list-table").locator("tbody tr td").first.get_by_role("link").click()
    form = tab.get_by_test_id("validation-form")
    form.get_by_test_id("validation-skill-1").check()
    form.get_by_label("När (datum)").fill("2099-01-01")
    form.get_by_role("button", name="Spara validering").click()
    expect(tab.get_by_role("alert")).to_contain_text(re.compile("framtiden"))


def test_the_gap_report_shows_people_one_validation_away(
    tab: Any, auth_server: Any  # noqa: F811
) -> None:
    login(tab, auth_server, "analytiker")
    tab.goto("/utbildningsgap")
    figure = tab.get_by_test_id("gap-one-validation")
    expect(figure).to_contain_text("en validering bort")
    assert int(figure.locator(".figure").inner_text().replace("\u202f", "").replace(" ", "")) > 0
    expect(tab.get_by_test_id("gap-occupations").locator("thead")).to_contain_text(
        "En validering bort")
    expect(tab.get_by_test_id("gap-validation-method")).to_contain_text("skall-krav")
    assert serious(tab) == []
