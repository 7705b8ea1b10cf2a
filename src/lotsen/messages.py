"""The Swedish catalogue of error messages, keyed by the error's ``code`` and worded
from its ``params``: what the web page, the API's ``message`` and the CLI line say.

An error whose code is not here is shown by its own message (most raise sites word
theirs in Swedish already); ``tests/test_messages.py`` checks every entry formats
with the parameters its raise site gives, so a renamed parameter cannot slip through.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lotsen.errors import LotsenError
from lotsen.labels import label

CATALOGUE: Mapping[str, str] = {
    "unknown_concept": "Begreppet {concept_id} finns inte i taxonomin. Sök efter yrket eller "
                       "kompetensen och välj den i listan.",
    "unknown_concept_type": "Okänd begreppstyp {concept_type}; använd en av: {known}.",
    "import_rejected": "Inget importerades; rätta {count} problem och importera igen.",
    "person_not_found": "Personen finns inte, eller ligger utanför det du får se.",
    "consent_active": "Samtycket till {purpose_label} är redan registrerat.",
    "consent_not_active": "Det finns inget gällande samtycke till {purpose_label} att återkalla.",
    "unknown_consent_purpose": "Okänt ändamål för samtycke: {purpose}.",
    "long_work_running": "En beräkning ({work}) pågår redan för dig. Vänta tills den är "
                         "klar och försök sedan igen.",
    "schema_too_new": "Databasen har schemaversion {current}, nyare än den här versionen av "
                      "Lotsen känner till ({head}): uppgradera Lotsen (pip install -U lotsen).",
}
# Parameters the catalogue derives from the stored codes in ``params``.
DERIVED = {"purpose_label": ("consent_purpose", "purpose")}


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for key, value in params.items():
        shown[key] = ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
    for name, (kind, source) in DERIVED.items():
        if source in params:
            shown[name] = label(kind, params[source])
    return shown


def render(error: LotsenError) -> str:
    """The Swedish message for ``error``: from the catalogue when its code is there (the
    location, e.g. file:row:field, first), else the error's own message."""
    template = CATALOGUE.get(error.code)
    if template is None:
        return str(error)
    try:
        text = template.format(**_params(error.params))
    except (KeyError, IndexError):
        return str(error)  # a raise site without the parameters: its own words
    problems: list[str] = getattr(error, "problems", None) or []
    if error.code == "import_rejected" and problems:
        text += "\n" + "\n".join(problems[:20])
    return f"{error.location}: {text}" if error.location else text
