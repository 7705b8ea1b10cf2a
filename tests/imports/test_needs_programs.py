"""Needs and programs: their own checks, employers and providers upserted by name/org no."""

from __future__ import annotations

from sqlalchemy import Engine
from tests.imports.conftest import csv_bytes, need, rejected, run

from lotsen.services.access import SYSTEM
from lotsen.services.records import list_records

SNICKARE = "4Z7F_oBG_vMG"
STOMBYGGNAD = "LHxN_QMZ_WXy"

PROGRAM = {
    "source_id": "YH-1",
    "provider": "Yrkeshögskolan Skellefteå",
    "name": "Svetsare",
    "form": "Yrkeshögskola",
    "municipality": "Skellefteå",
    "duration_weeks": "40",
    "seats": "24",
    "starts": "2027-08-23;2027-01-18",
    "skills": "MAG-svetsning",
    "occupations": "Svetsare",
    "distance_learning": "ja",
}


def _records(engine: Engine, kind: str) -> list[dict[str, object]]:
    return list(list_records(engine, kind, limit=1000, actor=SYSTEM)["results"])


def test_bad_need_values_are_named_by_row_and_column(sqlite_engine: Engine) -> None:
    rows = [
        need(),
        need(source_id="N-2", start_date="2026-11-01"),
        need(source_id="N-3", headcount="0"),
        need(source_id="N-4", headcount="-2"),
        need(source_id="N-5", headcount="2,5"),
        need(source_id="N-6", municipality="2499"),
        need(source_id="N-7", employer_org_number="556677-8898"),
        need(source_id="N-8", status="pausad", occupation=""),
    ]
    problems = rejected(sqlite_engine, "needs", csv_bytes(rows), "behov.csv")
    found = {(p.row, p.column): p.message for p in problems}
    assert set(found) == {(3, "start_date"), (4, "headcount"), (5, "headcount"),
                          (6, "headcount"), (7, "municipality"), (8, "employer_org_number"),
                          (9, "status"), (9, "occupation")}
    assert "har redan passerat" in found[(3, "start_date")]
    assert "minst 1" in found[(4, "headcount")] and "minst 1" in found[(5, "headcount")]
    assert "heltal" in found[(6, "headcount")]
    assert "kontrollsiffran" in found[(8, "employer_org_number")]
    assert found[(9, "occupation")] == "är tomt men måste fyllas i"


def test_a_past_start_is_fine_for_a_filled_need(sqlite_engine: Engine) -> None:
    summary = run(sqlite_engine, "needs", csv_bytes([need(start_date="2025-03-01",
                                                          status="tillsatt")]))
    assert summary["created"] == 1
    assert _records(sqlite_engine, "needs")[0]["status"] == "filled"


def test_employers_are_upserted_and_needs_versioned(engine: Engine) -> None:
    rows = [need(), need(source_id="N-2", employer="NORRBYGG AB", employer_org_number="",
                         nice_skills="Höghöjdsarbete")]
    first = run(engine, "needs", csv_bytes(rows))
    assert (first["created"], first["organizations_created"]) == (2, 1)
    needs = {n["source_id"]: n for n in _records(engine, "needs")}
    assert needs["N-1"]["employer_id"] == needs["N-2"]["employer_id"]
    assert needs["N-1"]["occupation_id"] == SNICKARE
    assert needs["N-1"]["title"] == "Träarbetare/Snickare"
    assert needs["N-1"]["must_skills"] == [STOMBYGGNAD]
    assert needs["N-1"]["municipality_code"] == "2580"
    again = run(engine, "needs", csv_bytes([need(headcount="7")]))
    assert (again["created"], again["updated"], again["organizations_created"]) == (0, 1, 0)
    after = {n["source_id"]: n for n in _records(engine, "needs")}
    assert after["N-1"]["headcount"] == 7 and after["N-1"]["version"] == 2
    assert after["N-2"]["version"] == 1
    organizations = _records(engine, "organizations")
    assert [(o["name"], o["org_number"]) for o in organizations] == [
        ("Norrbygg AB", "5566778899")]


def test_programs_import_with_provider(sqlite_engine: Engine) -> None:
    summary = run(sqlite_engine, "programs", csv_bytes([PROGRAM]), "utbildningar.csv")
    assert (summary["created"], summary["organizations_created"]) == (1, 1)
    (program,) = _records(sqlite_engine, "programs")
    assert program["form"] == "YH" and program["distance_learning"] is True
    assert program["starts"] == ["2027-01-18", "2027-08-23"]
    assert program["provider_name"] == "Yrkeshögskolan Skellefteå"
    assert program["occupations"] == ["rxrQ_Nyy_k6y"] and program["municipality_code"] == "2482"


def test_bad_program_values(sqlite_engine: Engine) -> None:
    bad = {**PROGRAM, "form": "kvällskurs", "seats": "0", "starts": "2027-08-23;hösten"}
    problems = rejected(sqlite_engine, "programs", csv_bytes([bad]), "utbildningar.csv")
    assert {(p.row, p.column) for p in problems} == {(2, "form"), (2, "seats"), (2, "starts")}
    assert any('"hösten" är inget datum' in str(p) for p in problems)
