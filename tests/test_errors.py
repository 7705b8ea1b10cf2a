"""Errors carry a code, parameters and a location apart from the message, and each edge
translates them in one handler only."""

from __future__ import annotations

import re
from pathlib import Path

from lotsen.errors import (
    InvalidInput,
    NotFound,
    Problem,
    RejectedFile,
    UnknownConcept,
)

EDGES = Path(__file__).parents[1] / "src" / "lotsen"
# The one handler per edge, and a label lookup that falls back to the code it was given.
ALLOWED = {"cli/main.py", "web/error_pages.py", "web/templating.py"}
CATCH = re.compile(r"except\b.*\b(LotsenError|InvalidInput|NotFound|Conflict|ImportRejected|"
                   r"RejectedFile|PermissionDenied|NotAuthenticated|DatabaseError)\b")


def test_location_stays_out_of_the_message() -> None:
    error = InvalidInput("must be a year like 2025, got 'x'", "fabrik.toml:4: start_year",
                         code="not_a_year", params={"got": "x"})
    assert error.message == "must be a year like 2025, got 'x'"
    assert str(error) == "fabrik.toml:4: start_year: must be a year like 2025, got 'x'"
    assert error.as_dict() == {"code": "not_a_year", "message": str(error),
                               "location": "fabrik.toml:4: start_year", "params": {"got": "x"}}
    assert InvalidInput("x").code == "invalid_input"  # an override is per instance


def test_specific_errors_carry_their_parameters() -> None:
    missing = UnknownConcept("abc_123")
    assert isinstance(missing, NotFound) and missing.http_status == 404
    assert missing.code == "unknown_concept" and missing.params == {"concept_id": "abc_123"}


def test_a_rejected_file_answers_with_every_problem() -> None:
    problems = [Problem("people.csv", 3, "municipality", "Atlantis", "not a municipality")]
    rejected = RejectedFile(problems, total=7)
    body = rejected.as_body()
    assert body["error"]["code"] == "import_rejected" and body["error"]["params"] == {"count": 7}
    assert body["total"] == 7 and body["problems"][0]["text"] == (
        "people.csv:3: municipality: not a municipality")
    assert "visar 1 av 7 problem" in str(rejected)


def test_edges_translate_errors_in_their_one_handler_only() -> None:
    found = []
    for edge in ("web", "api", "cli"):
        for path in sorted((EDGES / edge).rglob("*.py")):
            name = path.relative_to(EDGES).as_posix()
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if CATCH.search(line) and name not in ALLOWED:
                    found.append(f"{name}:{number}: {line.strip()}")
    assert found == [], "let the edge's one error handler translate these"
