"""Check a file's header row against its kind's columns, naming what is missing or unknown.

A wrong header is the most common import error (a template of another kind, a
column renamed in Excel), so the message lists every missing and unknown column at
once and suggests the closest known name. For people, a column that looks like a
name, personal identity number or contact detail is refused with its own message:
Lotsen stores no direct identifiers.
"""

from __future__ import annotations

import difflib

from lotsen.imports.columns import IDENTITY_WORDS, columns_of, normalize_header
from lotsen.imports.problems import Problems, quoted


def check_header(kind: str, header: list[str], problems: Problems) -> dict[str, int]:
    """Column key → index in the row; problems are added for anything wrong."""
    columns = columns_of(kind)
    known = {c.key for c in columns}
    names = list(header)
    while names and names[-1] == "":
        names.pop()
    positions: dict[str, int] = {}
    for index, raw in enumerate(names):
        key = normalize_header(raw)
        if not key:
            problems.error(1, f"column {index + 1}", raw,
                           "this column has no name in the header row: name it or delete it")
        elif kind == "people" and _is_identity(key) and key not in known:
            problems.error(
                1, raw, raw,
                f"column {quoted(raw)} looks like a name, personal identity number or contact "
                "detail: Lotsen stores no direct identifiers about job seekers — remove the "
                "column and identify people by source_id (a pseudonym is generated)",
            )
        elif key in positions:
            problems.error(1, raw, raw, f"column {quoted(raw)} appears twice in the header")
        elif key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.error(
                1, raw, raw,
                f"unknown column {quoted(raw)}{hint}; the {kind} columns are: "
                + ", ".join(c.key for c in columns),
            )
        else:
            positions[key] = index
    missing = [c.key for c in columns if c.required and c.key not in positions]
    if missing:
        problems.error(
            1, None, None,
            f"missing required column(s): {', '.join(missing)} — is this a {kind} file? "
            "The header row must name them (download the template)",
        )
    return positions


def _is_identity(key: str) -> bool:
    return any(word in key for word in IDENTITY_WORDS)
