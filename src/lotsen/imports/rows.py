"""Turn one spreadsheet row into a record for the store, reporting every bad cell.

A converter checks every cell of its row (not only the first bad one) so one pass
over a file lists all its problems. Values resolved by search rather than by id or
exact label are collected as ``interpreted`` so the summary shows how text was read;
with ``skip_unresolved`` an unresolved value in a list column (skills, languages ...)
is left out and reported instead of rejecting the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from lotsen.imports.problems import Problems
from lotsen.imports.resolve import (
    CodeResolver,
    ConceptResolver,
    Resolved,
    Searcher,
    Unresolved,
    education_field_resolver,
    education_level_resolver,
    municipality_resolver,
)
from lotsen.imports.values import CellError, split_multi
from lotsen.taxonomy.local import LocalConcept
from lotsen.taxonomy.model import DRIVING_LICENCE, LANGUAGE, OCCUPATION, SKILL, Taxonomy
from lotsen.text.normalize import normalize_key

T = TypeVar("T")
SHOWN = 200  # flagged / unresolved entries listed in a summary; the counts are exact


@dataclass
class OrgRef:
    """An employer or provider named in a row; created in the tenant if it is new."""

    name: str
    org_number: str | None
    municipality_code: str
    kind: str


@dataclass
class Record:
    row: int
    source_id: str
    values: dict[str, Any]
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    org: OrgRef | None = None


@dataclass
class Context:
    """Resolvers and findings shared by all rows of one import."""

    problems: Problems
    today: date
    skip_unresolved: bool
    occupations: ConceptResolver
    skills: ConceptResolver
    languages: ConceptResolver
    licences: ConceptResolver
    municipalities: CodeResolver
    education_levels: CodeResolver
    education_fields: CodeResolver
    language_levels: dict[str, str]
    interpreted: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    unresolved: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    flagged: list[dict[str, Any]] = field(default_factory=list)
    flagged_count: int = 0

    @classmethod
    def build(cls, taxonomy: Taxonomy, searcher: Searcher | None, problems: Problems,
              today: date, skip_unresolved: bool = False,
              local: Sequence[LocalConcept] = ()) -> Context:
        return cls(
            problems, today, skip_unresolved,
            occupations=ConceptResolver(taxonomy, searcher, [OCCUPATION], "yrke", local),
            skills=ConceptResolver(taxonomy, searcher, [SKILL], "kompetens", local),
            languages=ConceptResolver(taxonomy, searcher, [LANGUAGE], "språk"),
            licences=ConceptResolver(taxonomy, None, [DRIVING_LICENCE], "körkort"),
            municipalities=municipality_resolver(taxonomy),
            education_levels=education_level_resolver(taxonomy),
            education_fields=education_field_resolver(taxonomy),
            language_levels={key: c.label for c in taxonomy.of_type("language-level")
                             for key in (c.label, normalize_key(c.label))},
        )

    # -- one cell ---------------------------------------------------------------------

    def parse(self, row: int, column: str, text: str, parser: Callable[[str], T]) -> T | None:
        """``parser(text)``, or None with a problem recorded when the cell is wrong."""
        try:
            return parser(text)
        except CellError as error:
            self.problems.error(row, column, text, str(error))
            return None

    def concept(self, row: int, column: str, text: str, resolver: ConceptResolver,
                in_list: bool = False) -> Resolved | None:
        found = resolver.resolve(text)
        if isinstance(found, Resolved):
            if found.how == "search":
                self.interpreted.setdefault((column, text), {
                    "column": column, "value": text, "concept_id": found.value,
                    "label": found.label, "first_row": row})
            return found
        if in_list and self.skip_unresolved:
            self._skip(row, column, text, found)
        else:
            self.problems.error(row, column, text, found.message(text), found.candidates)
        return None

    def code(self, row: int, column: str, text: str, resolver: CodeResolver) -> str | None:
        found = resolver.resolve(text)
        if isinstance(found, Unresolved):
            self.problems.error(row, column, text, found.message(text), found.candidates)
            return None
        return found.value

    def concept_list(self, row: int, column: str, text: str,
                     resolver: ConceptResolver) -> list[str]:
        ids: list[str] = []
        for part in split_multi(text):
            found = self.concept(row, column, part, resolver, in_list=True)
            if found is not None and found.value not in ids:
                ids.append(found.value)
        return ids

    def language_level(self, text: str) -> str:
        level = self.language_levels.get(text) or self.language_levels.get(normalize_key(text))
        if level is None:
            raise CellError(f'"{text}" is not a language level: use '
                            + ", ".join(sorted(set(self.language_levels.values()))))
        return level

    def flag(self, row: int, source_id: str, reason: str) -> None:
        self.flagged_count += 1
        if len(self.flagged) < SHOWN:
            self.flagged.append({"row": row, "source_id": source_id, "reason": reason})

    def _skip(self, row: int, column: str, text: str, found: Unresolved) -> None:
        entry = self.unresolved.setdefault((column, text), {
            "column": column, "value": text, "reason": found.reason,
            "candidates": list(found.candidates), "rows": [], "count": 0})
        entry["count"] += 1
        if len(entry["rows"]) < 10:
            entry["rows"].append(row)
        self.problems.warn(row, column, text, found.message(text) + " — left out")

    def summary(self) -> dict[str, Any]:
        return {
            "interpreted": list(self.interpreted.values())[:SHOWN],
            "interpreted_count": len(self.interpreted),
            "unresolved": list(self.unresolved.values())[:SHOWN],
            "unresolved_count": len(self.unresolved),
            "flagged": self.flagged,
            "flagged_count": self.flagged_count,
        }
