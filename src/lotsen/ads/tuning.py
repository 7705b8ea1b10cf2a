"""Choosing the classifier's evidence weights and temperature on labelled ads.

Plain arrays in, plain numbers out, so the grid is easy to read and reproduce: the
taxonomy evidence (title, body, mention) keeps its relative weights and is scaled as
a whole; the two real-ad evidences get their own weights, and so do the two embedding
evidences (title entries, remembered headlines) with the cosine floor below which an
embedding says nothing. The objective is the mean
of top-1 accuracy and balanced top-1 (mean per-group recall), so the big IT groups do
not decide alone. Ties keep the first grid point (smallest weights). The temperature
then minimises log-loss on the same leave-group-out scores.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from lotsen.ads.embedding import rescale

SCALES = (0.5, 1.0, 1.5)
AD_TITLE_WEIGHTS = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)
AD_BODY_WEIGHTS = (0.0, 1.0, 2.0, 4.0, 6.0, 8.0)
TEMPERATURES = np.geomspace(0.02, 4.0, 80)
EMB_FLOORS = (0.8, 0.86, 0.9)
EMB_TITLE_WEIGHTS = (0.0, 1.0, 2.0, 4.0, 6.0)
EMB_AD_WEIGHTS = (0.0, 1.0, 2.0, 4.0, 6.0)


def balanced_top1(y: np.ndarray, predicted: np.ndarray) -> float:
    """Mean over the gold groups present of the share predicted right."""
    present = np.bincount(y)
    right = np.bincount(y[predicted == y], minlength=len(present))
    mask = present > 0
    return float(np.mean(right[mask] / present[mask]))


def softmax(logits: np.ndarray, temperature: float) -> np.ndarray:
    scaled = logits / temperature
    scaled = scaled - scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return result


def fit_weights(
    params: dict[str, float], taxonomy: tuple[np.ndarray, np.ndarray, np.ndarray],
    ads: tuple[np.ndarray, np.ndarray], y: np.ndarray,
    embedded: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[dict[str, float], dict[str, Any]]:
    """``embedded`` holds raw cosines (title entries, remembered headlines) per group."""
    title, body, mention = taxonomy
    prior = params["w_title"] * title + params["w_body"] * body + params["w_mention"] * mention
    floors = EMB_FLOORS if embedded is not None else (params.get("emb_floor", 0.86),)
    emb_grid = list(itertools.product(EMB_TITLE_WEIGHTS, EMB_AD_WEIGHTS)) if embedded else [
        (0.0, 0.0)]
    best: tuple[float, tuple[float, ...]] = (-1.0, (1.0, 0.0, 0.0, floors[0], 0.0, 0.0))
    for floor in floors:
        scaled = (rescale(embedded[0], floor), rescale(embedded[1], floor)) if embedded else (
            np.zeros_like(prior), np.zeros_like(prior))
        for scale, w_at, w_ab in itertools.product(SCALES, AD_TITLE_WEIGHTS, AD_BODY_WEIGHTS):
            base = scale * prior + w_at * ads[0] + w_ab * ads[1]
            for w_et, w_ea in emb_grid:
                predicted = np.argmax(base + w_et * scaled[0] + w_ea * scaled[1], axis=1)
                score = (float(np.mean(predicted == y)) + balanced_top1(y, predicted)) / 2
                if score > best[0] + 1e-9:
                    best = (score, (scale, w_at, w_ab, floor, w_et, w_ea))
    scale, w_at, w_ab, floor, w_et, w_ea = best[1]
    logits = scale * prior + w_at * ads[0] + w_ab * ads[1]
    if embedded is not None:
        logits = logits + w_et * rescale(embedded[0], floor) + w_ea * rescale(embedded[1], floor)
    rows = np.arange(len(y))
    losses = [float(-np.mean(np.log(softmax(logits, t)[rows, y] + 1e-12))) for t in TEMPERATURES]
    temperature = float(TEMPERATURES[int(np.argmin(losses))])
    predicted = np.argmax(logits, axis=1)
    fitted = {**params, "w_title": round(params["w_title"] * scale, 5),
              "w_body": round(params["w_body"] * scale, 5),
              "w_mention": round(params["w_mention"] * scale, 5),
              "w_ad_title": w_at, "w_ad_body": w_ab, "w_emb_title": w_et, "w_emb_ad": w_ea,
              "emb_floor": floor, "temperature": round(temperature, 5)}
    report = {"leave_group_out_top1": round(float(np.mean(predicted == y)), 4),
              "leave_group_out_balanced_top1": round(balanced_top1(y, predicted), 4),
              "log_loss": round(min(losses), 4)}
    return fitted, report


GATES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1)
# How much of the embedding's leave-group-out gain (mean of top-1, top-3 and balanced
# top-1) the gate may give up for not embedding: half a point.
GATE_TOLERANCE = 0.0


def choose_gate(
    cheap: np.ndarray, gain: np.ndarray, y: np.ndarray, temperature: float,
) -> tuple[float, list[dict[str, float]]]:
    """The lowest ``emb_gate`` (fewest ads embedded) whose leave-group-out score stays
    within :data:`GATE_TOLERANCE` of embedding every ad. ``cheap`` are the logits
    without the embedding, ``gain`` what the embedding adds. An ad is embedded when its
    cheap top probability is below the gate. Returns the gate and one row per gate
    tried (share embedded, top-1, top-3, balanced top-1)."""
    top = softmax(cheap, temperature).max(axis=1)
    rows: list[dict[str, float]] = []
    for gate in GATES:
        embed = top < gate
        ranked = np.argsort(-(cheap + gain * embed[:, None]), axis=1, kind="stable")[:, :3]
        rows.append({"emb_gate": gate, "embedded_share": round(float(embed.mean()), 4),
                     "top1": round(float(np.mean(ranked[:, 0] == y)), 4),
                     "top3": round(float(np.mean((ranked == y[:, None]).any(axis=1))), 4),
                     "balanced_top1": round(balanced_top1(y, ranked[:, 0]), 4)})
    full = _gate_objective(rows[0])
    good = [row for row in rows if _gate_objective(row) >= full - GATE_TOLERANCE]
    best = min(good, key=lambda row: (row["embedded_share"], -row["emb_gate"]))
    return best["emb_gate"], rows


def _gate_objective(row: dict[str, float]) -> float:
    return (row["top1"] + row["top3"] + row["balanced_top1"]) / 3
