"""Replacement demand from the shipped SCB tables, alone and as a gap-report source."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.cli_runner import run_cli

from lotsen.errors import InvalidInput
from lotsen.regional.replacement import age_shares, replacement
from lotsen.regional.statistics import BANDS, age_profile, employment
from lotsen.services import gaps, regional
from lotsen.services.access import SYSTEM
from lotsen.web.app import create_app

NURSES_AIDES = "5321"


def test_county_count_is_spread_by_the_national_age_profile() -> None:
    r = replacement("24", NURSES_AIDES, first_year=2025, years=10)
    counts = age_profile()[(NURSES_AIDES, 2024)]
    shares = [c / sum(counts) for c in counts]
    assert r.employed == employment()[("24", NURSES_AIDES)][2024] == 3108
    # 2025..2029: those aged 64..60 in 2024, a fifth of the 60-64 band each year.
    per_year = r.employed * shares[BANDS.index("60-64")] / 5
    assert [r.reaching_65[y] for y in range(2025, 2030)] == pytest.approx([per_year] * 5)
    later = r.employed * shares[BANDS.index("55-59")] / 5
    assert r.reaching_65[2030] == pytest.approx(later)
    assert r.total == pytest.approx(r.employed * (shares[8] + shares[7]))
    assert sum(age_shares(NURSES_AIDES)) == pytest.approx(1.0)


def test_trend_keeps_every_year_and_an_unknown_county_is_refused() -> None:
    r = replacement("25", "8132", first_year=2027)
    assert sorted(r.trend) == [2020, 2021, 2022, 2023, 2024]
    with pytest.raises(InvalidInput, match="county '01'"):
        replacement("01", NURSES_AIDES, first_year=2027)


def test_service_names_sources_and_says_it_is_an_approximation(demo_engine: Engine) -> None:
    report = regional.replacement_demand(demo_engine, occupations=[NURSES_AIDES],
                                         as_of=date(2026, 12, 1), actor=SYSTEM)
    assert {c["county_code"] for c in report["counties"]} == {"24", "25"}
    assert report["first_year"] == 2027 and report["approximation"]
    assert any("YREG60BAS" in s for s in report["sources"])
    assert any("2023" in m for m in report["method"])
    assert [r["county_code"] for r in report["rows"]] == ["25", "24"]  # largest first
    with pytest.raises(InvalidInput, match="SSYK-4"):
        regional.replacement_demand(demo_engine, occupations=["sjuksköterska"], actor=SYSTEM)
    csv_text = regional.replacement_csv(report)
    assert csv_text.splitlines()[0].startswith("ssyk4;yrke;lan;sysselsatta;2027")
    assert "# SCB" in csv_text


def test_gap_report_counts_replacement_as_its_own_switchable_source(demo_engine: Engine) -> None:
    day = date(2026, 12, 1)
    full = gaps.gap_report(demo_engine, proposals=0, actor=SYSTEM, as_of=day)
    needs_only = gaps.gap_report(demo_engine, proposals=0, actor=SYSTEM, as_of=day,
                                 sources=["need"])
    by_source = {s["source"]: s for s in full["by_source"]}
    assert set(by_source) == {"need", "replacement"}
    assert {s["source"] for s in needs_only["by_source"]} == {"need"}
    assert full["totals"]["demand"] == (needs_only["totals"]["demand"]
                                        + by_source["replacement"]["demand"])
    nurses = next(o for o in full["by_occupation"] if o["ssyk4"] == NURSES_AIDES)
    counted = nurses["replacement_demand"]["counted"]
    before = next(o for o in needs_only["by_occupation"] if o["ssyk4"] == NURSES_AIDES)
    retiring = nurses["demand"] - before["demand"]
    assert abs(retiring - counted) <= 5  # rounded per municipality and year
    assert len(nurses["replacement_demand"]["reaching_65"]) == 10
    longer = gaps.gap_report(demo_engine, proposals=0, actor=SYSTEM, as_of=day,
                             sources=["replacement"],
                             replacement_years=6)
    assert longer["totals"]["demand"] > by_source["replacement"]["demand"]
    assert any("YREG54BAS" in s for s in full["data_sources"])
    with pytest.raises(InvalidInput, match="unknown demand source"):
        gaps.gap_report(demo_engine, sources=["rumours"], actor=SYSTEM)


def test_cli_api_and_page(demo_url: str, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", demo_url)
    code, out, _ = run_cli(capsys, "regional", "replacement", "--occupation", NURSES_AIDES,
                           "--json")
    assert code == 0 and json.loads(out)["rows"][0]["ssyk4"] == NURSES_AIDES
    code, out, _ = run_cli(capsys, "gaps", "--json", "--proposals", "0")
    assert code == 0
    occupations = json.loads(out)["by_occupation"]
    assert all("replacement_demand" in o for o in occupations)
    client = TestClient(create_app(demo_url))
    api = client.get("/api/v1/regional/replacement", params={"county": "24", "limit": 3}).json()
    assert len(api["rows"]) == 3 and {r["county_code"] for r in api["rows"]} == {"24"}
    only = client.get("/api/v1/gaps", params={"source": "replacement", "proposals": 0}).json()
    assert {s["source"] for s in only["by_source"]} == {"replacement"}
    page = client.get("/regionen/pensionsavgangar", params={"yrke": NURSES_AIDES})
    assert page.status_code == 200 and "YREG54BAS" in page.text and "uppskattning" in page.text
    gap_page = client.get("/utbildningsgap", params={"valda": "1", "source": "need"})
    assert 'value="replacement" >' in gap_page.text or 'value="replacement" ' in gap_page.text
    assert "Pensionsavgångar (SCB, uppskattning)" not in gap_page.text
