"""The capacity plan as a use case: seats per programme and year to close the gap
(registered needs + replacement + scenario) against approved seats; CSV and XLSX.

Aggregates only (counts of demand and seats): every role may read it.
"""

from __future__ import annotations

import io
from collections.abc import Collection
from datetime import date

from openpyxl import Workbook
from sqlalchemy import Engine

from lotsen.errors import InvalidInput
from lotsen.regional.capacity import Rates, plan
from lotsen.services.access import Actor
from lotsen.services.gaps import REPLACEMENT_YEARS, gap_report
from lotsen.services.matching import region_programs, tools
from lotsen.services.results.regional import CapacityPlan
from lotsen.spreadsheet import csv_text, safe_cell

# Assumed, not measured here: set them with --completion/--placement (or the API's and
# page's fields) when the provider knows its own; every output says they are assumed.
DEFAULT_COMPLETION = 0.70
DEFAULT_PLACEMENT = 0.75
COLUMNS = ("ssyk4", "label", "year", "to_train", "program", "form", "provider",
           "municipality_name", "duration_weeks", "start_year", "approved_seats",
           "seats_needed", "shortfall", "first_graduates", "too_late")


def _rate(value: float | None, default: float, name: str) -> float:
    if value is None:
        return default
    if not 0.05 <= value <= 1.0:
        raise InvalidInput(f"{name} must be a share between 0.05 and 1, got {value}", name)
    return value


def capacity_plan(
    engine: Engine, sources: Collection[str] | None = None, scenario: str | None = None,
    completion: float | None = None, placement: float | None = None,
    replacement_years: int = REPLACEMENT_YEARS, as_of: date | None = None, *, actor: Actor,
) -> CapacityPlan:
    """Rows per occupation, demand year and programme, largest shortfall first."""
    rates = Rates(_rate(completion, DEFAULT_COMPLETION, "completion"),
                  _rate(placement, DEFAULT_PLACEMENT, "placement"),
                  sourced=completion is not None and placement is not None)
    report = gap_report(engine, proposals=0, scenario=scenario, sources=sources,
                        replacement_years=replacement_years, as_of=as_of, actor=actor)
    t = tools()
    programs = region_programs(engine, actor=actor)
    ssyk4_of = {}
    for program in programs:
        for occupation in program["occupations"]:
            group = t.taxonomy.ssyk4(occupation)
            if group is not None and group.code:
                ssyk4_of[occupation] = group.code
    rows = plan(report["by_occupation_year"], programs, ssyk4_of, rates, as_of or date.today())
    for row in rows:
        code = row["municipality_code"]
        row["municipality_name"] = t.grid.name(code) if code else None
    assumed = [] if rates.sourced else [
        f"Genomströmning {rates.completion:.0%} och andel som får arbete i yrket "
        f"{rates.placement:.0%} är antaganden (standardvärden utan källa i Lotsen): ange "
        "utbildningens egna värden."]
    return {
        "rows": rows,
        "totals": {"seats_needed": sum(r["seats_needed"] for r in rows),
                   "approved_seats": sum(r["approved_seats"] for r in rows),
                   "shortfall": sum(r["shortfall"] for r in rows)},
        "rates": {"completion": rates.completion, "dropout": round(1 - rates.completion, 3),
                  "placement": rates.placement, "assumed": not rates.sourced},
        "sources": {**report["sources"]},
        "data_sources": [*report["data_sources"],
                         "Myndigheten för yrkeshögskolan: beviljade platser (registerutdrag "
                         "2025-04-23) för YH; övriga utbildningar i Lotsen"],
        "method": [
            "Platser som behövs = efterfrågan som återstår efter matchade arbetssökande ÷ "
            "(genomströmning × andel i yrket), med start senast efterfrågans år minus "
            "utbildningens längd (40 veckor = ett år).",
            "Behovet fördelas på utbildningarna till yrket efter deras beviljade platser.",
            *assumed,
        ],
    }


def capacity_csv(data: CapacityPlan) -> str:
    return csv_text([COLUMNS, *([row.get(c) for c in COLUMNS] for row in data["rows"]),
                     *([f"# {line}"] for line in [*data["data_sources"], *data["method"]])])


def capacity_xlsx(data: CapacityPlan) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Utbildningsplatser"
    sheet.append(list(COLUMNS))
    for row in data["rows"]:
        sheet.append([safe_cell(row.get(c)) for c in COLUMNS])
    notes = book.create_sheet("Källor")
    for line in [*data["data_sources"], *data["method"]]:
        notes.append([safe_cell(line)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
