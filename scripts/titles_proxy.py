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

The taxonomy has no English labels, so the held-out task against English labels has
only a stand-in here:

* **english_labels** — Swedish queries → a small English vocabulary under opaque ids:
  the English rows of ``lotsen/ads/data/title_aliases.csv`` (written by the team) and
  the title parts of the English ads' headlines (``classifier.title_core``), each under
  its occupation. Queries are Swedish: those occupations' names, the keywords related
  to them and the Swedish ads' headlines filed under them. With about 130 labels
  instead of 34,000 it has far fewer distractors than the real task, so it tells
  whether a change hurts cross-language ranking, not what the held-out figure will be.
  The same vocabulary also answers the English ads' headlines (English → English), each
  headline's own title part hidden from it, so that it is not its own answer; only the
  headlines whose occupation keeps another label count.

Rankers side by side: a plain character n-gram TF-IDF (3–5-grams of the whole title,
the issue's "known good baseline"), Lotsen's lexical ranker (the same n-grams, best
over the title's segments), the fusion shipped before (weight 4, floor 0.8, no label
context) and the shipped one (:class:`lotsen.ads.titles.TitleRanker` with vectors and
SSYK-4 context from :func:`lotsen.services.titles.label_context`). Weight, floor and
context are chosen on the keywords only, over a small grid, and then reported on the
other proxies, which did not take part in the choice. Acc@1 and MRR (over the top
100) per proxy.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from lotsen.ads.classifier import title_core
from lotsen.ads.embedding import E5Encoder, VectorCache, rescale
from lotsen.ads.features import TfidfSpace, char_grams
from lotsen.ads.titles import (
    FUSION,
    FUSION_CONTEXT,
    FUSION_PIVOT,
    Fusion,
    TitleRanker,
    uses_context,
)
from lotsen.services.titles import attach_context, label_context
from lotsen.settings import get_settings
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.model import KEYWORD, OCCUPATION
from lotsen.text import fold

ROOT = Path(__file__).resolve().parents[1]
REAL_ADS = ROOT.parent / "shared" / "data" / "ads" / "real_dev.jsonl"
ALIASES = ROOT / "src" / "lotsen" / "ads" / "data" / "title_aliases.csv"
WEIGHTS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
FLOORS = (0.75, 0.8, 0.85, 0.9)
CONTEXTS = (0.0, 0.25, 0.5, 0.75)
KINDS = ("taxonomy", "plain", "pivot")
PIVOT_TUNING = "english_labels_names"
BEFORE = Fusion(weight=4.0, floor=0.8, context=0.0)  # shipped until 2026-12-04
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


class Vocabulary:
    """A ranker over (ids, labels) with vectors and context, as the service builds it."""

    def __init__(self, ids: list[str], labels: list[str], cache: VectorCache,
                 encoder: E5Encoder) -> None:
        self.ids, self.labels, self.cache = ids, labels, cache
        self.ranker = TitleRanker().fit(ids, labels)
        self.ranker.attach_vectors(cache.vectors(labels), encoder)
        rows = list(zip(ids, labels, strict=True))
        attach_context(self.ranker, rows, cache)
        # Which of the three fusions the service uses for this vocabulary.
        self.kind = ("plain" if not self.ranker.has_context else
                     "taxonomy" if uses_context(label_context(rows)[0]) else "pivot")

    def score(self, queries: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Lexical scores, label cosines and context cosines (a label without context:
        its own cosine, so any blend leaves it as it is)."""
        vectors = self.cache.vectors(queries)
        ranker = self.ranker
        label = vectors @ ranker.vectors.T  # type: ignore[union-attr]
        group = label.copy()
        if ranker.label_group is not None and ranker.group_vectors is not None:
            known = ranker.label_group >= 0
            group[:, known] = (vectors @ ranker.group_vectors.T)[:, ranker.label_group[known]]
        return ranker.entry_scores_many(queries), label, group


def fused(scored: tuple[np.ndarray, np.ndarray, np.ndarray], fusion: Fusion) -> np.ndarray:
    """:meth:`TitleRanker.combined_scores_many` from precomputed parts (for the grid)."""
    lexical, label, group = scored
    cosines = (1 - fusion.context) * label + fusion.context * group
    result: np.ndarray = lexical + fusion.weight * rescale(cosines, fusion.floor)
    return result


# Queries, their gold ids and, per query, the label rows hidden from it.
QuerySet = tuple[list[str], list[set[str]], list[list[int]]]


def hiding(scores: np.ndarray, hidden: list[list[int]]) -> np.ndarray:
    """``scores`` with each query's hidden labels below every other label (finite, so a
    blend with a zero share stays a number)."""
    out = scores.copy()
    for row, columns in enumerate(hidden):
        out[row, columns] = -1e6
    return out


def english_proxy(
    ads: list[dict[str, Any]], keywords: list[tuple[str, set[str]]],
    names: dict[str, str],
) -> tuple[list[str], list[str], dict[str, QuerySet]]:
    """The stand-in English vocabulary (opaque ids), its Swedish query sets and the
    English headlines (each with its own title part hidden)."""
    by_name = {label: cid for cid, label in names.items()}
    with ALIASES.open(encoding="utf-8") as handle:
        rows = [(by_name[r["occupation_label"]], r["label"]) for r in csv.DictReader(handle)
                if r["note"].startswith("English") and r["occupation_label"] in by_name]
    sources: dict[tuple[str, str], set[int]] = {row: {-1} for row in rows}  # -1: alias
    english_ads = [a for a in ads if is_english(a)]
    for number, ad in enumerate(english_ads):
        sources.setdefault((ad["occupation_concept_id"], title_core(ad["headline"])),
                           set()).add(number)
    rows = list(sources)
    concepts = sorted({cid for cid, _ in rows})
    opaque = {cid: f"en{number}" for number, cid in enumerate(concepts)}
    queries: dict[str, QuerySet] = {
        "names": ([names[c] for c in concepts], [{opaque[c]} for c in concepts],
                  [[] for _ in concepts])}
    related = [(k, {opaque[t] for t in targets if t in opaque}) for k, targets in keywords]
    related = [(k, g) for k, g in related if g]
    queries["keywords"] = ([k for k, _ in related], [g for _, g in related],
                           [[] for _ in related])
    chosen = [a for a in ads if not is_english(a) and a["occupation_concept_id"] in opaque]
    queries["headlines_sv"] = ([a["headline"] for a in chosen],
                               [{opaque[a["occupation_concept_id"]]} for a in chosen],
                               [[] for _ in chosen])
    own = [[i for i, row in enumerate(rows) if sources[row] == {number}]
           for number in range(len(english_ads))]
    kept = [n for n, ad in enumerate(english_ads)
            if any(cid == ad["occupation_concept_id"] and i not in own[n]
                   for i, (cid, _) in enumerate(rows))]
    queries["headlines_en"] = ([english_ads[n]["headline"] for n in kept],
                               [{opaque[english_ads[n]["occupation_concept_id"]]} for n in kept],
                               [own[n] for n in kept])
    return [opaque[cid] for cid, _ in rows], [label for _, label in rows], queries


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

    english = english_proxy(ads, keywords, dict(zip(ids, labels, strict=True)))

    encoder = E5Encoder()
    cache = VectorCache(get_settings().cache_dir / "titles", encoder)
    report: dict[str, Any] = {"command": "python scripts/titles_proxy.py",
                              "vocabulary": len(labels), "proxies": {}, "grid": {},
                              "grid_pivot": {}}
    swedish = Vocabulary(ids, labels, cache, encoder)
    runs = [(name, swedish, queries, gold, [[] for _ in queries])
            for name, (queries, gold) in proxies.items()]
    english_vocab = Vocabulary(english[0], english[1], cache, encoder)
    report["english_vocabulary"] = {"labels": len(english[1]), "context": english_vocab.kind}
    runs += [(f"english_labels_{name}", english_vocab, queries, gold, hidden)
             for name, (queries, gold, hidden) in english[2].items()]
    scored = {name: tuple(hiding(part, hidden) for part in vocab.score(queries))
              for name, vocab, queries, _, hidden in runs}
    for name, vocab, queries, gold, hidden in runs:
        report["proxies"][name] = {
            "baseline_char_tfidf": metrics(
                hiding(baseline_scores(vocab.labels, queries), hidden), vocab.ids, gold),
            "lotsen_lexical": metrics(scored[name][0], vocab.ids, gold),
            "before_lexical_e5": metrics(fused(scored[name], BEFORE), vocab.ids, gold),
        }
    # Two choices on the keywords: the best fusion of all (context or not) for labels
    # with a group, the best without context for labels without. A third on the
    # Swedish names → English labels, for the nearest-group pivot of such a vocabulary.
    best: dict[str, tuple[float, Fusion]] = {kind: (-1.0, Fusion()) for kind in KINDS}
    for context in CONTEXTS:
        for weight in WEIGHTS:
            for floor in FLOORS:
                fusion = Fusion(weight, floor, context)
                found = metrics(fused(scored["keywords"], fusion), ids, proxies["keywords"][1])
                report["grid"][f"w={weight} floor={floor} context={context}"] = found
                for kind in ("taxonomy", "plain") if context == 0.0 else ("taxonomy",):
                    if found["mrr"] > best[kind][0]:
                        best[kind] = (found["mrr"], fusion)
                if context == 0.0:
                    continue
                found = metrics(fused(scored[PIVOT_TUNING], fusion), english_vocab.ids,
                                english[2]["names"][1])
                report["grid_pivot"][f"w={weight} floor={floor} context={context}"] = found
                if found["mrr"] > best["pivot"][0]:
                    best["pivot"] = (found["mrr"], fusion)
    chosen = {kind: best[kind][1] for kind in KINDS}
    report["chosen_fusion"] = {
        kind: {"weight": f.weight, "floor": f.floor, "context": f.context}
        for kind, f in chosen.items()}
    for kind, shipped_fusion in zip(KINDS, (FUSION_CONTEXT, FUSION, FUSION_PIVOT),
                                    strict=True):
        if chosen[kind] != shipped_fusion:
            print(f"note: the grid chose {chosen[kind]} for {kind} labels,"
                  f" lotsen.ads.titles ships {shipped_fusion}", file=sys.stderr)
    for name, vocab, queries, gold, hidden in runs:
        # The shipped ranker end to end, so the figure is what `lotsen titles rank` gives.
        vocab.ranker.fusion = chosen[vocab.kind]
        shipped = vocab.ranker.combined_scores_many(queries, cache.vectors(queries))
        report["proxies"][name]["lotsen_lexical_e5"] = metrics(
            hiding(shipped, hidden), vocab.ids, gold)
        report["proxies"][name]["context"] = vocab.kind
        report["proxies"][name]["context_applies"] = vocab.ranker.context_applies(queries)
        if vocab.kind == "pivot":  # what the pivot gives these titles, applied or not
            report["proxies"][name]["lexical_e5_pivot"] = metrics(
                fused(scored[name], chosen["pivot"]), vocab.ids, gold)
        # What the vocabulary would get without any context.
        report["proxies"][name]["lexical_e5_no_context"] = metrics(
            fused(scored[name], chosen["plain"]), vocab.ids, gold)
        report["proxies"][name]["e5_only"] = metrics(scored[name][1], vocab.ids, gold)
    report["seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", "utf-8")
    print(text)
    print(f"embedded {encoder.embedded} texts", file=sys.stderr)


if __name__ == "__main__":
    main()
