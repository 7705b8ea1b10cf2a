"""Benchmark the people import: 100,000 job seekers from CSV, bulk path vs the ORM path.

Run from the repository root::

    .venv/bin/python bench/import_people.py                  # 100,000 people, SQLite
    .venv/bin/python bench/import_people.py --pg             # also PostgreSQL (see below)
    .venv/bin/python bench/import_people.py --people 20000 --json

The population comes from the demo generator (``lotsen.demo.generator.people``), written
as an Excel-style CSV (BOM, ``;``) in which every occupation, skill, language and
licence whose Swedish label resolves back to its concept is written *as text* (the
rest as ids), so the run includes the text resolution a real file needs.

Each import runs in a child process, so its peak memory (ru_maxrss) is its own; the
figures printed are wall time, rows/s, peak RSS and the RSS after loading the
taxonomy and search index (what any import pays before reading a row). The file is
imported twice: into an empty database (all inserts) and again (all updates).

Baseline, in the same run: the ORM upsert path (``lotsen.store.records.upsert_person``,
one object graph per person, already-resolved dicts: no parsing at all) on the first
``--orm-subset`` people, against the bulk import of the same subset.

PostgreSQL: ``--pg`` uses ``$LOTSEN_TEST_DATABASE_URL`` (or ``--pg-url``) only to reach the
server; the benchmark creates and drops its own database ``lotsen_bench_import``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lotsen.demo.generator import REFERENCE_DATE, DemoCatalog, people
from lotsen.imports.resolve import ConceptResolver, Resolved
from lotsen.imports.writing import person_row, to_csv
from lotsen.services.access import SYSTEM
from lotsen.store.db import forget_engines, normalise_url, open_database, transaction
from lotsen.store.models import Tenant
from lotsen.store.records import upsert_person
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.model import DRIVING_LICENCE, LANGUAGE, OCCUPATION, SKILL
from lotsen.taxonomy.search import get_search_index

BENCH_DB = "lotsen_bench_import"


def label_map(records: list[dict[str, Any]]) -> dict[str, str]:
    """Concept id → its label, for every id whose label resolves back to it."""
    taxonomy, index = load_taxonomy(), get_search_index()
    resolvers = {t: ConceptResolver(taxonomy, index, [t], t)
                 for t in (OCCUPATION, SKILL, LANGUAGE, DRIVING_LICENCE)}
    ids: set[str] = set()
    for r in records:
        ids.update(o["occupation_id"] for o in r["occupations"])
        ids.update(r["skills"])
        ids.update(x["language_id"] for x in r["languages"])
        ids.update(r["licences"])
    found = {}
    for concept_id in ids:
        concept = taxonomy.get(concept_id)
        answer = resolvers[concept.type].resolve(concept.label)
        if isinstance(answer, Resolved) and answer.value == concept_id:
            found[concept_id] = concept.label
    return found


def make_file(records: list[dict[str, Any]], labels: dict[str, str]) -> bytes:
    rows = []
    for number, record in enumerate(records):
        row = person_row(record, lambda cid: labels.get(cid, cid))
        if number % 2:  # half the municipalities by name, as people type them
            row["municipality"] = load_taxonomy().municipality(record["municipality_code"]).label
        rows.append(row)
    return to_csv("people", rows)


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def child(url: str, path: str) -> None:
    """Import ``path`` into ``url`` and print the figures as JSON (run as a subprocess)."""
    from lotsen.services.imports import import_file
    from lotsen.services.taxonomy import search_index

    engine = open_database(url)
    search_index(engine)
    load_taxonomy()
    ready = rss_mb()
    peak = [ready]
    running = threading.Event()
    running.set()

    def sample() -> None:  # RSS every 20 ms: the import's own peak, not the index build's
        while running.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    data = Path(path).read_bytes()
    started, cpu = time.perf_counter(), time.process_time()
    summary = import_file(engine, "people", data, Path(path).name, "bench", today=REFERENCE_DATE,
                          actor=SYSTEM)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    running.clear()
    sampler.join()
    print(json.dumps({
        "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "rows": summary["rows"],
        "created": summary["created"], "updated": summary["updated"],
        "rows_per_s": round(summary["rows"] / seconds),
        "peak_rss_mb": round(peak[0]), "rss_before_mb": round(ready),
        "flagged": summary["flagged_count"], "interpreted": summary["interpreted_count"]}))


def run_child(url: str, path: Path) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", url, str(path)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"import failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def prepare(url: str) -> None:
    engine = open_database(url)
    with transaction(engine) as session:
        session.add(Tenant(slug="bench", name="Benchmark", municipality_codes=[]))


def orm_baseline(url: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    engine = open_database(url)
    prepare(url)
    started = time.perf_counter()
    with transaction(engine) as session:
        tenant_id = session.query(Tenant.id).filter(Tenant.slug == "bench").scalar()
        with session.no_autoflush:
            for record in records:
                upsert_person(session, tenant_id, record)
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "rows": len(records),
            "rows_per_s": round(len(records) / seconds)}


def pg_database(server_url: str, create: bool) -> str:
    forget_engines()  # pooled connections would keep the old database from being dropped
    admin = create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DB}"))
        if create:
            conn.execute(text(f"CREATE DATABASE {BENCH_DB}"))
    admin.dispose()
    return make_url(normalise_url(server_url)).set(database=BENCH_DB).render_as_string(
        hide_password=False)


def backend_run(name: str, fresh_url: Any, csv_path: Path, subset_path: Path,
                subset: list[dict[str, Any]]) -> dict[str, Any]:
    url = fresh_url("full")
    prepare(url)
    created = run_child(url, csv_path)
    updated = run_child(url, csv_path)
    url = fresh_url("subset")
    prepare(url)
    bulk_subset = run_child(url, subset_path)
    orm = orm_baseline(fresh_url("orm"), subset)
    orm_rate = orm["rows_per_s"]
    return {"backend": name, "create": created, "update": updated, "bulk_subset": bulk_subset,
            "orm_subset": orm,
            "ratio_bulk_vs_orm_same_subset": round(bulk_subset["rows_per_s"] / orm_rate, 1),
            "ratio_bulk_full_vs_orm": round(created["rows_per_s"] / orm_rate, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--orm-subset", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pg", action="store_true", help="also PostgreSQL")
    parser.add_argument("--pg-url", default=os.environ.get("LOTSEN_TEST_DATABASE_URL"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    started = time.perf_counter()
    catalog = DemoCatalog.from_taxonomy(load_taxonomy())
    records = list(people(args.seed, catalog, args.people))
    labels = label_map(records)
    data = make_file(records, labels)
    subset = records[: args.orm_subset]
    generated = time.perf_counter() - started
    folder = Path(tempfile.mkdtemp(prefix="lotsen-bench-import-"))
    csv_path, subset_path = folder / "people.csv", folder / "people-subset.csv"
    csv_path.write_bytes(data)
    subset_path.write_bytes(make_file(subset, labels))
    report: dict[str, Any] = {
        "people": args.people, "file_mb": round(len(data) / 2**20, 1),
        "generate_seconds": round(generated, 1), "labels_as_text": len(labels),
        "today": date.today().isoformat(), "runs": []}
    try:
        report["runs"].append(backend_run(
            "sqlite", lambda tag: f"sqlite:///{folder / (tag + '.db')}", csv_path, subset_path,
            subset))
        if args.pg:
            if not args.pg_url:
                raise SystemExit("--pg needs LOTSEN_TEST_DATABASE_URL or --pg-url")
            report["runs"].append(backend_run(
                "postgresql", lambda tag: pg_database(args.pg_url, True), csv_path, subset_path,
                subset))
            pg_database(args.pg_url, False)
    finally:
        forget_engines()
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{args.people:,} people, CSV {report['file_mb']} MB (generated in "
          f"{report['generate_seconds']} s; {len(labels)} concepts written as Swedish text)")
    for run in report["runs"]:
        c, u, b, o = run["create"], run["update"], run["bulk_subset"], run["orm_subset"]
        print(f"\n[{run['backend']}]")
        for label, r in (("import, empty db  ", c), ("re-import (upsert)", u)):
            print(f"  {label}: {r['seconds']:>6} s (CPU {r['cpu_seconds']} s)  "
                  f"{r['rows_per_s']:>7,} rows/s  peak RSS {r['peak_rss_mb']} MB "
                  f"(before reading the file: {r['rss_before_mb']} MB)")
        print(f"  subset {o['rows']:,}: bulk {b['rows_per_s']:,} rows/s vs ORM upsert_person "
              f"{o['rows_per_s']:,} rows/s → ×{run['ratio_bulk_vs_orm_same_subset']} "
              f"(full bulk vs ORM ×{run['ratio_bulk_full_vs_orm']})")


if __name__ == "__main__":
    main()
