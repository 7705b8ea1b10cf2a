"""Where the supply is: county counts, municipal estimates, campaign list; never people."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.cli_runner import run_cli

from lotsen.errors import InvalidInput
from lotsen.match.geo import haversine_km
from lotsen.regional import supply
from lotsen.regional.statistics import employment
from lotsen.services.access import SYSTEM
from lotsen.services.supply import MIN_COUNT, job_seekers_by_municipality, supply_where
from lotsen.web.app import create_app

ELECTRICIANS = "7411"


def test_municipal_estimates_add_up_to_the_county_and_follow_commuting() -> None:
    ranked = supply.sources(ELECTRICIANS, "2580", {}, haversine_km)
    norrbotten = [s for s in ranked if s.county_code == "25"]
    assert all(s.share_basis == "pendling" for s in norrbotten)
    boden = next(s for s in ranked if s.code == "2582")
    assert boden.commute_share is not None and boden.commute_share > 0.2  # Boden works in Luleå
    assert boden.likely == pytest.approx(boden.workers * boden.commute_share)
    shares = supply.municipality_shares("24")
    assert sum(share for share, _ in shares.values()) == pytest.approx(1.0)
    everyone = sum(employment()[("25", ELECTRICIANS)][2024] * s for s, _ in
                   supply.municipality_shares("25").values())
    assert everyone == pytest.approx(employment()[("25", ELECTRICIANS)][2024])
    assert all(s.distance_km <= supply.MAX_KM and s.code != "2580" for s in ranked)
    assert [s.likely for s in ranked] == sorted((s.likely for s in ranked), reverse=True)


def test_service_counts_job_seekers_as_suppressed_aggregates(demo_engine: Engine) -> None:
    seekers = job_seekers_by_municipality(demo_engine, ELECTRICIANS, actor=SYSTEM)
    assert seekers and all(n >= MIN_COUNT for n in seekers.values())
    report = supply_where(demo_engine, ELECTRICIANS, "2580", 5, actor=SYSTEM)
    assert report["counties"][0]["employed"] >= report["counties"][1]["employed"]
    assert len(report["campaign"]) == 5 and report["campaign"][0]["rank"] == 1
    assert any("ArRegPend2" in s for s in report["sources"])
    assert not any("pseudonym" in json.dumps(m) for m in report["municipalities"])
    with pytest.raises(InvalidInput, match="neither an SSYK-4"):
        supply_where(demo_engine, "elektriker", None, actor=SYSTEM)


def test_cli_api_and_page(demo_url: str, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", demo_url)
    code, out, _ = run_cli(capsys, "supply", "where", ELECTRICIANS, "--json", "--limit", "3")
    data = json.loads(out)
    assert code == 0 and data["ssyk4"] == ELECTRICIANS and len(data["campaign"]) == 3
    client = TestClient(create_app(demo_url))
    api = client.get("/api/v1/regional/supply", params={"occupation": ELECTRICIANS,
                                                         "to": "2482"}).json()
    assert api["target"]["municipality_name"] == "Skellefteå"
    page = client.get("/regionen/kompetens", params={"yrke": ELECTRICIANS, "till": "2580"})
    assert page.status_code == 200 and "<svg" in page.text and "Kompetensdagar" in page.text
    assert "ArRegPend2" in page.text


def test_the_campaign_list_exports_with_its_sources(demo_url: str, tmp_path: Any,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15, "analyses name their data sources ... in exports": the CSV holds the
    campaign list the JSON has, then the sources and method as comment rows."""
    monkeypatch.setenv("LOTSEN_DATABASE_URL", demo_url)
    target = tmp_path / "kampanj.csv"
    code, out, _ = run_cli(capsys, "supply", "where", ELECTRICIANS, "--to", "2580", "--limit",
                           "4", "--csv", str(target), "--json")
    data = json.loads(out)
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig")), delimiter=";"))
    body = [r for r in rows[1:] if not r[0].startswith("#")]
    assert rows[0][:3] == ["rank", "kommunkod", "kommun"]
    assert [(r[2], float(r[4])) for r in body] == [
        (p["municipality_name"], p["likely"]) for p in data["campaign"]]
    notes = " ".join(r[0] for r in rows if r[0].startswith("#"))
    assert all(source in notes for source in data["sources"]) and "ArRegPend2" in notes
    page = TestClient(create_app(demo_url)).get("/regionen/kompetens",
                                                params={"yrke": ELECTRICIANS, "till": "2580"})
    link = re.search(r'href="(/api/v1/regional/supply\.csv[^"]+)"', page.text)
    assert link is not None
    answer = TestClient(create_app(demo_url)).get(link.group(1).replace("&amp;", "&"))
    assert answer.status_code == 200 and "text/csv" in answer.headers["content-type"]
    assert answer.content.decode("utf-8-sig").splitlines()[1].split(";")[2] == body[0][2]
