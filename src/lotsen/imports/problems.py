"""What is wrong with an import file, said so that the user can find and fix it.

Every problem names the file, the spreadsheet row (the header is row 1, as Excel
shows it), the column and the value, so ``people.csv:14: skills: "svetsning
MIG/MAG" not found in the taxonomy`` can be fixed without guessing which cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lotsen.errors import Problem, RejectedFile

MAX_PROBLEMS = 500  # beyond this a file is broken wholesale; more lines do not help


@dataclass
class Problems:
    """Collects problems (and warnings that do not stop the import) for one file."""

    file: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    # Column key → the header the file used for it (key or Swedish heading), so that a
    # problem names the column as the user sees it in the file.
    headed: dict[str, str] = field(default_factory=dict)

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
            self.errors.append(Problem(self.file, row, self._as_headed(column), value, message,
                                       candidates))

    def warn(self, row: int | None, column: str | None, value: str | None, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(self.file, row, self._as_headed(column), value,
                                         message))

    def _as_headed(self, column: str | None) -> str | None:
        return self.headed.get(column, column) if column is not None else None

    def __bool__(self) -> bool:
        return self.error_count > 0

    def reject(self) -> RejectedFile:
        return RejectedFile(self.errors, self.error_count)


def quoted(value: str) -> str:
    """A cell value as the messages show it: in double quotes, long values shortened."""
    shown = value if len(value) <= 80 else value[:77] + "..."
    return f'"{shown}"'
