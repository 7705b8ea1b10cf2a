"""Register statistics for the region as use cases: replacement demand per occupation
and county, and the replacement rows the gap report counts as a source of demand.

Only published aggregates leave this service (SCB, MYH); every role may read them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from lotsen.errors import InvalidInput
from lotsen.regional.replacement import HORIZON, method_notes, replacements
from lotsen.regional.statistics import COUNTIES, county_of, occupations_with_data, places
from lotsen.services.access import Actor, require_aggregates
from lotsen.services.matching import tools
from lotsen.services.results.regional import DemandRow, ReplacementDemand, Retirements
from lotsen.spreadsheet import csv_text
from lotsen.store.models import Tenant
from lotsen.taxonomy.model import SSYK4

REPLACEMENT_SOURCES = (
    "SCB, Yrkesregistret: anställda 16–69 år per yrke (SSYK 2012), län och kön, YREG60BAS",
    "SCB, Yrkesregistret: anställda per yrke och åldersgrupp, riket, YREG54BAS",
)
REPLACEMENT_LABEL = "Pensionsavgångar (SCB, uppskattning)"


def region_municipalities(engine: Engine, *, actor: Actor) -> list[str]:
    """The municipalities of every tenant: the region the gap report covers."""
    require_aggregates(actor)
    with Session(engine) as session:
        codes = {c for t in session.scalars(select(Tenant)) for c in t.municipality_codes or ()}
    return sorted(codes)


def _region_counties(engine: Engine, *, actor: Actor) -> list[str]:
    return sorted({county_of(c) for c in region_municipalities(engine, actor=actor)}
                  & set(COUNTIES))


def _label(ssyk4: str) -> str:
    try:
        return tools().taxonomy.by_code(SSYK4, ssyk4).label
    except Exception:  # a code SCB publishes that the taxonomy lacks (e.g. 0002 unknown)
        return f"SSYK {ssyk4}"


def _first_year(as_of: date | None) -> int:
    return (as_of or date.today()).year + 1


def replacement_demand(
    engine: Engine | None = None,
    counties: Iterable[str] = (),
    occupations: Iterable[str] = (),
    years: int = HORIZON,
    as_of: date | None = None,
    limit: int | None = None,
    *,
    actor: Actor,
) -> ReplacementDemand:
    """Employed today and how many reach 65 in each of the next ``years`` years, per
    occupation (SSYK-4) and county; counties default to the region's, occupations to all."""
    require_aggregates(actor)
    if not 1 <= years <= 20:
        raise InvalidInput("years must be between 1 and 20", "years")
    chosen = list(counties) or (_region_counties(engine, actor=actor) if engine is not None else [])
    chosen = chosen or sorted(COUNTIES)
    wanted = [o.strip() for o in occupations if o.strip()]
    for code in wanted:
        if not (code.isdigit() and len(code) == 4):
            raise InvalidInput(f"occupation must be an SSYK-4 code like 5321, got {code!r}",
                               "occupation")
    found = replacements(chosen, wanted or occupations_with_data(), _first_year(as_of), years)
    rows = []
    for r in found[:limit] if limit else found:
        item = r.as_dict()
        item["label"] = _label(r.ssyk4)
        rows.append(item)
    return {
        "counties": [{"county_code": c, "county_name": COUNTIES[c]} for c in chosen],
        "first_year": _first_year(as_of),
        "years": years,
        "rows": rows,
        "total_reaching_65": round(sum(r.total for r in found), 1),
        "sources": list(REPLACEMENT_SOURCES),
        "method": method_notes(),
        "approximation": True,
    }


def replacement_csv(report: ReplacementDemand) -> str:
    """One row per occupation and county, a column per year; sources as trailing comments."""
    years = [report["first_year"] + i for i in range(report["years"])]
    rows: list[list[Any]] = [["ssyk4", "yrke", "lan", "sysselsatta", *years, "summa"]]
    for row in report["rows"]:
        per_year = {item["year"]: item["persons"] for item in row["reaching_65"]}
        rows.append([row["ssyk4"], row["label"], row["county_name"], row["employed"],
                     *(per_year[y] for y in years), row["total"]])
    rows += [[f"# {line}"] for line in [*report["sources"], *report["method"]]]
    return csv_text(rows)


def replacement_rows(
    engine: Engine, occupations: Iterable[str], years: int, as_of: date | None, *,
    actor: Actor,
) -> tuple[list[DemandRow], dict[str, Retirements]]:
    """Gap-report demand rows (source "replacement") for ``occupations`` in the region's
    municipalities, and the replacement summary per occupation.

    A county's retirements are split over its municipalities in the region by their
    share of the county's urban population (SCB tätorter 2020): another approximation,
    since occupations are not spread like people.
    """
    require_aggregates(actor)
    municipalities = region_municipalities(engine, actor=actor)
    by_county: dict[str, list[str]] = {}
    for code in municipalities:
        if county_of(code) in COUNTIES:
            by_county.setdefault(county_of(code), []).append(code)
    county_pop: Counter[str] = Counter()
    for place in places().values():
        county_pop[place.county_code] += place.urban_population
    first = _first_year(as_of)
    rows: list[DemandRow] = []
    summary: dict[str, dict[str, Any]] = {}
    for r in replacements(by_county, occupations, first, HORIZON):
        inside = sum(places()[m].urban_population for m in by_county[r.county_code])
        share = inside / (county_pop[r.county_code] or 1)
        item = summary.setdefault(r.ssyk4, {"employed": 0, "reaching_65": {}, "counted": 0.0,
                                            "region_share": {}})
        item["employed"] += r.employed
        item["region_share"][r.county_code] = round(share, 3)
        for year, persons in r.reaching_65.items():
            item["reaching_65"][year] = item["reaching_65"].get(year, 0.0) + persons
            if year >= first + years:
                continue
            item["counted"] += persons * share
            for code in by_county[r.county_code]:
                part = persons * places()[code].urban_population / county_pop[r.county_code]
                if round(part) > 0:
                    rows.append({"source": "replacement", "label": REPLACEMENT_LABEL,
                                 "year": year, "municipality_code": code, "ssyk4": r.ssyk4,
                                 "headcount": round(part)})
    for item in summary.values():
        item["reaching_65"] = [{"year": y, "persons": round(n, 1)}
                               for y, n in sorted(item["reaching_65"].items())]
        item["counted"] = round(item["counted"], 1)
    return rows, cast(dict[str, Retirements], summary)
