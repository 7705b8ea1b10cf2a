"""The whole loop on the demo region in a real browser: a need → its top people with
Swedish reasons → a person's pathway → the region's allocation → the education gap
report with a proposed program and its CSV export."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import Engine

from lotsen.services import matching, records
from lotsen.services.access import SYSTEM
from lotsen.store.db import open_database

from .test_roles import serious

pytestmark = pytest.mark.browser


def _need_with_a_pathway(engine: Engine) -> int:
    """The first open need whose page shows a pathway for one of its people."""
    for need in records.list_records(engine, "needs", limit=100, filters={"status": "open"},
                                     actor=SYSTEM)[
        "results"
    ]:
        page = matching.need_page(engine, need["id"], actor=SYSTEM)
        if any(r["pathway"]["steps"] for r in page["results"]):
            return int(need["id"])
    raise AssertionError("the demo region has no need with a pathway")


def test_need_people_pathway_allocation_and_gap_report(
    page: Any, demo_sqlite_url: str
) -> None:
    need_id = _need_with_a_pathway(open_database(demo_sqlite_url))

    # Behov: the list links each need to its page ("Vem kan?").
    page.goto("/behov")
    page.get_by_test_id("list-table").locator("a[href^='/behov/']").first.click()
    expect(page.get_by_role("heading", name="Vem kan?")).to_be_visible()
    page.goto(f"/behov/{need_id}")  # one whose people include someone with a pathway
    expect(page.get_by_role("heading", name="Vem kan?")).to_be_visible()
    matches = page.get_by_test_id("matches").locator("li.match")
    expect(matches.first).to_be_visible()
    assert matches.count() >= 1
    reasons = matches.first.locator("ul.reasons li").all_inner_texts()
    assert reasons and re.match(r"^(Har|Saknar|Bor|Kan|Tillgänglig|Erfarenhet)", reasons[0])
    scores = [int(s.split()[0]) for s in page.locator(".match .score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)

    # Väg dit: the person's pathway of programs, in order, with dates and seats.
    path = page.locator("[data-testid=pathway]:has(ol li)").first
    path.locator("summary").click()
    steps = path.locator("ol li")
    expect(steps.first).to_be_visible()
    assert re.search(r"platser", steps.first.inner_text())
    assert serious(page) == []

    # Allokering: the region-wide assignment beats need-by-need greedy.
    page.goto("/allokering")
    figures = page.get_by_test_id("allocation-figures")
    expect(figures).to_contain_text("bättre")
    gain = float(re.search(r"\+([\d,.]+) %", figures.inner_text()).group(1)  # type: ignore[union-attr]
                 .replace(",", "."))
    assert gain >= 0
    expect(page.get_by_test_id("allocation-table").locator("a[href^='/behov/']").first
           ).to_be_visible()
    assert serious(page) == []

    # Utbildningsgap: what is missing, a proposed program, and the export.
    page.get_by_role("link", name=re.compile("utbildningsgapet")).click()
    expect(page).to_have_url(re.compile(r"/utbildningsgap$"))
    expect(page.get_by_test_id("gap-occupations").locator("tbody tr").first).to_be_visible()
    proposal = page.get_by_test_id("proposal").first
    expect(proposal).to_contain_text("personer saknas")
    link = page.get_by_role("link", name="CSV (detaljer)")
    href = link.get_attribute("href")
    assert href and href.startswith("/api/v1/gaps.csv")
    exported = page.request.get(href)
    assert exported.status == 200 and "csv" in exported.headers["content-type"]
    assert exported.text().lstrip("\ufeff").startswith("SSYK;Yrke;")  # Swedish headings
    assert serious(page) == []
