"""What the synthetic demo region is made of: places, sectors, occupations, programs.

The municipalities and their codes are real (Västerbotten and Norrbotten); every
employer, need, person and program generated from this is synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass

# (code, name, weight by rough working-age population, tenant slug)
MUNICIPALITIES: tuple[tuple[str, str, int, str], ...] = (
    ("2482", "Skellefteå", 72, "skelleftea"),
    ("2417", "Norsjö", 4, "skelleftea"),
    ("2418", "Malå", 3, "skelleftea"),
    ("2580", "Luleå", 78, "lulea-boden"),
    ("2582", "Boden", 28, "lulea-boden"),
    ("2581", "Piteå", 42, "pitea"),
    ("2505", "Arvidsjaur", 6, "pitea"),
    ("2480", "Umeå", 130, "umea"),
    ("2422", "Sorsele", 2, "umea"),
)

TENANTS: tuple[tuple[str, str], ...] = (
    ("skelleftea", "Skellefteå kommun (med Norsjö och Malå)"),
    ("lulea-boden", "Luleå och Boden"),
    ("pitea", "Piteå kommun (med Arvidsjaur)"),
    ("umea", "Umeå kommun (med Sorsele)"),
)


@dataclass(frozen=True)
class Role:
    """An occupation an employer of a sector hires: SSYK-4 code and preferred name."""

    ssyk4: str
    name: str
    weight: int = 1


@dataclass(frozen=True)
class Sector:
    key: str
    label: str
    sni_code: str
    name_parts: tuple[str, ...]
    roles: tuple[Role, ...]
    employers: int
    where: tuple[str, ...] = ()  # municipality codes; empty = anywhere, by weight
    headcount: tuple[int, int] = (1, 4)


SECTORS: tuple[Sector, ...] = (
    Sector(
        "battery",
        "Batteritillverkning",
        "27.200",
        ("Nordcell", "Voltera", "Batterifabriken"),
        (
            Role("8132", "Operatör batteritillverkning", 6),
            Role("7411", "Installationselektriker", 2),
            Role("7233", "Maskinmontör industrimaskiner", 2),
            Role("3113", "Elkraftingenjör"),
            Role("2145", "Civilingenjör, kemi"),
            Role("8344", "Truckförare", 2),
            Role("3122", "Arbetsledare, tillverkning kemiska produkter"),
        ),
        employers=6,
        where=("2482",),
        headcount=(5, 30),
    ),
    Sector(
        "steel",
        "Stål och vätgas",
        "24.100",
        ("Grönstål", "Vätgasverket", "Norrstål"),
        (
            Role("8122", "Valsverksoperatör", 3),
            Role("7212", "Svetsare", 3),
            Role("7233", "Maskinmontör industrimaskiner", 2),
            Role("2143", "Civilingenjör, produktion, elektronik"),
            Role("7411", "Installationselektriker", 2),
        ),
        employers=5,
        where=("2582", "2580"),
        headcount=(3, 20),
    ),
    Sector(
        "construction",
        "Bygg och anläggning",
        "41.200",
        ("Norrbygg", "Älvdalens Bygg", "Kustbygg", "Tak & Fasad", "Anläggning Nord"),
        (
            Role("7111", "Träarbetare/Snickare", 4),
            Role("7113", "Betongarbetare", 2),
            Role("7121", "Tak- och tätskiktsmontör", 2),
            Role("7411", "Installationselektriker", 2),
            Role("8342", "Anläggningsmaskinförare", 2),
            Role("7213", "Byggnadsplåtslagare"),
            Role("3121", "Arbetsledare, anläggning"),
        ),
        employers=70,
        headcount=(1, 8),
    ),
    Sector(
        "care",
        "Vård och omsorg",
        "87.300",
        ("Omsorgen", "Hemtjänsten", "Vårdboendet", "Assistansbolaget"),
        (
            Role("5321", "Undersköterska, hemtjänst, äldreboende och habilitering", 5),
            Role("2221", "Sjuksköterska, grundutbildad", 2),
            Role("5343", "Personlig assistent", 2),
            Role("5342", "Stödassistent"),
        ),
        employers=55,
        headcount=(1, 10),
    ),
    Sector(
        "school",
        "Förskola och skola",
        "85.200",
        ("Förskolan", "Skolan", "Friskolan"),
        (
            Role("2341", "Grundlärare, 4-6", 2),
            Role("2343", "Förskollärare", 2),
            Role("5311", "Barnskötare", 3),
        ),
        employers=45,
        headcount=(1, 6),
    ),
    Sector(
        "transport",
        "Transport och logistik",
        "49.410",
        ("Frakt Nord", "Logistikcentrum", "Buss i Norr"),
        (
            Role("8332", "Fjärrbilsförare", 3),
            Role("8331", "Bussförare", 2),
            Role("8344", "Truckförare", 2),
            Role("4321", "Arbetsledare lager och terminal"),
        ),
        employers=35,
        headcount=(1, 6),
    ),
    Sector(
        "it",
        "IT och teknik",
        "62.010",
        ("Kodverket", "Norrsken Digital", "Datahallen"),
        (
            Role("2512", "Backend-utvecklare", 3),
            Role("2514", "Mjukvarutestare"),
            Role("3113", "Elkraftingenjör"),
        ),
        employers=20,
        where=("2480", "2580", "2482"),
        headcount=(1, 4),
    ),
    Sector(
        "hospitality",
        "Hotell, restaurang och service",
        "56.101",
        ("Restaurang", "Hotell", "Städservice"),
        (Role("5120", "Kock à la carte", 3), Role("9111", "Städare", 3)),
        employers=30,
        headcount=(1, 5),
    ),
)

# Languages newly arrived people in the region often speak (taxonomy labels).
MOTHER_TONGUES: tuple[str, ...] = (
    "Arabiska",
    "Somaliska",
    "Dari",
    "Tigrinja/Tigrinska",
    "Ukrainska",
)

# Education offering: (form, name, ssyk4 it leads to, occupation name, weeks, seats, where)
PROGRAMS: tuple[tuple[str, str, str, str, int, int, str], ...] = (
    (
        "YH",
        "Processoperatör battericellstillverkning",
        "8132",
        "Operatör batteritillverkning",
        40,
        35,
        "2482",
    ),
    ("YH", "Automationstekniker", "3113", "Elkraftingenjör", 80, 30, "2482"),
    ("YH", "Underhållstekniker industri", "7233", "Maskinmontör industrimaskiner", 60, 25, "2580"),
    (
        "Komvux",
        "Undersköterska",
        "5321",
        "Undersköterska, hemtjänst, äldreboende och habilitering",
        60,
        40,
        "2480",
    ),
    (
        "Komvux",
        "Undersköterska",
        "5321",
        "Undersköterska, hemtjänst, äldreboende och habilitering",
        60,
        30,
        "2482",
    ),
    ("Komvux", "Barnskötare", "5311", "Barnskötare", 40, 25, "2580"),
    ("Komvux", "Svetsare", "7212", "Svetsare", 30, 16, "2582"),
    ("Komvux", "Elektriker", "7411", "Installationselektriker", 80, 20, "2581"),
    ("Komvux", "Träarbetare/Snickare", "7111", "Träarbetare/Snickare", 60, 20, "2482"),
    ("AUB", "Truckkort A+B", "8344", "Truckförare", 2, 12, "2580"),
    ("AUB", "Yrkesförare gods (C/CE)", "8332", "Fjärrbilsförare", 16, 12, "2581"),
    ("AUB", "Yrkesförare buss (D)", "8331", "Bussförare", 16, 10, "2480"),
    (
        "university",
        "Sjuksköterskeprogrammet",
        "2221",
        "Sjuksköterska, grundutbildad",
        120,
        90,
        "2480",
    ),
    ("university", "Grundlärarprogrammet 4–6", "2341", "Grundlärare, 4-6", 160, 60, "2580"),
    ("university", "Civilingenjör kemiteknik", "2145", "Civilingenjör, kemi", 200, 40, "2580"),
    ("YH", "Mjukvarutestare", "2514", "Mjukvarutestare", 60, 30, "2480"),
    (
        "gymnasium",
        "Bygg- och anläggningsprogrammet",
        "7111",
        "Träarbetare/Snickare",
        120,
        30,
        "2581",
    ),
)

# SFI (Swedish for immigrants) runs in every municipality with a Komvux.
SFI_MUNICIPALITIES: tuple[str, ...] = ("2482", "2580", "2582", "2581", "2480", "2505")

# The real YH programmes the demo reads (demo/data, see SOURCES.md there) ...
MYH_FILES: tuple[str, ...] = (
    "myh_isd5861_2025-04-23_program_VB_NB.csv",
    "myh_resultat_ansokningsomgang_2022_tabell3_VB_NB.csv",
    "myh_resultat_ansokningsomgang_2023_tabell3_VB_NB.csv",
    "myh_resultat_ansokningsomgang_2024_tabell3_VB_NB.csv",
)
# ... and, where no taxonomy name resembles the programme's, the demo's own link
# (programme number -> (SSYK-4, the demo occupation name)); marked inferred as well.
REAL_PROGRAM_LINKS: dict[str, tuple[str, str]] = {
    "YH01966": ("8132", "Operatör batteritillverkning"),  # Tekniker hållbar batteritillverkning
}
