"""`lotsen ads evaluate`: metrics for the engine and the baseline in one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lotsen.ads.evaluate import macro_f1
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
