"""Check a file's header row against its kind's columns, naming what is missing or unknown.

A wrong header is the most common import error (a template of another kind, a
column renamed in Excel), so the message lists every missing and unknown column at
once and suggests the closest known name. For people, a column that looks like a
name, personal identity number or contact detail is refused with its own message:
Lotsen stores no direct identifiers.
"""

from __future__ import annotations

import difflib

from lotsen.imports.columns import IDENTITY_WORDS, columns_of, header_names, normalize_header
from lotsen.imports.problems import Problems, quoted

KIND_WORDS = {"needs": "behov", "people": "arbetssökande", "programs": "utbildningar"}


def check_header(kind: str, header: list[str], problems: Problems) -> dict[str, int]:
    """Column key → index in the row; problems are added for anything wrong. A column
    may be headed by its key or its Swedish heading; later problems name it as headed."""
    columns = columns_of(kind)
    known = header_names(kind)
    names = list(header)
    while names and names[-1] == "":
        names.pop()
    positions: dict[str, int] = {}
    for index, raw in enumerate(names):
        name = normalize_header(raw)
        key = known.get(name, name)
        if not key:
            problems.error(1, f"kolumn {index + 1}", raw,
                           "kolumnen saknar namn i rubrikraden: namnge den eller ta bort den")
        elif kind == "people" and _is_identity(name) and name not in known:
            problems.error(
                1, raw, raw,
                f"kolumnen {quoted(raw)} ser ut att innehålla namn, personnummer eller "
                "kontaktuppgifter: Lotsen lagrar inga direkta personuppgifter om arbetssökande — "
                "ta bort kolumnen och ange personer med source_id (en pseudonym skapas)",
            )
        elif key in positions:
            problems.error(1, raw, raw, f"kolumnen {quoted(raw)} finns två gånger i rubrikraden")
        elif name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
            hint = f" (menade du {_as_written(kind, close[0])!r}?)" if close else ""
            problems.error(
                1, raw, raw,
                f"okänd kolumn {quoted(raw)}{hint}; kolumnerna för {KIND_WORDS[kind]} är: "
                + ", ".join(c.heading for c in columns),
            )
        else:
            positions[key] = index
            problems.headed[key] = raw.strip().lstrip("\ufeff").strip()
    missing = [c.heading for c in columns if c.required and c.key not in positions]
    if missing:
        problems.error(
            1, None, None,
            f"obligatoriska kolumner saknas: {', '.join(missing)} — är det här en fil med "
            f"{KIND_WORDS[kind]}? Rubrikraden måste ha dem (ladda ner mallen)",
        )
    return positions


def _as_written(kind: str, name: str) -> str:
    """A normalised header name as the template writes it: the key or the heading."""
    return next(text for c in columns_of(kind) for text in (c.key, c.heading)
                if normalize_header(text) == name)


def _is_identity(key: str) -> bool:
    return any(word in key for word in IDENTITY_WORDS)
