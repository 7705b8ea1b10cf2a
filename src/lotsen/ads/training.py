"""Build the occupation classifier from the taxonomy alone, then fit its few weights.

No labelled corpus of Swedish ads is reachable, so the training signal is the
taxonomy: occupation names → SSYK-4, keywords → occupation names, the synonyms
Lotsen ships, a short list of English titles (``data/title_aliases.csv``), SSYK-4
definitions and SSYK-4 → skill relations. Those give the title vocabulary and the
per-group body prototypes directly. The only fitted numbers are the evidence weights
and the softmax temperature (:class:`ClassifierParams`), chosen by grid search on
synthetic ads (:mod:`lotsen.ads.synthetic`) generated with a fixed seed: weights
maximise top-1 accuracy on one synthetic set, the temperature minimises log-loss on a
second one — or, given labelled ads (the development ads of the test suite), on those,
because synthetic ads are too easy to calibrate real-ad probabilities. Same inputs and
seeds → the same model files.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np

from lotsen.ads.classifier import ClassifierParams, OccupationClassifier
from lotsen.ads.embedding import MODEL as EMBEDDING_MODEL
from lotsen.ads.embedding import TextEncoder
from lotsen.ads.features import TfidfSpace, char_grams, words
from lotsen.ads.synthetic import SyntheticAd, synthetic_ads
from lotsen.ads.titles import TitleRanker
from lotsen.errors import InvalidInput
from lotsen.taxonomy.model import KEYWORD, OCCUPATION, Taxonomy
from lotsen.text import fold

ALIASES_FILE = "title_aliases.csv"


def load_title_aliases(taxonomy: Taxonomy) -> list[tuple[str, str]]:
    """``(label, occupation concept id)`` for the shipped English titles."""
    text = (resources.files("lotsen.ads") / "data" / ALIASES_FILE).read_text("utf-8")
    by_label = {c.label: c.id for c in taxonomy.of_type(OCCUPATION) if not c.deprecated}
    pairs = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        concept_id = by_label.get(row["occupation_label"])
        if concept_id is None:
            raise InvalidInput(
                f"unknown occupation {row['occupation_label']!r}", f"{ALIASES_FILE}:{line}"
            )
        pairs.append((row["label"], concept_id))
    return pairs


def title_entries(
    taxonomy: Taxonomy, synonyms: list[tuple[str, str]]
) -> dict[str, list[str]]:
    """Occupation concept id → the labels a title may use for it."""
    entries: dict[str, list[str]] = {}

    def add(concept_id: str, label: str) -> None:
        label = label.strip()
        if label and char_grams(label):
            labels = entries.setdefault(concept_id, [])
            if label not in labels:
                labels.append(label)

    for occupation in taxonomy.of_type(OCCUPATION):
        if taxonomy.ssyk4(occupation.id) is None:
            continue
        add(occupation.id, occupation.label)
        for part in occupation.label.split("/"):
            add(occupation.id, part)
            add(occupation.id, part.split(",")[0])
    for keyword in taxonomy.of_type(KEYWORD):
        for target in taxonomy.related(keyword.id):
            if target.type == OCCUPATION and target.id in entries:
                add(target.id, keyword.label)
    for label, concept_id in list(synonyms) + load_title_aliases(taxonomy):
        concept = taxonomy.find(concept_id)
        if concept is not None and concept.type == OCCUPATION and concept_id in entries:
            add(concept_id, label)
    return entries


def group_document(taxonomy: Taxonomy, group_id: str, names: list[str]) -> Counter[str]:
    """The words a group's ads are expected to use, weighted by how telling they are."""
    doc: Counter[str] = Counter()
    group = taxonomy.get(group_id)
    for name in names:
        for term in words(name):
            doc[term] += 3
    for term in words(group.label):
        doc[term] += 2
    for term in words(group.definition or ""):
        doc[term] += 2
    for skill in taxonomy.skills_of(group_id):
        for term in words(skill.label.split(",")[0]):
            doc[term] += 1
    return doc


