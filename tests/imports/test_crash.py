"""An import killed with SIGKILL half-way leaves nothing behind: one transaction, no partials."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine
from tests.imports.conftest import count_rows, csv_bytes, person, run

from lotsen.demo.generator import DemoCatalog, people
from lotsen.imports.writing import person_row, to_csv
from lotsen.services.access import SYSTEM
from lotsen.services.records import list_records
from lotsen.store.db import forget_engines, open_database
from lotsen.taxonomy import load_taxonomy

# Imports the file, printing the number of rows written after each batch.
CHILD = """
import sys
from datetime import date
from pathlib import Path
from lotsen.services.access import SYSTEM
from lotsen.services.imports import import_file
from lotsen.store.db import open_database
engine = open_database(sys.argv[1])
import_file(engine, "people", Path(sys.argv[2]).read_bytes(), "big.csv",
            today=date.fromisoformat(sys.argv[3]),
            progress=lambda n: print(n, flush=True), actor=SYSTEM)
print("finished", flush=True)
"""


def test_sigkill_mid_import_leaves_no_partial_rows(db_url: str, tmp_path: Path) -> None:
    engine: Engine = open_database(db_url)
    run(engine, "people", csv_bytes([person(source_id="KEEP-1")]))
    before_counts = count_rows(engine)
    before = list_records(engine, "people", actor=SYSTEM)["results"]
    rows = [person_row(r) for r in people(5, DemoCatalog.from_taxonomy(load_taxonomy()), 12_000)]
    rows[0]["source_id"] = "KEEP-1"  # the killed import was about to update this person too
    big = tmp_path / "big.csv"
    big.write_bytes(to_csv("people", rows))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, db_url, str(big), "2026-12-01"],  # the demo's date
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    first = child.stdout.readline().strip()
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert first == "2000", child.stderr.read() if child.stderr else first
    assert child.returncode == -signal.SIGKILL  # killed mid-import, not finished
    forget_engines()
    reopened = open_database(db_url)  # a new process would start exactly like this
    assert count_rows(reopened) == before_counts
    assert list_records(reopened, "people", actor=SYSTEM)["results"] == before
