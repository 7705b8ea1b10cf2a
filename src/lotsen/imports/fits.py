"""Does a converted row fit its columns? Checked before any insert, so a value longer
than its column or a number beyond it is one problem naming file, row and field, never
a database error (on PostgreSQL that error quoted the rejected rows' values)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import Integer, String, Table

from lotsen.imports.bulk import LAYOUT
from lotsen.imports.rows import Record
from lotsen.limits import MAX_ID
from lotsen.store.models import Organization

INT_RANGE = (-MAX_ID - 1, MAX_ID)  # PostgreSQL integer; SQLite would store anything
_ORG: Table = Organization.__table__  # type: ignore[assignment]


def _misfits(table: Table, values: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for key, value in values.items():
        column = table.c.get(key)
        if column is None:
            continue
        if isinstance(value, str) and isinstance(column.type, String) and column.type.length \
                and len(value) > column.type.length:
            yield key, (f"är {len(value)} tecken långt; högst {column.type.length} "
                        f"tecken får plats")
        elif isinstance(value, int) and not isinstance(value, bool) \
                and isinstance(column.type, Integer) \
                and not INT_RANGE[0] <= value <= INT_RANGE[1]:
            yield key, f"är större än {INT_RANGE[1]:,}".replace(",", " ")


def misfits(kind: str, record: Record) -> list[tuple[str, str]]:
    """(field, Swedish message) for every value of ``record`` its column cannot hold; the
    messages never quote the value."""
    parent, children, _ = LAYOUT[kind]
    found = list(_misfits(parent, record.values))
    by_name = {t.name: t for t in children}
    for name, rows in record.children.items():
        table = by_name.get(name)
        if table is not None:
            for row in rows:
                found += _misfits(table, row)
    if record.org is not None:
        found += [(("employer" if kind == "needs" else "provider") if k == "name" else k, m)
                  for k, m in _misfits(_ORG, {"name": record.org.name,
                                              "org_number": record.org.org_number})]
    return found
