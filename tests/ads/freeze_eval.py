"""Resolve hand-written test ads (NAME.yaml) to the JSONL `lotsen ads evaluate` reads.

Run once when a YAML file changes: ``.venv/bin/python tests/ads/freeze_eval.py [NAME]``
(NAME ``eval_ads``, a development set, by default; ``heldout_ads``, the second set, now
also a development set; ``heldout2_ads``, the held-out set, whose sha256 is recorded in
docs/performance.md). Labels are
resolved by exact preferred label only (current concepts before deprecated ones), so the
gold annotation never depends on Lotsen's own matcher.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from lotsen.taxonomy import load_taxonomy

HERE = Path(__file__).parent / "data"


def main(name: str = "eval_ads") -> int:
    taxonomy = load_taxonomy()
    by_label: dict[tuple[str, str], str] = {}
    for concept in sorted(taxonomy, key=lambda c: c.deprecated, reverse=True):
        by_label[(concept.type, concept.label)] = concept.id
    problems: list[str] = []

    def skill(label: str, ad_id: str) -> str | None:
        if label.lower().startswith("körkort:"):
            key = ("driving-licence", label.split(":", 1)[1])
        elif ("language", label) in by_label:
            key = ("language", label)
        else:
            key = ("skill", label)
        if key not in by_label:
            problems.append(f"{ad_id}: unknown {key[0]} {key[1]!r}")
            return None
        return by_label[key]

    out = []
    for ad in yaml.safe_load((HERE / f"{name}.yaml").read_text("utf-8")):
        occupation = by_label.get(("occupation-name", ad["occupation"]))
        if occupation is None:
            problems.append(f"{ad['id']}: unknown occupation {ad['occupation']!r}")
            continue
        group = taxonomy.ssyk4(occupation)
        must = [s for s in (skill(x, ad["id"]) for x in ad["must"]) if s]
        nice = [s for s in (skill(x, ad["id"]) for x in ad["nice"]) if s]
        out.append({
            "id": ad["id"], "headline": ad["headline"], "description": ad["description"].strip(),
            "occupation_concept_id": occupation, "ssyk4": group.code if group else None,
            "skills_must_have": must, "skills_nice_to_have": nice, "skills_annotated": True,
        })
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    with (HERE / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
        for row in out:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} ads")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
