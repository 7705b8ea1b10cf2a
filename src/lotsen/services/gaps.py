"""The education-gap report: what demand is left after people and planned programs,
with a program proposal for each of the largest gaps; as data, CSV and XLSX.

Only counts leave this service, never people: analysts may read it.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from sqlalchemy import Engine

from lotsen.errors import InvalidInput, LimitExceeded
from lotsen.labels import label
from lotsen.limits import MAX_EXTRA_NEEDS, MAX_HEADCOUNT, MAX_PROPOSALS
from lotsen.match.allocation import DEFAULT_MIN_SCORE, DEFAULT_TOP_K
from lotsen.match.gaps import apply_program_seats, demand_rows, summarise
from lotsen.match.index import PeopleIndex
from lotsen.match.industry import by_industry
from lotsen.match.need import NeedSpec
from lotsen.match.proposal import propose
from lotsen.match.transitions import entry_occupations
from lotsen.match.validation import readiness
from lotsen.services.access import SYSTEM, Actor, require_aggregates
from lotsen.services.long_work import long_work
from lotsen.services.matching import region_programs, run_allocation, tools
from lotsen.services.regional import REPLACEMENT_SOURCES, replacement_rows
from lotsen.services.results.gaps import AddedScenario, GapReport
from lotsen.services.saved_scenarios import gap_needs_for
from lotsen.spreadsheet import csv_text, safe_cell

SCENARIO_FIELDS = ("year", "municipality_code", "ssyk4", "headcount")
YEARS = (1990, 2100)  # of a scenario need
# Demand the report can count, each switchable: registered needs, establishment
# scenarios, and replacement of those retiring (register statistics).
SOURCES = ("need", "scenario", "replacement")
REPLACEMENT_YEARS = 3
DATA_SOURCES = ("Lotsen: registrerade kompetensbehov, arbetssökande med samtycke (egna "
                "uppgifter och validerade kompetenser) och utbildningar i regionen",)
SHEETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "by_occupation": (
        "Yrken",
        (
            "ssyk4",
            "label",
            "demand",
            "filled",
            "from_programs",
            "planned_seats",
            "programs_in_region",
            "gap",
            "needs",
            "replacement_counted",
            "one_validation_away",
            "validated",
        ),
    ),
    "by_skill": ("Kompetenser", ("concept_id", "label", "gap_weight", "missing_among_placed")),
    "by_industry": ("Branscher", ("sni2", "label", "section", "demand", "filled",
                                  "from_programs", "gap", "needs")),
    "by_municipality": (
        "Kommuner",
        ("municipality_code", "municipality_name", "demand", "filled", "from_programs", "gap"),
    ),
    "by_quarter": ("Kvartal", ("quarter", "demand", "filled", "from_programs", "gap")),
    "rows": (
        "Detaljer",
        (
            "ssyk4",
            "label",
            "municipality_code",
            "quarter",
            "source",
            "need_id",
            "employer_name",
            "demand",
            "filled",
            "from_programs",
            "gap",
            "one_validation_away",
        ),
    ),
}


# The exports' column headings (CSV and Excel) in Swedish; the JSON API keeps the keys.
HEADINGS = {
    "ssyk4": "SSYK", "label": "Yrke", "demand": "Efterfrågan (personer)",
    "filled": "Kan tillsättas av arbetssökande", "from_programs": "Från utbildningar",
    "planned_seats": "Planerade platser", "programs_in_region": "Utbildningar i regionen",
    "gap": "Gap (personer)", "needs": "Behov", "replacement_counted": "Pensionsavgångar medräknade",
    "concept_id": "Begrepps-id", "gap_weight": "Gapvikt",
    "missing_among_placed": "Saknas hos tillsatta", "sni2": "SNI", "section": "Avdelning",
    "municipality_code": "Kommunkod", "municipality_name": "Kommun", "quarter": "Kvartal",
    "source": "Källa", "need_id": "Behov nr", "employer_name": "Arbetsgivare",
    "one_validation_away": "En validering bort (personer)",
    "validated": "Har alla skall-krav validerade (personer)",
}


def _headings(table: str, columns: Sequence[str]) -> list[str]:
    # "label" names an occupation in most tables, a skill or an industry in two.
    own = {"by_skill": {"label": "Kompetens"}, "by_industry": {"label": "Bransch"}}
    return [own.get(table, {}).get(c) or HEADINGS.get(c, c) for c in columns]


def _check_scenario(extra: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Validate scenario needs ``{year, municipality_code, ssyk4, headcount}``."""
    if len(extra) > MAX_EXTRA_NEEDS:
        raise LimitExceeded(f"at most {MAX_EXTRA_NEEDS:,} scenario needs, got {len(extra):,}",
                            "scenario_needs", quantity="scenario_needs", limit=MAX_EXTRA_NEEDS,
                            value=len(extra))
    checked = []
    for i, item in enumerate(extra):
        missing = [f for f in SCENARIO_FIELDS if item.get(f) in (None, "")]
        if missing:
            raise InvalidInput(f"scenario need {i + 1} lacks {', '.join(missing)}")
        tools().grid.row(str(item["municipality_code"]))
        try:
            headcount, year = int(item["headcount"]), int(item["year"])
        except (TypeError, ValueError):
            raise InvalidInput(f"scenario need {i + 1}: headcount and year must be whole "
                               f"numbers", f"scenario_needs.{i}") from None
        if not 1 <= headcount <= MAX_HEADCOUNT:
            raise LimitExceeded(f"scenario need {i + 1}: headcount must be 1–{MAX_HEADCOUNT:,}, "
                                f"got {headcount}", f"scenario_needs.{i}.headcount",
                                quantity="headcount", limit=MAX_HEADCOUNT, value=headcount)
        if not YEARS[0] <= year <= YEARS[1]:
            raise InvalidInput(f"scenario need {i + 1}: year must be {YEARS[0]}–{YEARS[1]}, "
                               f"got {year}", f"scenario_needs.{i}.year")
        checked.append({**item, "headcount": headcount, "year": year})
    return checked


