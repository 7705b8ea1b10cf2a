"""The columns of each import kind: the one definition the reader, templates and docs share.

Keys are stable English identifiers (they are an interface: scripts and other systems
write them). Each column also has a Swedish heading, which the templates show and a
header row may use instead of the key, and a Swedish description, for the people who
fill in the templates in Excel.
Each column has two example values, which become the two example rows of the shipped
templates — so the templates are also test data that must import cleanly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lotsen.types import CONSENT_PURPOSES

MULTI_SEPARATOR = ";"
_SEPARATORS = re.compile(r"[\s_-]+")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    required: bool
    description: str
    examples: tuple[str, str]
    multi: bool = False

    @property
    def heading(self) -> str:
        return HEADINGS[self.key]


def _consents() -> tuple[Column, ...]:
    examples = {
        "matching": ("2026-11-02", "2026-10-15"),
        "statistics": ("2026-11-02", ""),
    }
    words = {
        "matching": "matchning mot behov och utbildningar (utan det matchas personen inte)",
        "statistics": "anonym statistik",
        "contact": "att bli kontaktad",
        "cross_tenant": "att synas för andra kommuner i regionen",
    }
    return tuple(
        Column(
            f"consent_{purpose}_date",
            False,
            f"Datum (ÅÅÅÅ-MM-DD) då personen samtyckte till {words[purpose]}. "
            "Tomt = inget samtycke.",
            examples.get(purpose, ("", "")),
        )
        for purpose in CONSENT_PURPOSES
    )


# The Swedish heading of each key (one table for all kinds: a key means the same in each).
HEADINGS: dict[str, str] = {
    "source_id": "Eget id", "municipality": "Kommun", "title": "Rubrik",
    "employer": "Arbetsgivare", "employer_org_number": "Arbetsgivarens organisationsnummer",
    "occupation": "Yrke", "headcount": "Antal", "start_date": "Startdatum",
    "must_skills": "Skall-krav", "nice_skills": "Meriterande", "status": "Status",
    "description": "Beskrivning", "min_education_level": "Lägsta utbildningsnivå",
    "min_swedish_level": "Lägsta svenskanivå", "driving_licence": "Körkortskrav",
    "occupations": "Yrken", "skills": "Kompetenser", "languages": "Språk",
    "driving_licences": "Körkort", "education_level": "Utbildningsnivå",
    "education_field": "Utbildningsinriktning", "swedish_level": "Svenskanivå",
    "newly_arrived": "Nyanländ", "available_from": "Tillgänglig från",
    "max_commute_km": "Max pendling km",
    "consent_matching_date": "Samtycke matchning", "consent_statistics_date": "Samtycke statistik",
    "consent_contact_date": "Samtycke kontakt",
    "consent_cross_tenant_date": "Samtycke andra kommuner",
    "provider": "Anordnare", "provider_org_number": "Anordnarens organisationsnummer",
    "name": "Utbildningens namn", "form": "Utbildningsform", "sun_code": "SUN-inriktning",
    "distance_learning": "Distans", "duration_weeks": "Veckor", "seats": "Platser",
    "starts": "Startdatum",
}

_SOURCE_ID = "Ert eget id för raden, unikt i filen. Samma id vid nästa import uppdaterar raden."
_MUNICIPALITY = "kommunkod (4 siffror, t.ex. 2580 för Luleå) eller kommunens namn."
_SWEDISH = "none, sfi_a, sfi_b, sfi_c, sfi_d, sva_grund, sva_gymn eller native (modersmål)."

NEEDS: tuple[Column, ...] = (
    Column("source_id", True, _SOURCE_ID, ("LUL-2027-001", "BOD-2027-014")),
    Column("employer", True, "Arbetsgivarens namn; finns den inte skapas den.",
           ("Norrbygg AB", "Bodens kommun")),
    Column("employer_org_number", False, "Arbetsgivarens organisationsnummer (10 siffror).",
           ("556677-8899", "212000-2627")),
    Column("occupation", True,
           "Yrke: begrepps-id ur JobTech-taxonomin eller yrkesbenämningen på svenska.",
           ("Snickare", "bSEB_VKd_Ub3")),
    Column("title", False, "Rubrik för behovet; tom = yrkets namn.",
           ("Snickare till stombygge", "")),
    Column("headcount", True, "Antal personer som behövs, ett heltal 1 eller mer.", ("3", "5")),
    Column("start_date", True, "Startdatum ÅÅÅÅ-MM-DD; får inte ha passerat för öppna behov.",
           ("2027-03-01", "2027-05-15")),
    Column("municipality", True, "Kommun där arbetet finns: " + _MUNICIPALITY, ("Luleå", "2582")),
    Column("must_skills", False, "Skall-krav: kompetenser (id eller text), åtskilda med ;.",
           ("Stombyggnad;Träarbete, husbyggnad", "Omvårdnad;Demensvård"), multi=True),
    Column("nice_skills", False, "Meriterande kompetenser, åtskilda med ;.",
           ("Höghöjdsarbete", "Sjukvårdssvenska"), multi=True),
    Column("status", False, "open (öppet), filled (tillsatt) eller cancelled; tomt = open.",
           ("open", "")),
    Column("description", False, "Fri beskrivning av behovet.",
           ("Husbyggen i Luleå, start i mars.", "")),
    Column("min_education_level", False,
           "Lägsta utbildningsnivå: SUN-nivå 0–6 (3 = gymnasial) eller nivåns namn.",
           ("", "3")),
    Column("min_swedish_level", False, "Lägsta nivå i svenska: " + _SWEDISH, ("", "sfi_d")),
    Column("driving_licence", False, "Körkort som krävs: behörighet (B, C, CE ...) eller id.",
           ("B", "")),
)

PEOPLE: tuple[Column, ...] = (
    Column("source_id", True,
           _SOURCE_ID + " Aldrig personnummer: Lotsen lagrar inga direkta personuppgifter.",
           ("AF-10023", "AF-10024")),
    Column("municipality", True, "Kommun där personen bor: " + _MUNICIPALITY,
           ("Skellefteå", "2480")),
    Column("occupations", False,
           "Yrken personen har erfarenhet av (id eller text), med år efter kolon: Svetsare:4.",
           ("Svetsare:4;Truckförare:1", "bSEB_VKd_Ub3:2"), multi=True),
    Column("skills", False, "Kompetenser (id eller text), åtskilda med ;.",
           ("MAG-svetsning;TIG-svetsning;Certifikat, heta arbeten", "Omvårdnad;Demensvård"),
           multi=True),
    Column("languages", False,
           "Språk med nivå efter kolon (Lite, Bra, Mycket bra, Flytande): Svenska:Flytande.",
           ("Svenska:Flytande;Engelska:Bra", "Arabiska:Flytande;Svenska:Lite"), multi=True),
    Column("driving_licences", False, "Körkortsbehörigheter, åtskilda med ;.", ("B;CE", ""),
           multi=True),
    Column("education_level", False,
           "Högsta utbildningsnivå: SUN-nivå 0–6 (3 = gymnasial) eller nivåns namn.",
           ("3", "Gymnasial utbildning")),
    Column("education_field", False, "Utbildningsinriktning: SUN-kod (t.ex. 521) eller namn.",
           ("521", "")),
    Column("swedish_level", False, "Svenska: " + _SWEDISH + " Tomt = native.",
           ("native", "sfi_c")),
    Column("newly_arrived", False, "Nyanländ: ja eller nej (tomt = nej).", ("nej", "ja")),
    Column("available_from", False, "Tillgänglig från, ÅÅÅÅ-MM-DD.",
           ("2027-01-10", "2026-12-01")),
    Column("max_commute_km", False, "Längsta pendlingsavstånd i km (tomt = 50).", ("60", "30")),
    *_consents(),
)

PROGRAMS: tuple[Column, ...] = (
    Column("source_id", True, _SOURCE_ID, ("YH-SVETS-27", "KVX-USK-27")),
    Column("provider", True, "Utbildningsanordnarens namn; finns den inte skapas den.",
           ("Yrkeshögskolan Skellefteå", "Komvux Luleå")),
    Column("provider_org_number", False, "Anordnarens organisationsnummer (10 siffror).",
           ("556012-3456", "")),
    Column("name", True, "Utbildningens namn.",
           ("Svetsare – industriell tillverkning", "Undersköterska")),
    Column("form", True, "Utbildningsform: YH, Komvux, AUB, university, gymnasium eller SFI.",
           ("YH", "Komvux")),
    Column("sun_code", False, "SUN-inriktning (kod som 521 eller namn).", ("521", "723")),
    Column("municipality", True, "Kommun där utbildningen ges: " + _MUNICIPALITY,
           ("2482", "Luleå")),
    Column("distance_learning", False, "Distans: ja eller nej (tomt = nej).", ("nej", "ja")),
    Column("duration_weeks", True, "Längd i veckor, heltal 1 eller mer.", ("40", "60")),
    Column("seats", True, "Antal platser per start, heltal 1 eller mer.", ("24", "30")),
    Column("starts", False, "Startdatum ÅÅÅÅ-MM-DD, åtskilda med ;.",
           ("2027-08-23;2028-01-17", "2027-01-18"), multi=True),
    Column("skills", False, "Kompetenser utbildningen ger (id eller text), åtskilda med ;.",
           ("MAG-svetsning;TIG-svetsning",
            "Omvårdnad;Basala hygienrutiner inom hälso- och sjukvård"),
           multi=True),
    Column("occupations", False, "Yrken utbildningen leder till (id eller text), åtskilda med ;.",
           ("Svetsare", "bSEB_VKd_Ub3"), multi=True),
    Column("min_swedish_level", False, "Krav på svenska: " + _SWEDISH, ("sfi_d", "")),
)

COLUMNS: dict[str, tuple[Column, ...]] = {"needs": NEEDS, "people": PEOPLE, "programs": PROGRAMS}
KINDS: tuple[str, ...] = tuple(COLUMNS)

# Header words that mean someone is about to load direct identifiers into Lotsen.
IDENTITY_WORDS: tuple[str, ...] = (
    "name", "namn", "personnummer", "personal_number", "personal_identity", "pnr", "ssn",
    "samordningsnummer", "email", "e_post", "epost", "mail", "telefon", "phone", "mobil",
    "mobile", "adress", "address", "birth", "fodelse", "födelse",
)


def normalize_header(text: str) -> str:
    """``" Must  skills "`` → ``"must_skills"``: forgive case, spaces and hyphens in headers."""
    return _SEPARATORS.sub("_", text.strip().lstrip("\ufeff").strip().lower())


def columns_of(kind: str) -> tuple[Column, ...]:
    return COLUMNS[kind]


def header_names(kind: str) -> dict[str, str]:
    """Normalised header text → column key: each column's key and its Swedish heading."""
    names = {normalize_header(c.key): c.key for c in columns_of(kind)}
    names.update((normalize_header(c.heading), c.key) for c in columns_of(kind))
    return names
