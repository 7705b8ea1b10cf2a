"""Helpers for import tests: files built in memory, imports on a fixed 'today'."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from lotsen.errors import Problem, RejectedFile
from lotsen.services.access import SYSTEM
from lotsen.services.imports import import_file
from lotsen.store.db import forget_engines, open_database, transaction
from lotsen.store.models import Base

TODAY = date(2026, 11, 23)

PERSON = {
    "source_id": "AF-1",
    "municipality": "Skellefteå",
    "occupations": "Svetsare:4",
    "skills": "MAG-svetsning;TIG-svetsning",
    "languages": "Svenska:Flytande",
    "driving_licences": "B",
    "consent_matching_date": "2026-11-02",
}
NEED = {
    "source_id": "N-1",
    "employer": "Norrbygg AB",
    "employer_org_number": "556677-8899",
    "occupation": "Snickare",
    "headcount": "3",
    "start_date": "2027-03-01",
    "municipality": "Luleå",
    "must_skills": "Stombyggnad",
}


def csv_bytes(rows: Sequence[Mapping[str, str]], delimiter: str = ";",
              encoding: str = "utf-8-sig", header: Sequence[str] | None = None) -> bytes:
    """A CSV of ``rows`` with all their keys (or ``header``) as the header row."""
    out = io.StringIO()
    keys = list(header or dict.fromkeys(k for row in rows for k in row))
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([row.get(k, "") for k in keys])
    return out.getvalue().encode(encoding)


def person(**changes: str) -> dict[str, str]:
    return {**PERSON, **changes}


def need(**changes: str) -> dict[str, str]:
    return {**NEED, **changes}


def run(engine: Engine, kind: str, data: bytes, name: str = "file.csv",
        **options: Any) -> dict[str, Any]:
    return import_file(engine, kind, data, name, **{"today": TODAY, "actor": SYSTEM, **options})


def rejected(engine: Engine, kind: str, data: bytes, name: str = "file.csv",
             **options: Any) -> list[Problem]:
    """The problems of an import that must be rejected."""
    with pytest.raises(RejectedFile) as caught:
        run(engine, kind, data, name, **options)
    return caught.value.details


def one(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def count_rows(engine: Engine) -> dict[str, int]:
    """Rows per table of the domain (everything but Alembic's and the audit trail)."""
    with transaction(engine) as session:
        return {
            name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in Base.metadata.tables.items()
            if name not in ("audit_log",)
        }


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Any:
    """An empty SQLite database, for tests whose behaviour does not depend on the backend."""
    yield open_database(f"sqlite:///{tmp_path / 'imports.db'}")
    forget_engines()
