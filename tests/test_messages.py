"""The Swedish catalogue: every entry formats with the parameters its raise site gives,
and the edges (web, API, CLI) word errors from it, not from the English message."""

from __future__ import annotations

import re

import pytest

from lotsen.errors import (
    Conflict,
    ImportRejected,
    LotsenError,
    NotFound,
    SchemaTooNew,
    TooManyRequests,
    UnknownConcept,
    UnknownConceptType,
)
from lotsen.messages import CATALOGUE, render

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
]


def test_every_catalogue_entry_is_exercised() -> None:
    assert {e.code for e in EXAMPLES} == set(CATALOGUE)


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
