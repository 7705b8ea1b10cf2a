"""MYH's files as published (Swedish headers, ; or , and a BOM) into YH programs."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from tests.cli_runner import run_cli

from lotsen.errors import RejectedFile
from lotsen.services.access import SYSTEM
from lotsen.services.imports import import_myh_files
from lotsen.store.models import EducationProgram
from lotsen.web.app import create_app

DATA = resources.files("lotsen.demo") / "data"
REGISTER = "myh_isd5861_2025-04-23_program_VB_NB.csv"
RESULTS = "myh_resultat_ansokningsomgang_2023_tabell3_VB_NB.csv"
TODAY = date(2026, 12, 1)


def _published(name: str) -> bytes:
    """The shared copy uses ``,``; MYH publishes ``;`` with a BOM: test that form."""
    text = (DATA / name).read_text(encoding="utf-8-sig")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _programs(engine: Engine) -> dict[str, EducationProgram]:
    with Session(engine) as session:
        return {p.source_id or "": p for p in session.scalars(select(EducationProgram))}


def test_register_and_results_as_published(sqlite_engine: Engine) -> None:
    summary = import_myh_files(sqlite_engine, [(_published(REGISTER), REGISTER),
                                               (_published(RESULTS), RESULTS)],
                               today=TODAY, actor=SYSTEM)
    assert summary["rows"] == 55  # 57 rows: two programmes listed once per round
    assert [f["kind"] for f in summary["files"]] == ["register", "results"]
    programs = _programs(sqlite_engine)
    battery = programs["YH01966"]
    assert (battery.name, battery.municipality_code, battery.seats) == (
        "Tekniker hållbar batteritillverkning", "2482", 25)
    assert battery.form == "YH" and not battery.is_synthetic
    assert battery.starts == ["2027-08-23"] and battery.links["starts"]["inferred"]
    ambulance = programs["YH01044"]
    assert ambulance.sun_code == "723p" and not ambulance.links["sun"]["inferred"]
    assert ambulance.duration_weeks == 40  # 200 YH points from the 2023 result
    link = ambulance.links["occupations"][0]
    assert link["inferred"] and link["ssyk4"] == "5326" and ambulance.occupations == [link["id"]]
    assert ambulance.skills and ambulance.links["skills"]["inferred"]
    assert programs["YH02400"].seats == 20  # one programme, two rounds
    again = import_myh_files(sqlite_engine, [(_published(REGISTER), REGISTER)],
                             today=TODAY, actor=SYSTEM)
    assert again["created"] == 0 and again["updated"] == 55


def test_bad_rows_refuse_every_file_naming_file_row_and_column(sqlite_engine: Engine) -> None:
    text = _published(REGISTER).decode("utf-8-sig").splitlines()
    text[3] = text[3].replace(";30;", ";trettio;")  # row 4: seats
    text[5] = text[5].replace(";Umeå;", ";Atlantis;")  # row 6: place
    bad = ("\ufeff" + "\r\n".join(text)).encode("utf-8")
    with pytest.raises(RejectedFile) as caught:
        import_myh_files(sqlite_engine, [(bad, "register.csv"), (_published(RESULTS), RESULTS)],
                         today=TODAY, actor=SYSTEM)
    found = {(p.file, p.row, p.column) for p in caught.value.details}
    assert ("register.csv", 4, "Beviljade platser") in found
    assert ("register.csv", 6, "Studieort") in found
    assert _programs(sqlite_engine) == {}
    with pytest.raises(RejectedFile, match="not an MYH file"):
        import_myh_files(sqlite_engine, [(b"a;b\r\n1;2\r\n", "other.csv")], actor=SYSTEM)


def test_cli_and_api(sqlite_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                     monkeypatch: pytest.MonkeyPatch) -> None:
    url = str(sqlite_engine.url)
    monkeypatch.setenv("LOTSEN_DATABASE_URL", url)
    register = tmp_path / REGISTER
    register.write_bytes(_published(REGISTER))
    code, out, _ = run_cli(capsys, "import", "programs", "--format", "myh", str(register),
                           "--json", "--dry-run")
    assert code == 0 and json.loads(out)["rows"] == 55 and _programs(sqlite_engine) == {}
    client = TestClient(create_app(url))
    answer = client.post("/api/v1/imports/programs/myh",
                         files=[("file", (RESULTS, _published(RESULTS), "text/csv"))])
    assert answer.status_code == 200, answer.text
    assert answer.json()["files"][0]["kind"] == "results"
    assert all(p.links and p.form == "YH" for p in _programs(sqlite_engine).values())


def test_demo_region_runs_the_real_yh_programmes(demo_engine: Engine) -> None:
    programs = list(_programs(demo_engine).values())
    yh = [p for p in programs if p.form == "YH"]
    assert yh and all(not p.is_synthetic and p.source_id.startswith("YH") for p in yh)
    assert all(p.is_synthetic for p in programs if p.form != "YH")
    battery = next(p for p in yh if p.source_id == "YH01966")
    assert battery.occupations and battery.links["occupations"][0]["inferred"]
    assert {p.municipality_code for p in yh} <= {"2482", "2417", "2418", "2580", "2582",
                                                 "2581", "2505", "2480", "2422"}
