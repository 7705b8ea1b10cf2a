"""Competences the taxonomy lacks, found by name: ``data/unlinked_skills.csv``.

The JobTech taxonomy has no Snowflake, Databricks, Airflow, dbt or Power BI (the gold
set's guidelines list them as known gaps), yet ads ask for them. They come out of the
extractor as *unlinked* skills: ``concept_id`` null, with a label and the span, so a
lotsare sees them and can make one a local concept (``lotsen concepts add-local``).
Names are matched case-sensitively as whole words: "Spark" is a tool, "spark" a kick.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib import resources

from lotsen.errors import InvalidInput

UNLINKED_FILE = "unlinked_skills.csv"


@cache
def unlinked_patterns() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One alternation with a named group per row, and the labels in row order."""
    text = (resources.files("lotsen.ads") / "data" / UNLINKED_FILE).read_text("utf-8")
    parts: list[str] = []
    labels: list[str] = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            re.compile(row["pattern"])
        except re.error as exc:
            raise InvalidInput(f"pattern: {exc}", f"{UNLINKED_FILE}:{line}") from None
        parts.append(f"(?P<u{len(labels)}>{row['pattern']})")
        labels.append(row["label"])
    return re.compile(r"(?<![\w.-])(?:" + "|".join(parts) + r")(?![\w-])"), tuple(labels)


def find_unlinked(text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of every unlinked competence named in ``text``."""
    pattern, labels = unlinked_patterns()
    found = []
    for match in pattern.finditer(text):
        index = int(next(name for name, value in match.groupdict().items() if value)[1:])
        found.append((match.start(), match.end(), labels[index]))
    return found
