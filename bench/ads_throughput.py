"""Throughput of the job-ad engine: classify + extract per core, on 2 Dask workers, ingest.

    .venv/bin/python bench/ads_throughput.py [--ads 3000] [--ingest 0] [--workers 2]

Ads are synthetic (lotsen.ads.synthetic) padded with employer boilerplate to a
realistic length (~2,500 characters, like real Platsbanken ads). Prints ads/s,
latency percentiles per 500-ad chunk, peak RSS, and the ratio against the
title-lookup baseline run in the same process. ``--ingest N`` also times
`lotsen ads ingest` of N ads into a fresh SQLite file (enrichment on the Dask workers).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from lotsen.ads.batch import chunked, enrich_chunk, run_chunks
from lotsen.ads.enrich import get_enricher
from lotsen.ads.evaluate import TitleBaseline
from lotsen.ads.synthetic import BOILERPLATE, synthetic_ads
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.search import load_synonyms

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


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def one_core(ads: list[dict]) -> dict:
    latencies = []
    started = time.perf_counter()
    for chunk in chunked(ads, 500):
        t0 = time.perf_counter()
        enrich_chunk(chunk)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    return {"ads_per_s": round(len(ads) / elapsed, 1),
            "chunk_ms_p50": round(float(np.percentile(latencies, 50)) * 1000, 1),
            "chunk_ms_p95": round(float(np.percentile(latencies, 95)) * 1000, 1)}


def baseline(ads: list[dict]) -> float:
    lookup = TitleBaseline(load_taxonomy(), load_synonyms())
    started = time.perf_counter()
    for ad in ads:
        lookup.predict(ad["headline"])
    return len(ads) / (time.perf_counter() - started)


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


def ingest(n: int, workers: int) -> dict:
    from distributed import LocalCluster

    from lotsen.services import ads as ads_service
    from lotsen.store.db import open_database

    folder = Path(tempfile.mkdtemp(prefix="ads-bench-"))
    path = folder / "ads.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for start in range(0, n, 5000):
            for ad in make_ads(min(5000, n - start), seed=start + 1):
                ad["id"] = f"{start}-{ad['id']}"
                handle.write(json.dumps(ad, ensure_ascii=False) + "\n")
    engine = open_database(f"sqlite:///{folder / 'bench.db'}")
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        started = time.perf_counter()
        summary = ads_service.ingest(engine, [path], scheduler=cluster.scheduler_address)
        elapsed = time.perf_counter() - started
    return {"ads": n, "stored": summary["stored"], "reposts": summary["reposts"],
            "seconds": round(elapsed, 1), "ads_per_s": round(n / elapsed, 1),
            "file_mb": round(path.stat().st_size / 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ads", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ingest", type=int, default=0)
    args = parser.parse_args()
    get_enricher()
    ads = make_ads(args.ads)
    chars = np.mean([len(a["description"]["text"]) for a in ads])
    print(f"ads: {len(ads)}, mean description {chars:.0f} characters")
    single = one_core(ads)
    base = baseline(ads)
    print(f"one core (classify + extract): {single}")
    print(f"baseline title lookup: {base:.1f} ads/s; engine/baseline = "
          f"{single['ads_per_s'] / base:.2f}")
    print(f"peak RSS after one-core run: {peak_rss_mb():.0f} MB")
    print(f"dask LocalCluster: {on_dask(ads, args.workers)}")
    if args.ingest:
        print(f"ingest: {ingest(args.ingest, args.workers)}")
        print(f"peak RSS of the ingesting process: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
