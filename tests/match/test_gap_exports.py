"""Gap-report files are opened in Excel: names from users' imports never run as formulas."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from lotsen.services.gaps import SHEETS, gaps_csv, gaps_xlsx

HOSTILE = '=HYPERLINK("http://example.invalid","klicka")'


def _report() -> dict[str, Any]:
    report: dict[str, Any] = {key: [] for key in SHEETS}
    report["by_occupation"] = [{"ssyk4": "7121", "label": HOSTILE, "demand": 5, "gap": 3}]
    report["proposals"] = [{
        "ssyk4": "7121", "label": "Takläggare", "gap": 3, "form": "AUB",
        "duration_weeks": 12, "cohort_size": 8, "cohorts": 1,
        "skills_to_teach": [{"label": "Takläggning"}],
        "providers": [{"name": "@Anordnare"}], "employers": [{"name": HOSTILE}],
    }]
    return report


def test_csv_cells_that_look_like_formulas_are_text() -> None:
    rows = list(csv.DictReader(io.StringIO(gaps_csv(_report(), "by_occupation")),
                               delimiter=";"))
    assert rows[0]["Yrke"] == "'" + HOSTILE
    assert rows[0]["Gap (personer)"] == "3"


def test_export_headings_are_swedish_in_every_sheet() -> None:
    book = load_workbook(io.BytesIO(gaps_xlsx(_report())))
    for sheet in book.worksheets:
        if sheet.title == "Källor":
            continue
        heads = [c.value for c in next(sheet.iter_rows(max_row=1))]
        assert heads and all(h and "_" not in h and h[0].isupper() for h in heads), heads
    proposal = [c.value for c in next(book["Förslag"].iter_rows(min_row=2))]
    assert proposal[3] == "Arbetsmarknadsutbildning"  # the form through the label table


def test_xlsx_cells_that_look_like_formulas_are_text() -> None:
    book = load_workbook(io.BytesIO(gaps_xlsx(_report())))
    occupations = [[c.value for c in row] for row in book["Yrken"].iter_rows()]
    assert occupations[1][1] == "'" + HOSTILE
    proposal = [c.value for c in next(book["Förslag"].iter_rows(min_row=2))]
    assert proposal[8] == "'@Anordnare"
    assert proposal[9] == "'" + HOSTILE
    assert proposal[2] == 3


def test_csv_names_its_sources_after_the_table() -> None:
    report = {**_report(), "data_sources": ["SCB YREG60BAS"], "method": {"people": "allocation"}}
    rows = list(csv.reader(io.StringIO(gaps_csv(report, "by_occupation")), delimiter=";"))
    assert rows[1][0] == "7121"
    assert [r[0] for r in rows[2:]] == ["# SCB YREG60BAS", "# allocation"]
