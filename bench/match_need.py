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
SQLite file (or, with ``--db-url``, an empty PostgreSQL database) streamed from the
generator (COPY on PostgreSQL), times ``lotsen.match.loading.load_index`` on it, ranks
the same needs on the index as loaded, then changes ``--changes`` people at a time (new
skills, new commuting limit) and times ``refresh_index`` for each::

    .venv/bin/python bench/match_need.py --people 0 --db-people 1000000 --changes 1 1000 \
        --db-url postgresql://postgres@127.0.0.1:5432/scratch --drop
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
from sqlalchemy import Engine, delete, func, insert, select, text, update

from lotsen.demo.generator import DemoCatalog, employers, needs, people
from lotsen.imports.bulk import insert_rows
from lotsen.match.explain import Explainer
from lotsen.match.geo import grid_for
from lotsen.match.index import IndexBuilder, PeopleIndex
from lotsen.match.levels import LicenceBits, consent_cutoff
from lotsen.match.loading import load_index, refresh_index
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
    utcnow,
)
from lotsen.taxonomy import load_taxonomy

NOW = utcnow()


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def demo_needs(catalog: DemoCatalog, seed: int) -> list[NeedSpec]:
    rng = random.Random(seed)
    emp = list(employers(rng))
    return [NeedSpec.from_record(n) for n in needs(rng, catalog, emp) if n["status"] == "open"]


def write_people(url: str, seed: int, catalog: DemoCatalog, count: int,
                 chunk: int = 20_000) -> None:
    """``count`` demo people (ids 1..count) into ``url``, an empty database, streamed from
    the generator a chunk at a time (nothing kept): COPY on PostgreSQL, executemany on
    SQLite (``imports.bulk.insert_rows``, what imports use). The change triggers of
    migration 0008 fire as for any import."""
    engine = open_database(url)
    with transaction(engine) as session:
        if session.scalar(select(func.count(Person.id))):
            raise SystemExit(f"{url} already holds people: give an empty scratch database")
        tenant = Tenant(slug="bench", name="Bench", municipality_codes=[])
        session.add(tenant)
        session.flush()
        tid = tenant.id
    tables = [m.__table__ for m in (Person, PersonSkill, PersonOccupation, PersonLicence,
                                      Consent)]
    for start in range(0, count, chunk):
        size = min(chunk, count - start)
        rows: list[list[dict[str, Any]]] = [[], [], [], [], []]
        for i, rec in enumerate(people(seed, catalog, size, start), start=start + 1):
            rows[0].append({
                "id": i, "tenant_id": tid, "source_id": rec["source_id"],
                "pseudonym": rec["pseudonym"] + str(i),
                "municipality_code": rec["municipality_code"],
                "education_level": rec["education_level"], "swedish_level": rec["swedish_level"],
                "newly_arrived": rec["newly_arrived"], "available_from": rec["available_from"],
                "max_commute_km": rec["max_commute_km"], "is_synthetic": True,
                "created_at": NOW, "updated_at": NOW,
            })
            rows[1] += [{"person_id": i, "skill_id": s} for s in rec["skills"]]
            rows[2] += [{"person_id": i, **o} for o in rec["occupations"]]
            rows[3] += [{"person_id": i, "licence_id": x} for x in sorted(set(rec["licences"]))]
            rows[4] += [{"person_id": i, "purpose": c["purpose"], "given_at": c["given_at"],
                         "withdrawn_at": None} for c in rec["consents"]]
        with engine.begin() as conn:
            for table, values in zip(tables, rows, strict=True):
                if values:
                    insert_rows(conn, table, values)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT setval('person_id_seq', (SELECT max(id) FROM person))"))
        # As a database in use would be: autovacuum of the fresh tables is not the load.
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))


def change_people(engine: Engine, person_ids: list[int], catalog: DemoCatalog) -> None:
    """What an import of changed profiles does: new skills and a new commuting limit."""
    fresh = list(people(4242, catalog, len(person_ids)))
    with transaction(engine) as session:
        session.execute(delete(PersonSkill).where(PersonSkill.person_id.in_(person_ids)))
        session.execute(insert(PersonSkill), [
            {"person_id": pid, "skill_id": s}
            for pid, rec in zip(person_ids, fresh, strict=True) for s in rec["skills"]])
        session.execute(update(Person).where(Person.id.in_(person_ids))
                        .values(max_commute_km=75.0))


