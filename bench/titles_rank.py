"""Time `lotsen titles rank` (service level) cold and warm: N queries against M labels.

    .venv/bin/python bench/titles_rank.py [--queries 2900] [--labels 34000]

Labels: every distinct label of both taxonomy snapshots in ../shared/data/taxonomy
(occupation names, skills, keywords, places …), cycled with a numbered suffix when more
are asked for than exist, so every label is a new text to embed. Queries: the real ads'
headlines, then the keywords, likewise made distinct. Each phase runs in a new process,
as a command would: cold with an empty LOTSEN_CACHE_DIR (everything embedded), warm
with the vocabulary's vectors cached and the queries' removed, so they are embedded
again, as a new query file would be. Prints wall and CPU seconds per phase and the
1-minute load average before and after each (the machine is shared).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def distinct(texts: list[str], n: int) -> list[str]:
    unique = list(dict.fromkeys(t.strip() for t in texts if t.strip()))
    return [unique[i % len(unique)] + (f" {i // len(unique)}" if i >= len(unique) else "")
            for i in range(n)]


def phase(work: Path) -> None:
    """One ranking in this process (run by :func:`main` in a child process)."""
    os.environ["LOTSEN_CACHE_DIR"] = str(work / "cache")
    from lotsen.services.access import SYSTEM
    from lotsen.services.titles import rank_titles

    result = rank_titles(work / "q.tsv", work / "r.tsv", work / "v.tsv", 10, actor=SYSTEM)
    print(json.dumps({"embeddings": result["embeddings"]}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=2900)
    parser.add_argument("--labels", type=int, default=34000)
    parser.add_argument("--phase-in", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase_in:
        phase(args.phase_in)
        return
    labels: list[str] = []
    for name in ("taxonomy/concepts.csv", "taxonomy/current/concepts.csv"):
        with (DATA / name).open(encoding="utf-8") as handle:
            labels += [row["preferred_label"] for row in csv.DictReader(handle)]
    ads = [json.loads(line) for line in
           (DATA / "ads" / "real_dev.jsonl").read_text("utf-8").split("\n") if line.strip()]
    queries = distinct([a["headline"] for a in ads] + labels[::-1], args.queries)
    vocabulary = distinct(labels, args.labels)
    work = Path(tempfile.mkdtemp(prefix="titles-bench-"))
    try:
        (work / "q.tsv").write_text("".join(f"q{i}\t{t}\n" for i, t in enumerate(queries)),
                                    "utf-8")
        (work / "v.tsv").write_text("".join(f"v{i}\t{t}\n" for i, t in enumerate(vocabulary)),
                                    "utf-8")
        figures: dict[str, object] = {"queries": len(queries), "labels": len(vocabulary),
                                      "cpus": os.cpu_count()}
        for name in ("cold", "warm"):
            if name == "warm":
                for path in (work / "cache" / "titles").iterdir():
                    if path.stat().st_size < 400 * len(queries) * 2 + 1024:
                        path.unlink()  # the queries' vectors: a new query file
            load = os.getloadavg()[0]
            cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, __file__, "--phase-in", str(work)],
                                  check=True, capture_output=True, text=True)
            figures[f"{name}_seconds"] = round(time.perf_counter() - started, 1)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            figures[f"{name}_cpu_seconds"] = round(
                after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, 1)
            figures[f"{name}_load"] = [round(load, 1), round(os.getloadavg()[0], 1)]
            figures.update(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(figures))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
