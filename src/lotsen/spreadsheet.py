"""Cells for files users open in Excel: one rule for every CSV and XLSX Lotsen writes.

Names of employers, providers and programs come from users' imports; a cell that
starts with ``=``, ``+``, ``-`` or ``@`` would run as a formula when the file is opened
(CSV/formula injection), so it is written as text. A CSV is what Swedish Excel opens
with a double click: ``;`` between cells (``,`` is the decimal sign) and UTF-8 with a
BOM, without which Excel reads å, ä and ö as Windows-1252.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet cell: formulas neutralised, lists joined, dicts as text."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    if isinstance(value, list | dict):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return value


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """``rows`` (the heading row first) as CSV text, every cell through ``safe_cell``."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([safe_cell(v) for v in row] for row in rows)
    return out.getvalue()


def csv_file(text: str) -> bytes:
    """The bytes of a CSV download or file: UTF-8 with the BOM Excel needs."""
    return text.encode("utf-8-sig")
