"""Choosing the classifier's evidence weights and temperature on labelled ads.

Plain arrays in, plain numbers out, so the grid is easy to read and reproduce: the
taxonomy evidence (title, body, mention) keeps its relative weights and is scaled as
a whole; the two real-ad evidences get their own weights. The objective is the mean
of top-1 accuracy and balanced top-1 (mean per-group recall), so the big IT groups do
not decide alone. Ties keep the first grid point (smallest weights). The temperature
then minimises log-loss on the same leave-group-out scores.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

SCALES = (0.5, 1.0, 1.5)
AD_TITLE_WEIGHTS = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)
AD_BODY_WEIGHTS = (0.0, 1.0, 2.0, 4.0, 6.0, 8.0)
TEMPERATURES = np.geomspace(0.02, 4.0, 80)


def balanced_top1(y: np.ndarray, predicted: np.ndarray) -> float:
    """Mean over the gold groups present of the share predicted right."""
    return float(np.mean([np.mean(predicted[y == g] == g) for g in np.unique(y)]))


def softmax(logits: np.ndarray, temperature: float) -> np.ndarray:
    scaled = logits / temperature
    scaled = scaled - scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return result


def fit_weights(
    params: dict[str, float], taxonomy: tuple[np.ndarray, np.ndarray, np.ndarray],
    ads: tuple[np.ndarray, np.ndarray], y: np.ndarray,
) -> tuple[dict[str, float], dict[str, Any]]:
    title, body, mention = taxonomy
    prior = params["w_title"] * title + params["w_body"] * body + params["w_mention"] * mention
    best: tuple[float, tuple[float, float, float]] = (-1.0, (1.0, 0.0, 0.0))
    for scale, w_at, w_ab in itertools.product(SCALES, AD_TITLE_WEIGHTS, AD_BODY_WEIGHTS):
        predicted = np.argmax(scale * prior + w_at * ads[0] + w_ab * ads[1], axis=1)
        score = (float(np.mean(predicted == y)) + balanced_top1(y, predicted)) / 2
        if score > best[0] + 1e-9:
            best = (score, (scale, w_at, w_ab))
    scale, w_at, w_ab = best[1]
    logits = scale * prior + w_at * ads[0] + w_ab * ads[1]
    rows = np.arange(len(y))
    losses = [float(-np.mean(np.log(softmax(logits, t)[rows, y] + 1e-12))) for t in TEMPERATURES]
    temperature = float(TEMPERATURES[int(np.argmin(losses))])
    predicted = np.argmax(logits, axis=1)
    fitted = {**params, "w_title": round(params["w_title"] * scale, 5),
              "w_body": round(params["w_body"] * scale, 5),
              "w_mention": round(params["w_mention"] * scale, 5),
              "w_ad_title": w_at, "w_ad_body": w_ab, "temperature": round(temperature, 5)}
    report = {"leave_group_out_top1": round(float(np.mean(predicted == y)), 4),
              "leave_group_out_balanced_top1": round(balanced_top1(y, predicted), 4),
              "log_loss": round(min(losses), 4)}
    return fitted, report
