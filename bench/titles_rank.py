"""Time `lotsen titles rank` (service level) cold and warm: N queries against M labels.

    .venv/bin/python bench/titles_rank.py [--queries 2900] [--labels 34000]

Labels: every distinct label of both taxonomy snapshots in ../shared/data/taxonomy
(occupation names, skills, keywords, places …), cycled with a numbered suffix when more
are asked for than exist, so every label is a new text to embed. Queries: the real ads'
headlines, then the keywords, likewise made distinct. The cold run has an empty
LOTSEN_CACHE_DIR (everything embedded); the warm run reuses the vocabulary's vectors and
embeds the queries again (their cache file is removed first), as a new query file would.
Prints seconds per phase and per text embedded.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def distinct(texts: list[str], n: int) -> list[str]:
    unique = list(dict.fromkeys(t.strip() for t in texts if t.strip()))
    return [unique[i % len(unique)] + (f" {i // len(unique)}" if i >= len(unique) else "")
            for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=2900)
    parser.add_argument("--labels", type=int, default=34000)
    args = parser.parse_args()
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
        os.environ["LOTSEN_CACHE_DIR"] = str(work / "cache")
        from lotsen.services.access import SYSTEM
        from lotsen.services.titles import rank_titles

        q_file, v_file = work / "q.tsv", work / "v.tsv"
        q_file.write_text("".join(f"q{i}\t{t}\n" for i, t in enumerate(queries)), "utf-8")
        v_file.write_text("".join(f"v{i}\t{t}\n" for i, t in enumerate(vocabulary)), "utf-8")
        figures = {"queries": len(queries), "labels": len(vocabulary)}
        for phase in ("cold", "warm"):
            if phase == "warm":
                for path in (work / "cache" / "titles").iterdir():
                    if path.stat().st_size < 400 * len(queries) * 2 + 1024:
                        path.unlink()  # the queries' vectors: a new query file
            started = time.perf_counter()
            result = rank_titles(q_file, work / "r.tsv", v_file, 10, actor=SYSTEM)
            figures[f"{phase}_seconds"] = round(time.perf_counter() - started, 1)
            figures["embeddings"] = result["embeddings"]
        print(json.dumps(figures))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
