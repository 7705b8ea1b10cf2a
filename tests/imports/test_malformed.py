"""Issue 14, finding 11: the malformed files that gave tracebacks each give one problem
naming file, row and field, and store nothing; on PostgreSQL too, without quoting the
rejected values."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine
from tests.imports.conftest import count_rows, csv_bytes, need, rejected

from lotsen.ads.reader import read_records

LONG_ID = "N" * 150
LONG_TITLE = "Svetsare " * 45  # 405 characters


def test_values_beyond_their_columns_are_named_not_dumped(engine: Engine) -> None:
    before = count_rows(engine)
    rows = [need(), need(source_id=LONG_ID), need(source_id="N-3", title=LONG_TITLE),
            need(source_id="N-4", headcount="1e12")]
    problems = rejected(engine, "needs", csv_bytes(rows), "behov.csv")
    assert {(p.row, p.column) for p in problems} == {(3, "source_id"), (4, "title"),
                                                     (5, "headcount")}
    text = " ".join(str(p) for p in problems)
    assert "behov.csv" in text and LONG_ID not in text and LONG_TITLE.strip() not in text
    assert count_rows(engine) == before


def _xlsx_with(sheet_xml_head: bytes) -> bytes:
    book = Workbook()
    book.active.append(["source_id", "employer"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", sheet_xml_head + b"<worksheet", 1)
            dst.writestr(item, data)
    return out.getvalue()


BOMB = (b'<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode()
                   for i in range(8)) + b"]>")
EXTERNAL = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def test_xlsx_entity_bomb_and_external_entity_are_refused(engine: Engine) -> None:
    for head in (BOMB, EXTERNAL):
        problems = rejected(engine, "needs", _xlsx_with(head), "behov.xlsx")
        assert len(problems) == 1 and "DTD" in problems[0].message
        assert problems[0].file == "behov.xlsx"


def test_ads_with_deep_nesting_or_a_lone_surrogate_are_named(tmp_path: Path) -> None:
    path = tmp_path / "ads.jsonl"
    path.write_text('{"id": "1", "x": ' + "[" * 3000 + "]" * 3000 + "}\n"
                    '{"id": "2", "headline": "Svets\\ud800are"}\n'
                    '{"id": "3", "n": ' + "9" * 5000 + "}\n", encoding="utf-8")
    records = list(read_records(path))
    assert [r.line for r in records] == [1, 2, 3]
    assert all(r.error and r.value is None for r in records), records
    assert "nested" in (records[0].error or "") and "surrogate" in (records[1].error or "")
