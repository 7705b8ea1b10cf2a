"""Records back into import rows: the inverse of :mod:`lotsen.imports.convert`.

A person dict as ``store/records.py`` and the demo generator speak it becomes one row
of the people template, so stored or generated populations can be written as files
that import back unchanged (benchmarks, round-trip tests, moving data between
installations). Concepts are written as ids unless ``label_of`` gives a text for
one — callers pass labels they know resolve back to the same id.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from lotsen.imports.columns import MULTI_SEPARATOR, columns_of


def _text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def person_row(record: Mapping[str, Any],
               label_of: Callable[[str], str] | None = None) -> dict[str, str]:
    """One people-template row (column key → text) for a person record."""
    name = label_of or (lambda concept_id: concept_id)
    active = {c["purpose"]: c["given_at"] for c in record.get("consents", [])
              if not c.get("withdrawn_at")}
    row = {
        "source_id": _text(record.get("source_id")),
        "municipality": _text(record.get("municipality_code")),
        "occupations": MULTI_SEPARATOR.join(
            f"{name(o['occupation_id'])}:{_text(float(o.get('years') or 0))}"
            for o in record.get("occupations", [])),
        "skills": MULTI_SEPARATOR.join(name(s) for s in record.get("skills", [])),
        "languages": MULTI_SEPARATOR.join(
            f"{name(x['language_id'])}:{x['level']}" for x in record.get("languages", [])),
        "driving_licences": MULTI_SEPARATOR.join(name(x) for x in record.get("licences", [])),
        "education_level": _text(record.get("education_level")),
        "education_field": _text(record.get("education_field")),
        "swedish_level": _text(record.get("swedish_level")),
        "newly_arrived": _text(bool(record.get("newly_arrived"))),
        "available_from": _text(record.get("available_from")),
        "max_commute_km": _text(record.get("max_commute_km")),
    }
    for column in columns_of("people"):
        if column.key.startswith("consent_"):
            purpose = column.key[len("consent_"):-len("_date")]
            row[column.key] = _text(active.get(purpose))
    return row


def to_csv(kind: str, rows: Iterable[Mapping[str, str]], delimiter: str = ";",
           encoding: str = "utf-8-sig") -> bytes:
    """A CSV with the kind's full header, as Excel writes it (BOM, ``;``, CRLF)."""
    out = io.StringIO()
    keys = [c.key for c in columns_of(kind)]
    writer = csv.DictWriter(out, keys, delimiter=delimiter, lineterminator="\r\n",
                            extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)
