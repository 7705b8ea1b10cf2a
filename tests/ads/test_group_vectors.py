"""The SSYK-4 group names' e5 vectors ship with the package, so no ranker waits for them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from lotsen.ads.embedding import DIM, VectorCache
from lotsen.ads.group_vectors import build_group_vectors, group_names, load_group_vectors
from lotsen.errors import InvalidInput
from lotsen.taxonomy import load_taxonomy


class RefusingEncoder:
    """Refuses to embed any of ``refused``; other texts get a vector from their hash."""

    def __init__(self, refused: set[str]) -> None:
        self.refused = refused
        self.asked: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.asked += list(texts)
        embedded_at_run_time = sorted(self.refused.intersection(texts))
        assert not embedded_at_run_time, f"embedded at run time: {embedded_at_run_time[:5]}"
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, sum(text.encode("utf-8")) % DIM] = 1.0
        return out


def test_the_default_vocabulary_embeds_no_group_name_at_run_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lotsen.services import titles

    names = set(group_names(load_taxonomy()))
    encoder = RefusingEncoder(names)
    monkeypatch.setattr(titles, "e5_available", lambda: True)
    monkeypatch.setattr(titles, "_encoder", lambda: encoder)
    monkeypatch.setattr(titles, "_vector_cache", lambda: VectorCache(tmp_path, encoder))
    vocabulary = titles._default_vocabulary()
    ranker = titles._ranker(vocabulary, embeddings=True)
    assert ranker.has_context and ranker.group_vectors is not None
    assert len(ranker.group_vectors) == len(names)
    # The labels come from the model, the group names from the shipped file: at most a
    # few labels the model has no entry for are embedded.
    assert len(encoder.asked) < 10
    # The pivot of a vocabulary in another language needs every group name too.
    english = titles._ranker([("a", "Welder"), ("b", "Cleaner"), ("c", "Auditor")], True)
    assert english.group_vectors is not None and len(english.group_vectors) == len(names)


def test_the_shipped_file_has_every_current_group_name() -> None:
    shipped = load_group_vectors()
    assert sorted(shipped) == group_names(load_taxonomy())
    norms = np.linalg.norm(np.stack(list(shipped.values())), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-2)  # e5 rows, float16-rounded


def test_build_is_byte_identical_and_a_damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    taxonomy = load_taxonomy()
    first, second = tmp_path / "a.npz", tmp_path / "b.npz"
    assert build_group_vectors(RefusingEncoder(set()), taxonomy, first) == 400
    build_group_vectors(RefusingEncoder(set()), taxonomy, second)
    assert first.read_bytes() == second.read_bytes()
    assert set(load_group_vectors(first)) == set(group_names(taxonomy))
    second.write_bytes(b"not a table")
    with pytest.raises(InvalidInput, match="build_group_vectors"):
        load_group_vectors(second)
