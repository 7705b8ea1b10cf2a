"""Every error Lotsen raises on purpose, each with a message that says what to do.

The edges translate these: the CLI prints one line and exits with code 2, the
HTTP API answers with a 4xx status and ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations


class LotsenError(Exception):
    """Base class: a problem the user can fix. ``code`` is stable for API clients."""

    code = "error"
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(LotsenError):
    code = "not_found"
    http_status = 404


class UnknownConcept(NotFound):
    code = "unknown_concept"

    def __init__(self, concept_id: str) -> None:
        super().__init__(
            f"Unknown concept id {concept_id!r}: search for it with "
            "`lotsen taxonomy search TEXT` and use the concept_id shown."
        )
        self.concept_id = concept_id


class UnknownConceptType(LotsenError):
    code = "unknown_concept_type"

    def __init__(self, concept_type: str, known: list[str]) -> None:
        super().__init__(
            f"Unknown concept type {concept_type!r}; use one of: {', '.join(sorted(known))}."
        )


class InvalidInput(LotsenError):
    """Bad input from a user or a file; ``location`` names file:row:field when known."""

    code = "invalid_input"
    http_status = 422

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(f"{location}: {message}" if location else message)
        self.location = location


class ImportRejected(InvalidInput):
    """An import was rejected whole; ``problems`` holds every problem found."""

    code = "import_rejected"

    def __init__(self, problems: list[str]) -> None:
        shown = "\n".join(problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(
            f"Nothing was imported; fix these {len(problems)} problem(s) and import again:\n"
            f"{shown}{more}"
        )
        self.problems = problems


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
