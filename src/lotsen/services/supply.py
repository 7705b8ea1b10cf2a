"""Where an occupation's supply is: counties, municipalities and a campaign list for
"kompetensdagar", from register statistics and job seekers counted across tenants.

Job seekers leave this service only as counts per municipality, of people who gave
consent to statistics, and a count below ``MIN_COUNT`` is shown as 0: never people.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from lotsen.errors import InvalidInput
from lotsen.match.geo import haversine_km
from lotsen.regional import supply
from lotsen.regional.statistics import places
from lotsen.services.access import Actor, active_consent_clause, require_aggregates
from lotsen.services.matching import tools
from lotsen.services.regional import region_municipalities
from lotsen.services.results.regional import SupplyPlaces
from lotsen.spreadsheet import csv_text
from lotsen.store.models import CompetenceNeed, Person, PersonOccupation
from lotsen.taxonomy.model import SSYK4

MIN_COUNT = 3  # smaller counts of job seekers could point at a person
SUPPLY_SOURCES = (
    "SCB, Yrkesregistret YREG60BAS: anställda per yrke och län, 2024",
    "SCB, pendling mellan kommuner (ArRegPend2, TAB1830), 2024",
    "SCB, tätorter 2020: befolkning och läge",
    "Lotsen: arbetssökande i alla kommuner som samtyckt till statistik, som antal per kommun",
)


def _resolve_ssyk4(occupation: str) -> tuple[str, str]:
    """An SSYK-4 code or an occupation concept id -> (code, Swedish label)."""
    taxonomy = tools().taxonomy
    if occupation.isdigit() and len(occupation) == 4:
        try:
            group = taxonomy.by_code(SSYK4, occupation)
        except Exception:
            raise InvalidInput(f"unknown SSYK-4 code {occupation!r}", "occupation") from None
    else:
        found = taxonomy.ssyk4(occupation)
        if found is None:
            raise InvalidInput(f"{occupation!r} is neither an SSYK-4 code nor an occupation "
                               "concept id (find one with `lotsen taxonomy search`)",
                               "occupation")
        group = found
    return group.code or "", group.label


def job_seekers_by_municipality(engine: Engine, ssyk4: str, *, actor: Actor) -> dict[str, int]:
    """Consenting job seekers who have worked in the occupation, per municipality,
    across every tenant; small counts suppressed."""
    require_aggregates(actor)
    taxonomy = tools().taxonomy
    counts: Counter[str] = Counter()
    with Session(engine) as session:
        rows = session.execute(
            select(Person.municipality_code, PersonOccupation.occupation_id,
                   func.count(func.distinct(Person.id)))
            .join(PersonOccupation, PersonOccupation.person_id == Person.id)
            .where(active_consent_clause("statistics"))
            .group_by(Person.municipality_code, PersonOccupation.occupation_id))
        for code, occupation, n in rows:
            group = taxonomy.ssyk4(occupation)
            if group is not None and group.code == ssyk4:
                counts[code] += n
    return {code: n for code, n in counts.items() if n >= MIN_COUNT}


def _default_target(engine: Engine, ssyk4: str, *, actor: Actor) -> str:
    """The region's municipality with the most open headcount in the occupation."""
    taxonomy = tools().taxonomy
    need: Counter[str] = Counter()
    with Session(engine) as session:
        for code, occupation, n in session.execute(
            select(CompetenceNeed.municipality_code, CompetenceNeed.occupation_id,
                   func.sum(CompetenceNeed.headcount))
            .where(CompetenceNeed.status == "open")
            .group_by(CompetenceNeed.municipality_code, CompetenceNeed.occupation_id)):
            group = taxonomy.ssyk4(occupation)
            if group is not None and group.code == ssyk4:
                need[code] += int(n)
    if need:
        return need.most_common(1)[0][0]
    return (region_municipalities(engine, actor=actor) or ["2580"])[0]


def supply_where(
    engine: Engine, occupation: str, target: str | None = None, limit: int = 15, *,
    actor: Actor,
) -> SupplyPlaces:
    """Counties and municipalities ranked by the supply one could attract to ``target``,
    and the campaign list for kompetensdagar (the top ``limit`` places)."""
    require_aggregates(actor)
    ssyk4, label = _resolve_ssyk4(occupation)
    target = target or _default_target(engine, ssyk4, actor=actor)
    if target not in places():
        raise InvalidInput(f"unknown municipality code {target!r}", "target")
    seekers = job_seekers_by_municipality(engine, ssyk4, actor=actor)
    ranked = supply.sources(ssyk4, target, seekers, haversine_km)
    return {
        "ssyk4": ssyk4,
        "label": label,
        "target": {"municipality_code": target, "municipality_name": places()[target].name},
        "counties": supply.county_ranking(ssyk4),
        "municipalities": [s.as_dict() for s in ranked],
        "campaign": [{**s.as_dict(), "rank": i + 1} for i, s in enumerate(ranked[:limit])],
        "job_seekers_min_count": MIN_COUNT,
        "sources": list(SUPPLY_SOURCES),
        "method": [
            "Yrkets sysselsatta per kommun uppskattas som länets antal gånger kommunens andel "
            "av länets förvärvsarbetande (pendlingsmatrisen, Norrbotten) eller av länets "
            "tätortsbefolkning (Västerbotten).",
            "Troligt antal = uppskattade yrkesverksamma × andelen av kommunens sysselsatta "
            f"som redan pendlar till målkommunen (minst {supply.MIN_PULL:.0%}) + arbetssökande "
            "med yrket.",
            f"Restid: fågelvägen × {supply.DETOUR} i {supply.ROAD_KMH:.0f} km/h; kommuner "
            f"längre bort än {supply.MAX_KM:.0f} km tas inte med.",
            f"Arbetssökande räknas bara som antal per kommun; färre än {MIN_COUNT} visas som 0.",
        ],
        "approximation": True,
    }


def supply_csv(report: SupplyPlaces) -> str:
    """The campaign list ("kompetensdagar") as CSV: one row per place, ranked; the
    sources and approximations as trailing comment rows, as on the page."""
    rows: list[list[object]] = [["rank", "kommunkod", "kommun", "lan", "troliga",
                                 "uppskattat_yrkesverksamma", "arbetssokande", "avstand_km",
                                 "restid_min", "andel_pendlar"]]
    for place in report["campaign"]:
        rows.append([place["rank"], place["municipality_code"], place["municipality_name"],
                     place["county_code"], place["likely"], place["estimated_workers"],
                     place["job_seekers"], place["distance_km"], place["travel_minutes"],
                     place["commute_share"]])
    rows += [[f"# {line}"] for line in [
        f"{report['label']} ({report['ssyk4']}) till {report['target']['municipality_name']}",
        *report["sources"], *report["method"]]]
    return csv_text(rows)
