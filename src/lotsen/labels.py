"""Swedish words for the values Lotsen stores as codes, and the Swedish number format:
one table and one formatter for every edge.

The database, the JSON API and the import files keep the machine values (``open``,
``sfi_d``, ``employer``); pages, CLI tables and spreadsheet exports show these words.
A value missing here is shown as it is, and a test walks every enum in ``types.py``
so a new value cannot be forgotten.
"""

from __future__ import annotations

from collections.abc import Mapping

LABELS: Mapping[str, Mapping[str, str]] = {
    "need_status": {"open": "öppet", "filled": "tillsatt", "cancelled": "avbrutet"},
    "swedish_level": {
        "none": "ingen svenska", "sfi_a": "SFI A", "sfi_b": "SFI B", "sfi_c": "SFI C",
        "sfi_d": "SFI D", "sva_grund": "svenska som andraspråk, grund",
        "sva_gymn": "svenska som andraspråk, gymnasienivå", "native": "modersmål",
    },
    # SUN 2020 level (the first digit), as the matcher ranks education.
    "education_level": {
        "0": "ingen formell utbildning", "1": "förgymnasial, kortare än 9 år",
        "2": "förgymnasial", "3": "gymnasial", "4": "eftergymnasial, kortare än 2 år",
        "5": "eftergymnasial, minst 2 år", "6": "forskarutbildning",
    },
    "organization_kind": {"employer": "arbetsgivare",
                          "education_provider": "utbildningsanordnare",
                          "municipality": "kommun"},
    "consent_purpose": {"matching": "matchning mot behov", "statistics": "statistik",
                        "contact": "kontakt", "cross_tenant": "delning med andra kommuner"},
    "validation_method": {"industry": "branschvalidering", "komvux": "Komvux validering",
                          "certificate": "certifikat/intyg"},
    "program_form": {"YH": "Yrkeshögskola", "Komvux": "Komvux",
                     "AUB": "Arbetsmarknadsutbildning", "university": "Universitet/högskola",
                     "gymnasium": "Gymnasium", "SFI": "SFI"},
    "concept_type": {
        "occupation-name": "yrke", "skill": "kompetens", "ssyk-level-1": "yrkesområde",
        "ssyk-level-2": "yrkesområde (SSYK 2)", "ssyk-level-3": "yrkesgrupp (SSYK 3)",
        "ssyk-level-4": "yrkesgrupp (SSYK 4)", "keyword": "sökord",
        "occupation-field": "yrkesområde", "language": "språk",
        "driving-licence": "körkort", "municipality": "kommun", "region": "län",
        "occupation-collection": "yrkessamling", "sun-education-field-1": "utbildningsinriktning",
        "sun-education-level-1": "utbildningsnivå",
    },
    "requirement": {"must": "skall-krav", "nice": "meriterande", "required": "krav",
                    "meriting": "meriterande", "mentioned": "nämns"},
    "yes_no": {"True": "ja", "False": "nej"},
}


def label(kind: str, value: object) -> str:
    """The Swedish word for ``value`` of ``kind``; the value itself when unknown."""
    if value is None or value == "":
        return ""
    return LABELS.get(kind, {}).get(str(value), str(value))


def number(value: float | int | None, digits: int = 1) -> str:
    """A number as Swedes write it: decimal comma, narrow space between thousands."""
    if value is None:
        return ""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u202f").replace(".", ",")
