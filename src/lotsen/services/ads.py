"""Job-ad use cases: classify, ingest, evaluate, stats, analyse one ad (titles:
:mod:`lotsen.services.titles`).

Every edge (CLI, API, web) calls one function here. Ads are public data (no tenant
scope), but storing them changes what every analyst sees, so ingest needs an
analyst, admin or system actor.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine

from lotsen.ads.batch import DEFAULT_CHUNK, chunked, enrich_function, run_chunks
from lotsen.ads.enrich import DEFAULT_TOP_K, get_enricher
from lotsen.ads.evaluate import TitleBaseline, evaluate, parse_labelled
from lotsen.ads.gold import load_gold
from lotsen.ads.ingest import ingest_file
from lotsen.ads.provenance import check_held_out, training_ads
from lotsen.ads.reader import read_records
from lotsen.ads.stats import StatsQuery, ad_stats, region_codes
from lotsen.errors import InvalidInput, LimitExceeded, NotFound
from lotsen.services.access import Actor, require, require_aggregates, require_reference_data
from lotsen.services.results.ads import (
    AdStats,
    AnalysedAd,
    ClassifiedFile,
    EnrichedAd,
    Enrichment,
    Evaluation,
    Ingested,
    IngestedFile,
    TextPiece,
)
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.search import load_synonyms

MAX_API_ADS = 1000
MAX_WORKERS = 64


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise NotFound(f"no such file: {path}")


def classify(ads: list[dict[str, Any]], top_k: int = DEFAULT_TOP_K, *,
             actor: Actor) -> list[EnrichedAd]:
    """Each ad (``id``, ``headline``, ``description``) with ``enrichment`` added."""
    require_reference_data(actor)
    if len(ads) > MAX_API_ADS:
        raise LimitExceeded(f"at most {MAX_API_ADS} ads per call; use `lotsen ads classify`",
                            quantity="ads_per_call", limit=MAX_API_ADS, value=len(ads))
    return cast(list[EnrichedAd], get_enricher().enrich_ads(ads, top_k=top_k))


def _input_ads(path: Path) -> Iterator[dict[str, Any]]:
    for record in read_records(path):
        if record.error is not None:
            raise InvalidInput(record.error, f"{path}:{record.line}")
        if not isinstance(record.value, dict):
            raise InvalidInput("expected a JSON object", f"{path}:{record.line}")
        yield record.value


def classify_file(
    input_path: Path, output_path: Path, top_k: int = DEFAULT_TOP_K,
    scheduler: str | None = None, chunk_size: int = DEFAULT_CHUNK,
    progress: Callable[[int], None] | None = None, workers: int = 0, *, actor: Actor,
) -> ClassifiedFile:
    """Stream ``input_path`` → JSON Lines at ``output_path`` (written atomically);
    enrichment on Dask (``scheduler``), in ``workers`` local processes, or here."""
    require_reference_data(actor)
    _require_file(input_path)
    _check_workers(workers)
    output_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".classify-", dir=output_path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            chunks = chunked(_input_ads(input_path), chunk_size)
            for enriched in run_chunks(chunks, enrich_function(top_k), scheduler, workers):
                for ad in enriched:
                    out.write(json.dumps(ad, ensure_ascii=False) + "\n")
                count += len(enriched)
                if progress is not None:
                    progress(len(enriched))
        os.replace(tmp, output_path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return {"input": str(input_path), "output": str(output_path), "ads": count,
            "scheduler": _where(scheduler, workers)}


def _where(scheduler: str | None, workers: int) -> str:
    if scheduler:
        return scheduler
    return f"{workers} worker processes" if workers > 1 else "in-process"


def _check_workers(workers: int) -> None:
    if not 0 <= workers <= MAX_WORKERS:
        raise LimitExceeded(f"workers must be 0–{MAX_WORKERS} (0 or 1: in this process)",
                            "workers", quantity="workers", limit=MAX_WORKERS, value=workers)


def ingest(
    engine: Engine, paths: list[Path], skip_invalid: bool = False, rejects: Path | None = None,
    scheduler: str | None = None, progress: Callable[[int], None] | None = None, workers: int = 0,
    *, actor: Actor,
) -> Ingested:
    """Ingest each file atomically; stops at the first file rejected whole. Enrichment
    runs on Dask (``scheduler``), in ``workers`` local processes, or in this process."""
    require(actor, "ads", "write")
    _check_workers(workers)
    for path in paths:
        _require_file(path)
    if rejects is not None and len(paths) > 1:
        raise InvalidInput("--rejects names one file: give one input file, or leave it out")
    files = [
        cast(IngestedFile, ingest_file(engine, path, skip_invalid, rejects, scheduler, progress,
                    workers=workers).as_dict())
        for path in paths
    ]
    return Ingested(
        files=files, records=sum(f["records"] for f in files),
        stored=sum(f["stored"] for f in files),
        already_stored=sum(f["already_stored"] for f in files),
        duplicate_ids_in_file=sum(f["duplicate_ids_in_file"] for f in files),
        reposts=sum(f["reposts"] for f in files), rejected=sum(f["rejected"] for f in files))


def evaluate_file(
    path: Path, skills_gold: Path | None = None, allow_training_overlap: bool = False, *,
    actor: Actor,
) -> Evaluation:
    """Occupation and skill metrics for a labelled file, with the baselines alongside.

    The file must share no ad with the model's training list unless
    ``allow_training_overlap`` (then the report says so: the figures are not held-out)."""
    require_reference_data(actor)
    _require_file(path)
    ads = []
    for record in read_records(path):
        if record.error is not None:
            raise InvalidInput(record.error, f"{path}:{record.line}")
        parsed = parse_labelled(record.value, record.line) if isinstance(
            record.value, dict) else None
        if parsed is None:
            raise InvalidInput("needs headline and description", f"{path}:{record.line}")
        ads.append(parsed)
    if not ads:
        raise InvalidInput(f"{path} holds no labelled ads")
    if not allow_training_overlap:
        check_held_out(path, [(ad.line, ad.id) for ad in ads])
    gold = load_gold(skills_gold) if skills_gold is not None else None
    report = evaluate(get_enricher(), _baseline(), ads, gold)
    trained = training_ads()
    overlap = sum(1 for ad in ads if ad.id in trained)
    return Evaluation(file=str(path),
                      skills_gold=None if skills_gold is None else str(skills_gold),
                      training_overlap=overlap, ads=report["ads"], systems=report["systems"])


@cache
def _baseline() -> TitleBaseline:
    return TitleBaseline(load_taxonomy(), load_synonyms())


def stats(
    engine: Engine, region: list[str] | None = None, ssyk4: str | None = None,
    window: int = 3, top: int = 10, *, actor: Actor,
) -> AdStats:
    """Ads per occupation group, place and month: an aggregate of public ads."""
    require_aggregates(actor)
    if not 1 <= window <= 24:
        raise InvalidInput(f"window must be 1–24 months, got {window}")
    taxonomy = load_taxonomy()
    query = StatsQuery(region_codes(taxonomy, region or []), ssyk4, window, top, top)
    figures = ad_stats(engine, taxonomy, query)
    return AdStats(region=sorted(query.municipalities or []), ads=figures["ads"],
                   synthetic_ads=figures["synthetic_ads"], months=figures["months"],
                   by_month=figures["by_month"],
                   cells=figures["cells"], groups=figures["groups"],
                   window_months=figures["window_months"])


def analyse(headline: str, description: str, top_k: int = DEFAULT_TOP_K, *,
            actor: Actor) -> AnalysedAd:
    """One pasted ad: its enrichment plus the text cut into plain and highlighted pieces."""
    require_reference_data(actor)
    if not headline.strip() and not description.strip():
        raise InvalidInput("klistra in en annons: rubrik eller text behövs")
    enrichment = cast(Enrichment,
                      get_enricher().enrich_texts([headline], [description], top_k)[0])
    pieces: list[TextPiece] = []
    position = 0
    for skill in sorted(enrichment["skills"], key=lambda s: s["start"]):
        if skill["start"] < position:
            continue
        pieces.append({"text": description[position:skill["start"]]})
        pieces.append({"text": description[skill["start"]:skill["end"]], "skill": skill})
        position = skill["end"]
    pieces.append({"text": description[position:]})
    return AnalysedAd(headline=headline, enrichment=enrichment, pieces=pieces)
