"""A municipality code is shown by its name on pages and in CLI tables, and an unknown
code (an old or mistyped one in a user's row) as it is, never as an error."""

from __future__ import annotations

from lotsen.cli.output import _cell
from lotsen.taxonomy import load_taxonomy
from lotsen.web.templating import municipality_name


def test_a_code_is_shown_by_its_name_and_an_unknown_code_as_it_is() -> None:
    taxonomy = load_taxonomy()
    assert taxonomy.municipality_name("2580") == "Luleå"
    assert taxonomy.municipality_name("9999") == "9999"
    assert municipality_name("2582") == "Boden" and municipality_name("0000") == "0000"
    assert municipality_name(None) == "" and municipality_name("") == ""
    assert _cell("municipality_code", "2580") == "Luleå"
    assert _cell("municipality_code", "12") == "12"
