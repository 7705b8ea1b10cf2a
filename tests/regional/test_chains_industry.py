"""Demand by industry in the gap report, and vacancy chains with their assumptions."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.cli_runner import run_cli

from lotsen.errors import InvalidInput, NotFound
from lotsen.match.industry import division
from lotsen.services.access import SYSTEM
from lotsen.services.chains import vacancy_chains
from lotsen.services.gaps import gap_report
from lotsen.taxonomy import load_taxonomy
from lotsen.web.app import create_app


def test_sni_codes_read_up_to_division_and_section() -> None:
    taxonomy = load_taxonomy()
    assert division(taxonomy, "27.200") == ("27", "Tillverkning av elapparatur", "C")
    assert division(taxonomy, "87300")[2] == "Q"
    assert division(taxonomy, None)[0] == "" and division(taxonomy, "xx")[0] == ""


def test_gap_report_groups_needs_by_the_employers_industry(demo_engine: Engine) -> None:
    report = gap_report(demo_engine, proposals=0, sources=["need"], actor=SYSTEM)
    industries = {i["sni2"]: i for i in report["by_industry"]}
    assert "27" in industries and industries["27"]["section"] == "C"  # battery makers
    assert sum(i["demand"] for i in report["by_industry"]) == report["totals"]["demand"]
    both = gap_report(demo_engine, proposals=0, actor=SYSTEM)
    assert any(i["label"].endswith("pensionsavgångar") for i in both["by_industry"])


def test_chain_moves_fewer_each_step_and_states_assumptions(demo_engine: Engine) -> None:
    data = vacancy_chains(demo_engine, actor=SYSTEM)  # the biggest hirer
    assert data["total_hires"] > 0 and len(data["steps"]) == 2
    first, second = data["steps"]
    assert first["vacancies"] == pytest.approx(data["total_hires"] * 0.7, abs=1.0)
    assert second["vacancies"] < first["vacancies"]
    assert first["occupations"][0]["via"]  # every step says why people come from there
    assert any("antagande" in a for a in data["assumptions"])
    none_outside = vacancy_chains(demo_engine, str(data["employer"]["id"]), 1, 0.0,
                                  actor=SYSTEM)
    assert none_outside["steps"][0]["vacancies"] == pytest.approx(data["total_hires"], abs=1.0)
    with pytest.raises(NotFound):
        vacancy_chains(demo_engine, "Ingen Sådan AB", actor=SYSTEM)
    with pytest.raises(InvalidInput):
        vacancy_chains(demo_engine, steps=3, actor=SYSTEM)


def test_cli_api_and_page(demo_url: str, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", demo_url)
    code, out, _ = run_cli(capsys, "regional", "chains", "--steps", "1", "--json")
    assert code == 0 and len(json.loads(out)["steps"]) == 1
    client = TestClient(create_app(demo_url))
    assert client.get("/api/v1/regional/chains").json()["steps"][1]["step"] == 2
    page = client.get("/regionen/vakanskedjor")
    assert page.status_code == 200 and "Steg 2" in page.text and "antagande" in page.text
    gaps = client.get("/utbildningsgap")
    assert "Gap per bransch" in gaps.text


def test_the_chain_exports_with_its_assumptions_and_sources(demo_url: str) -> None:
    client = TestClient(create_app(demo_url))
    data = client.get("/api/v1/regional/chains").json()
    page = client.get("/regionen/vakanskedjor").text
    link = re.search(r'href="(/api/v1/regional/chains\.csv[^"]+)"', page)
    assert link is not None
    answer = client.get(link.group(1).replace("&amp;", "&"))
    assert answer.status_code == 200 and "text/csv" in answer.headers["content-type"]
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    body = [r for r in rows[1:] if not r[0].startswith("#")]
    assert len(body) == sum(len(step["occupations"]) for step in data["steps"])
    assert [float(r[3]) for r in body if r[0] == "1"] == [
        o["vacancies"] for o in data["steps"][0]["occupations"]]
    notes = " ".join(r[0] for r in rows if r[0].startswith("#"))
    assert all(line in notes for line in [*data["assumptions"], *data["sources"]])
