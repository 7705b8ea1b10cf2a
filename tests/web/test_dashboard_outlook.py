"""The start page shows the region's largest education gaps and a scenario's bands,
the same figures the gap report and the scenario service give, computed once."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from lotsen.services import gaps, region_figures
from lotsen.services.access import SYSTEM
from lotsen.store.db import open_database
from lotsen.web.app import create_app


def _cells(html: str, testid: str) -> list[list[str]]:
    table = re.search(rf'data-testid="{testid}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert table, f"no table {testid}"
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>",
                                                                      table.group(1))]


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text) or 0) * (-1 if text.strip().startswith("−") else 1)


def test_start_page_shows_top_gaps_and_scenario_bands(demo_sqlite_url: str) -> None:
    region_figures.clear_figures()
    app = create_app(demo_sqlite_url)
    with TestClient(app) as client:  # the figures come from the warm-up, not the request
        app.state.warm_up.join(timeout=300)
        html = client.get("/").text

    report = gaps.gap_report(open_database(demo_sqlite_url), proposals=0, actor=SYSTEM)
    expected = [o for o in report["by_occupation"] if o["gap"] > 0][:5]
    shown = _cells(html, "top-gaps")
    assert expected, "the demo region must have gaps"
    assert [row[0] for row in shown] == [o["label"] for o in expected]
    assert [re.sub(r"\s", "", row[1]) for row in shown] == [
        f"{o['gap']}av{o['demand']}" for o in expected]

    bands = _cells(html, "scenario-bands")
    assert len(bands) == 20  # the Skellefteå example runs 2018–2037
    for row in bands:
        jobs = [_number(c) for c in row[1:4]]
        population = [_number(c) for c in row[4:7]]
        assert jobs == sorted(jobs) and population == sorted(population)
    assert _number(bands[-1][2]) > _number(bands[0][2])  # the factory ramps up


def test_outlook_is_computed_once_per_interval(demo_sqlite_url: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    region_figures.clear_figures()
    engine = open_database(demo_sqlite_url)
    calls: list[int] = []
    real = gaps.gap_report

    def counting(*args: object, **kwargs: object) -> dict[str, object]:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gaps, "gap_report", counting)
    first = region_figures.region_outlook(engine, actor=SYSTEM)
    second = region_figures.region_outlook(engine, actor=SYSTEM)
    assert len(calls) == 1 and first == second
