"""Each role logs in (LOTSEN_AUTH=on) in a real browser and does its main task; axe-core
(4.12, bundled in axe-playwright-python) finds no serious or critical problem."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from lotsen.services.access import SYSTEM
from lotsen.services.demo_accounts import create_demo_accounts
from lotsen.settings import reset_settings
from lotsen.store.db import open_database

from .conftest import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.auth]
HOME = "lulea-boden"


def _copy_sqlite(source_url: str, target: Path) -> str:
    source, dest = sqlite3.connect(source_url.removeprefix("sqlite:///")), sqlite3.connect(target)
    source.backup(dest)
    source.close()
    dest.close()
    return f"sqlite:///{target}"


@pytest.fixture(scope="module")
def auth_server(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    url = _copy_sqlite(demo_sqlite_url, Path(tmp_path_factory.mktemp("roles")) / "roles.db")
    made = create_demo_accounts(open_database(url), actor=SYSTEM)
    logins = {row["username"]: row["password"] for row in made}
    before = os.environ.get("LOTSEN_AUTH")
    os.environ["LOTSEN_AUTH"] = "on"
    reset_settings()
    try:
        server = LiveServer(url)  # create_app reads LOTSEN_AUTH here
    finally:
        os.environ["LOTSEN_AUTH"] = before or "off"
        reset_settings()
    with server:
        server.logins = logins  # type: ignore[attr-defined]
        yield server


@pytest.fixture
def tab(browser: Any, auth_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=auth_server.url, locale="sv-SE", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def login(tab: Any, server: Any, username: str) -> None:
    """With the keyboard only: type, Tab, type, Enter."""
    tab.goto("/")
    expect(tab).to_have_url(re.compile(r"/logga-in\?nasta=%2F$"))
    tab.get_by_label("Användarnamn").fill(username)
    tab.keyboard.press("Tab")
    tab.keyboard.type(server.logins[username])
    tab.keyboard.press("Enter")
    expect(tab.get_by_role("link", name=username)).to_be_visible()


def serious(tab: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(tab).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in found
            if v["impact"] in ("serious", "critical")]


def choose_occupation(tab: Any, typed: str) -> str:
    box = tab.get_by_role("combobox", name="Yrke")
    box.fill(typed)
    expect(tab.locator("#occupation-list").get_by_role("option").first).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    chosen = tab.locator("#occupation_id").input_value()
    assert chosen
    return str(box.input_value())


def test_lotsare_registers_a_need_with_autocomplete(tab: Any, auth_server: Any) -> None:
    login(tab, auth_server, f"lots.{HOME}")
    expect(tab.get_by_test_id("dashboard-lotsare")).to_be_visible()
    assert serious(tab) == []
    tab.get_by_role("link", name="Registrera ett behov").first.click()
    tab.get_by_label("Arbetsgivare").select_option(index=1)
    label = choose_occupation(tab, "svets")
    tab.get_by_label("Antal personer").fill("3")
    tab.get_by_label("Start").fill("2027-04-01")
    tab.get_by_label("Ort (kommun)").select_option(label="Boden")
    assert serious(tab) == []
    tab.get_by_role("button", name="Registrera behovet").click()
    expect(tab.get_by_test_id("need-done")).to_contain_text(f"3 × {label}")
    expect(tab.get_by_test_id("need-done")).to_contain_text("Boden")
    # ... and sees who could fill it: people of the tenant with consent, best first.
    tab.get_by_test_id("need-matches-link").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text(label)
    matches = tab.get_by_test_id("matches").locator("h3")
    expect(matches.first).to_contain_text(re.compile(r"P[0-9A-F]{10} .*\d+ av 100"))
    scores = [int(re.search(r"(\d+) av 100", t).group(1))  # type: ignore[union-attr]
              for t in matches.all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    assert serious(tab) == []


def test_employer_submits_the_self_service_form(tab: Any, auth_server: Any) -> None:
    login(tab, auth_server, f"arbetsgivare.{HOME}")
    expect(tab.get_by_test_id("dashboard-employer")).to_be_visible()
    tab.goto("/registrera-behov")
    expect(tab.get_by_label("Arbetsgivare")).to_have_count(0)  # always their own
    choose_occupation(tab, "elektriker")
    tab.get_by_label("Antal personer").fill("2")
    tab.get_by_label("Start").fill("2027-06-01")
    tab.get_by_role("button", name="Registrera behovet").click()
    done = tab.get_by_test_id("need-done")
    expect(done).to_contain_text("2 ×")
    employer = re.search(r"hos (.+), start", done.inner_text()).group(1)  # type: ignore[union-attr]
    tab.goto("/behov")
    cells = tab.get_by_test_id("list-table").locator("tbody tr td:nth-child(2)")
    assert set(cells.all_inner_texts()) == {employer}


def test_officer_views_people_and_exports(tab: Any, auth_server: Any) -> None:
    login(tab, auth_server, f"handlaggare.{HOME}")
    tab.goto("/arbetssokande")
    first = tab.get_by_test_id("list-table").locator("tbody tr td").first
    expect(first).to_have_text(re.compile(r"^P[0-9A-F]{10}$"))
    pseudonym = first.inner_text()
    assert serious(tab) == []
    # One consented person's page, then everything stored about them (the GDPR export).
    first.get_by_role("link").click()
    expect(tab.get_by_test_id("person-pseudonym")).to_have_text(pseudonym)
    consents = tab.get_by_test_id("person-consents").locator("tbody tr td:nth-child(3)")
    assert "–" in consents.all_inner_texts()  # at least one consent not withdrawn
    assert serious(tab) == []
    tab.get_by_test_id("person-export").click()
    exported = json.loads(tab.locator("body").inner_text())
    assert exported["record"]["pseudonym"] == pseudonym
    tab.goto("/arbetssokande")
    with tab.expect_download() as download:
        tab.get_by_test_id("export-csv").click()
    rows = list(csv.reader(io.StringIO(
        Path(download.value.path()).read_text("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Pseudonym" and pseudonym in {r[0] for r in rows[1:]}
    municipalities = {r[1] for r in rows[1:]}
    assert municipalities <= {"2580", "2582"} or municipalities <= {"Luleå", "Boden"}


def test_analyst_sees_aggregates_but_not_people(tab: Any, auth_server: Any) -> None:
    login(tab, auth_server, "analytiker")
    expect(tab.get_by_test_id("dashboard-analyst")).to_be_visible()
    expect(tab.locator("svg.region-map path")).to_have_count(29)  # Västerbotten + Norrbotten
    expect(tab.locator("#chart-top-occupations .main-svg").first).to_be_attached()
    expect(tab.get_by_test_id("top-occupations").locator("tbody tr")).to_have_count(10)
    assert serious(tab) == []
    response = tab.goto("/arbetssokande")
    assert response.status == 403
    expect(tab.get_by_role("heading", level=1)).to_have_text(
        "Du saknar behörighet till arbetssökande")
    expect(tab.get_by_role("alert")).to_contain_text("får inte")


def test_provider_edits_its_own_program(tab: Any, auth_server: Any) -> None:
    login(tab, auth_server, f"anordnare.{HOME}")
    programs = tab.get_by_test_id("dash-programs").locator("tbody tr")
    expect(programs.first).to_be_visible()
    tab.goto("/utbildningar")
    providers = tab.get_by_test_id("list-table").locator("tbody tr td:nth-child(3)")
    assert len(set(providers.all_inner_texts())) == 1
    tab.get_by_test_id("list-table").locator("tbody tr td a").first.click()
    tab.get_by_label("Antal platser").fill("abc")
    tab.get_by_label("Antal platser").evaluate("e => e.removeAttribute('pattern')")
    tab.get_by_role("button", name="Spara ändringarna").click()
    expect(tab.get_by_role("alert")).to_contain_text("Antal platser")
    tab.get_by_label("Antal platser").fill("17")
    tab.get_by_label("Startdatum").fill("2027-08-16, 2027-01-11")
    tab.get_by_role("button", name="Spara ändringarna").click()
    expect(tab.get_by_test_id("program-saved")).to_be_visible()
    expect(tab.get_by_test_id("program-seats")).to_have_text("17")
    expect(tab.get_by_test_id("program-starts")).to_have_text("2027-01-11, 2027-08-16")
    assert serious(tab) == []
    assert tab.goto("/behov").status == 403


def test_admin_creates_an_account_that_can_log_in(
    tab: Any, auth_server: Any, browser: Any
) -> None:
    login(tab, auth_server, "admin")
    tab.goto("/admin/konton")
    tab.get_by_label("Användarnamn").fill("ny.lots")
    tab.get_by_label("Namn", exact=True).fill("Ny Lots")
    tab.get_by_label("Lösenord (minst 10 tecken)").fill("ett-langt-losenord")
    tab.get_by_label("Roll").select_option(label="Kompetenslots")
    tab.get_by_label("Kommun (tenant)").select_option(value=HOME)
    assert serious(tab) == []
    tab.get_by_role("button", name="Skapa kontot").click()
    expect(tab.get_by_test_id("account-created")).to_contain_text("ny.lots")
    row = tab.get_by_test_id("accounts-table").locator("tr", has_text="ny.lots")
    expect(row).to_contain_text("Kompetenslots")
    # The same name twice is refused with a message, not an error page.
    tab.get_by_label("Användarnamn").fill("ny.lots")
    tab.get_by_label("Lösenord (minst 10 tecken)").fill("ett-langt-losenord")
    tab.get_by_role("button", name="Skapa kontot").click()
    expect(tab.get_by_role("alert")).to_be_visible()
    # The new account logs in (a fresh browser, no admin session) and works as a lotsare.
    context = browser.new_context(base_url=auth_server.url, locale="sv-SE")
    fresh = context.new_page()
    auth_server.logins["ny.lots"] = "ett-langt-losenord"
    login(fresh, auth_server, "ny.lots")
    expect(fresh.get_by_test_id("dashboard-lotsare")).to_be_visible()
    context.close()


def test_resident_registers_with_consent(tab: Any, auth_server: Any) -> None:
    tab.goto("/registrera")
    tab.get_by_label("Kommun där du bor").select_option(label="Boden")
    box = tab.get_by_role("combobox", name="Yrke du har erfarenhet av")
    box.fill("underskot")
    expect(tab.locator("#occupation-list").get_by_role("option").first).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")
    assert tab.locator("#occupation_id").input_value()
    tab.get_by_label("Antal år i yrket").fill("4")
    tab.get_by_label("Kan börja arbeta (datum)").fill("2027-02-01")
    consent = tab.get_by_label(re.compile("Jag samtycker till att uppgifterna sparas"))
    # Without consent nothing is stored: the browser refuses, and so does the server.
    tab.get_by_role("button", name="Registrera").click()
    expect(tab).to_have_url(re.compile(r"/registrera$"))
    assert tab.evaluate("document.querySelector('form.stack').checkValidity()") is False
    consent.check()
    assert serious(tab) == []
    tab.get_by_role("button", name="Registrera").click()
    pseudonym = tab.get_by_test_id("pseudonym")
    expect(pseudonym).to_have_text(re.compile(r"^P[0-9A-F]{10}$"))
    # The person is now visible to the tenant's officer.
    code = pseudonym.inner_text()
    login(tab, auth_server, f"handlaggare.{HOME}")
    people = tab.request.get("/api/v1/people?municipality_code=2582&limit=10000").json()
    assert code in {p["pseudonym"] for p in people["results"]}


def test_login_registration_and_admin_pages_pass_axe(tab: Any, auth_server: Any) -> None:
    tab.set_content('<html lang="sv"><body><main><input type="text"></main></body></html>')
    assert any("label" in problem for problem in serious(tab))  # the checker does bite
    tab.goto("/logga-in")
    assert serious(tab) == []
    tab.goto("/registrera")
    assert serious(tab) == []
    login(tab, auth_server, "admin")
    for path in ("/", "/behov", "/utbildningar", "/konto", "/admin/logg"):
        tab.goto(path)
        assert serious(tab) == [], path
