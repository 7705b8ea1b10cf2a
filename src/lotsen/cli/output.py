"""How the CLI prints: one JSON document with ``--json``, a readable table otherwise."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console()


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def emit_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str | None = None
) -> None:
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    console.print(table)


def emit(
    data: Mapping[str, Any], as_json: bool, columns: Sequence[str], title: str | None = None
) -> None:
    """Print ``{"results": [...]}`` as JSON or as a table of ``columns``."""
    if as_json:
        emit_json(data)
    else:
        emit_table(data["results"], columns, title)
