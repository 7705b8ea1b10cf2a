"""Score the ad engine on any labelled ads file, side by side with a simple baseline.

Labelled ads are JSON Lines with ``ssyk4`` and/or ``occupation_concept_id`` and,
optionally, ``skills_must_have`` / ``skills_nice_to_have`` (concept ids or labels).
An ad counts for skills when one of those lists is non-empty or it says
``"skills_annotated": true`` (an annotator checked and found none).

Skill scoring compares the skills the engine extracts as *required or meriting* with
must ∪ nice (an ad's merely mentioned skills are not its requirements); a predicted
skill matches a gold one by concept id or by the same folded label head ("Java" =
"Java, programmeringsspråk"). The baseline is what a careful script would do without
Lotsen: the longest occupation label or synonym found verbatim in the headline, and
skills whose full preferred label occurs verbatim in the text. A third system,
``taxonomy_prior``, is the engine without what it learned from real ads (the
taxonomy-only classifier of before), so the gain from the ads is visible.

With ``gold`` (hand annotation in the ``skills_dev_gold.jsonl`` format, joined by ad
id) skills are also scored at concept level against the ``accept`` lists
(:mod:`lotsen.ads.gold`), with requirement-class agreement.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from lotsen.ads.enrich import Enricher
from lotsen.ads.gold import GoldScore
from lotsen.ads.record import description_text
from lotsen.taxonomy.model import OCCUPATION, SKILL, Taxonomy
from lotsen.text import fold, normalize_key
from lotsen.text.language import is_swedish

EVALUATED = ("required", "meriting")


@dataclass
class LabelledAd:
    line: int
    id: str | None
    headline: str
    description: str
    ssyk4: str | None
    occupation: str | None
    skills: set[str] | None
    must: set[str]


def head(label: str) -> str:
    return fold(label.split(",")[0].split("(")[0]).strip()


class TitleBaseline:
    """Longest verbatim occupation label/synonym in the headline → its SSYK-4."""

    def __init__(self, taxonomy: Taxonomy, synonyms: Sequence[tuple[str, str]]) -> None:
        self.labels: dict[str, tuple[str, str]] = {}
        pairs = [(c.label, c.id) for c in taxonomy.of_type(OCCUPATION)] + list(synonyms)
        for label, concept_id in pairs:
            group = taxonomy.ssyk4(concept_id)
            for part in label.split("/"):
                key = normalize_key(part.split(",")[0])
                if key and group is not None and group.code:
                    self.labels.setdefault(key, (group.code, concept_id))
        self.skills = {normalize_key(c.label): c.id for c in taxonomy.of_type(SKILL)}

    def predict(self, headline: str) -> list[tuple[str, str]]:
        text = f" {normalize_key(headline)} "
        found = [(len(k), v) for k, v in self.labels.items() if f" {k} " in text]
        ranked: list[tuple[str, str]] = []
        for _, value in sorted(found, key=lambda f: -f[0]):
            if value[0] not in [r[0] for r in ranked]:
                ranked.append(value)
        return ranked

    def skills_in(self, text: str) -> set[str]:
        padded = f" {normalize_key(text)} "
        return {cid for key, cid in self.skills.items() if key and f" {key} " in padded}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn}


def macro_f1(gold: list[str], predicted: list[str | None]) -> float:
    classes = sorted(set(gold))
    scores = []
    for cls in classes:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == cls and p == cls)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != cls and p == cls)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == cls and p != cls)
        scores.append(_prf(tp, fp, fn)["f1"])
    return round(float(np.mean(scores)), 4) if scores else 0.0


def parse_labelled(raw: dict[str, Any], line: int) -> LabelledAd | None:
    description = description_text(raw)
    if not isinstance(raw.get("headline"), str) or description is None:
        return None
    must = set(raw.get("skills_must_have") or [])
    nice = set(raw.get("skills_nice_to_have") or [])
    annotated = bool(must or nice or raw.get("skills_annotated"))
    ad_id = None if raw.get("id") is None else str(raw["id"])
    return LabelledAd(line, ad_id, raw["headline"], description, raw.get("ssyk4"),
                      raw.get("occupation_concept_id"), (must | nice) if annotated else None,
                      must)


def _skill_keys(taxonomy: Taxonomy, items: set[str]) -> set[str]:
    """Comparable keys: concept ids become their label head, labels their head."""
    keys = set()
    for item in items:
        concept = taxonomy.find(item)
        keys.add(head(concept.label) if concept is not None else head(item))
    return keys


def balanced_top1(gold: list[str], hits: list[bool]) -> float:
    """Mean over gold classes of the share of their ads ranked right first."""
    by_class: dict[str, list[bool]] = defaultdict(list)
    for code, hit in zip(gold, hits, strict=True):
        by_class[code].append(hit)
    return round(float(np.mean([np.mean(v) for v in by_class.values()])), 4)


def ranking_scores(gold: Sequence[str], ranked: Sequence[Sequence[str]]) -> dict[str, Any]:
    """SSYK-4 top-1, top-3 and balanced top-1 of ranked codes against the gold codes."""
    hits = [list(r[:1]) == [g] for g, r in zip(gold, ranked, strict=True)]
    if not hits:
        return {"n": 0}
    return {"n": len(hits), "top1": round(float(np.mean(hits)), 4),
            "top3": round(float(np.mean([g in r[:3] for g, r in zip(gold, ranked,
                                                                     strict=True)])), 4),
            "balanced_top1": balanced_top1(list(gold), hits)}


def by_language(gold: Sequence[str], ranked: Sequence[Sequence[str]],
                swedish: Sequence[bool]) -> dict[str, dict[str, Any]]:
    """:func:`ranking_scores` of the Swedish ads and of the others, and their plain mean
    (``half_each``): real_dev.jsonl is 77 % Swedish, a held-out set may be half English,
    and the two score differently, so a pooled figure alone says little about another
    mix."""
    parts = {name: ranking_scores([g for g, s in zip(gold, swedish, strict=True) if s == want],
                                  [r for r, s in zip(ranked, swedish, strict=True) if s == want])
             for name, want in (("swedish", True), ("not_swedish", False))}
    out: dict[str, dict[str, Any]] = dict(parts)
    if all(part["n"] for part in parts.values()):
        out["half_each"] = {key: round((parts["swedish"][key] + parts["not_swedish"][key]) / 2, 4)
                            for key in ("top1", "top3", "balanced_top1")}
    return out


def evaluate(
    enricher: Enricher, baseline: TitleBaseline, ads: list[LabelledAd],
    skills_gold: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    taxonomy = enricher.taxonomy
    headlines, bodies = [a.headline for a in ads], [a.description for a in ads]
    enriched = enricher.enrich_texts(headlines, bodies, 5)
    prior_model = enricher.classifier.without_ads()
    prior = prior_model.predict(headlines, bodies, 5) if prior_model is not None else None
    rows: dict[str, dict[str, list[Any]]] = {"lotsen": defaultdict(list),
                                             "baseline": defaultdict(list)}
    if prior is not None:
        rows["taxonomy_prior"] = defaultdict(list)
    gold_scores = {"lotsen": GoldScore(), "baseline": GoldScore()}
    skill_counts: dict[str, Counter[str]] = {"lotsen": Counter(), "baseline": Counter()}
    requirement_agree = Counter()  # type: ignore[var-annotated]
    confidences: list[tuple[float, bool]] = []
    for number, (ad, result) in enumerate(zip(ads, enriched, strict=True)):
        ours = [g["code"] for g in result["ssyk4"]]
        names = [o["concept_id"] for o in result["occupation_names"]]
        base = baseline.predict(ad.headline)
        systems = {"lotsen": (ours, names), "baseline": ([b[0] for b in base],
                                                         [b[1] for b in base])}
        if prior is not None:
            systems["taxonomy_prior"] = ([r.code for r in prior[number].ssyk4],
                                         [r.concept_id for r in prior[number].occupations])
        swedish = is_swedish(f"{ad.headline}\n{ad.description}")
        for system, (codes, occupations) in systems.items():
            if ad.ssyk4:
                rows[system]["gold"].append(ad.ssyk4)
                rows[system]["ranked"].append(codes)
                rows[system]["swedish"].append(swedish)
                rows[system]["top1"].append(codes[:1] == [ad.ssyk4])
                rows[system]["top3"].append(ad.ssyk4 in codes[:3])
                rows[system]["pred"].append(codes[0] if codes else None)
            if ad.occupation:
                rows[system]["occ_top1"].append(occupations[:1] == [ad.occupation])
                rows[system]["occ_top3"].append(ad.occupation in occupations[:3])
        if ad.ssyk4 and result["ssyk4"]:
            confidences.append((result["ssyk4"][0]["probability"], ours[0] == ad.ssyk4))
        if skills_gold is not None and ad.id in skills_gold:
            gold_scores["lotsen"].add(skills_gold[ad.id], result["skills"])
            gold_scores["baseline"].add(skills_gold[ad.id], [
                {"concept_id": cid, "requirement": "required"}
                for cid in baseline.skills_in(ad.description)])
        if ad.skills is None:
            continue
        gold = _skill_keys(taxonomy, ad.skills)
        gold_must = _skill_keys(taxonomy, ad.must)
        found = {head(s["label"]): s["requirement"] for s in result["skills"]
                 if s["requirement"] in EVALUATED}
        base_found = _skill_keys(taxonomy, baseline.skills_in(ad.description))
        for system, predicted in (("lotsen", set(found)), ("baseline", base_found)):
            skill_counts[system]["tp"] += len(predicted & gold)
            skill_counts[system]["fp"] += len(predicted - gold)
            skill_counts[system]["fn"] += len(gold - predicted)
        for key in set(found) & gold:
            requirement_agree[(found[key] == "required") == (key in gold_must)] += 1
    report: dict[str, Any] = {"ads": len(ads), "systems": {}}
    for system, data in rows.items():
        entry: dict[str, Any] = {}
        if data["gold"]:
            entry["ssyk4_top1"] = round(float(np.mean(data["top1"])), 4)
            entry["ssyk4_top3"] = round(float(np.mean(data["top3"])), 4)
            entry["ssyk4_balanced_top1"] = balanced_top1(data["gold"], data["top1"])
            entry["ssyk4_macro_f1"] = macro_f1(data["gold"], data["pred"])
            entry["ssyk4_n"] = len(data["gold"])
            entry["ssyk4_by_language"] = by_language(data["gold"], data["ranked"],
                                                     data["swedish"])
            by_major: dict[str, list[bool]] = defaultdict(list)
            for gold_code, hit in zip(data["gold"], data["top1"], strict=True):
                by_major[gold_code[0]].append(hit)
            entry["ssyk1_top1"] = {k: {"n": len(v), "top1": round(float(np.mean(v)), 4)}
                                   for k, v in sorted(by_major.items())}
        if data["occ_top1"]:
            entry["occupation_top1"] = round(float(np.mean(data["occ_top1"])), 4)
            entry["occupation_top3"] = round(float(np.mean(data["occ_top3"])), 4)
            entry["occupation_n"] = len(data["occ_top1"])
        counts = skill_counts.get(system)
        if system in gold_scores and gold_scores[system].per_ad:
            entry["skills_gold"] = gold_scores[system].report()
        if counts:
            entry["skills"] = _prf(counts["tp"], counts["fp"], counts["fn"])
        report["systems"][system] = entry
    if requirement_agree:
        total = sum(requirement_agree.values())
        report["systems"]["lotsen"]["requirement_accuracy"] = round(
            requirement_agree[True] / total, 4)
    if confidences:
        report["systems"]["lotsen"]["calibration"] = _calibration(confidences)
    return report


def _calibration(pairs: list[tuple[float, bool]], bins: int = 5) -> dict[str, Any]:
    """Expected calibration error of the top-1 probability (equal-width bins)."""
    probs = np.array([p for p, _ in pairs])
    hits = np.array([h for _, h in pairs], dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        mask = (probs > low) & (probs <= high)
        if mask.any():
            ece += mask.mean() * abs(probs[mask].mean() - hits[mask].mean())
    return {"mean_top1_probability": round(float(probs.mean()), 4),
            "top1_accuracy": round(float(hits.mean()), 4), "ece": round(float(ece), 4)}
