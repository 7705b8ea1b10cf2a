"""Skill extraction scored on two fixed halves of the hand-annotated gold ads.

    .venv/bin/python scripts/skills_halves.py [--ads ../shared/data/ads/real_dev.jsonl]
        [--gold ../shared/data/ads/skills_dev_gold.jsonl] [--json] [--errors]

The 60 gold ads are split once into a *development* half and a *held-out* half. Two ads
are in one group when they share an SSYK-4 group or an employer (connected components),
so an occupation's wording and an employer's boilerplate never cross halves. Groups are
dealt biggest first (by items with a taxonomy concept) to the half with fewer items; the
first half dealt to is the development half. The split is written to
``docs/skills-halves.json`` and checked against it on every run, so it stays fixed;
``--record`` also writes the figures of the run there (``figures``, with the commit),
so the published numbers sit beside the split they were measured on.

Rules are developed looking only at the development half's errors (``--errors`` prints
them, and never the held-out half's); the held-out half is the headline.

The extractor weighs skills by the ad's likely occupation groups. The shipped classifier
learned from all 554 real ads, these 60 among them, so its groups are better here than
on unseen ads; ``--prior-only`` takes the groups from the taxonomy prior alone (no real
ad learned), the clean variant.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lotsen.ads.enrich import Enricher
from lotsen.ads.folds import linked_keys
from lotsen.ads.gold import GoldScore, load_gold
from lotsen.ads.record import description_text
from lotsen.services.ads import get_enricher
from lotsen.text import fold

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ads"
SPLIT = ROOT / "docs" / "skills-halves.json"
HALVES = ("development", "held_out")


def halves(ads: Sequence[dict[str, Any]], gold: dict[str, list[dict[str, Any]]]
           ) -> dict[str, list[str]]:
    groups = linked_keys([(f"ssyk4:{ad['ssyk4']}", f"employer:{fold(ad['employer'] or '')}")
                          for ad in ads])
    members: dict[str, list[str]] = {}
    for ad, group in zip(ads, groups, strict=True):
        members.setdefault(group, []).append(ad["id"])
    size = {g: sum(1 for i in ids for item in gold[i] if item["accept"])
            for g, ids in members.items()}
    out: dict[str, list[str]] = {h: [] for h in HALVES}
    load = dict.fromkeys(HALVES, 0)
    for group in sorted(members, key=lambda g: (-size[g], g)):
        half = min(HALVES, key=lambda h: (load[h], HALVES.index(h)))
        out[half].extend(sorted(members[group]))
        load[half] += size[group]
    return {h: sorted(ids) for h, ids in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ads", type=Path, default=DATA / "real_dev.jsonl")
    parser.add_argument("--gold", type=Path, default=DATA / "skills_dev_gold.jsonl")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--errors", action="store_true",
                        help="print the development half's misses and false hits")
    parser.add_argument("--prior-only", action="store_true",
                        help="occupation groups from the taxonomy prior (no real ad learned)")
    parser.add_argument("--write-split", action="store_true",
                        help="(re)write docs/skills-halves.json instead of checking it")
    parser.add_argument("--record", action="store_true",
                        help="write this run's figures into docs/skills-halves.json")
    args = parser.parse_args()
    gold = load_gold(args.gold)
    rows = [json.loads(line) for line in args.ads.read_text("utf-8").split("\n")
            if line.strip()]
    ads = [r for r in rows if str(r["id"]) in gold]
    split = halves(ads, gold)
    saved: dict[str, Any] = json.loads(SPLIT.read_text("utf-8")) if SPLIT.exists() else {}
    if args.write_split:
        saved = dict(split)
        SPLIT.write_text(json.dumps(saved, indent=1) + "\n", "utf-8")
    elif {h: saved.get(h) for h in HALVES} != split:
        sys.exit(f"{SPLIT} differs from the split computed now: the halves are not fixed")
    by_id = {str(a["id"]): a for a in ads}
    enricher = get_enricher()
    if args.prior_only:
        prior = enricher.classifier.without_ads()
        if prior is None:
            sys.exit("the shipped classifier has no taxonomy-only prior to fall back to")
        enricher = Enricher(enricher.taxonomy, prior, enricher.extractor)
    report: dict[str, Any] = {}
    for half in HALVES:
        chosen = [by_id[i] for i in split[half]]
        results = enricher.enrich_texts([a["headline"] for a in chosen],
                                        [description_text(a) or "" for a in chosen], 5)
        score = GoldScore()
        for ad, result in zip(chosen, results, strict=True):
            score.add(gold[str(ad["id"])], result["skills"])
            if args.errors and half == "development":
                _errors(ad, gold[str(ad["id"])], result["skills"])
        report[half] = {"ads": len(chosen), **score.report()}
    total = GoldScore()
    for ad, result in zip(ads, enricher.enrich_texts(
            [a["headline"] for a in ads], [description_text(a) or "" for a in ads], 5),
            strict=True):
        total.add(gold[str(ad["id"])], result["skills"])
    report["all"] = {"ads": len(ads), **total.report()}
    if args.record:
        variant = "prior_only" if args.prior_only else "shipped_classifier"
        figures = saved.setdefault("figures", {})
        figures[variant] = {"command": "scripts/skills_halves.py"
                            + (" --prior-only" if args.prior_only else ""),
                            "commit": _commit(), **report}
        SPLIT.write_text(json.dumps(saved, indent=1, ensure_ascii=False) + "\n", "utf-8")
    if args.json:
        print(json.dumps(report, indent=1))
        return
    for name, figures in report.items():
        print(f"{name:12} ads {figures['ads']:3} items {figures['items']:3} "
              f"P {figures['precision']:.3f} R {figures['recall']:.3f} F1 {figures['f1']:.3f} "
              f"macro P/R {figures['macro_precision']:.3f}/{figures['macro_recall']:.3f} "
              f"class {figures['requirement_agreement']}")


def _commit() -> str | None:
    """The checked-out commit the figures were measured on (None outside git)."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                             capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def _errors(ad: dict[str, Any], items: list[dict[str, Any]],
            skills: list[dict[str, Any]]) -> None:
    text = description_text(ad) or ""
    predicted = {s["concept_id"]: s for s in skills
                 if s["concept_id"] and s["requirement"] in ("required", "meriting")}
    mentioned = {s["concept_id"]: s for s in skills
                 if s["concept_id"] and s["requirement"] == "mentioned"}
    accepted = {cid for item in items for cid in item["accept"]}
    print(f"== {ad['id']} {ad['ssyk4']} {ad['headline'][:60]}")
    for item in items:
        if not item["accept"]:
            if not any(s["concept_id"] is None and fold(s["label"]) == fold(item["phrase"])
                       for s in skills):
                print(f"   unlinked  {item['phrase']!r} ({item['requirement']})")
            continue
        hits = [c for c in item["accept"] if c in predicted]
        if hits:
            got = predicted[hits[0]]["requirement"]
            if got != item["requirement"]:
                print(f"   CLASS     {item['phrase']!r} gold {item['requirement']} got {got}")
            continue
        kind = "MENTIONED" if any(c in mentioned for c in item["accept"]) else "MISS"
        print(f"   {kind:9} {item['phrase']!r} ({item['requirement']}) "
              f"accept={item['accept'][:3]} ev={item['evidence'][:90]!r}")
    for cid, s in predicted.items():
        if cid not in accepted:
            print(f"   FALSE     {s['label']!r} {s['requirement']} "
                  f"{text[max(0, s['start'] - 30):s['end'] + 30]!r}")


if __name__ == "__main__":
    main()
