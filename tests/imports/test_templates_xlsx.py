"""The shipped templates and XLSX files: they match the spec and round-trip through the store."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine
from tests.imports.conftest import run

from lotsen.demo.generator import DemoCatalog, people
from lotsen.imports import template_files
from lotsen.imports.columns import COLUMNS, KINDS, normalize_header
from lotsen.imports.problems import RejectedFile
from lotsen.imports.writing import person_row
from lotsen.services.access import SYSTEM
from lotsen.services.records import list_records
from lotsen.taxonomy import load_taxonomy

DOCS = Path(__file__).resolve().parents[2] / "docs" / "import.md"


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_templates_match_the_column_spec(kind: str) -> None:
    assert template_files.shipped(kind, "csv") == template_files.build_csv(kind)
    book = load_workbook(io.BytesIO(template_files.shipped(kind, "xlsx")), read_only=True)
    rows = [[c or "" for c in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert rows == template_files.rows_of(kind)[:1]  # the sheet imports read: header only
    examples = [[c or "" for c in row] for row in book["Exempel"].iter_rows(values_only=True)]
    assert examples == template_files.rows_of(kind)
    guide = list(book["Instruktioner"].iter_rows(min_row=2, values_only=True))
    assert [(c.heading, c.key) for c in COLUMNS[kind]] == [
        (row[0], row[4]) for row in guide[: len(COLUMNS[kind])]]


@pytest.mark.parametrize("kind", KINDS)
def test_every_column_is_documented(kind: str) -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split(f"## {kind}", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE))
    assert documented == {c.key for c in COLUMNS[kind]}


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_templates_import_the_same_from_csv_and_xlsx(sqlite_engine: Engine,
                                                             kind: str) -> None:
    # Unchanged, a template imports nothing: its examples are comment rows / another sheet.
    for fmt in ("csv", "xlsx"):
        with pytest.raises(RejectedFile, match="inga rader"):
            run(sqlite_engine, kind, template_files.shipped(kind, fmt), f"{kind}.{fmt}")
    assert list_records(sqlite_engine, kind, actor=SYSTEM)["total"] == 0
    # The examples, uncommented (CSV) or moved to the first sheet (XLSX), import the same.
    text = template_files.shipped(kind, "csv").decode("utf-8-sig").splitlines()
    filled = "\r\n".join([text[0]] + [line[2:] for line in text[2:]]).encode()
    first = run(sqlite_engine, kind, filled, f"{kind}.csv")
    before = list_records(sqlite_engine, kind, actor=SYSTEM)["results"]
    book = load_workbook(io.BytesIO(template_files.shipped(kind, "xlsx")))
    del book[book.worksheets[0].title]
    out = io.BytesIO()
    book.save(out)
    again = run(sqlite_engine, kind, out.getvalue(), f"{kind}.xlsx")
    assert (first["created"], again["updated"], again["created"]) == (2, 2, 0)
    assert first["unresolved"] == [] and again["format"] == "xlsx"
    after = list_records(sqlite_engine, kind, actor=SYSTEM)["results"]
    ignore = {"version"}
    assert [{k: v for k, v in r.items() if k not in ignore} for r in after] == [
        {k: v for k, v in r.items() if k not in ignore} for r in before]


def _typed(key: str, text: str) -> object:
    """Cells as Excel would type them: dates as dates, numbers as numbers."""
    if text and (key == "available_from" or key.startswith("consent_")):
        return datetime.fromisoformat(text)
    if key == "max_commute_km" and text:
        return float(text)
    if key == "municipality":
        return int(text)  # Excel drops the leading zero of codes like 0180
    return text or None


def test_xlsx_round_trip_of_generated_people(sqlite_engine: Engine) -> None:
    records = list(people(11, DemoCatalog.from_taxonomy(load_taxonomy()), 40))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    keys = [c.key for c in COLUMNS["people"]]
    sheet.append(keys)
    for record in records:
        row = person_row(record)
        sheet.append([_typed(k, row[k]) for k in keys])
    out = io.BytesIO()
    book.save(out)
    summary = run(sqlite_engine, "people", out.getvalue(), "people.xlsx",
                  today=date(2026, 12, 1))
    assert summary["created"] == 40
    stored = {p["source_id"]: p for p in list_records(sqlite_engine, "people",
                                                      actor=SYSTEM)["results"]}
    for record in records:
        got = stored[record["source_id"]]
        for key in ("municipality_code", "education_level", "swedish_level", "newly_arrived",
                    "max_commute_km", "skills", "licences"):
            assert got[key] == record[key] or sorted(got[key]) == sorted(record[key]), key
        assert got["available_from"] == record["available_from"].isoformat()
        assert sorted((o["occupation_id"], o["years"]) for o in got["occupations"]) == sorted(
            (o["occupation_id"], o["years"]) for o in record["occupations"])
        assert sorted((x["language_id"], x["level"]) for x in got["languages"]) == sorted(
            (x["language_id"], x["level"]) for x in record["languages"])
        active = sorted((c["purpose"], c["given_at"].isoformat()) for c in record["consents"]
                        if not c.get("withdrawn_at"))
        assert sorted((c["purpose"], c["given_at"]) for c in got["consents"]) == active
    assert summary["flagged_count"] == sum(
        1 for r in records if not any(c["purpose"] == "matching" and not c.get("withdrawn_at")
                                      for c in r["consents"]))


@pytest.mark.parametrize("kind", KINDS)
def test_headings_name_one_column_each(kind: str) -> None:
    """A heading never reads as another column's key or heading of the same kind."""
    columns = COLUMNS[kind]
    names = [name for c in columns
             for name in {normalize_header(c.key), normalize_header(c.heading)}]
    assert len(names) == len(set(names))
