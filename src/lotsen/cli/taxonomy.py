"""`lotsen taxonomy search|show|types`: look concepts up the way a lotsare would.

Errors are raised as :mod:`lotsen.errors` classes; ``lotsen.cli.main`` prints them
as one line and exits with code 2.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import typer

from lotsen.cli.output import console, emit, emit_json, emit_table
from lotsen.services import taxonomy as taxonomy_service
from lotsen.services.access import SYSTEM
from lotsen.services.database import connect, connect_if_configured
from lotsen.taxonomy.model import load_taxonomy

app = typer.Typer(
    help="Search and inspect the JobTech taxonomy (occupations, skills, places ...).",
    no_args_is_help=True,
)

SEARCH_COLUMNS = ("concept_id", "type", "preferred_label", "ssyk4", "score", "matched")
REF_COLUMNS = ("concept_id", "type", "preferred_label")
TABLE_CAP = 15  # rows per relation in the table view; --json always gives all
RESULT_KEYS = ("concept_id", "type", "preferred_label", "ssyk4", "score")


@app.command()
def search(
    query: str = typer.Argument(..., help="What to look for, e.g. 'lakare' or 'busschaffis'."),
    types: list[str] | None = typer.Option(
        None, "--type", "-t",
        help="Only concepts of this type (repeatable), e.g. occupation-name, skill.",
    ),
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=500, help="Number of results."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    tenant: str | None = typer.Option(
        None, "--tenant", help="Also this tenant's local concepts (lotsen concepts add-local)."
    ),
) -> None:
    """Find concepts by label, synonym or keyword; tolerant of typos and missing å/ä/ö."""
    hits = taxonomy_service.search(query, types, limit, engine=connect_if_configured(),
                                   tenant=tenant, actor=SYSTEM)
    if as_json:
        found: list[Mapping[str, Any]] = list(hits["results"])
        emit_json({"results": [{k: h[k] for k in RESULT_KEYS} for h in found]})
        return
    rows = [{**h, "score": f"{h['score']:.3f}"} for h in hits["results"]]
    if not rows:
        console.print(f"No concept matches {query!r}.")
        return
    emit({"results": rows}, False, SEARCH_COLUMNS, title=f"Search: {query}")


@app.command()
def show(
    concept_id: str = typer.Argument(..., help="A concept id, e.g. 9K3i_XD4_Kyy."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """One concept with its broader, narrower, related and substitute concepts."""
    data = taxonomy_service.show(concept_id.strip(), actor=SYSTEM)
    if as_json:
        emit_json(data)
        return
    status = "deprecated (replaced)" if data["deprecated"] else "current"
    console.print(f"[bold]{data['preferred_label']}[/bold]  {data['concept_id']}  "
                  f"{data['type']}  {status}")
    for key in ("code", "ssyk4", "definition"):
        if data[key]:
            console.print(f"{key}: {data[key]}")
    for relation in ("broader", "narrower", "related", "substitutes"):
        refs = data[relation]
        if not refs:
            continue
        columns = REF_COLUMNS + (("substitutability",) if relation == "substitutes" else ())
        title = relation if len(refs) <= TABLE_CAP else (
            f"{relation} (first {TABLE_CAP} of {len(refs)}; --json shows all)"
        )
        emit_table(refs[:TABLE_CAP], columns, title=title)


@app.command("types")
def list_types(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Concept types with their number of concepts (and how many are deprecated)."""
    taxonomy = load_taxonomy()
    total: Counter[str] = Counter()
    deprecated: Counter[str] = Counter()
    for concept in taxonomy:
        total[concept.type] += 1
        deprecated[concept.type] += concept.deprecated
    rows = [
        {"type": t, "concepts": total[t], "deprecated": deprecated[t]} for t in sorted(total)
    ]
    emit({"results": rows}, as_json, ("type", "concepts", "deprecated"), title="Concept types")


synonyms_app = typer.Typer(help="Your own words for concepts, found by search.",
                           no_args_is_help=True)
app.add_typer(synonyms_app, name="synonyms")


@synonyms_app.command("add")
def add_synonym(
    label: str = typer.Argument(..., help="The word users type, e.g. 'rörmokare'."),
    concept_id: str = typer.Argument(..., help="The concept it means."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Store a synonym in the database (LOTSEN_DATABASE_URL); search finds it from now on."""
    data = taxonomy_service.add_synonym(connect(), label, concept_id, actor=SYSTEM)
    if as_json:
        emit_json(data)
    else:
        console.print(f"{data['label']!r} → {data['preferred_label']} ({data['concept_id']})")
