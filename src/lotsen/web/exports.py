"""Any list table as a CSV or Excel download (``?format=csv|xlsx`` on list pages).

Cells that a spreadsheet would run as a formula (starting with = + - @) get a
leading apostrophe, so an exported value cannot execute in the analyst's Excel.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi.responses import Response
from openpyxl import Workbook

from lotsen.errors import InvalidInput
from lotsen.spreadsheet import csv_file, csv_text, safe_cell

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_response(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    filename: str,
    fmt: str,
) -> Response:
    """``columns`` are (key, heading); the heading row is in Swedish like the page."""
    if fmt not in FORMATS:
        raise InvalidInput(f"okänt format {fmt!r}; välj csv eller xlsx", "format")
    header = [heading for _, heading in columns]
    body = ([row.get(key) for key, _ in columns] for row in rows)
    if fmt == "csv":
        content = csv_file(csv_text([header, *body]))
    else:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(filename[:31])
        sheet.append(header)
        for values in body:
            sheet.append([safe_cell(v) for v in values])
        out = io.BytesIO()
        book.save(out)
        content = out.getvalue()
    return Response(
        content,
        media_type=FORMATS[fmt],
        headers={"content-disposition": f'attachment; filename="{filename}.{fmt}"'},
    )
