"""`lotsen ads evaluate`: metrics for the engine and the baseline in one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lotsen.ads.evaluate import by_language, macro_f1
from lotsen.services import ads as ads_service
from lotsen.services.access import SYSTEM

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "ads" / "samples.jsonl"


def test_training_ads_cannot_be_a_held_out_set() -> None:
    """Two of the samples are in real_dev.jsonl, which the shipped model learned from."""
    with pytest.raises(Exception, match=r"samples.jsonl:1: ad 23174210 was used to train"):
        ads_service.evaluate_file(SAMPLES, actor=SYSTEM)


def test_real_samples_side_by_side() -> None:
    report = ads_service.evaluate_file(SAMPLES, allow_training_overlap=True, actor=SYSTEM)
    ours, base = report["systems"]["lotsen"], report["systems"]["baseline"]
    assert report["ads"] == 3 and ours["ssyk4_n"] == 3 and report["training_overlap"] == 2
    assert "ssyk4_top1" in report["systems"]["taxonomy_prior"]
    assert 0.0 <= ours["ssyk4_balanced_top1"] <= 1.0
    assert ours["ssyk4_top1"] == 1.0 and "ssyk4_top1" in base
    assert set(ours["ssyk1_top1"]) == {"2", "4"}
    # Only the first sample has annotated skills (Java required, Javascript meriting).
    assert ours["skills"]["tp"] == 2 and ours["skills"]["recall"] == 1.0
    assert "skills" in base and 0.0 <= ours["calibration"]["ece"] <= 1.0


def test_own_test_ads_regression_guard() -> None:
    """Guards against regressions only; the figures themselves are in docs/performance.md."""
    report = ads_service.evaluate_file(DATA / "eval_ads.jsonl", actor=SYSTEM)
    ours, base = report["systems"]["lotsen"], report["systems"]["baseline"]
    assert report["ads"] == 64
    assert ours["ssyk4_top3"] >= base["ssyk4_top3"]
    assert ours["skills"]["f1"] > base["skills"]["f1"]


def test_macro_f1_counts_every_gold_class() -> None:
    assert macro_f1(["a", "a", "b"], ["a", "a", "a"]) == pytest.approx((0.8 + 0.0) / 2)


def test_unlabelled_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": 1, "ssyk4": "2512"}) + "\n", "utf-8")
    with pytest.raises(Exception, match=f"{path}:1: needs headline and description"):
        ads_service.evaluate_file(path, actor=SYSTEM)


def test_scores_by_language_and_their_plain_mean() -> None:
    """Three Swedish ads (two right first, one right third) and two English ads (one right
    second, one missed): each part is scored on its own ads, and half_each is the mean a
    held-out set with as many English as Swedish ads would show."""
    gold = ["2512", "2512", "5321", "2511", "3113"]
    ranked = [["2512"], ["2512", "2511"], ["5322", "5311", "5321"], ["2512", "2511"],
              ["2512", "2511", "2514"]]
    parts = by_language(gold, ranked, [True, True, True, False, False])
    assert parts["swedish"] == {"n": 3, "top1": round(2 / 3, 4), "top3": 1.0,
                                "balanced_top1": 0.5}
    assert parts["not_swedish"] == {"n": 2, "top1": 0.0, "top3": 0.5, "balanced_top1": 0.0}
    assert parts["half_each"] == {"top1": round(2 / 6, 4), "top3": 0.75, "balanced_top1": 0.25}
    only_swedish = by_language(gold[:3], ranked[:3], [True] * 3)
    assert only_swedish["not_swedish"] == {"n": 0} and "half_each" not in only_swedish


def test_evaluate_reports_the_languages_it_saw() -> None:
    report = ads_service.evaluate_file(DATA / "eval_ads.jsonl", actor=SYSTEM)
    ours = report["systems"]["lotsen"]
    parts = ours["ssyk4_by_language"]
    assert parts["swedish"]["n"] + parts["not_swedish"]["n"] == ours["ssyk4_n"]
