"""Time the first "vad heter yrket?" suggestion in a process with an empty cache.

    .venv/bin/python bench/titles_first_use.py [--query "undersköterska"]

The first suggestion builds the default vocabulary's ranker: its label vectors and its
SSYK-4 group names' vectors come from the shipped files where they exist, and the rest
are embedded with e5 and cached under LOTSEN_CACHE_DIR (a new, empty folder here).
Prints wall and CPU seconds of the first and of a second suggestion and how many texts
e5 was asked to embed (model loading is included in the first).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--query", default="undersköterska")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="titles-first-"))
    try:
        os.environ["LOTSEN_CACHE_DIR"] = str(work / "cache")
        from lotsen.ads.embedding import E5Encoder
        from lotsen.ads.enrich import get_enricher
        from lotsen.services.access import SYSTEM
        from lotsen.services.titles import suggest_titles

        get_enricher()  # the occupation model loads at start-up in the web app too
        embedded = [0]
        encode = E5Encoder.encode

        def counting(self: E5Encoder, texts: list[str]) -> object:
            embedded[0] += len(texts)
            return encode(self, texts)

        E5Encoder.encode = counting  # type: ignore[method-assign,assignment]
        figures: dict[str, object] = {"load": os.getloadavg()[0]}
        for phase in ("first", "second"):
            wall, cpu = time.perf_counter(), time.process_time()
            result = suggest_titles(args.query, 5, actor=SYSTEM)
            figures[f"{phase}_wall_s"] = round(time.perf_counter() - wall, 2)
            figures[f"{phase}_cpu_s"] = round(time.process_time() - cpu, 2)
            figures[f"{phase}_texts_embedded"] = embedded[0]
            embedded[0] = 0
        figures["top"] = result["results"][0]["preferred_label"]
        print(json.dumps(figures, ensure_ascii=False))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
