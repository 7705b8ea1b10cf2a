"""The Swedish catalogue: every entry formats with the parameters its raise site gives,
and the edges (web, API, CLI) word errors from it, not from the English message."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

import lotsen
from lotsen import errors
from lotsen.errors import (
    Conflict,
    ImportRejected,
    LimitExceeded,
    LotsenError,
    NotFound,
    SchemaTooNew,
    TooManyRequests,
    UnknownConcept,
    UnknownConceptType,
)
from lotsen.messages import CATALOGUE, OWN_WORDS, entry_of, render

SRC = Path(lotsen.__file__).parent

EXAMPLES: list[LotsenError] = [
    UnknownConcept("abcd_efg_hij"),
    UnknownConceptType("yrkez", ["occupation-name", "skill"]),
    ImportRejected(["people.csv:3: municipality: \"Atlantis\" är inget känt namn på kommun"]),
    NotFound("no person 7", code="person_not_found", params={"person_id": 7}),
    Conflict("already", code="consent_active", params={"purpose": "matching"}),
    NotFound("none", code="consent_not_active", params={"purpose": "statistics"}),
    LotsenError("bad", code="unknown_consent_purpose", params={"purpose": "x"}),
    SchemaTooNew("too new", params={"current": "0099", "head": "0005"}),
    TooManyRequests("busy", code="long_work_running", params={"work": "scenariokörning"}),
    LotsenError("Lokal rekrytering: fyll i alla tre", "local_hire_share",
                code="incomplete_range", params={"given": [True, False, False]}),
    LotsenError("Texten innehåller ett otillåtet styrtecken", "body", code="control_character"),
    NotFound("no account", code="account_not_found", params={"username": "anna"}),
    NotFound("no token", code="api_token_not_found", params={"token_id": 3}),
    NotFound("no need", code="need_not_found", params={"need_id": 12}),
    NotFound("no employer", code="employer_not_found", params={"employer": "Northvolt"}),
    NotFound("none open", code="employer_without_open_needs", params={"employer": "Northvolt"}),
    NotFound("none open", code="no_open_needs"),
    NotFound("no tenant", code="tenant_not_found", params={"tenant": "kiruna"}),
    NotFound("no occupation", code="occupation_not_found", params={"occupation_id": "abc_123"}),
    NotFound("no local", code="local_concept_not_found",
             params={"concept_id": "local:lulea-boden:cellsvetsare"}),
    NotFound("no version", code="profile_version_not_found",
             params={"occupation_id": "abc_123", "version": 4}),
    NotFound("no example", code="example_not_found", params={"name": "hybrit"}),
    Conflict("exists", code="account_exists", params={"username": "anna"}),
    Conflict("in use", code="concept_in_use", params={
        "concept_id": "local:lulea-boden:cellsvetsare", "label": "Cellsvetsare", "needs": 2,
        "people": 5, "programs": 0}),
]


def _raise_sites() -> tuple[set[str], list[LimitExceeded]]:
    """Every error code the source raises (class codes of errors.py, ``code="..."`` at a
    raise site) and, for each ``LimitExceeded(...)`` call, an error with the parameters
    that call gives (its ``quantity`` and keyword names, numbers for the values)."""
    codes: set[str] = set()
    limits: list[LimitExceeded] = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
            code = keywords.get("code")
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                codes.add(code.value)
            if "quantity" in keywords:  # LimitExceeded and its subclasses
                quantity = keywords["quantity"]
                assert isinstance(quantity, ast.Constant), f"{path}: quantity must be a literal"
                more: dict[str, Any] = {k: 7 for k in keywords if k not in (
                    "quantity", "limit", "value")}
                if "work" in more:
                    more["work"] = "scenariokörning"
                value = {"value": 12_345} if "value" in keywords else {}
                limits.append(LimitExceeded("too much", None, quantity=quantity.value,
                                            limit=10_000, **value, **more))
    for cls in vars(errors).values():
        if isinstance(cls, type) and issubclass(cls, LotsenError):
            codes.add(cls.code)
    return codes, limits


def test_every_error_code_raised_has_a_swedish_entry() -> None:
    codes, limits = _raise_sites()
    assert {"limit_exceeded", "long_work_running", "control_character"} <= codes  # the scan
    assert len(limits) >= 15
    missing = sorted(c for c in codes - OWN_WORDS - {"limit_exceeded"} if c not in CATALOGUE)
    missing += sorted({entry_of(e.code, e.params) for e in limits} - set(CATALOGUE))
    assert not missing, f"no Swedish catalogue entry for: {missing}"
    # Only the base classes' codes are worded where they are raised.
    base_classes = {cls.code for cls in (LotsenError, *LotsenError.__subclasses__())}
    assert not OWN_WORDS - base_classes


def test_every_limit_is_said_in_swedish_with_its_figures() -> None:
    _, limits = _raise_sites()
    for error in limits:
        text = render(error)
        assert "{" not in text and text != str(error), error.params
        assert "10\u202f000" in text, text
        if "value" in error.params:
            assert "12\u202f345" in text, text
        assert not re.search(r"\b(the|must|at most|between)\b", text), text
    entries = {k for k in CATALOGUE if k.startswith("limit_exceeded.")}
    assert entries == {entry_of(e.code, e.params) for e in limits}  # none left unused


def test_every_catalogue_entry_is_exercised() -> None:
    _, limits = _raise_sites()
    assert {entry_of(e.code, e.params) for e in [*EXAMPLES, *limits]} == set(CATALOGUE)


@pytest.mark.parametrize("error", EXAMPLES, ids=lambda e: e.code)
def test_entries_render_in_swedish_without_leftover_fields(error: LotsenError) -> None:
    text = render(error)
    assert text != str(error) and "{" not in text
    assert not re.search(r"\b(the|not|unknown|lotsen taxonomy)\b", text, re.IGNORECASE)
    assert "`" not in text  # no CLI command for an API or web user to run


def test_a_consent_purpose_is_shown_by_its_label() -> None:
    text = render(Conflict("x", code="consent_active", params={"purpose": "matching"}))
    assert "matchning mot behov" in text and "matching" not in text


def test_a_code_without_an_entry_keeps_its_own_message() -> None:
    error = NotFound("Behovet finns inte.", "need_id")
    assert render(error) == "need_id: Behovet finns inte."