def gap_report(
    engine: Engine, scenario_needs: Sequence[Mapping[str, Any]] = (), proposals: int = 10,
    as_of: date | None = None, top_k: int = DEFAULT_TOP_K, min_score: float = DEFAULT_MIN_SCORE,
    scenario: str | None = None, sources: Collection[str] | None = None,
    replacement_years: int = REPLACEMENT_YEARS, *, actor: Actor,
) -> GapReport:
    """Gaps by occupation, skill, municipality and quarter, ranked, with proposals.

    ``scenario`` (an example scenario's name, a result key from the scenario page, or a
    saved run ``saved:<id>``) adds that establishment's training needs from this year on,
    as source "scenario". ``sources`` picks the demand counted (``SOURCES``; all by
    default): "replacement" adds those reaching 65 in the next ``replacement_years``
    years in the occupations the other sources ask for (services/regional.py).
    """
    chosen = _check_sources(sources)
    # Gaps are counts, not people: every role sees the whole region's (access policy).
    require_aggregates(actor)
    added: AddedScenario | None = None
    if scenario:
        name, needs = gap_needs_for(scenario, engine, actor=actor)
        scenario_needs = [*scenario_needs, *needs]
        added = AddedScenario(reference=scenario, name=name,
                              headcount=sum(n["headcount"] for n in needs))
    extra = _check_scenario(scenario_needs)
    if not 1 <= replacement_years <= 10:
        raise InvalidInput("replacement_years must be between 1 and 10", "replacement_years")
    if not 0 <= proposals <= MAX_PROPOSALS:
        raise LimitExceeded(f"proposals must be between 0 and {MAX_PROPOSALS}, got {proposals}",
                            "proposals", quantity="proposals", limit=MAX_PROPOSALS,
                            value=proposals)
    if extra:
        with long_work("utbildningsgap med scenario", actor=actor, kind="gap_report",
                       engine=engine):
            return _report(engine, extra, proposals, as_of, top_k, min_score, chosen, added,
                           replacement_years)
    return _report(engine, extra, proposals, as_of, top_k, min_score, chosen, added,
                   replacement_years)


