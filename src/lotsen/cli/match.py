"""`lotsen match need|pathway`, `lotsen allocate`, `lotsen gaps`, `lotsen transitions`:
matching, pathways, allocation, education gaps (profiles: `cli/profiles.py`)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from lotsen.cli.output import console, emit_json, emit_table
from lotsen.errors import InvalidInput
from lotsen.services import gaps as gap_service
from lotsen.services import matching, scenarios
from lotsen.services.access import SYSTEM
from lotsen.services.database import connect
from lotsen.spreadsheet import csv_file

match_app = typer.Typer(help="Match needs to people and plan pathways.", no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print JSON.")


@match_app.command("need")
def need(
    need_id: int,
    top: int = typer.Option(10, help="How many people."),
    relocation: bool = typer.Option(False, help="The employer accepts people who move."),
    as_json: bool = JSON,
) -> None:
    """The best people for a need, with the score's parts and reasons in Swedish."""
    data = matching.match_need(connect(), need_id, top, allow_relocation=relocation, actor=SYSTEM)
    if as_json:
        emit_json(data)
        return
    n = data["need"]
    console.print(f"[bold]{n['title']}[/bold] – {n['employer_name']}, {n['municipality_name']}")
    for r in data["results"]:
        console.print(f"\n[bold]{r['pseudonym']}[/bold] (id {r['person_id']})  {r['score']:.1f}")
        for reason in r["reasons"]:
            console.print(f"  • {reason}")


@match_app.command("pathway")
def pathway(person_id: int, need_id: int, as_json: bool = JSON) -> None:
    """The programs, in order, that close a person's gaps for a need."""
    data = matching.pathway(connect(), person_id, need_id, actor=SYSTEM)
    if as_json:
        emit_json(data)
        return
    console.print(data["summary"])
    emit_table(data["steps"], ("order", "name", "form", "municipality", "start", "end", "seats"))


def allocate(
    top_k: int = typer.Option(100, help="Candidates kept per need (plus its headcount)."),
    min_score: float = typer.Option(40.0, help="No placement below this fit (0-100)."),
    as_json: bool = JSON,
) -> None:
    """Assign people to the region's open needs, maximising total fit; greedy alongside."""
    data = matching.allocate(connect(), top_k=top_k, min_score=min_score, actor=SYSTEM)
    if as_json:
        emit_json(data)
        return
    emit_table(
        [r for r in data["results"] if r["filled"]],
        ("need_id", "title", "employer_name", "headcount", "filled", "greedy_filled", "fit"),
    )
    console.print(
        f"Total fit {data['total_fit']:.0f} (greedy {data['greedy']['total_fit']:.0f}, "
        f"+{100 * data['gain_over_greedy']:.1f} %), {data['assigned']} placed"
    )


def gaps(
    as_json: bool = JSON,
    xlsx: Path = typer.Option(None, "--xlsx", help="Write the report as an Excel file."),
    csv: Path = typer.Option(None, "--csv", help="Write the detail table as CSV."),
    scenario: Path = typer.Option(
        None,
        help="A scenario file (.toml/.yaml: its training needs from this year on) or a JSON "
        "file [{year, municipality_code, ssyk4, headcount}, ...].",
    ),
    proposals: int = typer.Option(10, help="Program proposals for the largest gaps."),
    sources: str = typer.Option(
        ",".join(gap_service.SOURCES),
        help="Demand to count, comma-separated: need (registered needs), scenario, "
        "replacement (those reaching 65, SCB register statistics).",
    ),
    replacement_years: int = typer.Option(
        gap_service.REPLACEMENT_YEARS, help="Years of retirements counted as demand."),
) -> None:
    """Education gaps after matching people and planned programs, with proposals."""
    extra = []
    if scenario is not None and scenario.suffix.lower() in scenarios.SUFFIXES:
        extra = scenarios.gap_needs_for_file(scenario, actor=SYSTEM)
    elif scenario is not None:
        try:
            extra = json.loads(scenario.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InvalidInput(f"cannot read the scenario file: {error}", str(scenario)) from None
    report = gap_service.gap_report(connect(), scenario_needs=extra, proposals=proposals,
                                    sources=sources.split(","),
                                    replacement_years=replacement_years, actor=SYSTEM)
    if xlsx is not None:
        xlsx.write_bytes(gap_service.gaps_xlsx(report))
    if csv is not None:
        csv.write_bytes(csv_file(gap_service.gaps_csv(report)))
    if as_json:
        emit_json(report)
        return
    emit_table(
        report["by_occupation"][:20],
        ("ssyk4", "label", "demand", "replacement_counted", "filled", "from_programs", "gap",
         "programs_in_region"),
        title="Utbildningsgap per yrke",
    )
    emit_table(report["by_source"], ("source", "label", "demand", "filled", "from_programs",
                                     "gap"), title="Efterfrågan per källa")
    for line in report["data_sources"]:
        console.print(f"Källa: {line}")


def transitions(
    occupation_id: str, limit: int = typer.Option(10, help="How many."), as_json: bool = JSON
) -> None:
    """Nearest occupations to move to, with the missing skills and programs for them."""
    data = matching.transitions(connect(), occupation_id, limit, actor=SYSTEM)
    if as_json:
        emit_json(data)
        return
    emit_table(
        data["results"],
        ("preferred_label", "ssyk4", "substitutability", "skill_overlap", "missing_total"),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(match_app, name="match")
    app.command("allocate")(allocate)
    app.command("gaps")(gaps)
    match_app.command("gaps")(gaps)  # `lotsen match gaps` too: gaps are a matching result
    app.command("transitions")(transitions)
