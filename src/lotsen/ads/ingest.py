"""Store ads from a file: validated, deduplicated, enriched, atomic per file.

* **Atomic**: one transaction per file. By default one malformed record rejects the
  whole file (nothing stored) with every problem as ``FILE:LINE: field: problem``;
  with ``skip_invalid`` the valid records are stored and the bad ones written, with
  their problem, to a rejects file (JSON Lines).
* **Idempotent**: an id already stored (as an ad or as a folded repost) is skipped,
  so ingesting the same file twice changes nothing.
* **Duplicates**: the same id twice in one file is stored once; a *repost* (another
  id, same employer and headline, description ≥ 85 % identical by word-3-shingle
  Jaccard) is stored once, its id added to ``duplicate_ids`` and ``duplicate_count``
  incremented.
* **Streaming**: records are read, checked and enriched chunk by chunk (enrichment is
  the pure batch function, in process, in a pool of ``workers`` processes or on Dask),
  so memory does not grow with the file.
* **Few round-trips**: per chunk one query for the ids already stored, one for the
  stored ads that may be the original of a repost, and one multi-row INSERT; the
  workers get only headline and text and send back only the enrichment, while this
  process reads, deduplicates and writes the next chunks.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from lotsen.ads.batch import chunked, enrich_pairs_function, run_chunks
from lotsen.ads.reader import read_records
from lotsen.ads.record import AdRecord, parse_ad
from lotsen.errors import ImportRejected
from lotsen.store.db import transaction
from lotsen.store.models import JobAd
from lotsen.text import fold, normalize_key

NEAR_DUPLICATE = 0.85
MAX_CANDIDATES = 20
MAX_PROBLEMS_KEPT = 1000  # all are counted in ``rejected``; the first ones are listed


@dataclass
class IngestSummary:
    file: str
    records: int = 0
    stored: int = 0
    already_stored: int = 0
    duplicate_ids_in_file: int = 0
    reposts: int = 0
    rejected: int = 0
    rejects_file: str | None = None
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["problems"] = self.problems[:20]
        return data


def posting_key(record: AdRecord) -> str:
    """Same employer + same headline (folded) + same municipality: maybe the same ad."""
    key = f"{fold(record.employer_name or '')}|{normalize_key(record.headline)}|"
    key += record.municipality_code or ""
    return hashlib.sha256(key.encode()).hexdigest()


def shingles(text: str) -> set[int]:
    tokens = normalize_key(text).split()
    return {hash(tuple(tokens[i : i + 3])) for i in range(max(1, len(tokens) - 2))}


def near_identical(a: str, b: str) -> bool:
    left, right = shingles(a), shingles(b)
    union = len(left | right)
    return union == 0 or len(left & right) / union >= NEAR_DUPLICATE


@dataclass
class _Pending:
    record: AdRecord
    raw: dict[str, Any]
    key: str


def ingest_file(
    engine: Engine,
    path: Path,
    skip_invalid: bool = False,
    rejects_path: Path | None = None,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
    chunk_size: int = 500,
    workers: int = 0,
    synthetic: bool = False,
) -> IngestSummary:
    """``synthetic``: the ads are made up (the demo region's); stored marked as such."""
    summary = IngestSummary(str(path))
    rejects = None
    if skip_invalid:
        rejects_path = rejects_path or path.with_name(path.name + ".rejects.jsonl")
        rejects = rejects_path.open("w", encoding="utf-8")
        summary.rejects_file = str(rejects_path)
    enrich = enrich_pairs_function(top_k=5)
    waiting: deque[list[_Pending]] = deque()
    unsaved: dict[str, list[_Pending]] = {}  # posting key → ads not yet in the database
    try:
        with transaction(engine) as session:
            seen_ids: set[str] = set()

            def work() -> Iterator[list[tuple[str, str]]]:
                for chunk in chunked(_valid(path, summary, rejects, progress), chunk_size):
                    fresh = _deduplicate(session, chunk, seen_ids, unsaved, summary)
                    if summary.problems and not skip_invalid:
                        fresh = []  # keep reading to report every problem; store nothing
                    waiting.append(fresh)
                    yield [(p.record.headline, p.record.description) for p in fresh]

            # Chunks are enriched while later ones are read (pool or Dask: in parallel).
            for enrichments in run_chunks(work(), enrich, scheduler, workers):
                fresh = waiting.popleft()
                rows = [_row(pending, enrichment, synthetic)
                        for pending, enrichment in zip(fresh, enrichments, strict=True)]
                if rows:
                    session.flush()  # reposts folded into stored ads, before the insert
                    session.execute(insert(JobAd), rows)
                for pending in fresh:
                    unsaved.pop(pending.key, None)
                summary.stored += len(rows)
            if summary.problems and not skip_invalid:
                raise ImportRejected(summary.problems)
    finally:
        if rejects is not None:
            rejects.close()
    return summary


def _valid(
    path: Path, summary: IngestSummary, rejects: Any, progress: Callable[[int], None] | None
) -> Iterator[_Pending]:
    for raw in read_records(path):
        summary.records += 1
        if progress is not None:
            progress(1)
        problems: list[tuple[str, str]]
        if raw.error is not None:
            record, problems = None, [("json", raw.error)]
        else:
            record, problems = parse_ad(raw.value)
        if record is None:
            summary.rejected += 1
            for field_name, problem in problems:
                if len(summary.problems) < MAX_PROBLEMS_KEPT:
                    summary.problems.append(f"{path}:{raw.line}: {field_name}: {problem}")
            if rejects is not None:
                rejects.write(json.dumps(
                    {"line": raw.line, "problems": [f"{f}: {p}" for f, p in problems],
                     "record": raw.value}, ensure_ascii=False) + "\n")
            continue
        assert isinstance(raw.value, dict)
        yield _Pending(record, raw.value, posting_key(record))


def _deduplicate(
    session: Session, chunk: list[_Pending], seen_ids: set[str],
    by_key: dict[str, list[_Pending]], summary: IngestSummary,
) -> list[_Pending]:
    ids = [p.record.source_id for p in chunk]
    stored = set(session.scalars(select(JobAd.source_id).where(JobAd.source_id.in_(ids))))
    originals = _stored_by_key(session, {p.key for p in chunk})
    fresh: list[_Pending] = []
    for pending in chunk:
        source_id = pending.record.source_id
        if source_id in seen_ids:
            summary.duplicate_ids_in_file += 1
            continue
        seen_ids.add(source_id)
        if source_id in stored:
            summary.already_stored += 1
            continue
        original = _stored_original(originals.get(pending.key, []), pending)
        if original is not None:
            folded = list(original.duplicate_ids or [])
            if source_id in folded:
                summary.already_stored += 1
            else:
                original.duplicate_ids = [*folded, source_id]
                original.duplicate_count = (original.duplicate_count or 0) + 1
                summary.reposts += 1
            continue
        twin = next(
            (p for p in by_key.get(pending.key, [])
             if near_identical(p.record.description, pending.record.description)),
            None,
        )
        if twin is not None:
            twin.raw.setdefault("_duplicate_ids", []).append(source_id)
            summary.reposts += 1
            continue
        by_key.setdefault(pending.key, []).append(pending)
        fresh.append(pending)
    return fresh


def _stored_by_key(session: Session, keys: set[str]) -> dict[str, list[JobAd]]:
    """Stored ads per posting key (newest first, at most ``MAX_CANDIDATES`` each)."""
    found: dict[str, list[JobAd]] = {}
    if not keys:
        return found
    rows = session.scalars(
        select(JobAd).where(JobAd.content_hash.in_(sorted(keys))).order_by(JobAd.id.desc())
    )
    for row in rows:
        held = found.setdefault(row.content_hash, [])
        if len(held) < MAX_CANDIDATES:
            held.append(row)
    return found


def _stored_original(candidates: list[JobAd], pending: _Pending) -> JobAd | None:
    for candidate in candidates:
        if pending.record.source_id in (candidate.duplicate_ids or []) or near_identical(
            candidate.description, pending.record.description
        ):
            return candidate
    return None


def _row(pending: _Pending, enrichment: dict[str, Any], synthetic: bool) -> dict[str, Any]:
    """The ``job_ad`` row of a fresh ad, as values for one multi-row INSERT."""
    record = pending.record
    duplicates = pending.raw.pop("_duplicate_ids", [])
    top = enrichment["ssyk4"][0] if enrichment["ssyk4"] else None
    top_name = enrichment["occupation_names"][0] if enrichment["occupation_names"] else None
    return dict(
        source_id=record.source_id,
        headline=record.headline[:500],
        description=record.description,
        employer_name=record.employer_name,
        municipality_code=record.municipality_code,
        # The employer's own classification wins; the model fills in where it is missing.
        occupation_id=record.occupation_id or (top_name["concept_id"] if top_name else None),
        ssyk4=record.ssyk4 or (top["code"] if top else None),
        published_at=record.published_at,
        content_hash=pending.key,
        duplicate_count=len(duplicates),
        duplicate_ids=duplicates or None,
        enrichment=enrichment,
        is_synthetic=synthetic,
    )
