"""What is wrong with an import file, said so that the user can find and fix it.

Every problem names the file, the spreadsheet row (the header is row 1, as Excel
shows it), the column and the value, so ``people.csv:14: skills: "svetsning
MIG/MAG" not found in the taxonomy`` can be fixed without guessing which cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lotsen.errors import ImportRejected

MAX_PROBLEMS = 500  # beyond this a file is broken wholesale; more lines do not help


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    candidates: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        column = f" {self.column}:" if self.column else ""
        return f"{where}:{column} {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "candidates": list(self.candidates),
            "text": str(self),
        }


class RejectedFile(ImportRejected):
    """The import was rejected whole; ``details`` keeps each problem's row, column, value."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        lines = [str(p) for p in problems]
        total = len(problems) if total is None else total
        if total > len(problems):
            lines.append(f"... stopped listing after {len(problems)} of {total} problems")
        super().__init__(lines)
        self.details = problems
        self.total = total


@dataclass
class Problems:
    """Collects problems (and warnings that do not stop the import) for one file."""

    file: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0

    def error(
        self,
        row: int | None,
        column: str | None,
        value: str | None,
        message: str,
        candidates: tuple[str, ...] = (),
    ) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(Problem(self.file, row, column, value, message, candidates))

    def warn(self, row: int | None, column: str | None, value: str | None, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(self.file, row, column, value, message))

    def __bool__(self) -> bool:
        return self.error_count > 0

    def reject(self) -> RejectedFile:
        return RejectedFile(self.errors, self.error_count)


def quoted(value: str) -> str:
    """A cell value as the messages show it: in double quotes, long values shortened."""
    shown = value if len(value) <= 80 else value[:77] + "..."
    return f'"{shown}"'
