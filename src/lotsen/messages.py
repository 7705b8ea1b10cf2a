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
from lotsen.labels import label, number

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
    "incomplete_range": "Lokal rekrytering: fyll i alla tre värdena (lägst, troligast, högst) "
                        "eller lämna alla tomma.",
    "control_character": "Texten innehåller ett otillåtet styrtecken. Ta bort det och "
                         "försök igen.",
    # Things looked for and not found (or outside the actor's reach: the same answer).
    "account_not_found": "Kontot {username} finns inte.",
    "api_token_not_found": "API-nyckeln med id {token_id} finns inte, eller hör till någon "
                           "annan.",
    "need_not_found": "Behovet med id {need_id} finns inte, eller ligger utanför det du får se.",
    "employer_not_found": "Arbetsgivaren {employer} finns inte, eller ligger utanför det du "
                          "får se. Ange dess id eller exakta namn.",
    "employer_without_open_needs": "{employer} har inga öppna behov som du får se.",
    "no_open_needs": "Det finns inga öppna behov att starta en vakanskedja från.",
    "tenant_not_found": "Kommunen (tenant) {tenant} finns inte, eller ligger utanför det du "
                        "får se.",
    "occupation_not_found": "Yrket {occupation_id} finns varken i taxonomin eller bland "
                            "kommunens egna yrken. Sök efter yrket och välj det i listan.",
    "local_concept_not_found": "Det lokala begreppet {concept_id} finns inte, eller ligger "
                               "utanför det du får se.",
    "profile_version_not_found": "Kompetensprofilen för {occupation_id} har ingen version "
                                 "{version}.",
    "example_not_found": "Exempelscenariot {name} finns inte; välj ett i listan över exempel.",
    # Refused because of what is already there.
    "account_exists": "Det finns redan ett konto med användarnamnet {username}.",
    "concept_in_use": "{label} ({concept_id}) används av {needs} behov, {people} personer och "
                      "{programs} utbildningar. Ange ett annat begrepp att flytta dem till, "
                      "eller ändra dem först.",
    # One entry per bound of limits.py and the services (LimitExceeded's ``quantity``).
    "limit_exceeded.scenario_bytes": "Ett scenario får vara högst {limit} byte; det här är "
                                     "{value} byte.",
    "limit_exceeded.scenario_values": "Dokumentet blir fler än {limit} värden när YAML-aliasen "
                                      "har ersatts (varje användning av ett alias räknas). "
                                      "Använd färre alias.",
    "limit_exceeded.nesting": "Dokumentet är nästlat i fler än {limit} nivåer (ett alias som "
                              "pekar på sig självt?).",
    "limit_exceeded.number_chars": "Ett tal får ha högst {limit} tecken; det här har {value}.",
    "limit_exceeded.runs": "Antal körningar ska vara 1–{limit}; {value} angavs.",
    "limit_exceeded.seed": "Startvärdet för slumpen ska vara 0–{limit}; {value} angavs.",
    "limit_exceeded.scenario_cells": "Körningar × år × platser = {runs} × {years} × {places} = "
                                     "{value}, mer än de {limit} en beräkning får omfatta. "
                                     "Välj färre körningar.",
    "limit_exceeded.scenario_needs": "Högst {limit} scenariobehov kan läggas till i en "
                                     "gapanalys; {value} angavs.",
    "limit_exceeded.headcount": "Antal personer i ett behov ska vara ett heltal 1–{limit}; "
                                "{value} angavs.",
    "limit_exceeded.proposals": "Antal utbildningsförslag ska vara 0–{limit}; {value} angavs.",
    "limit_exceeded.page_size": "Högst {limit} rader per sida; {value} begärdes.",
    "limit_exceeded.offset": "Startraden ska vara 0–{limit}; {value} angavs.",
    "limit_exceeded.matches": "Antal träffar ska vara 1–{limit}; {value} begärdes.",
    "limit_exceeded.name_chars": "Namnet får vara högst {limit} tecken; det här har {value}.",
    "limit_exceeded.ads_per_call": "Högst {limit} annonser per anrop; {value} skickades. Dela "
                                   "upp dem på flera anrop.",
    "limit_exceeded.title_queries": "Högst {limit} yrkestitlar per anrop; {value} skickades. "
                                    "Använd `lotsen titles rank` för fler.",
    "limit_exceeded.title_chars": "En yrkestitel eller benämning får vara högst {limit} tecken; "
                                  "den här har {value}.",
    "limit_exceeded.title_vocabulary": "En egen ordlista får ha 1–{limit} rader per anrop; "
                                       "{value} skickades.",
    "limit_exceeded.workers": "Antal arbetsprocesser ska vara 0–{limit}; {value} angavs.",
    "limit_exceeded.token_days": "En API-nyckel kan gälla 1–{limit} dagar; {value} angavs.",
    "limit_exceeded.profile_changes": "Högst {limit} ändringar åt gången; {value} skickades.",
    "limit_exceeded.password_chars": "Lösenordet får vara högst {limit} tecken.",
    "limit_exceeded.work_seconds": "Beräkningen ({work}) skulle ta omkring {value} sekunder, "
                                   "mer än de {limit} sekunder en förfrågan får ta. Välj "
                                   "färre körningar eller ett mindre underlag.",
}
# The codes of the base classes of errors.py: an error raised with one of these words its
# own message at the raise site (a catalogue entry could not: it would say the same for
# every site). A specific code (``code="..."``, a subclass, a limit) has an entry above;
# tests/test_messages.py scans the source for both.
OWN_WORDS = frozenset({"error", "not_found", "invalid_input", "database_error",
                       "permission_denied", "not_authenticated", "conflict",
                       "too_many_requests"})
# Parameters the catalogue derives from the stored codes in ``params``.
DERIVED = {"purpose_label": ("consent_purpose", "purpose")}


def _params(params: Mapping[str, Any]) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, list | tuple):
            shown[key] = ", ".join(map(str, value))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            digits = 0 if float(value).is_integer() else 1 if abs(value) >= 1 else 3
            shown[key] = number(value, digits)
        else:
            shown[key] = value
    for name, (kind, source) in DERIVED.items():
        if source in params:
            shown[name] = label(kind, params[source])
    return shown


def entry_of(code: str, params: Mapping[str, Any]) -> str:
    """The catalogue key of an error: its code, refined by the bound for a limit."""
    return f"{code}.{params['quantity']}" if "quantity" in params else code


def worded(error: LotsenError) -> str | None:
    """The catalogue's Swedish for ``error`` without its location, or None when the
    catalogue has no entry (or the raise site lacks a parameter the entry names)."""
    template = CATALOGUE.get(entry_of(error.code, error.params))
    if template is None:
        return None
    try:
        text = template.format(**_params(error.params))
    except (KeyError, IndexError):
        return None  # a raise site without the parameters: its own words
    problems: list[str] = getattr(error, "problems", None) or []
    if error.code == "import_rejected" and problems:
        text += "\n" + "\n".join(problems[:20])
    return text


def render(error: LotsenError) -> str:
    """The Swedish message for ``error``: from the catalogue when its code is there (the
    location, e.g. file:row:field, first), else the error's own message."""
    text = worded(error)
    if text is None:
        return str(error)
    return f"{error.location}: {text}" if error.location else text
