"""A development proxy for the held-out title task: free-text titles → occupation names.

    .venv/bin/python scripts/titles_proxy.py [--out docs/titles-proxy.json]

The held-out set (2,900 Swedish titles, opaque ids) is not here, so two proxies are
built from real data, each against the same vocabulary, the current occupation names
of the shipped taxonomy (preferred labels only, concept ids as opaque ids):

* **keywords** — the taxonomy's keywords (search words such as "Barnskötare" or
  "Ekonomiassistent") → the occupation names they are related to; a hit is any of them.
  Keywords spelled like an occupation name (folded) are left out: they are not a test.
* **headlines** — the real ads' headlines (``real_dev.jsonl``) → the occupation name
  the employer chose, split into Swedish and English ads.

Three rankers run side by side: a plain character n-gram TF-IDF (3–5-grams of the
whole title, the issue's "known good baseline"), Lotsen's lexical ranker (the same
n-grams, best over the title's segments) and the lexical ranker plus multilingual-e5
(:class:`lotsen.ads.titles.TitleRanker` with vectors). The fusion weight and floor are
chosen on the keywords only, over a small grid, and then reported on the headlines,
which did not take part in the choice. Acc@1 and MRR (over the top 100) per proxy.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from lotsen.ads.embedding import E5Encoder, VectorCache
from lotsen.ads.features import TfidfSpace, char_grams
from lotsen.ads.titles import Fusion, TitleRanker
from lotsen.settings import get_settings
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.model import KEYWORD, OCCUPATION
from lotsen.text import fold

ROOT = Path(__file__).resolve().parents[1]
REAL_ADS = ROOT.parent / "shared" / "data" / "ads" / "real_dev.jsonl"
WEIGHTS = (0.25, 0.5, 1.0, 2.0, 4.0)
FLOORS = (0.8, 0.85, 0.9)
DEPTH = 100
ENGLISH = re.compile(r"\b(the|and|you|we|our|with|will|team)\b")
SWEDISH = re.compile(r"\b(och|att|du|vi|som|med|för|är)\b")


def is_english(ad: dict[str, Any]) -> bool:
    text = (ad["headline"] + " " + ad["description"][:1500]).lower()
    return len(ENGLISH.findall(text)) > len(SWEDISH.findall(text))


def metrics(scores: np.ndarray, ids: list[str], gold: list[set[str]]) -> dict[str, float]:
    """Acc@1 and MRR of per-label ``scores`` (rows: queries), an id scoring its best label."""
    hits, reciprocal = [], []
    for row, wanted in zip(scores, gold, strict=True):
        seen: list[str] = []
        for position in np.argsort(-row, kind="stable"):
            if ids[position] not in seen:
                seen.append(ids[position])
            if len(seen) == DEPTH:
                break
        rank = next((r for r, i in enumerate(seen, start=1) if i in wanted), None)
        hits.append(rank == 1)
        reciprocal.append(1.0 / rank if rank else 0.0)
    return {"n": len(gold), "acc1": round(float(np.mean(hits)), 4),
            "mrr": round(float(np.mean(reciprocal)), 4)}


def baseline_scores(labels: list[str], queries: list[str]) -> np.ndarray:
    label_grams = [char_grams(label) for label in labels]
    space = TfidfSpace.fit(label_grams)
    matrix = space.transform(label_grams)
    return np.asarray((space.transform([char_grams(q) for q in queries]) @ matrix.T).todense())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=Path, default=REAL_ADS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    vocab = [(c.id, c.label) for c in taxonomy.of_type(OCCUPATION) if not c.deprecated]
    ids, labels = [v[0] for v in vocab], [v[1] for v in vocab]
    in_vocab, names = set(ids), {fold(label) for label in labels}
    proxies: dict[str, tuple[list[str], list[set[str]]]] = {}
    keywords = []
    for keyword in taxonomy.of_type(KEYWORD):
        targets = {t.id for t in taxonomy.related(keyword.id) if t.id in in_vocab}
        if targets and fold(keyword.label) not in names:
            keywords.append((keyword.label, targets))
    proxies["keywords"] = ([k[0] for k in keywords], [k[1] for k in keywords])
    ads = [json.loads(line) for line in args.ads.read_text("utf-8").split("\n")
           if line.strip()]
    ads = [a for a in ads if a.get("occupation_concept_id") in in_vocab]
    for name, english in (("headlines_sv", False), ("headlines_en", True)):
        chosen = [a for a in ads if is_english(a) == english]
        proxies[name] = ([a["headline"] for a in chosen],
                         [{a["occupation_concept_id"]} for a in chosen])

    encoder = E5Encoder()
    cache = VectorCache(get_settings().cache_dir / "titles", encoder)
    ranker = TitleRanker().fit(ids, labels)
    ranker.attach_vectors(cache.vectors(labels), encoder)
    report: dict[str, Any] = {"command": "python scripts/titles_proxy.py",
                              "vocabulary": len(labels), "proxies": {}, "grid": {}}
    lexical: dict[str, np.ndarray] = {}
    cosines: dict[str, np.ndarray] = {}
    for name, (queries, gold) in proxies.items():
        query_vectors = cache.vectors(queries)
        lexical[name] = ranker.entry_scores_many(queries)
        cosines[name] = query_vectors @ ranker.vectors.T  # type: ignore[union-attr]
        report["proxies"][name] = {
            "baseline_char_tfidf": metrics(baseline_scores(labels, queries), ids, gold),
            "lotsen_lexical": metrics(lexical[name], ids, gold),
        }
    best: tuple[float, Fusion] = (-1.0, Fusion())
    for weight in WEIGHTS:
        for floor in FLOORS:
            fusion = Fusion(weight, floor)
            scores = lexical["keywords"] + weight * np.clip(
                (cosines["keywords"] - floor) / (1 - floor), 0, 1)
            found = metrics(scores, ids, proxies["keywords"][1])
            report["grid"][f"w={weight} floor={floor}"] = found
            if found["mrr"] > best[0]:
                best = (found["mrr"], fusion)
    fusion = best[1]
    report["chosen_fusion"] = {"weight": fusion.weight, "floor": fusion.floor}
    for name, (_, gold) in proxies.items():
        scores = lexical[name] + fusion.weight * np.clip(
            (cosines[name] - fusion.floor) / (1 - fusion.floor), 0, 1)
        report["proxies"][name]["lotsen_lexical_e5"] = metrics(scores, ids, gold)
        report["proxies"][name]["e5_only"] = metrics(cosines[name], ids, gold)
    report["seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", "utf-8")
    print(text)
    print(f"embedded {encoder.embedded} texts", file=sys.stderr)


if __name__ == "__main__":
    main()
