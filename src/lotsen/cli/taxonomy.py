"""`lotsen taxonomy search|show|types`: look concepts up the way a lotsare would.

Errors are raised as :mod:`lotsen.errors` classes; ``lotsen.cli.main`` prints them
as one line and exits with code 2.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import typer

from lotsen.cli.output import console, emit, emit_json, emit_table
from lotsen.taxonomy.model import Concept, Taxonomy, load_taxonomy

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
) -> None:
    """Find concepts by label, synonym or keyword; tolerant of typos and missing å/ä/ö."""
    from lotsen.taxonomy.search import get_search_index

    hits = get_search_index().search(query, types=types or None, limit=limit)
    if as_json:
        emit_json({"results": [{k: h.as_dict()[k] for k in RESULT_KEYS} for h in hits]})
        return
    rows = [{**h.as_dict(), "score": f"{h.score:.3f}"} for h in hits]
    if not rows:
        console.print(f"No concept matches {query!r}.")
        return
    emit({"results": rows}, False, SEARCH_COLUMNS, title=f"Search: {query}")


def _ref(concept: Concept) -> dict[str, Any]:
    return {"concept_id": concept.id, "type": concept.type, "preferred_label": concept.label}


def _describe(taxonomy: Taxonomy, concept_id: str) -> dict[str, Any]:
    concept = taxonomy.get(concept_id)
    group = taxonomy.ssyk4(concept_id)
    return {
        **concept.as_dict(),
        "definition": concept.definition,
        "ssyk4": group.code if group is not None else None,
        "broader": [_ref(c) for c in taxonomy.broader(concept_id)],
        "narrower": [_ref(c) for c in taxonomy.narrower(concept_id)],
        "related": [_ref(c) for c in taxonomy.related(concept_id)],
        "substitutes": [
            {**_ref(c), "substitutability": weight}
            for c, weight in sorted(
                taxonomy.substitutes(concept_id), key=lambda cw: (-cw[1], cw[0].label)
            )
        ],
    }


@app.command()
def show(
    concept_id: str = typer.Argument(..., help="A concept id, e.g. 9K3i_XD4_Kyy."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """One concept with its broader, narrower, related and substitute concepts."""
    data = _describe(load_taxonomy(), concept_id.strip())
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
