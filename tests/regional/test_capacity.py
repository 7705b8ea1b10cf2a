"""Capacity plan: seats per programme and year against approved seats, with stated rates."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine
from tests.cli_runner import run_cli

from lotsen.errors import InvalidInput
from lotsen.regional.capacity import Rates, plan
from lotsen.services.access import SYSTEM
from lotsen.services.capacity import capacity_csv, capacity_plan, capacity_xlsx
from lotsen.web.app import create_app

TODAY = date(2026, 12, 1)
PROGRAMS = [
    {"id": 1, "name": "Undersköterska A", "municipality_code": "2480", "seats": 30,
     "duration_weeks": 60, "starts": ["2027-08-23"], "occupations": ["usk"]},
    {"id": 2, "name": "Undersköterska B", "municipality_code": "2482", "seats": 10,
     "duration_weeks": 40, "starts": ["2027-01-10", "2028-01-10"], "occupations": ["usk"]},
]


def test_seats_follow_the_rates_and_are_shared_by_approved_seats() -> None:
    demand = [{"ssyk4": "5321", "label": "Usk", "year": 2029, "demand": 70, "filled": 7},
              {"ssyk4": "7121", "label": "Tak", "year": 2028, "demand": 5, "filled": 0}]
    rows = plan(demand, PROGRAMS, {"usk": "5321"}, Rates(0.7, 0.75), TODAY)
    usk = {r["program_id"]: r for r in rows if r["ssyk4"] == "5321"}
    needed = 63 / (0.7 * 0.75)  # 120 seats in all
    assert usk[1]["seats_needed"] == math.ceil(needed * 0.75)
    assert usk[2]["seats_needed"] == math.ceil(needed * 0.25)
    assert usk[1]["start_year"] == 2027 and usk[1]["approved_seats"] == 30  # 60 weeks: 2 years
    assert usk[2]["start_year"] == 2028 and usk[2]["approved_seats"] == 10
    assert usk[1]["shortfall"] == usk[1]["seats_needed"] - 30
    assert usk[1]["first_graduates"] == 2029 and not usk[1]["too_late"]
    roofers = next(r for r in rows if r["ssyk4"] == "7121")
    assert roofers["program"] is None and roofers["shortfall"] == math.ceil(5 / 0.525)
    late = plan([{**demand[0], "year": 2027}], PROGRAMS, {"usk": "5321"}, Rates(0.7, 0.75), TODAY)
    assert next(r for r in late if r["program_id"] == 1)["too_late"]


def test_service_on_the_demo_states_assumed_rates_and_exports(demo_engine: Engine) -> None:
    data = capacity_plan(demo_engine, as_of=TODAY, actor=SYSTEM)
    assert data["rates"]["assumed"] and "antaganden" in data["method"][-1]
    assert data["totals"]["shortfall"] == sum(r["shortfall"] for r in data["rows"])
    battery = [r for r in data["rows"] if r["program"] == "Tekniker hållbar batteritillverkning"]
    assert battery and battery[0]["municipality_name"] == "Skellefteå"
    mine = capacity_plan(demo_engine, as_of=TODAY, completion=0.9, placement=0.9, actor=SYSTEM)
    assert not mine["rates"]["assumed"]
    assert mine["totals"]["seats_needed"] < data["totals"]["seats_needed"]
    rows = list(csv.reader(io.StringIO(capacity_csv(data)), delimiter=";"))
    assert rows[0][0] == "ssyk4" and any(r[0].startswith("# Myndigheten") for r in rows)
    book = load_workbook(io.BytesIO(capacity_xlsx(data)))
    assert book.sheetnames == ["Utbildningsplatser", "Källor"]
    with pytest.raises(InvalidInput, match="completion"):
        capacity_plan(demo_engine, completion=2.0, actor=SYSTEM)


def test_cli_api_and_page(demo_url: str, capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", demo_url)
    code, out, _ = run_cli(capsys, "regional", "capacity", "--json", "--sources", "need")
    assert code == 0 and json.loads(out)["sources"]["included"] == ["need"]
    client = TestClient(create_app(demo_url))
    got = client.get("/api/v1/regional/capacity.xlsx")
    assert got.status_code == 200 and got.content[:2] == b"PK"
    page = client.get("/regionen/utbildningsplatser")
    assert page.status_code == 200 and "antaganden" in page.text and "Källa:" in page.text
