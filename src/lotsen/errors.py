"""Every error Lotsen raises on purpose: a stable ``code``, structured ``params`` and,
apart from the message, where the problem is (``location``: file:row:field or a field).

The edges translate these, each in one handler: the CLI prints one line and exits
with code 2, the HTTP API answers with a 4xx status and ``as_body()``, the web pages
show the message. A catalogue can word an error from ``code`` and ``params`` alone;
until then ``str(error)`` is the readable English (location first) that logs and
the CLI print.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class LotsenError(Exception):
    """Base class: a problem the user can fix. ``code`` is stable for API clients."""

    code = "error"
    http_status = 400

    def __init__(
        self,
        message: str,
        location: str | None = None,
        *,
        code: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        if code is not None:
            self.code = code  # a more specific code than the class's, for one raise site
        self.params: dict[str, Any] = dict(params or {})

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    def as_dict(self) -> dict[str, Any]:
        """The error as the API's ``error`` member: code, message, location, params."""
        return {"code": self.code, "message": str(self), "location": self.location,
                "params": self.params}

    def as_body(self) -> dict[str, Any]:
        """The whole JSON answer of an edge (API, CLI ``--json``) for this error."""
        return {"error": self.as_dict()}


class NotFound(LotsenError):
    code = "not_found"
    http_status = 404


class UnknownConcept(NotFound):
    code = "unknown_concept"

    def __init__(self, concept_id: str) -> None:
        super().__init__(
            f"Unknown concept id {concept_id!r}: search for it with "
            "`lotsen taxonomy search TEXT` and use the concept_id shown.",
            params={"concept_id": concept_id},
        )
        self.concept_id = concept_id


class UnknownConceptType(LotsenError):
    code = "unknown_concept_type"

    def __init__(self, concept_type: str, known: list[str]) -> None:
        super().__init__(
            f"Unknown concept type {concept_type!r}; use one of: {', '.join(sorted(known))}.",
            params={"concept_type": concept_type, "known": sorted(known)},
        )


class InvalidInput(LotsenError):
    """Bad input from a user or a file; ``location`` names file:row:field when known."""

    code = "invalid_input"
    http_status = 422


class LimitExceeded(InvalidInput):
    """A request or file beyond one of the bounds in ``limits.py``. ``quantity`` names the
    bound (the Swedish catalogue words each: ``limit_exceeded.<quantity>``), ``limit`` is
    its value and ``value`` what was given, when known."""

    code = "limit_exceeded"

    def __init__(self, message: str, location: str | None = None, *, quantity: str,
                 limit: float, value: Any = None, **more: Any) -> None:
        params = {"quantity": quantity, "limit": limit, **more}
        if value is not None:
            params["value"] = value
        super().__init__(message, location, params=params)


class WorkBeyondBudget(LimitExceeded):
    """Long work estimated to take longer than ``LOTSEN_WORK_SECONDS``: refused before it
    starts (413: the request asks for more than one request may do)."""

    http_status = 413


class ImportRejected(InvalidInput):
    """An import was rejected whole; ``problems`` holds every problem found."""

    code = "import_rejected"

    def __init__(self, problems: list[str], total: int | None = None) -> None:
        total = len(problems) if total is None else total
        shown = "\n".join(problems[:20])
        more = f"\n… och {len(problems) - 20} till" if len(problems) > 20 else ""
        super().__init__(
            f"Inget importerades; rätta dessa {len(problems)} problem och importera igen:\n"
            f"{shown}{more}",
            params={"count": total},
        )
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in an import file: which file, row (header = 1), column and value."""

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

    def __init__(self, problems: Sequence[Problem], total: int | None = None) -> None:
        lines = [str(p) for p in problems]
        total = len(problems) if total is None else total
        if total > len(problems):
            lines.append(f"… visar {len(problems)} av {total} problem")
        super().__init__(lines, total)
        self.details = list(problems)
        self.total = total

    def as_body(self) -> dict[str, Any]:
        return {**super().as_body(), "problems": [p.as_dict() for p in self.details],
                "total": self.total}


class DatabaseError(LotsenError):
    code = "database_error"
    http_status = 503


class SchemaTooNew(DatabaseError):
    code = "schema_too_new"


class PermissionDenied(LotsenError):
    code = "permission_denied"
    http_status = 403


class NotAuthenticated(LotsenError):
    code = "not_authenticated"
    http_status = 401


class Conflict(LotsenError):
    code = "conflict"
    http_status = 409


class TooManyRequests(LotsenError):
    """Slow down: too many attempts, or long work already running for this user."""

    code = "too_many_requests"
    http_status = 429
