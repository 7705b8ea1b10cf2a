"""`lotsen scenario run FILE`, `validate FILE`, `backtest CODE --origin Y --to Y`, and the
saved runs shared with the region: `save FILE --name N`, `saved`, `show-saved ID`,
`delete-saved ID` (as SYSTEM: the CLI runs on the server with direct database access)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import typer

from lotsen.cli.output import console, emit_json, emit_table
from lotsen.services import saved_scenarios, scenario_backtests, scenarios
from lotsen.services.access import SYSTEM
from lotsen.services.database import connect

app = typer.Typer(help="Establishment scenarios: what a large establishment does to a region.",
                  no_args_is_help=True)

# Swedish labels of the summary table, kept in one place.
SUMMARY = {
    "direct_jobs": "Direkta jobb",
    "total_jobs": "Jobb totalt",
    "filled_by_in_migrants": "Inflyttade tar",
    "population_added": "Befolkning +",
    "preschool_places_added": "Förskoleplatser +",
    "teachers_added": "Lärare +",
    "housing_units_added": "Bostäder +",
}


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _print_summary(data: Mapping[str, Any]) -> None:
    scenario, run = data["scenario"], data["run"]
    console.print(f"[bold]{scenario['name']}[/bold] — {run['runs']} körningar, frö "
                  f"{run['seed']}; median (P50) för hela området")
    rows = [{"År": row["year"], **{label: _number(row["metrics"][metric]["p50"])
                                   for metric, label in SUMMARY.items()}}
            for row in data["area"]]
    emit_table(rows, ["År", *SUMMARY.values()])
    last = data["area"][-1]
    spread = [{"Mått": label, **{key.upper(): _number(last["metrics"][metric][key])
                                 for key in ("p10", "p50", "p90")}}
              for metric, label in SUMMARY.items()]
    emit_table(spread, ["Mått", "P10", "P50", "P90"], title=f"Osäkerhet {last['year']}")
    places = [{"Kod": p["code"], "Kommun": p["name"], "Andel": f"{p['commuting_share']:.0%}",
               "Befolkning": f"{p['start_population']:,}".replace(",", " ")}
              for p in data["municipalities"]]
    emit_table(places, ["Kod", "Kommun", "Andel", "Befolkning"], title="Pendlingsområde")
    sensitivity = [{"#": s["rank"], "Antagande": s["parameter"], "max |ρ|": s["max_abs"]}
                   for s in data["sensitivity"][:8]]
    if sensitivity:
        emit_table(sensitivity, ["#", "Antagande", "max |ρ|"],
                   title="Vilka antaganden betyder mest (rangkorrelation)")
    for warning in data["warnings"]:
        console.print(f"[yellow]Varning:[/yellow] {warning}")
    console.print("Källor: " + ", ".join(s["id"] for s in data["sources"]))
    unsourced = [p["parameter"] for p in data["assumptions"]["parameters"] if p.get("unsourced")]
    if unsourced:
        console.print("[yellow]Antaganden utan källa (Lotsens egna bedömningar, eller värden "
                      "som scenariofilen sätter utan source):[/yellow] "
                      + ", ".join(unsourced))
    in_sample = [p["parameter"] for p in data["assumptions"]["parameters"] if p.get("in_sample")]
    if in_sample:
        console.print("[yellow]Anpassade på Skellefteå självt (i urvalet, ingen extern "
                      "källa):[/yellow] " + ", ".join(in_sample))
    console.print("Alla antaganden och källor: kör med --json (nycklarna assumptions, sources).")


@app.command("run")
def run(
    file: Path = typer.Argument(..., help="Scenario file (.toml, .yaml or .yml)."),
    runs: int = typer.Option(scenarios.DEFAULT_RUNS, "--runs", help="Monte Carlo runs."),
    seed: int = typer.Option(0, "--seed", help="Random seed; the same seed gives the same result."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole result as JSON."),
) -> None:
    """Run a scenario: jobs, people, welfare demand and occupation needs per year and place."""
    data = scenarios.run_scenario_file(file, runs=runs, seed=seed, actor=SYSTEM)
    if as_json:
        emit_json(data)
    else:
        _print_summary(data)


@app.command("validate")
def validate(
    file: Path = typer.Argument(..., help="Scenario file (.toml, .yaml or .yml)."),
    as_json: bool = typer.Option(False, "--json", help="Print the check as JSON."),
) -> None:
    """Check a scenario file; a problem is reported with its key and line (exit code 2)."""
    data = scenarios.validate_scenario_file(file, actor=SYSTEM)
    if as_json:
        emit_json(data)
    else:
        console.print(f"{file}: giltigt scenario ”{data['name']}”, kommun "
                      f"{data['municipality_code']}, {data['years']['start']}–"
                      f"{data['years']['end']}")


@app.command("backtest")
def backtest(
    municipality: str = typer.Argument(..., help="Municipality code, e.g. 2580 (Luleå)."),
    origin: int = typer.Option(..., "--origin", help="Project from 31 Dec of this year."),
    to: int = typer.Option(..., "--to", help="Last year projected."),
    scenario: Path = typer.Option(None, "--scenario",
                                  help="An establishment scenario starting at origin + 1."),
    runs: int = typer.Option(scenarios.DEFAULT_RUNS, "--runs",
                             help="Monte Carlo runs (with --scenario)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (with --scenario)."),
    as_json: bool = typer.Option(False, "--json", help="Print the rows as JSON."),
) -> None:
    """Project a municipality from an origin year with only the data up to it, beside SCB's
    actual population: P10/P50/P90 by year, age group and sex."""
    data = scenario_backtests.backtest(municipality, origin, to, scenario_file=scenario,
                                       runs=runs, seed=seed, actor=SYSTEM)
    if as_json:
        emit_json(data)
        return
    rows = [{"År": r["year"], "Ålder": r["age_group"], "P10": _number(r["projected_p10"]),
             "P50": _number(r["projected_p50"]), "P90": _number(r["projected_p90"]),
             "Utfall": "–" if r["actual"] is None else _number(r["actual"]),
             "Fel": "–" if not r["actual"] else f"{r['projected_p50'] / r['actual'] - 1:+.1%}"}
            for r in data["rows"] if r["sex"] == "all"]
    emit_table(rows, ["År", "Ålder", "P10", "P50", "P90", "Utfall", "Fel"],
               title=f"Bakåttest {municipality} från {origin}")
    for note in data["notes"]:
        console.print(note)


SAVED_COLUMNS = ["id", "name", "scenario_name", "tenant_name", "created_by_name", "created_at",
                 "runs", "seed"]


@app.command("save")
def save(
    file: Path = typer.Argument(..., help="Scenario file (.toml, .yaml or .yml)."),
    name: str = typer.Option(..., "--name", help="The name the region sees."),
    runs: int = typer.Option(scenarios.DEFAULT_RUNS, "--runs", help="Monte Carlo runs."),
    seed: int = typer.Option(0, "--seed", help="Random seed."),
    as_json: bool = typer.Option(False, "--json", help="Print the saved run as JSON."),
) -> None:
    """Run a scenario file and save the result to share with the region."""
    source = scenarios.source_file(file)
    saved = saved_scenarios.save_result(connect(), name, text=source.text, kind=source.kind,
                                        file_name=source.name,
                                  runs=runs, seed=seed, actor=SYSTEM)
    if as_json:
        emit_json(saved)
    else:
        console.print(f"Sparat som scenario {saved['id']}: ”{saved['name']}” "
                      f"(/scenarier/sparade/{saved['id']})")


@app.command("saved")
def saved(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the saved scenario runs of the region, newest first."""
    rows = saved_scenarios.list_saved(connect(), actor=SYSTEM)
    if as_json:
        emit_json({"results": rows})
    else:
        emit_table(rows, SAVED_COLUMNS, title="Sparade scenarier")


@app.command("show-saved")
def show_saved(
    saved_id: int = typer.Argument(..., help="The saved run's id."),
    as_json: bool = typer.Option(False, "--json", help="Print the saved run as JSON."),
) -> None:
    """Show a saved run: its summary tables (or everything with --json)."""
    found = saved_scenarios.get_saved(connect(), saved_id, actor=SYSTEM)
    if as_json:
        emit_json(found)
        return
    console.print(f"Sparat scenario {found['id']}: ”{found['name']}”, sparat "
                  f"{found['created_at']} av {found['created_by_name'] or 'systemet'}")
    _print_summary(found["result"])


@app.command("delete-saved")
def delete_saved(saved_id: int = typer.Argument(..., help="The saved run's id.")) -> None:
    """Delete a saved run."""
    gone = saved_scenarios.delete_saved(connect(), saved_id, actor=SYSTEM)
    console.print(f"Tog bort sparat scenario {gone['id']}: ”{gone['name']}”")
