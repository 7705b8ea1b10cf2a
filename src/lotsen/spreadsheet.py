"""Cells for files users open in Excel: one rule for every CSV and XLSX Lotsen writes.

Names of employers, providers and programs come from users' imports; a cell that
starts with ``=``, ``+``, ``-`` or ``@`` would run as a formula when the file is opened
(CSV/formula injection), so it is written as text.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet cell: formulas neutralised, lists joined, dicts as text."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    if isinstance(value, list | dict):
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return value
