"""`lotsen ads ingest|classify|evaluate|stats`: the job-ad engine from the terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from lotsen.cli.output import console, emit_json, emit_table
from lotsen.services import ads
from lotsen.services.access import SYSTEM
from lotsen.services.database import connect

app = typer.Typer(help="Swedish job ads: ingest, classify, evaluate, statistics.",
                  no_args_is_help=True)

SCHEDULER_HELP = "Dask scheduler address (tcp://host:8786); default: run in this process."
WORKERS_HELP = "Enrich in N local worker processes (no Dask needed); 0 or 1: in this process."


@contextmanager
def _progress(enabled: bool, what: str) -> Iterator[Callable[[int], None] | None]:
    if not enabled:
        yield None
        return
    columns = (TextColumn(f"{what}"), BarColumn(), TextColumn("{task.completed} ads"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(what, total=None)
        yield lambda n: bar.advance(task, n)


@app.command()
def ingest(
    files: list[Path] = typer.Argument(..., help="JSON array / JSON Lines files, maybe .gz."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid",
                                      help="Store the valid ads, write bad ones to --rejects."),
    rejects: Path = typer.Option(None, help="Rejects file (default FILE.rejects.jsonl)."),
    scheduler: str = typer.Option(None, help=SCHEDULER_HELP),
    workers: int = typer.Option(0, "--workers", min=0, help=WORKERS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Store ads (deduplicated, enriched); a file with a bad record is rejected whole."""
    with _progress(not as_json, "Läser annonser") as progress:
        summary = ads.ingest(connect(), files, skip_invalid=skip_invalid, rejects=rejects,
                             scheduler=scheduler, progress=progress, workers=workers, actor=SYSTEM)
    if as_json:
        emit_json(summary)
        return
    emit_table(summary["files"], ("file", "records", "stored", "already_stored",
                                  "duplicate_ids_in_file", "reposts", "rejected",
                                  "rejects_file"), title="Ingest")


@app.command()
def classify(
    input: Path = typer.Option(..., "--input", "-i", help="Ads: JSONL / JSON array, maybe .gz."),
    output: Path = typer.Option(..., "--output", "-o", help="JSON Lines with enrichment."),
    top_k: int = typer.Option(5, "--top-k", min=1, max=50, help="Ranked candidates kept."),
    scheduler: str = typer.Option(None, help=SCHEDULER_HELP),
    chunk_size: int = typer.Option(500, min=1, help="Ads per chunk."),
    workers: int = typer.Option(0, "--workers", min=0, help=WORKERS_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Add occupation (SSYK-4, occupation name) and skills to every ad."""
    with _progress(not as_json, "Klassificerar") as progress:
        summary = ads.classify_file(input, output, top_k, scheduler, chunk_size, progress,
                                    workers=workers, actor=SYSTEM)
    if as_json:
        emit_json(summary)
    else:
        console.print(f"{summary['ads']} ads → {summary['output']} ({summary['scheduler']})")


def _metrics_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    keys = ("ssyk4_top1", "ssyk4_top3", "ssyk4_balanced_top1", "ssyk4_macro_f1",
            "occupation_top1", "occupation_top3")
    rows = []
    for system, entry in report["systems"].items():
        row = {"system": system, **{k: entry.get(k) for k in keys}}
        skills = entry.get("skills_gold") or entry.get("skills") or {}
        row.update({f"skills_{k}": skills.get(k) for k in ("precision", "recall", "f1")})
        if "requirement_agreement" in skills:
            row["requirement_agreement"] = skills["requirement_agreement"]
        rows.append(row)
    return rows


@app.command()
def evaluate(
    file: Path = typer.Argument(..., help="Labelled ads (JSONL with ssyk4 / occupation ids)."),
    skills_gold: Path = typer.Option(
        None, "--skills-gold", help="Hand-annotated skills (skills_dev_gold.jsonl format)."),
    allow_training_overlap: bool = typer.Option(
        False, "--allow-training-overlap",
        help="Score ads the model trained on (not a held-out figure)."),
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
) -> None:
    """Top-1/top-3/balanced, skill P/R/F1, beside the taxonomy prior and a title lookup."""
    report = ads.evaluate_file(file, skills_gold, allow_training_overlap, actor=SYSTEM)
    if as_json:
        emit_json(report)
        return
    rows = _metrics_rows(report)
    emit_table(rows, list(rows[0]), title=f"{report['ads']} ads in {file}")
    per_major = report["systems"]["lotsen"].get("ssyk1_top1", {})
    base_major = report["systems"]["baseline"].get("ssyk1_top1", {})
    emit_table([{"ssyk1": k, "n": v["n"], "lotsen": v["top1"],
                 "baseline": base_major.get(k, {}).get("top1")} for k, v in per_major.items()],
               ("ssyk1", "n", "lotsen", "baseline"), title="Top-1 per SSYK-1")
    languages = [{"system": system, "language": language, **{
                     k: part.get(k) for k in ("n", "top1", "top3", "balanced_top1")}}
                 for system, entry in report["systems"].items()
                 for language, part in entry.get("ssyk4_by_language", {}).items()]
    if languages:
        emit_table(languages, ("system", "language", "n", "top1", "top3", "balanced_top1"),
                   title="SSYK-4 by the ad's language (half_each: the mean of the two)")


@app.command()
def stats(
    region: list[str] = typer.Option(None, "--region", "-r",
                                     help="Kommun (4-digit) or län (2-digit) code; repeatable."),
    ssyk4: str = typer.Option(None, help="Only this SSYK-4 group."),
    window: int = typer.Option(3, help="Months compared for growth."),
    top: int = typer.Option(10, help="Groups and skills shown."),
    as_json: bool = typer.Option(False, "--json", help="Print everything as JSON."),
) -> None:
    """Ads by SSYK-4 × municipality × month, growth, top skills per occupation."""
    data = ads.stats(connect(), region or None, ssyk4, window, top, actor=SYSTEM)
    if as_json:
        emit_json(data)
        return
    rows = [{**g, "growth": None if g.get("growth") is None else f"{g['growth']:+.0%}",
             "top_skills": ", ".join(s["label"].split(",")[0] for s in g["top_skills"][:5])}
            for g in data["groups"]]
    emit_table(rows, ("ssyk4", "label", "ads", "recent", "previous", "growth", "top_skills"),
               title=f"{data['ads']} ads" + (f" ({data['synthetic_ads']} synthetic)"
                                               if data["synthetic_ads"] else ""))
