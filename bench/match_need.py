"""Benchmark need → top-10 people over a large population (default 1,000,000).

Run from the repository root::

    .venv/bin/python bench/match_need.py                       # 1,000,000 people
    .venv/bin/python bench/match_need.py --people 200000 --db-people 0

The population comes from the demo generator (``lotsen.demo.generator.people``), fed
straight into the index builder (no database: generating and storing a million
people is not what is measured). The needs are the demo generator's needs (every
sector, all their must/nice skills, licences and Swedish requirements), cycled.

Printed: index build time and size, per-query latency p50/p95/p99 for ranking alone
and for ranking + Swedish explanations of the top 10 (what ``match_need`` returns),
peak RSS of the process, and — in the same run — a naive per-person Python loop
(``lotsen.match.naive``) on the first ``--baseline`` people against the vectorised
matcher on the same subset. ``--db-people`` writes that many people into a fresh
SQLite file (or, with ``--db-url``, an empty PostgreSQL database) with bulk inserts,
times ``lotsen.match.loading.load_index`` on it and ranks the same needs on the index
as loaded from that database::

    .venv/bin/python bench/match_need.py --people 100000 --db-people 100000 \
        --db-url postgresql://postgres@127.0.0.1:5432/scratch
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, insert, select

from lotsen.demo.generator import DemoCatalog, employers, needs, people
from lotsen.match.explain import Explainer
from lotsen.match.geo import grid_for
from lotsen.match.index import IndexBuilder, PeopleIndex
from lotsen.match.levels import LicenceBits, consent_cutoff
from lotsen.match.loading import load_index
from lotsen.match.naive import NaiveMatcher
from lotsen.match.need import NeedSpec
from lotsen.match.relations import OccupationRelations
from lotsen.match.scorer import Matcher
from lotsen.store.db import open_database, transaction
from lotsen.store.models import (
    Consent,
    Person,
    PersonLicence,
    PersonOccupation,
    PersonSkill,
    Tenant,
)
from lotsen.taxonomy import load_taxonomy


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def demo_needs(catalog: DemoCatalog, seed: int) -> list[NeedSpec]:
    rng = random.Random(seed)
    emp = list(employers(rng))
    return [NeedSpec.from_record(n) for n in needs(rng, catalog, emp) if n["status"] == "open"]


def bulk_db(url: str, records: list[dict[str, Any]]) -> str:
    """``url`` (an empty database) holding ``records`` (Core bulk inserts, for the load test)."""
    engine = open_database(url)
    with transaction(engine) as session:
        if session.scalar(select(func.count(Person.id))):
            raise SystemExit(f"{url} already holds people: give an empty scratch database")
        tenant = Tenant(slug="bench", name="Bench", municipality_codes=[])
        session.add(tenant)
        session.flush()
        tid = tenant.id
        rows, skills, occs, lics, cons = [], [], [], [], []
        for i, rec in enumerate(records, start=1):
            rows.append(
                {
                    "id": i,
                    "tenant_id": tid,
                    "source_id": rec["source_id"],
                    "pseudonym": rec["pseudonym"] + str(i),
                    "municipality_code": rec["municipality_code"],
                    "education_level": rec["education_level"],
                    "swedish_level": rec["swedish_level"],
                    "newly_arrived": rec["newly_arrived"],
                    "available_from": rec["available_from"],
                    "max_commute_km": rec["max_commute_km"],
                    "is_synthetic": True,
                }
            )
            skills += [{"person_id": i, "skill_id": s} for s in rec["skills"]]
            occs += [{"person_id": i, **o} for o in rec["occupations"]]
            lics += [{"person_id": i, "licence_id": x} for x in set(rec["licences"])]
            cons += [{"person_id": i, "withdrawn_at": None, **c} for c in rec["consents"]]
        for model, values in (
            (Person, rows),
            (PersonSkill, skills),
            (PersonOccupation, occs),
            (PersonLicence, lics),
            (Consent, cons),
        ):
            session.execute(insert(model), values)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--baseline", type=int, default=20_000)
    parser.add_argument("--baseline-queries", type=int, default=5)
    parser.add_argument("--db-people", type=int, default=100_000)
    parser.add_argument("--db-url", default="",
                        help="an EMPTY database to write --db-people into (default: a temporary "
                        "SQLite file)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    taxonomy = load_taxonomy()
    catalog = DemoCatalog.from_taxonomy(taxonomy)
    grid, bits = grid_for(taxonomy), LicenceBits(taxonomy)
    relations = OccupationRelations(taxonomy)
    cutoff = consent_cutoff()
    print(f"RSS after taxonomy: {rss_mib():.0f} MiB")

    t = time.perf_counter()
    builder = IndexBuilder(grid, bits)
    kept: list[dict[str, Any]] = []
    keep = max(args.baseline, args.db_people)
    for rec in people(args.seed, catalog, args.people):
        rec["id"] = len(builder)
        builder.add(rec, cutoff)
        if len(kept) < keep:
            kept.append(rec)
    generated = time.perf_counter() - t
    t = time.perf_counter()
    index: PeopleIndex = builder.build()
    del builder
    built = time.perf_counter() - t
    print(
        f"index: {len(index):,} people, {len(index.skill_rows):,} person-skills, "
        f"{index.nbytes / 2**20:.0f} MiB of arrays; generate+add {generated:.1f} s, "
        f"build {built:.1f} s; RSS {rss_mib():.0f} MiB"
    )

    matcher = Matcher(grid, bits, relations).fit(index)
    explainer = Explainer(taxonomy, grid, bits, relations)
    specs = demo_needs(catalog, args.seed)
    for spec in specs[:20]:  # warm the occupation-affinity cache, as a running server has
        matcher.top(spec, 10)
    rank_ms, full_ms = [], []
    for i in range(args.queries):
        spec = specs[i % len(specs)]
        t = time.perf_counter()
        ranking = matcher.top(spec, 10)
        mid = time.perf_counter()
        for row in ranking.rows:
            explainer.explain(index, spec, int(row))
        end = time.perf_counter()
        rank_ms.append(1000 * (mid - t))
        full_ms.append(1000 * (end - t))
    print(f"{args.queries} queries over {len(specs)} distinct demo needs, top 10:")
    for name, values in (("rank", rank_ms), ("rank+explain", full_ms)):
        print(
            f"  {name:<13} p50 {pct(values, 50):6.1f} ms  p95 {pct(values, 95):6.1f} ms  "
            f"p99 {pct(values, 99):6.1f} ms  mean {statistics.mean(values):6.1f} ms"
        )
    print(f"  throughput (rank) {1000 / statistics.mean(rank_ms):.1f} queries/s, one core")

    subset = kept[: args.baseline]
    sub_builder = IndexBuilder(grid, bits)
    for rec in subset:
        sub_builder.add(rec, cutoff)
    sub_matcher = Matcher(grid, bits, relations).fit(sub_builder.build())
    naive = NaiveMatcher(grid, bits, relations, consent_cutoff=cutoff)
    naive_s, fast_s, agree = [], [], 0
    for spec in specs[: args.baseline_queries]:
        t = time.perf_counter()
        slow = naive.top(spec, subset, 10)
        naive_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        fast = sub_matcher.top(spec, 10)
        fast_s.append(time.perf_counter() - t)
        agree += [round(s, 2) for s, _ in slow] == [round(float(x), 2) for x in fast.scores]
    ratio = statistics.mean(naive_s) / statistics.mean(fast_s)
    per_person_us = 1e6 * statistics.mean(naive_s) / len(subset)
    print(
        f"baseline on {len(subset):,} people: naive loop {1000 * statistics.mean(naive_s):.0f} ms"
        f" vs vectorised {1000 * statistics.mean(fast_s):.1f} ms per query = {ratio:.0f}x; "
        f"same top-10 scores in {agree}/{len(naive_s)}; naive at {len(index):,} people ≈ "
        f"{per_person_us * len(index) / 1e6:.1f} s per query"
    )

    if args.db_people:
        with tempfile.TemporaryDirectory() as folder:
            url = args.db_url or f"sqlite:///{Path(folder) / 'bench.db'}"
            t = time.perf_counter()
            bulk_db(url, kept[: args.db_people])
            written = time.perf_counter() - t
            t = time.perf_counter()
            loaded = load_index(open_database(url), grid, bits)
            took = time.perf_counter() - t
            backend = url.split(":", 1)[0]
            print(
                f"database load: {len(loaded):,} people from {backend} in {took:.1f} s "
                f"(bulk write took {written:.1f} s)"
            )
            db_matcher = Matcher(grid, bits, relations).fit(loaded)
            for spec in specs[:20]:
                db_matcher.top(spec, 10)
            db_ms = []
            for i in range(args.queries):
                t = time.perf_counter()
                db_matcher.top(specs[i % len(specs)], 10)
                db_ms.append(1000 * (time.perf_counter() - t))
            print(f"  rank on the index loaded from {backend}: p50 {pct(db_ms, 50):.1f} ms  "
                  f"p95 {pct(db_ms, 95):.1f} ms  p99 {pct(db_ms, 99):.1f} ms")
    print(f"peak RSS {rss_mib():.0f} MiB (includes the kept baseline/DB records)")


if __name__ == "__main__":
    main()