def build_classifier(
    taxonomy: Taxonomy, synonyms: list[tuple[str, str]] | None = None,
    encoder: TextEncoder | None = None,
) -> OccupationClassifier:
    """The classifier with default parameters (fit them with :func:`fit_params`); with
    an ``encoder``, every title entry is embedded too (the shipped label vectors)."""
    entries = title_entries(taxonomy, synonyms or [])
    by_group: dict[str, list[str]] = {}
    for concept_id in entries:
        group = taxonomy.ssyk4(concept_id)
        assert group is not None
        by_group.setdefault(group.id, []).append(concept_id)
    group_ids = sorted(by_group, key=lambda g: (taxonomy.get(g).code or "", g))
    groups = [(g, taxonomy.get(g).code or "", taxonomy.get(g).label) for g in group_ids]
    occupations: list[tuple[str, str, int, bool]] = []
    entry_ids: list[str] = []
    entry_labels: list[str] = []
    entry_occ: list[int] = []
    docs: list[Counter[str]] = []
    mentions: dict[str, set[int]] = {}
    for g_index, group_id in enumerate(group_ids):
        members = sorted(by_group[group_id], key=lambda c: (taxonomy.get(c).label, c))
        names: list[str] = []
        for concept_id in members:
            concept = taxonomy.get(concept_id)
            occupations.append((concept_id, concept.label, g_index, concept.deprecated))
            for label in entries[concept_id]:
                entry_ids.append(concept_id)
                entry_labels.append(label)
                entry_occ.append(len(occupations) - 1)
                names.append(label)
                folded = fold(label).strip()
                if folded.isalpha() and len(folded) >= 6:
                    mentions.setdefault(folded, set()).add(g_index)
        docs.append(group_document(taxonomy, group_id, names))
    titles = TitleRanker()
    titles.ids, titles.labels = entry_ids, entry_labels
    grams = [char_grams(label) for label in entry_labels]
    titles.space = TfidfSpace.fit(grams)
    titles.matrix = titles.space.transform(grams)
    body_space = TfidfSpace.fit(docs)
    label_vectors = None
    if encoder is not None:
        # float16 as shipped, so a freshly built model scores as the loaded one does.
        label_vectors = encoder.encode(entry_labels).astype(np.float16).astype(np.float32)
    # Plural forms name the occupation just as well ("trafikledare" → "trafikledarna").
    mention_lists = {word: sorted(found) for word, found in mentions.items() if len(found) <= 3}
    model = OccupationClassifier(
        groups=groups,
        occupations=occupations,
        titles=titles,
        entry_occupation=np.array(entry_occ, dtype=np.int32),
        body_space=body_space,
        prototypes=body_space.transform(docs),
        mentions=mention_lists,
        meta={"taxonomy_sha256": taxonomy.meta.get("input_sha256"),
              "synonyms": len(synonyms or []),
              "embedding_model": EMBEDDING_MODEL if encoder is not None else None},
        label_vectors=label_vectors,
    )
    if encoder is not None:
        model.encoder = encoder
    return model


def _labels(model: OccupationClassifier, ads: list[SyntheticAd]) -> np.ndarray:
    index = {g[1]: i for i, g in enumerate(model.groups)}
    return np.array([index[ad.ssyk4] for ad in ads], dtype=np.int32)


def _fit_temperature(
    model: OccupationClassifier, logits: np.ndarray, y: np.ndarray
) -> tuple[float, float]:
    """(log-loss, temperature) minimising the log-loss of ``y`` on a fixed grid."""
    best = (float("inf"), 1.0)
    for temperature in np.geomspace(0.02, 2.0, 60):
        model.params.temperature = float(temperature)
        probs = model.probabilities(logits)
        loss = float(-np.mean(np.log(probs[np.arange(len(y)), y] + 1e-12)))
        if loss < best[0]:
            best = (loss, float(temperature))
    return best


