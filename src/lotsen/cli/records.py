"""`lotsen demo` and `lotsen needs|people|programs|organizations list`."""

from __future__ import annotations

from typing import Any

import typer

from lotsen.cli.accounts import print_demo_accounts
from lotsen.cli.output import console, emit, emit_json
from lotsen.services import records
from lotsen.services.access import SYSTEM
from lotsen.services.database import connect
from lotsen.services.demo import DEFAULT_PEOPLE, build_demo
from lotsen.services.demo_accounts import create_demo_accounts
from lotsen.settings import get_settings

TITLES = {"needs": "Behov", "people": "Arbetssökande", "programs": "Utbildningar",
          "organizations": "Organisationer"}
COLUMNS = {
    "needs": (
        "id",
        "title",
        "employer_name",
        "headcount",
        "start_date",
        "municipality_code",
        "status",
    ),
    "people": (
        "id",
        "pseudonym",
        "municipality_code",
        "swedish_level",
        "education_level",
        "available_from",
    ),
    "programs": (
        "id",
        "name",
        "form",
        "provider_name",
        "municipality_code",
        "seats",
        "duration_weeks",
    ),
    "organizations": ("id", "name", "kind", "municipality_code", "org_number"),
}
LABELS = {
    "municipalities": "Kommuner",
    "employers": "Arbetsgivare",
    "open_needs": "Öppna behov",
    "open_headcount": "Efterfrågade personer",
    "people": "Arbetssökande",
    "programs": "Utbildningar",
}


def demo(
    no_serve: bool = typer.Option(False, "--no-serve", help="Build the database and exit."),
    people: int = typer.Option(DEFAULT_PEOPLE, help="Number of synthetic job seekers."),
    seed: int = typer.Option(None, help="Random seed (default LOTSEN_DEMO_SEED)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Build the synthetic demo region into LOTSEN_DATABASE_URL and serve the web app."""
    settings = get_settings()
    engine = connect()
    counts = build_demo(engine, settings.demo_seed if seed is None else seed, people, actor=SYSTEM)
    accounts = create_demo_accounts(engine, actor=SYSTEM)
    summary: dict[str, Any] = {**counts, "demo_accounts": accounts}
    if as_json:
        emit_json(summary)
    else:
        console.print(f"[bold]Demoregion byggd[/bold] (syntetiska data) i {settings.database_url}")
        for key, label in LABELS.items():
            console.print(f"  {label:<24} {summary[key]:>6}")
        print_demo_accounts(accounts, settings.auth_required)
    if not no_serve:
        from lotsen.web.server import serve

        serve(settings.host, settings.port)


def _list_command(kind: str) -> typer.Typer:
    app = typer.Typer(help=f"Stored {kind}.", no_args_is_help=True)

    @app.command("list")
    def list_(
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
        limit: int = typer.Option(100, help="At most this many."),
        offset: int = typer.Option(0, help="Skip this many."),
        municipality: str = typer.Option(None, help="Only this municipality code."),
    ) -> None:
        data = records.list_records(
            connect(), kind, limit=limit, offset=offset,
            filters={"municipality_code": municipality}, actor=SYSTEM)
        emit(data, as_json, COLUMNS[kind], title=f"{TITLES[kind]} ({data['total']} st)")

    @app.command("show")
    def show(record_id: int) -> None:
        """Print one record as JSON."""
        emit_json(records.get_record(connect(), kind, record_id, actor=SYSTEM))

    return app


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    for kind in COLUMNS:
        app.add_typer(_list_command(kind), name=kind)
