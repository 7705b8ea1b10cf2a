"""Grouped cross-validation of the job-ad engine on the real development ads.

    .venv/bin/python scripts/cv_ads.py [--ads ../shared/data/ads/real_dev.jsonl]
        [--gold ../shared/data/ads/skills_dev_gold.jsonl] [--folds 5] [--out FILE.json]

Folds are whole employer groups (:mod:`lotsen.ads.folds`: ads sharing an employer or a
headline are one group), so reposts never cross a fold. In each fold the taxonomy
prior (built as the shipped model is, from the taxonomy and the team's development
ads) is fitted on the other folds' real ads (:meth:`OccupationClassifier.fit`) and
scored on this fold; the prior alone runs beside it (the engine before real ads).
Skills are scored on the gold ads of each test fold (the extractor has no fitted
parameters; its rules were not tuned on the gold set before this run). Figures are
pooled over out-of-fold predictions and also given per fold; the fold of every ad is
written into the output, so the run can be reproduced and audited.

The shipped model adds headline embeddings from the static table distilled from
multilingual-e5 (:mod:`lotsen.ads.static_vectors`; ``--embedding e5`` fits the e5
recipe shipped before instead, ``--no-embeddings`` runs without either). In each fold
the table keeps only the entries of the title entries and of the training folds'
headlines, as a table built from those ads would. The weights and cosine floor are
chosen inside each fold on the training folds only. The embedding is computed only
for ads whose cheap evidence leaves the top group below ``emb_gate``; the figures for
several gates (share of ads embedded, milliseconds of embedding per ad) are reported
under ``gates``. The e5 recipes run beside it in the same folds (``pooled``).
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from lotsen.ads.classifier import OccupationClassifier, title_core  # noqa: E402
from lotsen.ads.embedding import E5Encoder, TextEncoder  # noqa: E402
from lotsen.ads.enrich import Enricher  # noqa: E402
from lotsen.ads.evaluate import by_language  # noqa: E402
from lotsen.ads.evaluate import ranking_scores as scores  # noqa: E402
from lotsen.ads.extract import SkillExtractor  # noqa: E402
from lotsen.ads.folds import assign_folds, employer_groups  # noqa: E402
from lotsen.ads.gold import GoldScore, load_gold  # noqa: E402
from lotsen.ads.model_files import load_model  # noqa: E402
from lotsen.ads.skills import skill_dictionary  # noqa: E402
from lotsen.ads.static_vectors import STATIC, TABLE_FILE, StaticTable, table_vocabulary  # noqa: E402
from lotsen.ads.training import build_classifier, fit_params  # noqa: E402
from lotsen.taxonomy import load_taxonomy  # noqa: E402
from lotsen.taxonomy.search import load_synonyms  # noqa: E402
from lotsen.text.language import is_swedish  # noqa: E402
from train_ads_model import DEFAULT_CALIBRATION, labelled_ads  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ads"
MODEL_FOLDER = ROOT / "src" / "lotsen" / "ads" / "data"


def _variant(prior: OccupationClassifier, emb_swedish: float | None = None,
             embeddings: bool = True) -> OccupationClassifier:
    """The recipes before this round: the whole headline embedded, no gate fitted
    (``emb_swedish`` 1: every ad's, 0: only ads not in Swedish), or no embeddings."""
    model = copy.copy(prior)
    if emb_swedish is not None:
        model.embed_text, model.fit_gate = str, False
        model.params = dataclasses.replace(prior.params, emb_swedish=emb_swedish)
    if not embeddings:
        model.label_vectors = None
    return model


def _with_table(model: OccupationClassifier, table: StaticTable,
                emb_swedish: float | None = None) -> OccupationClassifier:
    """``model`` (a copy) embedding with ``table`` instead of e5, headlines and title
    entries alike, as the shipped model does."""
    model = copy.copy(model)
    model.static = model.encoder = table
    model._exact = None
    if emb_swedish is not None:
        model.params = dataclasses.replace(model.params, emb_swedish=emb_swedish)
    return model


class TimedEncoder(E5Encoder):
    """E5 (one engine thread, as the classifier runs it) that keeps the CPU time it
    spends in the model (not in its memory)."""

    def __init__(self) -> None:
        super().__init__(threads=1)
        self.seconds = 0.0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        started = time.process_time()
        before = self.embedded
        out = super().encode(texts)
        if self.embedded > before:
            self.seconds += time.process_time() - started
        return out

    def ms_per_text(self) -> float:
        return 1000 * self.seconds / max(self.embedded, 1)


class CountingEncoder:
    """Counts the headlines a prediction asks to embed (the cost the gate saves)."""

    def __init__(self, inner: TextEncoder) -> None:
        self.inner, self.count = inner, 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.count += len(texts)
        return self.inner.encode(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=Path, default=DATA / "real_dev.jsonl")
    parser.add_argument("--gold", type=Path, default=DATA / "skills_dev_gold.jsonl")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--emb-swedish", type=float, choices=[0.0, 1.0], default=0.0,
                        help="1: embed the headlines of Swedish ads too (before this round)")
    parser.add_argument("--embed-labels", action="store_true",
                        help="Embed the title entries again instead of taking the shipped"
                             " model's vectors for them (the same float16 values; ≈ 400 s).")
    parser.add_argument("--embedding", choices=[STATIC, "e5"], default=STATIC,
                        help="What the fitted model embeds headlines with: the static table"
                             " (lotsen.ads.static_vectors, shipped) or e5 (shipped before).")
    parser.add_argument("--gates", type=float, nargs="*", default=[1.0, 0.7, 0.5, 0.3, 0.0])
    args = parser.parse_args()
    started = time.perf_counter()
    ads = [json.loads(line) for line in args.ads.read_text("utf-8").split("\n") if line.strip()]
    ads = [a for a in ads if a.get("ssyk4")]
    gold = load_gold(args.gold)
    groups = employer_groups(ads)
    folds = assign_folds(groups, args.folds)
    taxonomy = load_taxonomy()
    encoder = None if args.no_embeddings else TimedEncoder()
    if encoder is not None and not args.embed_labels:
        shipped = load_model(MODEL_FOLDER)
        if shipped.label_vectors is not None:
            encoder.remember(shipped.titles.labels, shipped.label_vectors)
    prior = build_classifier(taxonomy, load_synonyms(), encoder)
    fit_params(taxonomy, prior, calibration=[
        ad for path in DEFAULT_CALIBRATION for ad in labelled_ads(path)])
    prior.params = dataclasses.replace(prior.params, emb_swedish=args.emb_swedish)
    static = None
    if encoder is not None and args.embedding == STATIC:
        static = StaticTable.load(MODEL_FOLDER / TABLE_FILE)
    # The recipes before, in the same folds (STATIC_VARIANTS get each fold's table).
    variants = {} if encoder is None else {
        "e5_every_headline": _variant(prior, emb_swedish=1.0),
        "e5_headlines_not_swedish": _variant(prior, emb_swedish=0.0),
        "no_embeddings": _variant(prior, embeddings=False)}
    if static is not None:
        variants.update({"e5_title_part_not_swedish": prior,
                         "static_every_headline": prior})
    label_entries = table_vocabulary(prior.titles.labels, [], [])
    static_seconds, static_texts = 0.0, 0
    extractor = SkillExtractor(taxonomy, skill_dictionary(taxonomy))
    known = {g[1] for g in prior.groups}
    ranked: dict[str, list[list[str]]] = {
        name: [[] for _ in ads] for name in ("fitted", "prior", *variants)}
    per_fold: list[dict[str, Any]] = []
    gated: dict[float, list[list[str]]] = {g: [[] for _ in ads] for g in args.gates}
    embedded_ads: dict[float, int] = dict.fromkeys(args.gates, 0)
    skill_total = {"fitted": GoldScore()}
    fitted_embedded = 0
    for k in range(args.folds):
        train = [i for i, f in enumerate(folds) if f != k and ads[i]["ssyk4"] in known]
        test = [i for i, f in enumerate(folds) if f == k]
        heads, bodies = [ads[i]["headline"] for i in test], [ads[i]["description"] for i in test]
        base, fold_table = prior, None
        if static is not None:
            # Only the words and phrases of the training folds' headlines: a test
            # headline's own phrase would give it e5's exact vector, which an unseen ad
            # does not get.
            train_heads = [ads[i]["headline"] for i in train]
            fold_table = static.restricted(label_entries | table_vocabulary(
                [], train_heads, [title_core(h) for h in train_heads]))
            begun = time.process_time()
            fold_table.encode([title_core(h) for h in heads])
            static_seconds += time.process_time() - begun
            static_texts += len(heads)
            base = _with_table(prior, fold_table)
        model = copy.deepcopy(base).fit(
            [ads[i]["headline"] for i in train], [ads[i]["description"] for i in train],
            [ads[i]["ssyk4"] for i in train], [groups[i] for i in train])
        fitted_encoder = model.encoder
        if fitted_encoder is not None:
            counting = CountingEncoder(fitted_encoder)
            model.encoder = counting
        enriched = Enricher(taxonomy, model, extractor).enrich_texts(heads, bodies, 5)
        if fitted_encoder is not None:
            fitted_embedded += counting.count
            model.encoder = fitted_encoder
        for i, result in zip(test, enriched, strict=True):
            ranked["fitted"][i] = [g["code"] for g in result["ssyk4"]]
        for i, p in zip(test, prior.predict(heads, bodies, 5), strict=True):
            ranked["prior"][i] = [r.code for r in p.ssyk4]
        for name, variant in variants.items():
            if name == "static_every_headline":
                assert fold_table is not None
                variant = _with_table(prior, fold_table, emb_swedish=1.0)
            other = copy.deepcopy(variant).fit(
                [ads[i]["headline"] for i in train], [ads[i]["description"] for i in train],
                [ads[i]["ssyk4"] for i in train], [groups[i] for i in train])
            for i, p in zip(test, other.predict(heads, bodies, 5), strict=True):
                ranked[name][i] = [r.code for r in p.ssyk4]
        if fitted_encoder is not None:
            fitted_gate = model.params.emb_gate
            for gate in args.gates:
                model.params.emb_gate = gate
                counting = CountingEncoder(fitted_encoder)
                model.encoder = counting
                for i, p in zip(test, model.predict(heads, bodies, 5), strict=True):
                    gated[gate][i] = [r.code for r in p.ssyk4]
                embedded_ads[gate] += counting.count
            model.params.emb_gate, model.encoder = fitted_gate, fitted_encoder
        fold_skills = GoldScore()
        for i, result in zip(test, enriched, strict=True):
            if ads[i]["id"] in gold:
                fold_skills.add(gold[ads[i]["id"]], result["skills"])
                skill_total["fitted"].add(gold[ads[i]["id"]], result["skills"])
        fold_gold = [ads[i]["ssyk4"] for i in test]
        per_fold.append({
            "fold": k, "test_ads": len(test), "train_ads": len(train),
            "fit": model.meta.get("fit"), "params": model.params.as_dict(),
            "fitted": scores(fold_gold, [ranked["fitted"][i] for i in test]),
            "prior": scores(fold_gold, [ranked["prior"][i] for i in test]),
            **{name: scores(fold_gold, [ranked[name][i] for i in test]) for name in variants},
            "skills": fold_skills.report() if fold_skills.per_ad else None,
        })
        print(json.dumps(per_fold[-1]["fitted"]), json.dumps(per_fold[-1]["prior"]),
              file=sys.stderr)
    truth = [a["ssyk4"] for a in ads]
    swedish = [is_swedish(f"{a['headline']}\n{a['description']}") for a in ads]
    static_ms = 1000 * static_seconds / max(static_texts, 1)
    fitted_ms = static_ms if static is not None else (
        encoder.ms_per_text() if encoder is not None else 0.0)
    report = {
        "command": "python scripts/cv_ads.py " + " ".join(sys.argv[1:]),
        "ads": len(ads), "groups": len(set(groups)), "folds": args.folds,
        "gold_ads": sum(1 for a in ads if a["id"] in gold),
        "pooled": {"fitted": scores(truth, ranked["fitted"]),
                   "taxonomy_prior": scores(truth, ranked["prior"]),
                   **{name: scores(truth, ranked[name]) for name in variants},
                   "skills": skill_total["fitted"].report()},
        # the classifier's own language test on headline and text
        "by_language": {name: by_language(truth, ranked[key], swedish)
                        for name, key in (("fitted", "fitted"), ("taxonomy_prior", "prior"))},
        "per_fold": per_fold,
        "gates": None if encoder is None else [
            {"emb_gate": gate, "embedded_share": round(embedded_ads[gate] / len(ads), 4),
             "embedding_ms_per_ad": round(
                 fitted_ms * embedded_ads[gate] / len(ads), 4),
             **scores(truth, gated[gate])} for gate in args.gates],
        "fitted_gate_embedded_share": None if encoder is None else round(
            fitted_embedded / len(ads), 4),
        "embedding_ms_per_text": None if encoder is None else round(encoder.ms_per_text(), 2),
        "static_ms_per_text": None if static is None else round(static_ms, 4),
        "static_entries": None if static is None else len(static),
        "seconds": round(time.perf_counter() - started, 1),
        "assignment": [{"id": a["id"], "fold": f, "group": g}
                       for a, f, g in zip(ads, folds, groups, strict=True)],
    }
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", "utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "assignment"},
                     ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