def _report(engine: Engine, extra: list[dict[str, Any]], proposals: int, as_of: date | None,
            top_k: int, min_score: float, chosen: Collection[str],
            added: AddedScenario | None, replacement_years: int) -> GapReport:
    t = tools()
    needs, allocation, index = run_allocation(engine, top_k, min_score, actor=SYSTEM)
    edges = allocation.edges
    filled: Counter[int] = Counter()
    upskilling: Counter[str] = Counter()
    for e in allocation.chosen:
        need = needs[int(edges.need[e])]
        filled[int(need["id"])] += 1
        for skill in NeedSpec.from_record(need).must_skills:
            if not index.has_skill(int(edges.row[e]), skill):
                upskilling[skill] += 1
    rows = demand_rows(t.taxonomy, needs, filled, extra)
    wanted = {r["ssyk4"] for r in rows if r["ssyk4"]}
    # The region-wide report, as the allocation above: the system computes it.
    retiring, replacement = replacement_rows(engine, wanted, replacement_years, as_of,
                                             actor=SYSTEM)
    rows += demand_rows(t.taxonomy, [], filled, retiring)
    rows = [r for r in rows if r["source"] in chosen]
    away, validated = _validation_readiness(needs, index, rows)
    programs = region_programs(engine, actor=SYSTEM)
    planned = apply_program_seats(rows, programs, t.relations, t.taxonomy, as_of or date.today())
    summary = summarise(t.taxonomy, rows, planned, upskilling)
    by_occupation = summary["by_occupation"]
    for item in by_occupation:
        item["replacement_demand"] = replacement.get(item["ssyk4"] or "")
        item["replacement_counted"] = (item["replacement_demand"] or {}).get("counted", 0)
        item["one_validation_away"] = len(away.get(item["ssyk4"] or "", ()))
        item["validated"] = len(validated.get(item["ssyk4"] or "", ()))
    summary["totals"]["one_validation_away"] = len(set().union(*away.values()))
    summary["totals"]["validated"] = len(set().union(*validated.values()))
    for item in summary["by_municipality"]:
        item["municipality_name"] = t.grid.name(item["municipality_code"])
    open_ids = {c.id for c in entry_occupations(t.taxonomy)}
    return GapReport(
        totals=summary["totals"],
        by_occupation=by_occupation,
        by_municipality=summary["by_municipality"],
        by_quarter=summary["by_quarter"],
        by_skill=summary["by_skill"],
        rows=summary["rows"],
        proposals=[
            propose(t.taxonomy, t.relations, gap, rows, programs, open_ids)
            for gap in by_occupation[:proposals]
            if gap["gap"] > 0 and gap["ssyk4"]
        ],
        # Occupations in demand that no program in the region leads to at all (the
        # roofers Luleå found): listed apart so they are not lost below the largest gaps.
        without_program=[
            {k: o[k] for k in ("ssyk4", "label", "gap", "demand")}
            for o in by_occupation
            if o["no_program_in_region"] and o["gap"] > 0
        ],
        scenario_needs=len(extra),
        scenario=added,
        by_source=_by_source(rows),
        by_occupation_year=_by_occupation_year(rows),
        by_industry=by_industry(t.taxonomy, rows),
        sources={"available": list(SOURCES), "included": sorted(chosen),
                 "replacement_years": replacement_years},
        data_sources=[*DATA_SOURCES, *(REPLACEMENT_SOURCES if "replacement" in chosen else ())],
        method={
            "people": "region-wide allocation (min-cost flow), consenting people only",
            "programs": "seats of program starts from today whose graduates are out within "
            "180 days of the need's start, same SSYK-4, pooled across the region",
            "replacement": "those reaching 65 per year in the occupations asked for: the "
            "county's employed (SCB YREG60BAS) spread by the national age profile "
            "(YREG54BAS), split over the region's municipalities by urban population; an "
            "approximation",
            "validation": "one validation away: consenting people who meet a need's hard "
            "requirements and hold all its skall-krav, at least one only self-reported "
            "(not validated); counted once per occupation however many of its needs they "
            "fit; 'validated': every skall-krav validated",
        },
    )


