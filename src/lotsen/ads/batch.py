"""The batch path as pure functions over chunks, run in process, in a pool or on Dask.

``enrich_chunk`` (classify + extract), ``enrich_pairs`` (the same for bare
``(headline, description)`` pairs: what ingest ships, so workers get and return no
more than they need) and ``aggregate_chunk`` (counts by SSYK-4 × municipality ×
month) depend only on their input and the shipped model, so a chunk gives the same
result wherever it runs: in this process (the default), in a pool of local worker
processes (``workers=N``), or on the workers of a Dask cluster
(``scheduler="tcp://host:8786"``). :func:`run_chunks` keeps only a few chunks in
flight and yields results in input order, so memory stays flat and output files are
identical whichever way they were made.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from itertools import islice
from typing import Any, TypeVar

from lotsen.ads.enrich import DEFAULT_TOP_K, get_enricher
from lotsen.errors import InvalidInput

T = TypeVar("T")
R = TypeVar("R")
DEFAULT_CHUNK = 500
IN_FLIGHT_PER_WORKER = 2


def chunked(items: Iterable[T], size: int = DEFAULT_CHUNK) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def enrich_chunk(ads: list[dict[str, Any]], top_k: int = DEFAULT_TOP_K) -> list[dict[str, Any]]:
    """Each ad with ``enrichment`` added (the output contract of :mod:`lotsen.ads.enrich`)."""
    return get_enricher().enrich_ads(ads, top_k=top_k)


def enrich_pairs(
    pairs: list[tuple[str, str]], top_k: int = DEFAULT_TOP_K
) -> list[dict[str, Any]]:
    """The ``enrichment`` of each ``(headline, description text)``."""
    return get_enricher().enrich_texts([p[0] for p in pairs], [p[1] for p in pairs], top_k)


def month_of(ad: dict[str, Any]) -> str | None:
    value = ad.get("publication_date") or ad.get("published_at")
    return str(value)[:7] if value else None


def municipality_of(ad: dict[str, Any]) -> str | None:
    code = ad.get("municipality_code")
    if code is None and isinstance(ad.get("workplace_address"), dict):
        code = ad["workplace_address"].get("municipality_code")
    return code if isinstance(code, str) else None


def aggregate_chunk(enriched: list[dict[str, Any]]) -> Counter[tuple[str, str, str]]:
    """Ads per (SSYK-4 top-1, municipality code, YYYY-MM); unknowns as ``""``."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for ad in enriched:
        groups = ad.get("enrichment", {}).get("ssyk4") or [{}]
        counts[(groups[0].get("code", ""), municipality_of(ad) or "", month_of(ad) or "")] += 1
    return counts


def enrich_and_aggregate(
    ads: list[dict[str, Any]], top_k: int = DEFAULT_TOP_K
) -> tuple[list[dict[str, Any]], Counter[tuple[str, str, str]]]:
    enriched = enrich_chunk(ads, top_k)
    return enriched, aggregate_chunk(enriched)


def run_chunks(
    chunks: Iterable[T], function: Callable[[T], R], scheduler: str | None = None,
    workers: int = 0,
) -> Iterator[R]:
    """``function`` over every chunk, results in input order: on Dask when
    ``scheduler``, else in ``workers`` local processes when ``workers > 1``, else here."""
    if scheduler:
        yield from _run_on_dask(chunks, function, scheduler)
    elif workers > 1:
        yield from _run_in_pool(chunks, function, workers)
    else:
        for chunk in chunks:
            yield function(chunk)


def _warm() -> None:
    get_enricher()


def _run_in_pool(chunks: Iterable[T], function: Callable[[T], R], workers: int) -> Iterator[R]:
    """Worker processes started fresh (``forkserver``: no locks or connections of this
    process are inherited), each loading the model once; this process keeps reading
    and writing while they enrich."""
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm,
                             mp_context=multiprocessing.get_context(method)) as pool:
        pending: deque[Future[R]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(function, chunk))
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _run_on_dask(chunks: Iterable[T], function: Callable[[T], R], scheduler: str) -> Iterator[R]:
    from distributed import Client

    try:
        client = Client(scheduler, timeout="5s")
    except OSError as error:
        raise InvalidInput(
            f"cannot reach the Dask scheduler at {scheduler} ({error}): start it with "
            "`dask scheduler` or leave out --scheduler to run in this process"
        ) from None
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(client.submit(function, chunk, pure=False))
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        client.close()


def enrich_function(top_k: int) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    return partial(enrich_chunk, top_k=top_k)


def enrich_pairs_function(
    top_k: int,
) -> Callable[[list[tuple[str, str]]], list[dict[str, Any]]]:
    return partial(enrich_pairs, top_k=top_k)
