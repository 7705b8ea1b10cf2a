"""`lotsen regional replacement`: register statistics for the region (SCB, MYH)."""

from __future__ import annotations

from pathlib import Path

import typer

from lotsen.cli.output import console, emit_json, emit_table
from lotsen.services import capacity as capacity_service
from lotsen.services import chains as chains_service
from lotsen.services import regional, supply
from lotsen.services.access import SYSTEM
from lotsen.services.database import connect, connect_if_configured
from lotsen.spreadsheet import csv_file

app = typer.Typer(help="Register statistics for the region: retirements, supply, programmes.")
JSON = typer.Option(False, "--json", help="Print JSON.")


@app.command("replacement")
def replacement(
    county: list[str] = typer.Option([], help="County code (24, 25); default the region's."),
    occupation: list[str] = typer.Option([], help="SSYK-4 code; default every occupation."),
    years: int = typer.Option(10, help="How many years ahead."),
    limit: int = typer.Option(20, help="Rows to print (JSON and CSV carry all)."),
    csv: Path = typer.Option(None, "--csv", help="Write the table as CSV."),
    as_json: bool = JSON,
) -> None:
    """Employed per occupation and county, and how many reach 65 in each coming year."""
    report = regional.replacement_demand(connect_if_configured(), counties=county,
                                         occupations=occupation, years=years, actor=SYSTEM)
    if csv is not None:
        csv.write_bytes(csv_file(regional.replacement_csv(report)))
    if as_json:
        emit_json(report)
        return
    rows = [{**r, "first_5": round(sum(y["persons"] for y in r["reaching_65"][:5]), 1)}
            for r in report["rows"][:limit]]
    emit_table(rows, ("ssyk4", "label", "county_name", "employed", "first_5", "total"),
               title=f"Når 65 år {report['first_year']}–{report['first_year'] + years - 1}")
    for line in [*report["sources"], *report["method"]]:
        console.print(f"· {line}")


supply_app = typer.Typer(help="Where an occupation's workers are, and whom to court.")


@supply_app.command("where")
def where(
    occupation: str = typer.Argument(..., help="SSYK-4 code (7411) or occupation concept id."),
    to: str = typer.Option(None, "--to", help="Workplace municipality code; default the one "
                           "with the most open need in the occupation."),
    limit: int = typer.Option(15, help="Places on the campaign list."),
    csv: Path = typer.Option(None, "--csv", help="Write the campaign list as CSV."),
    as_json: bool = JSON,
) -> None:
    """Counties and municipalities ranked by the supply one could attract; campaign list."""
    engine = connect_if_configured() or connect()
    report = supply.supply_where(engine, occupation, to, limit, actor=SYSTEM)
    if csv is not None:
        csv.write_bytes(csv_file(supply.supply_csv(report)))
    if as_json:
        emit_json(report)
        return
    emit_table(report["counties"], ("county_name", "employed"),
               title=f"{report['label']} ({report['ssyk4']}): sysselsatta per län")
    emit_table(report["campaign"], ("rank", "municipality_name", "likely", "estimated_workers",
                                    "job_seekers", "distance_km", "travel_minutes"),
               title=f"Kompetensdagar för {report['target']['municipality_name']}")
    for line in [*report["sources"], *report["method"]]:
        console.print(f"· {line}")


@app.command("capacity")
def capacity(
    sources: str = typer.Option("need,scenario,replacement",
                                help="Demand counted, comma-separated (as for `lotsen gaps`)."),
    completion: float = typer.Option(
        None, help="Share of starters who graduate (1 − dropout); default "
                   f"{capacity_service.DEFAULT_COMPLETION}, an assumption."),
    placement: float = typer.Option(
        None, help="Share of graduates working in the occupation; default "
                   f"{capacity_service.DEFAULT_PLACEMENT}, an assumption."),
    csv: Path = typer.Option(None, "--csv", help="Write the plan as CSV."),
    xlsx: Path = typer.Option(None, "--xlsx", help="Write the plan as XLSX."),
    limit: int = typer.Option(20, help="Rows to print."),
    as_json: bool = JSON,
) -> None:
    """Seats per programme and year to close the gap, against approved seats."""
    data = capacity_service.capacity_plan(connect(), sources=sources.split(","),
                                          completion=completion, placement=placement,
                                          actor=SYSTEM)
    if csv is not None:
        csv.write_bytes(csv_file(capacity_service.capacity_csv(data)))
    if xlsx is not None:
        xlsx.write_bytes(capacity_service.capacity_xlsx(data))
    if as_json:
        emit_json(data)
        return
    emit_table(data["rows"][:limit], ("ssyk4", "label", "year", "program", "start_year",
                                      "approved_seats", "seats_needed", "shortfall",
                                      "first_graduates", "too_late"),
               title="Utbildningsplatser som behövs")
    for line in [*data["data_sources"], *data["method"]]:
        console.print(f"· {line}")


@app.command("chains")
def chains(
    employer: str = typer.Argument(None, help="Employer id or exact name; default the one "
                                   "with the most open headcount."),
    steps: int = typer.Option(2, help="1 or 2 steps of the chain."),
    outside_share: float = typer.Option(
        chains_service.OUTSIDE_SHARE, help="Share of hires from outside the region's jobs "
                                           "(an assumption)."),
    csv: Path = typer.Option(None, "--csv", help="Write the chain as CSV."),
    as_json: bool = JSON,
) -> None:
    """Vacancies a big hirer's recruits leave at other employers, one or two steps out."""
    data = chains_service.vacancy_chains(connect(), employer, steps, outside_share,
                                         actor=SYSTEM)
    if csv is not None:
        csv.write_bytes(csv_file(chains_service.chains_csv(data)))
    if as_json:
        emit_json(data)
        return
    console.print(f"{data['employer']['name']}: {data['total_hires']} open positions")
    for step in data["steps"]:
        emit_table(step["occupations"][:10], ("ssyk4", "label", "vacancies", "via"),
                   title=f"Steg {step['step']}: {step['vacancies']} vakanser kvar")
    for line in [*data["assumptions"], *data["sources"]]:
        console.print(f"· {line}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="regional")
    root.add_typer(supply_app, name="supply")
