"""Vacancy chains for a big hirer's open needs: who would move, from which occupations
and industries, one or two steps out (match/chains.py states the assumptions).

Counts only, of occupations and employers; no person is read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import selectinload

from lotsen.errors import InvalidInput, NotFound
from lotsen.match.chains import OUTSIDE_SHARE, chain

__all__ = ["OUTSIDE_SHARE", "vacancy_chains"]
from lotsen.match.industry import division
from lotsen.match.transitions import TransitionFinder
from lotsen.regional.statistics import COUNTIES, LAST_YEAR, county_of, employment
from lotsen.services.access import Actor, require_aggregates, scope
from lotsen.services.matching import tools
from lotsen.services.results.regional import Hire, VacancyChains
from lotsen.spreadsheet import csv_text
from lotsen.store.db import transaction
from lotsen.store.models import CompetenceNeed, Organization

CHAIN_SOURCES = (
    "Lotsen: arbetsgivarens öppna kompetensbehov och regionens behov per bransch (SNI 2007)",
    "JobTech-taxonomin: utbytbarhet mellan yrken och yrkesgruppernas kompetenser",
    "SCB, Yrkesregistret YREG60BAS: anställda per yrke och län, 2024",
)


def _employer(session: Any, engine_scope: Any, employer: str | None) -> Organization:
    needs = engine_scope.rows(select(CompetenceNeed).where(CompetenceNeed.status == "open"))
    if not employer:  # the biggest hirer in reach
        found = session.execute(
            needs.with_only_columns(CompetenceNeed.employer_id,
                                    func.sum(CompetenceNeed.headcount))
            .group_by(CompetenceNeed.employer_id)
            .order_by(func.sum(CompetenceNeed.headcount).desc()).limit(1)).first()
        if found is None:
            raise NotFound("no open needs to start a vacancy chain from", code="no_open_needs")
        return session.get(Organization, found[0])
    query = select(Organization).where(Organization.kind == "employer")
    query = (query.where(Organization.id == int(employer)) if employer.isdigit() else
             query.where(func.lower(Organization.name) == employer.lower()))
    org = session.scalars(query).first()
    if org is None:
        raise NotFound(f"no employer {employer!r}: give its id or exact name",
                       code="employer_not_found", params={"employer": employer})
    return org


def _label(concept_id: str) -> str:
    found = tools().taxonomy.find(concept_id)
    return found.label if found is not None else concept_id


def vacancy_chains(engine: Engine, employer: str | None = None, steps: int = 2,
                   outside_share: float = OUTSIDE_SHARE, *, actor: Actor) -> VacancyChains:
    require_aggregates(actor)
    if steps not in (1, 2):
        raise InvalidInput("steps must be 1 or 2", "steps")
    if not 0 <= outside_share < 1:
        raise InvalidInput("outside_share must be at least 0 and below 1", "outside_share")
    t = tools()
    reach = scope(actor, "needs")
    with transaction(engine) as session:
        org = _employer(session, reach, employer)
        hires: Counter[str] = Counter()
        for need in session.scalars(reach.rows(select(CompetenceNeed).where(
                CompetenceNeed.status == "open", CompetenceNeed.employer_id == org.id))):
            hires[need.occupation_id] += need.headcount
        industries: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
        for need in session.scalars(reach.rows(select(CompetenceNeed).where(
                CompetenceNeed.status == "open")).options(selectinload(CompetenceNeed.employer))):
            group = t.taxonomy.ssyk4(need.occupation_id)
            if group is not None and group.code and need.employer is not None:
                code, label, _ = division(t.taxonomy, need.employer.sni_code)
                industries[group.code][(code, label)] += need.headcount
        name, place, sni = org.name, org.municipality_code, org.sni_code
    if not hires:
        raise NotFound(f"{name} has no open needs in your reach",
                       code="employer_without_open_needs", params={"employer": name})
    county = county_of(place)
    if county not in COUNTIES:
        raise InvalidInput(f"no employment statistics for county {county}", "employer")
    employed = {code: years.get(LAST_YEAR, 0) for (c, code), years in employment().items()
                if c == county}
    steps_out = chain(TransitionFinder(t.taxonomy, t.relations), hires, employed, steps,
                      outside_share)
    for step in steps_out:
        for item in step["occupations"]:
            item["industries"] = [{"sni2": c, "label": label, "demand": n} for (c, label), n
                                  in industries.get(item["ssyk4"], Counter()).most_common(3)]
            item["from"] = [{"occupation": _label(k), "vacancies": v}
                            for k, v in item["from"].items()]
    hired = [Hire(occupation_id=k, label=_label(k), headcount=n) for k, n in hires.most_common()]
    return {
        "employer": {"id": org.id, "name": name, "municipality_code": place,
                     "industry": division(t.taxonomy, sni)[1] if sni else None},
        "county": {"county_code": county, "county_name": COUNTIES[county]},
        "hires": hired, "total_hires": sum(hires.values()),
        "steps": steps_out,
        "assumptions": [
            f"{outside_share:.0%} av de anställda kommer utifrån (arbetssökande, nyexaminerade, "
            "inflyttade) och lämnar ingen vakans i regionen – ett antagande.",
            "Resten kommer från samma yrke hos andra arbetsgivare och från de närmaste yrkena "
            "(taxonomins utbytbarhet och kompetensöverlapp), i proportion till närhet × antal "
            f"anställda i {COUNTIES[county]} (SCB 2024).",
            "Varje lämnad vakans fylls på samma sätt i nästa steg.",
            "Branscher: var regionens registrerade behov av yrket finns (arbetsgivarens SNI) – "
            "en ersättning för statistik över yrke per bransch, som Lotsen inte har.",
        ],
        "sources": list(CHAIN_SOURCES),
    }


def chains_csv(report: VacancyChains) -> str:
    """The chain as CSV: one row per step and occupation left with vacancies (where
    they come from, how many), then the assumptions and sources as comment rows."""
    rows: list[list[object]] = [["steg", "ssyk4", "yrke", "vakanser", "sysselsatta_lan",
                                 "varifran", "via", "branscher"]]
    for step in report["steps"]:
        for occupation in step["occupations"]:
            rows.append([
                step["step"], occupation["ssyk4"], occupation["label"],
                occupation["vacancies"], occupation["employed"],
                ", ".join(f"{f['occupation']} ({f['vacancies']})" for f in occupation["from"]),
                occupation["via"],
                ", ".join(f"{i['sni2']} {i['label']}" for i in occupation["industries"])])
    rows += [[f"# {line}"] for line in [
        f"{report['employer']['name']}: {report['total_hires']} lediga platser",
        *report["assumptions"], *report["sources"]]]
    return csv_text(rows)
