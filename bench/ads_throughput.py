"""Throughput of the job-ad engine: classify + extract per core, on 2 Dask workers, ingest.

    .venv/bin/python bench/ads_throughput.py [--ads 3000] [--ingest 0] [--workers 2]
                                             [--ingest-on pool|dask] [--ingest-only]
                                             [--database URL] [--rss-log FILE]
                                             [--real ../shared/data/ads/real_dev.jsonl]

Two sets side by side: REAL ads (``--real``: the 554 Platsbanken ads of real_dev.jsonl,
repeated to ``--ads``, mean ~3,500 characters of real text — the figure that counts)
and synthetic ads (lotsen.ads.synthetic) padded with repeated employer boilerplate to
~2,150 characters, which flatter the engine. The ingest run writes into a temporary
folder that is removed afterwards, whatever happens. Prints ads/s,
latency percentiles per 500-ad chunk, peak RSS, and the ratio against the
title-lookup baseline run in the same process. ``--ingest N`` also times
`lotsen ads ingest` of N ads into a fresh SQLite file (or ``--database``), enrichment
in ``--workers`` local worker processes (``--ingest-on pool``, the default) or on a
Dask LocalCluster (``--ingest-on dask``), and samples the resident memory of the
ingesting process and of its workers every second: the summary shows it per tenth
of the run (flat memory = the last tenth is no higher than the second), ``--rss-log``
writes every sample as CSV. ``--ingest-only`` skips the per-core runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import tempfile
import threading
import time
from contextlib import AbstractContextManager, nullcontext, suppress
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from lotsen.ads import requirements
from lotsen.ads.batch import chunked, enrich_chunk, run_chunks
from lotsen.ads.embedding import E5Encoder
from lotsen.ads.enrich import get_enricher
from lotsen.ads.evaluate import TitleBaseline
from lotsen.ads.memory import body_document
from lotsen.ads.synthetic import BOILERPLATE, synthetic_ads
from lotsen.services.access import SYSTEM
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.search import load_synonyms
from lotsen.text import fold

PADDING = (
    "Om oss: vi är ett av regionens största företag med verksamhet på tolv orter och en "
    "stark tillväxt de senaste åren. Vi arbetar aktivt med hållbarhet, arbetsmiljö och "
    "jämställdhet och är certifierade enligt ISO 14001. Som medarbetare hos oss får du "
    "friskvårdsbidrag, tjänstepension, rabatter och möjlighet till distansarbete. "
)


def make_ads(n: int, seed: int = 11) -> list[dict]:
    enricher = get_enricher()
    codes = [g[1] for g in enricher.classifier.groups]
    rng = random.Random(seed)
    per_group = max(1, n // len(codes) + 1)
    ads = []
    for number, ad in enumerate(synthetic_ads(load_taxonomy(), enricher.classifier, codes,
                                              per_group, seed)):
        body = "\n\n".join([PADDING * 3, ad.description, rng.choice(BOILERPLATE), PADDING * 2])
        ads.append({"id": f"b{number}", "headline": ad.headline, "description": {"text": body},
                    "employer": {"name": f"Arbetsgivare {number % 997}"},
                    "workplace_address": {"municipality_code": rng.choice(["2580", "2582",
                                                                           "2480", "0180"])},
                    "publication_date": f"2024-{1 + number % 12:02d}-15"})
    rng.shuffle(ads)
    return ads[:n]


REAL_ADS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ads" / "real_dev.jsonl"


def real_ads(n: int, path: Path = REAL_ADS) -> list[dict]:
    """The real ads of ``path`` repeated (ids made unique) until there are ``n``."""
    rows = [json.loads(line) for line in path.read_text("utf-8").split("\n") if line.strip()]
    return [{**rows[i % len(rows)], "id": f"r{i}"} for i in range(n)]


def text_of(ad: dict) -> str:
    description = ad["description"]
    return description["text"] if isinstance(description, dict) else description


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def forget_texts(encoder: object) -> None:
    """Empty the e5 memory of titles and the caches keyed by a whole text."""
    if isinstance(encoder, E5Encoder):
        encoder.forget()
    for cached in (fold, body_document, requirements._boilerplate):
        cached.cache_clear()


def one_core(ads: list[dict], fresh: bool = False) -> dict:
    """Wall-clock ads/s, and ads per second of this process's CPU time: on a machine
    shared with other work the second is what one core of its own would do.

    The e5 encoder remembers the titles it has embedded, so repeated ads (real streams
    repeat titles; this bench repeats real_dev.jsonl) embed only once, and the caches
    keyed by a whole text (the folded ad, the ad's word document, boilerplate sentences)
    hit on every repeat. ``fresh`` empties all of them before every chunk: each chunk's
    titles and texts are new, the cost of a stream of ads never seen (word-level caches
    stay: words do repeat across distinct ads)."""
    latencies = []
    encoder = get_enricher().classifier.encoder
    embedded = getattr(encoder, "embedded", 0)
    started, cpu_started = time.perf_counter(), time.process_time()
    for chunk in chunked(ads, 500):
        if fresh:
            forget_texts(encoder)
        t0 = time.perf_counter()
        enrich_chunk(chunk)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {"ads_per_s": round(len(ads) / elapsed, 1),
            "ads_per_cpu_s": round(len(ads) / cpu, 1),
            "chunk_ms_p50": round(float(np.percentile(latencies, 50)) * 1000, 1),
            "chunk_ms_p95": round(float(np.percentile(latencies, 95)) * 1000, 1),
            "headlines_embedded": getattr(encoder, "embedded", 0) - embedded}


def warm_up() -> None:
    """Load what every run loads once (taxonomy, model, e5 weights, extractor caches)
    on synthetic ads, so the figures are of steady work; the e5 memory of headlines is
    then emptied, so every real headline is new to the measured run."""
    enricher = get_enricher()
    encoder = enricher.classifier.encoder
    if isinstance(encoder, E5Encoder):
        encoder.encode(["Data Engineer"])
    for chunk in chunked(make_ads(200, seed=7), 100):
        enrich_chunk(chunk)
    if isinstance(encoder, E5Encoder):
        encoder.forget()


def stages(ads: list[dict]) -> dict:
    """Ads per CPU-second of each stage alone: the classifier (occupation) and the skill
    extractor (given the classifier's groups), so the cost of each is visible."""
    enricher = get_enricher()
    headlines = [a["headline"] for a in ads]
    bodies = [text_of(a) for a in ads]
    started = time.process_time()
    predictions = enricher.classifier.predict(headlines, bodies, 5)
    classify = time.process_time() - started
    ids = {c.code: c.id for c in load_taxonomy().of_type("ssyk-level-4") if c.code}
    groups = [[(ids[r.code], r.probability) for r in p.ssyk4[:5] if r.code in ids]
              for p in predictions]
    started = time.process_time()
    for body, context in zip(bodies, groups, strict=True):
        enricher.extractor.extract(body, context)
    extract = time.process_time() - started
    return {"classify_ads_per_cpu_s": round(len(ads) / classify, 1),
            "extract_ads_per_cpu_s": round(len(ads) / extract, 1)}


def baseline(ads: list[dict]) -> float:
    """Ads per CPU-second of the title-lookup baseline, in this process: the engine's
    ads per CPU-second divided by this is comparable across runs on a loaded machine."""
    lookup = TitleBaseline(load_taxonomy(), load_synonyms())
    started = time.process_time()
    for ad in ads:
        lookup.predict(ad["headline"])
    return len(ads) / (time.process_time() - started)


def on_dask(ads: list[dict], workers: int) -> dict:
    from distributed import LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        warm = list(run_chunks(chunked(ads[:workers * 10], 10), enrich_chunk,
                               cluster.scheduler_address))
        assert warm
        started = time.perf_counter()
        done = sum(len(r) for r in run_chunks(chunked(ads, 500), enrich_chunk,
                                              cluster.scheduler_address))
        elapsed = time.perf_counter() - started
    return {"workers": workers, "ads_per_s": round(done / elapsed, 1)}


class RssSampler:
    """Resident memory (MB) of this process and of its child processes, once a second,
    with how many ads had been read by then."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self.samples: list[tuple[float, float, float, int]] = []
        self.ads_read = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = 0.0
        self.cpu_seconds: dict[int, float] = {}  # pid → user + system CPU time, last seen

    def _run(self) -> None:
        me = psutil.Process(os.getpid())
        while not self._stop.is_set():
            children = 0.0
            for process in [me, *me.children(recursive=True)]:
                with suppress(psutil.Error):
                    if process.pid != me.pid:
                        children += process.memory_info().rss
                    times = process.cpu_times()
                    self.cpu_seconds[process.pid] = times.user + times.system
            self.samples.append((time.perf_counter() - self._started,
                                 me.memory_info().rss / 2**20, children / 2**20, self.ads_read))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._started = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, Any]:
        """Max RSS of the ingesting process and of all workers per tenth of the run."""
        if not self.samples:
            return {}
        tenths: list[dict[str, float]] = []
        for part in np.array_split(np.array(self.samples), 10):
            if len(part):
                tenths.append({"until_s": round(float(part[-1, 0]), 0),
                               "ads_read": int(part[-1, 3]),
                               "main_mb": round(float(part[:, 1].max()), 0),
                               "workers_mb": round(float(part[:, 2].max()), 0)})
        return {"samples": len(self.samples), "per_tenth": tenths,
                "cpu_seconds_all_processes": round(sum(self.cpu_seconds.values()), 1)}

    def write(self, path: Path) -> None:
        with path.open("w", encoding="utf-8") as handle:
            handle.write("seconds,main_rss_mb,workers_rss_mb,ads_read\n")
            for t, main, workers, read in self.samples:
                handle.write(f"{t:.1f},{main:.1f},{workers:.1f},{read}\n")


def write_ads_file(n: int, folder: Path) -> Path:
    path = folder / "ads.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for start in range(0, n, 5000):
            for ad in make_ads(min(5000, n - start), seed=start + 1):
                ad["id"] = f"{start}-{ad['id']}"
                handle.write(json.dumps(ad, ensure_ascii=False) + "\n")
    return path


def ingest(n: int, workers: int, on: str = "pool", database: str | None = None,
           rss_log: Path | None = None) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="ads-bench-"))
    try:
        return _ingest(n, workers, on, database, rss_log, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # 690 MB per 100k ads otherwise


def _ingest(n: int, workers: int, on: str, database: str | None, rss_log: Path | None,
            folder: Path) -> dict:
    from distributed import LocalCluster

    from lotsen.services import ads as ads_service
    from lotsen.store.db import open_database

    path = write_ads_file(n, folder)
    engine = open_database(database or f"sqlite:///{folder / 'bench.db'}")
    cluster: AbstractContextManager[Any] = (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                     dashboard_address=None) if on == "dask" else nullcontext())
    with cluster as running, RssSampler() as sampler:
        scheduler = running.scheduler_address if on == "dask" else None

        def progress(count: int) -> None:
            sampler.ads_read += count

        started = time.perf_counter()
        summary = ads_service.ingest(engine, [path], scheduler=scheduler, progress=progress,
                                     workers=workers if on == "pool" else 0, actor=SYSTEM)
        elapsed = time.perf_counter() - started
    engine.dispose()
    if rss_log is not None:
        sampler.write(rss_log)
    return {"ads": n, "on": f"{workers} {on} workers", "stored": summary["stored"],
            "reposts": summary["reposts"], "seconds": round(elapsed, 1),
            "ads_per_s": round(n / elapsed, 1),
            "file_mb": round(path.stat().st_size / 1e6, 1),
            "database": "sqlite (fresh file)" if database is None else "given URL",
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "rss": sampler.summary()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ads", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ingest", type=int, default=0)
    parser.add_argument("--ingest-on", choices=("pool", "dask"), default="pool")
    parser.add_argument("--ingest-only", action="store_true")
    parser.add_argument("--database", default=None,
                        help="database URL for --ingest (default: a fresh SQLite file)")
    parser.add_argument("--rss-log", type=Path, default=None)
    parser.add_argument("--real", type=Path, default=REAL_ADS)
    args = parser.parse_args()
    print(f"load average before: {[round(x, 2) for x in os.getloadavg()]}")
    get_enricher()
    warm_up()
    if args.ingest_only:
        result = ingest(args.ingest, args.workers, args.ingest_on, args.database, args.rss_log)
        print(f"ingest: {json.dumps(result)}")
        return
    for name, ads in (("REAL", real_ads(args.ads, args.real)), ("synthetic", make_ads(args.ads))):
        chars = np.mean([len(text_of(a)) for a in ads])
        print(f"{name} ads: {len(ads)}, mean description {chars:.0f} characters")
        single = one_core(ads)
        print(f"{name} one core (classify + extract): {single}")
        print(f"{name} one core, e5 memory and text caches emptied every 500 ads (fresh):"
              f" {one_core(ads, fresh=True)}")
        print(f"{name} stages, warm: {stages(ads)}")
        base = baseline(ads)
        print(f"{name} baseline title lookup: {base:.1f} ads/CPU-s; engine/baseline = "
              f"{single['ads_per_cpu_s'] / base:.3f}")
    print(f"peak RSS after one-core run: {peak_rss_mb():.0f} MB")
    if args.workers:
        print(f"dask LocalCluster (synthetic): {on_dask(ads, args.workers)}")
    print(f"load average after: {[round(x, 2) for x in os.getloadavg()]}")
    if args.ingest:
        result = ingest(args.ingest, args.workers, args.ingest_on, args.database, args.rss_log)
        print(f"ingest: {json.dumps(result)}")


if __name__ == "__main__":
    main()