def expected_calibration_error(top1: np.ndarray, hits: np.ndarray, bins: int = 5) -> float:
    """ECE of top-1 probabilities (equal-width bins), as ``lotsen ads evaluate`` reports it."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        mask = (top1 > low) & (top1 <= high)
        if mask.any():
            ece += float(mask.mean()) * abs(float(top1[mask].mean()) - float(hits[mask].mean()))
    return ece


def fit_params(
    taxonomy: Taxonomy, model: OccupationClassifier, seed: int = 2026, per_group: int = 3,
    calibration: Sequence[tuple[str, str, str]] = (),
) -> dict[str, Any]:
    """Grid-search the evidence weights on synthetic ads, then the temperature.

    The temperature minimises log-loss on ``calibration`` — labelled ads as
    ``(headline, description, ssyk4)`` — when given, else on a second synthetic set.
    Synthetic ads are easier than real ones and their errors are of another kind, so
    a temperature fitted on them leaves real-ad probabilities over-confident (both
    fits are reported)."""
    codes = [g[1] for g in model.groups]
    tune = list(synthetic_ads(taxonomy, model, codes, per_group, seed))
    calibrate = list(synthetic_ads(taxonomy, model, codes, per_group, seed + 1))
    report: dict[str, Any] = {"tune_ads": len(tune), "calibration_ads": len(calibrate)}
    ev = model.evidence([a.headline for a in tune], [a.description for a in tune])
    y = _labels(model, tune)
    best = (-1.0, model.params)
    for w_title, w_body, w_mention in itertools.product(
        (2.0, 3.0, 4.0, 6.0), (1.0, 2.0, 3.0, 4.0), (0.0, 0.5, 1.0)
    ):
        params = ClassifierParams(w_title=w_title, w_body=w_body, w_mention=w_mention)
        model.params = params
        accuracy = float(np.mean(np.argmax(model.logits(*ev[:3]), axis=1) == y))
        if accuracy > best[0]:
            best = (accuracy, params)
    model.params = best[1]
    report["tune_top1"] = round(best[0], 4)
    ev_c = model.evidence([a.headline for a in calibrate], [a.description for a in calibrate])
    y_c = _labels(model, calibrate)
    logits = model.logits(*ev_c[:3])
    synthetic_t = _fit_temperature(model, logits, y_c)
    report["synthetic_temperature"] = round(synthetic_t[1], 5)
    report["synthetic_log_loss"] = round(synthetic_t[0], 4)
    report["synthetic_top1"] = round(float(np.mean(np.argmax(logits, axis=1) == y_c)), 4)
    chosen = synthetic_t[1]
    index = {g[1]: i for i, g in enumerate(model.groups)}
    labelled = [c for c in calibration if c[2] in index]
    if labelled:
        ev_l = model.evidence([c[0] for c in labelled], [c[1] for c in labelled])
        y_l = np.array([index[c[2]] for c in labelled], dtype=np.int32)
        logits_l = model.logits(*ev_l[:3])
        hits = (np.argmax(logits_l, axis=1) == y_l).astype(float)
        for name, temperature in (("synthetic", synthetic_t[1]), ("labelled", None)):
            if temperature is None:
                loss, temperature = _fit_temperature(model, logits_l, y_l)
                report["labelled_log_loss"] = round(loss, 4)
                report["labelled_temperature"] = round(temperature, 5)
                chosen = temperature
            model.params.temperature = temperature
            top1 = model.probabilities(logits_l).max(axis=1)
            report[f"labelled_ece_with_{name}_temperature"] = round(
                expected_calibration_error(top1, hits), 4)
        report["labelled_ads"] = len(labelled)
        report["labelled_top1"] = round(float(hits.mean()), 4)
    model.params.temperature = round(chosen, 5)
    report["params"] = model.params.as_dict()
    return report

