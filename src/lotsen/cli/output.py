"""How the CLI prints: one JSON document with ``--json``, a readable table otherwise.

The table is for people: Swedish headings, municipalities by name and stored codes
through the label table (``lotsen.labels``). ``--json`` keeps the machine's keys and
values, so scripts are not broken by wording.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

from lotsen.labels import label, number
from lotsen.taxonomy import load_taxonomy

console = Console()

HEADINGS = {
    "id": "Nr", "title": "Titel", "name": "Namn", "employer_name": "Arbetsgivare",
    "provider_name": "Anordnare", "headcount": "Antal", "start_date": "Start",
    "municipality_code": "Kommun", "status": "Status", "pseudonym": "Pseudonym",
    "swedish_level": "Svenska", "available_from": "Tillgänglig", "newly_arrived": "Nyanländ",
    "form": "Form", "seats": "Platser", "duration_weeks": "Veckor", "kind": "Typ",
    "org_number": "Organisationsnummer", "occupation_id": "Yrke (id)", "label": "Benämning",
    "preferred_label": "Benämning", "concept_id": "Begrepps-id", "type": "Typ",
    "score": "Poäng", "username": "Användarnamn", "role": "Roll", "tenant": "Kommun (tenant)",
    "created_at": "Skapad", "ssyk4": "SSYK", "gap": "Gap", "demand": "Efterfrågan",
    "education_level": "Utbildningsnivå",
}
# Columns whose stored codes are shown by their Swedish word.
VALUE_KINDS = {"status": "need_status", "swedish_level": "swedish_level",
               "form": "program_form", "kind": "organization_kind",
               "education_level": "education_level"}


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column == "municipality_code":
        return load_taxonomy().municipality_name(str(value))
    if column in VALUE_KINDS:
        return label(VALUE_KINDS[column], value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return number(value, 1)
    return str(value)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def emit_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str | None = None
) -> None:
    table = Table(title=title)
    for column in columns:
        table.add_column(HEADINGS.get(column, column))
    for row in rows:
        table.add_row(*(_cell(c, row.get(c)) for c in columns))
    console.print(table)


def emit(
    data: Mapping[str, Any], as_json: bool, columns: Sequence[str], title: str | None = None
) -> None:
    """Print ``{"results": [...]}`` as JSON or as a table of ``columns``."""
    if as_json:
        emit_json(data)
    else:
        emit_table(data["results"], columns, title)