def _validation_readiness(
    needs: Sequence[Mapping[str, Any]], index: PeopleIndex, rows: list[dict[str, Any]],
) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """People one validation away from each need, and those with every skall-krav
    validated, by SSYK-4 (distinct people); each need row gets its own count."""
    matcher = tools().matcher(index)
    away: dict[str, set[int]] = {}
    validated: dict[str, set[int]] = {}
    per_need: dict[int, int] = {}
    by_id = {n["id"]: n for n in needs}
    for row in rows:
        if row["need_id"] is None:
            continue
        close, done = readiness(index, matcher, NeedSpec.from_record(by_id[row["need_id"]]))
        group = row["ssyk4"] or ""
        away.setdefault(group, set()).update(int(r) for r in close)
        validated.setdefault(group, set()).update(int(r) for r in done)
        per_need[row["need_id"]] = len(close)
    for row in rows:
        row["one_validation_away"] = per_need.get(row["need_id"] or 0, 0)
    return away, validated


def _by_occupation_year(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Demand, people placed and gap per SSYK-4 and year: what the capacity plan reads."""
    totals: dict[tuple[str, int], Counter[str]] = {}
    labels: dict[str, str] = {}
    for row in rows:
        if not row["ssyk4"]:
            continue
        labels[row["ssyk4"]] = row["ssyk4_label"]
        total = totals.setdefault((row["ssyk4"], row["start_date"].year), Counter())
        total.update({"demand": row["headcount"], "filled": row["filled"],
                      "from_programs": row["from_programs"], "gap": row["gap"]})
    return [{"ssyk4": code, "label": labels[code], "year": year,
             **{k: total[k] for k in ("demand", "filled", "from_programs", "gap")}}
            for (code, year), total in sorted(totals.items())]


def _check_sources(sources: Collection[str] | None) -> set[str]:
    if sources is None:
        return set(SOURCES)
    chosen = {s.strip() for s in sources if s.strip()}
    unknown = sorted(chosen - set(SOURCES))
    if unknown:
        raise InvalidInput(f"unknown demand source {', '.join(unknown)}; use {', '.join(SOURCES)}",
                           "sources")
    return chosen


def _by_source(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Demand and gap per source: the stored needs, and each scenario by its label."""
    totals: dict[tuple[str, str], Counter[str]] = {}
    for row in rows:
        label = row["employer_name"] if row["source"] != "need" else ""
        total = totals.setdefault((row["source"], label or ""), Counter())
        total.update({"demand": row["headcount"], "filled": row["filled"],
                      "from_programs": row["from_programs"], "gap": row["gap"]})
    return [{"source": source, "label": label, **{k: total[k] for k in
                                                   ("demand", "filled", "from_programs", "gap")}}
            for (source, label), total in sorted(totals.items())]


def gaps_csv(report: Mapping[str, Any], table: str = "rows") -> str:
    """One table of the report as CSV (semicolon-separated, as Swedish Excel expects);
    the data sources and method follow as comment rows, as in the other exports."""
    if table not in SHEETS:
        raise InvalidInput(f"unknown table {table!r}; use one of {', '.join(SHEETS)}")
    _, columns = SHEETS[table]
    notes = [*report.get("data_sources", ()), *report.get("method", {}).values()]
    return csv_text([_headings(table, columns),
                     *([row.get(c) for c in columns] for row in report[table]),
                     *([f"# {line}"] for line in notes)])


def gaps_xlsx(report: Mapping[str, Any]) -> bytes:
    """Every table of the report, plus the proposals, as sheets of one workbook."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for key, (title, columns) in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append(_headings(key, columns))
        for row in report[key]:
            sheet.append([safe_cell(row.get(c)) for c in columns])
    sheet = book.create_sheet("Förslag")
    sheet.append(
        [
            "SSYK",
            "Yrke",
            "Gap (personer)",
            "Form",
            "Veckor",
            "Gruppstorlek",
            "Omgångar",
            "Kompetenser",
            "Anordnare",
            "Arbetsgivare",
        ]
    )
    for p in report["proposals"]:
        row = [
            p["ssyk4"],
            p["label"],
            p["gap"],
            label("program_form", p["form"]),
            p["duration_weeks"],
            p["cohort_size"],
            p["cohorts"],
            ", ".join(s["label"] for s in p["skills_to_teach"]),
            ", ".join(str(x["name"]) for x in p["providers"]),
            ", ".join(e["name"] for e in p["employers"]),
        ]
        sheet.append([safe_cell(value) for value in row])
    sheet = book.create_sheet("Källor")
    for line in [*report.get("data_sources", ()), *report.get("method", {}).values()]:
        sheet.append([safe_cell(line)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
