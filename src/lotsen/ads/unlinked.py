"""Competences the taxonomy lacks, found by name: ``data/unlinked_skills.csv``.

The JobTech taxonomy has no Snowflake, Databricks, Airflow, dbt or Power BI (the gold
set's guidelines list them as known gaps), yet ads ask for them. They come out of the
extractor as *unlinked* skills: ``concept_id`` null, with a label and the span, so a
lotsare sees them and can make one a local concept (``lotsen concepts add-local``).
Names are matched case-sensitively as whole words: "Spark" is a tool, "spark" a kick.

Speed: one regex alternation of every row, tried at every word of every ad, cost more
than the rest of the extraction. Each alternative of a row's pattern has a *needle*: its
longest literal run outside groups, character classes and optional characters, which
every name it matches contains ("Airflow" in "(?:Apache )?Airflow", "ops" in "ML-?Ops",
".NET" in "\\.NET(?: Core)?"). Only the rows with a needle in the lower-cased ad are
matched, by a regex compiled once per such set of rows; an alternative without a
needle keeps its row always tried.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from lotsen.errors import InvalidInput

UNLINKED_FILE = "unlinked_skills.csv"
NEEDLE = re.compile(r"[.A-Za-z0-9]{3,}")
GROUP = re.compile(r"\((?:[^()\\]|\\.)*\)[?*]?")  # innermost groups, dropped from needles
OPTIONAL = re.compile(r"\\?.[?*]|\[[^\]]*\][?*]?")  # "X?", "\\.?", "[Ii]": separators


@dataclass(frozen=True, slots=True)
class UnlinkedRow:
    label: str
    pattern: str
    needles: tuple[str, ...]  # empty: the row is always tried


@cache
def unlinked_rows() -> tuple[UnlinkedRow, ...]:
    text = (resources.files("lotsen.ads") / "data" / UNLINKED_FILE).read_text("utf-8")
    rows: list[UnlinkedRow] = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            re.compile(row["pattern"])
        except re.error as exc:
            raise InvalidInput(f"pattern: {exc}", f"{UNLINKED_FILE}:{line}") from None
        needles = _needles(row["pattern"])
        rows.append(UnlinkedRow(row["label"], row["pattern"], needles))
    return tuple(rows)


def _needles(pattern: str) -> tuple[str, ...]:
    """One lower-case needle per top-level alternative; () if one has none."""
    needles = []
    for alternative in _alternatives(pattern):
        while GROUP.search(alternative):
            alternative = GROUP.sub(" ", alternative)
        literal = OPTIONAL.sub(" ", alternative).replace("\\", "")
        runs = NEEDLE.findall(literal)
        if not runs:
            return ()
        needles.append(max(runs, key=len).lower())
    return tuple(dict.fromkeys(needles))


def _alternatives(pattern: str) -> list[str]:
    """The pattern split at its top-level ``|``."""
    parts, depth, start, escaped = [], 0, 0, False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


@cache
def _all_needles() -> tuple[str, ...]:
    """Every row's needles, each once: an ad is searched for each needle once."""
    return tuple(dict.fromkeys(n for row in unlinked_rows() for n in row.needles))


@lru_cache(maxsize=1024)
def _active(present: frozenset[str]) -> tuple[int, ...]:
    """The rows to try, given the needles present in an ad."""
    return tuple(i for i, row in enumerate(unlinked_rows())
                 if not row.needles or not present.isdisjoint(row.needles))


@lru_cache(maxsize=1024)
def _pattern(active: tuple[int, ...]) -> re.Pattern[str]:
    """One alternation with a named group per active row (``u<row index>``)."""
    rows = unlinked_rows()
    parts = [f"(?P<u{i}>{rows[i].pattern})" for i in active]
    return re.compile(r"(?<![\w.-])(?:" + "|".join(parts) + r")(?![\w-])")


def find_unlinked(text: str, folded: str | None = None) -> list[tuple[int, int, str]]:
    """(start, end, label) of every unlinked competence named in ``text`` (``folded``:
    the text folded, if the caller has it)."""
    rows = unlinked_rows()
    lowered = text.lower() if folded is None else folded
    active = _active(frozenset(n for n in _all_needles() if n in lowered))
    if not active:
        return []
    found = []
    for match in _pattern(active).finditer(text):
        # the row's named group encloses any group of its pattern, so it closes last
        index = int(str(match.lastgroup)[1:])
        found.append((match.start(), match.end(), rows[index].label))
    return found
