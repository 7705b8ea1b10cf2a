"""`lotsen titles rank`: normalise free-text job titles against any label vocabulary."""

from __future__ import annotations

from pathlib import Path

import typer

from lotsen.cli.output import console, emit_json, emit_table
from lotsen.services import titles
from lotsen.services.access import SYSTEM

app = typer.Typer(help="Free-text job titles (any language) → vocabulary ids.",
                  no_args_is_help=True)


@app.command()
def rank(
    queries: Path = typer.Option(..., "--queries", "-q", help="Q.tsv: qid<TAB>text."),
    vocabulary: Path = typer.Option(
        None, "--vocabulary", "-v",
        help="V.tsv: id<TAB>label (ids may repeat). Default: occupation names + synonyms."),
    top: int = typer.Option(10, "--top", min=1, max=1000, help="Ids per query."),
    output: Path = typer.Option(None, "--output", "-o", help="R.tsv: qid, id, rank, score."),
    as_json: bool = typer.Option(False, "--json", help="Print the ranking as JSON."),
    embeddings: bool = typer.Option(
        True, "--embeddings/--no-embeddings",
        help="Add multilingual-e5 similarity to the character n-grams (vectors cached under"
             " LOTSEN_CACHE_DIR)."),
) -> None:
    """Rank vocabulary ids for each query: character n-grams plus multilingual embeddings."""
    result = titles.rank_titles(queries, output, vocabulary, top, embeddings=embeddings,
                                actor=SYSTEM)
    if as_json:
        emit_json(result)
    elif output is not None:
        console.print(f"{result['queries']} queries → {output}")
    else:
        emit_table(result["results"], ("qid", "rank", "id", "label", "score"))