def rank_times(matcher: Matcher, specs: list[NeedSpec], queries: int) -> list[float]:
    for spec in specs[:20]:  # warm the occupation-affinity cache, as a running server has
        matcher.top(spec, 10)
    times = []
    for i in range(queries):
        t = time.perf_counter()
        matcher.top(specs[i % len(specs)], 10)
        times.append(1000 * (time.perf_counter() - t))
    return times


def database_bench(args: argparse.Namespace, catalog: DemoCatalog, specs: list[NeedSpec],
                   parts: tuple[Any, LicenceBits, OccupationRelations]) -> None:
    grid, bits, relations = parts
    with tempfile.TemporaryDirectory() as folder:
        url = args.db_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        backend = url.split(":", 1)[0]
        t = time.perf_counter()
        write_people(url, args.seed, catalog, args.db_people)
        print(f"database write: {args.db_people:,} people into {backend} in "
              f"{time.perf_counter() - t:.1f} s; RSS {rss_mib():.0f} MiB")
        engine = open_database(url)
        before = rss_mib()
        t = time.perf_counter()
        loaded = load_index(engine, grid, bits)
        print(f"database load: {len(loaded):,} people, {len(loaded.skill_rows):,} person-skills "
              f"from {backend} in {time.perf_counter() - t:.1f} s; index arrays "
              f"{loaded.nbytes / 2**20:.0f} MiB; peak RSS {before:.0f} -> {rss_mib():.0f} MiB")
        db_ms = rank_times(Matcher(grid, bits, relations).fit(loaded), specs, args.queries)
        print(f"  rank top 10 on the index loaded from {backend}: p50 {pct(db_ms, 50):.1f} ms  "
              f"p95 {pct(db_ms, 95):.1f} ms  p99 {pct(db_ms, 99):.1f} ms")
        rng = random.Random(args.seed)
        index = loaded
        for size in args.changes:
            chosen = sorted(rng.sample(range(1, args.db_people + 1), size))
            change_people(engine, chosen, catalog)
            t = time.perf_counter()
            index, done = refresh_index(engine, index, grid, bits)
            took = time.perf_counter() - t
            print(f"  refresh after {size:,} changed people: {done.kind}, {done.people_read:,} "
                  f"people read, {took:.2f} s")
        ms = rank_times(Matcher(grid, bits, relations).fit(index), specs, args.queries)
        print(f"  rank top 10 on the refreshed index: p50 {pct(ms, 50):.1f} ms  "
              f"p95 {pct(ms, 95):.1f} ms")
        if args.drop and engine.dialect.name == "postgresql":
            engine.dispose()
            with open_database(url).begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            print("  dropped the bench's tables")


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
    parser.add_argument("--changes", type=int, nargs="*", default=[1, 1000],
                        help="after the database load, change this many people and time the "
                        "refresh (one refresh per number)")
    parser.add_argument("--drop", action="store_true",
                        help="drop the bench's tables from the --db-url database at the end")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    taxonomy = load_taxonomy()
    catalog = DemoCatalog.from_taxonomy(taxonomy)
    grid, bits = grid_for(taxonomy), LicenceBits(taxonomy)
    relations = OccupationRelations(taxonomy)
    print(f"RSS after taxonomy: {rss_mib():.0f} MiB")
    specs = demo_needs(catalog, args.seed)
    if args.people:
        memory_bench(args, taxonomy, catalog, specs, (grid, bits, relations))
    if args.db_people:
        database_bench(args, catalog, specs, (grid, bits, relations))
    print(f"peak RSS {rss_mib():.0f} MiB")


def memory_bench(args: argparse.Namespace, taxonomy: Any, catalog: DemoCatalog,
                 specs: list[NeedSpec], parts: tuple[Any, LicenceBits, OccupationRelations],
                 ) -> None:
    grid, bits, relations = parts
    cutoff = consent_cutoff()

    t = time.perf_counter()
    builder = IndexBuilder(grid, bits)
    kept: list[dict[str, Any]] = []
    keep = args.baseline
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


if __name__ == "__main__":
    main()
