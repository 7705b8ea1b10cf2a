"""Which real ads the shipped model learned from: ``data/training_ads.csv`` (id, source).

The list ships with the model. An evaluation that calls itself held-out must share no
ad with it, so :func:`check_held_out` fails on any overlap, naming the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

from lotsen.errors import InvalidInput

TRAINING_ADS = "training_ads.csv"
COLUMNS = ("id", "source")


def training_ads() -> dict[str, str]:
    """Ad id → source of every real ad the shipped model was trained or tuned on."""
    resource = resources.files("lotsen.ads") / "data" / TRAINING_ADS
    if not resource.is_file():
        return {}
    rows = csv.DictReader(io.StringIO(resource.read_text("utf-8")))
    return {row["id"]: row["source"] for row in rows}


def write_training_ads(path: Path, ads: Iterable[tuple[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(sorted(set(ads)))
    path.write_text(buffer.getvalue(), "utf-8")


def check_held_out(path: Path, ids: Sequence[tuple[int, str | None]]) -> None:
    """``ids`` are (line, ad id); any id the model trained on is an error."""
    trained = training_ads()
    overlap = [(line, ad_id) for line, ad_id in ids if ad_id is not None and ad_id in trained]
    if overlap:
        line, ad_id = overlap[0]
        raise InvalidInput(
            f"ad {ad_id} was used to train the shipped model ({len(overlap)} ads of this file"
            f" are in {TRAINING_ADS}); a held-out evaluation must not overlap it — use"
            " scripts/cv_ads.py for cross-validated figures on the training ads",
            f"{path}:{line}")
