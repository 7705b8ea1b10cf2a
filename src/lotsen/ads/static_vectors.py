"""A static word and phrase vector table distilled from multilingual-e5 (Model2Vec-style).

e5 costs ≈ 7–20 ms of CPU per short text (:mod:`lotsen.ads.embedding`); a table lookup
costs microseconds. At build time (``scripts/build_static_vectors.py``) every entry of a
fixed vocabulary — the words and two- and three-word phrases of the occupation title
entries and of the training ads' headlines — is embedded once with e5 and stored
int8-quantised. At run time a text is cut into lower-cased words, the longest entries
are matched greedily from the right (a known phrase "data engineer" gets its own e5
vector rather than the mean of "data" and "engineer"; from the right because English
titles end in their head noun: "senior data engineer" → "senior" + "data engineer"),
and the matched vectors are averaged and L2-normalised. A text with no known entry
gets the zero vector, i.e. no embedding evidence.

Chosen in the grouped CV (``scripts/cv_ads.py``, docs/performance.md): SIF weights
``a / (a + p(entry))`` (Arora et al. 2017) did worse than the plain mean, because here
the frequent entries are the head nouns ("engineer", "lärare"), not function words;
matching from the left did slightly worse than from the right.

The vectors stay in e5's space (no centering), so the cosines of the table's
averages and of e5's own vectors can be compared, and the classifier's cosine floors
(:data:`lotsen.ads.tuning.EMB_FLOORS`) keep their meaning.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from lotsen.ads.embedding import DIM, TextEncoder
from lotsen.ads.npz import save_npz
from lotsen.errors import InvalidInput

TABLE_FILE = "static_vectors.npz"
# What a model's meta["embedding"] says when it embeds with the table instead of e5.
STATIC = "static"
TABLE_FORMAT = 1
MAX_WORDS = 3
# Lower-cased words; "c++", "c#" and ".net"-like tokens keep their marks, because e5
# embeds them as the tools they name.
TOKEN = re.compile(r"\w+(?:[.+#]\w+)*(?:\+\+|#)?")


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def vocabulary(texts: Iterable[str], max_words: int = MAX_WORDS) -> set[str]:
    """Every word and phrase of up to ``max_words`` words in ``texts``."""
    found: set[str] = set()
    for text in texts:
        words = tokens(text)
        for n in range(1, max_words + 1):
            found.update(" ".join(words[start : start + n]) for start in range(len(words) - n + 1))
    return found


def table_vocabulary(labels: Iterable[str], headlines: Iterable[str],
                     title_parts: Iterable[str]) -> set[str]:
    """The entries a table holds: every word and phrase of the occupation title entries,
    the words of the ads' headlines and the phrases of their title parts
    (:func:`lotsen.ads.classifier.title_core`: "Data Engineer till Balder i Göteborg!" →
    "Data Engineer"; the phrases of the rest are employers and places)."""
    return vocabulary(labels) | vocabulary(headlines, max_words=1) | vocabulary(title_parts)


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows → int8 codes and one float32 scale per row (max |value| maps to 127)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    scale = np.abs(vectors).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    codes = np.rint(vectors / scale[:, None]).clip(-127, 127).astype(np.int8)
    return codes, scale.astype(np.float32)


class StaticTable:
    """Entries (lower-cased words and phrases) → e5 vectors, averaged at run time.

    Implements :class:`lotsen.ads.embedding.TextEncoder`, so the classifier can use it
    wherever it would use e5."""

    def __init__(self, entries: Sequence[str], codes: np.ndarray, scales: np.ndarray,
                 meta: Mapping[str, str] | None = None) -> None:
        if not (len(entries) == len(codes) == len(scales)):
            raise InvalidInput("static table: entries, codes and scales differ in length")
        if len(codes) and codes.shape[1] != DIM:
            raise InvalidInput(f"static table: vectors must have {DIM} columns")
        self.entries = list(entries)
        self.codes = np.asarray(codes, dtype=np.int8)
        self.scales = np.asarray(scales, dtype=np.float32)
        self.meta = dict(meta or {})
        self.index = {entry: i for i, entry in enumerate(self.entries)}
        self.longest = max((e.count(" ") + 1 for e in self.entries), default=1)

    def __len__(self) -> int:
        return len(self.entries)

    def __deepcopy__(self, memo: dict[int, object]) -> StaticTable:
        return self  # read-only once built: copies of a classifier share it

    def matches(self, text: str) -> list[int]:
        """Table rows of ``text``'s words in text order, the longest entry ending at each
        point taken first, from the right."""
        words = tokens(text)
        found: list[int] = []
        end = len(words)
        while end > 0:
            for n in range(min(self.longest, end), 0, -1):
                row = self.index.get(" ".join(words[end - n : end]))
                if row is not None:
                    found.append(row)
                    end -= n
                    break
            else:
                end -= 1  # unknown word: says nothing
        return found[::-1]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            rows = self.matches(text)
            if not rows:
                continue
            # Dequantised per lookup: the table stays int8 in memory (3 MB, not 13).
            vector = (self.codes[rows] * self.scales[rows, None]).sum(axis=0)
            norm = float(np.linalg.norm(vector))
            if norm > 0:
                out[i] = vector / norm
        return out

    def restricted(self, keep: Collection[str]) -> StaticTable:
        """The entries in ``keep`` only (the cross-validation drops the words and phrases
        that only the test fold's headlines contain)."""
        rows = [i for i, entry in enumerate(self.entries) if entry in keep]
        return StaticTable([self.entries[i] for i in rows], self.codes[rows], self.scales[rows],
                           self.meta)

    # -- files ---------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the table as an ``.npz`` with fixed member dates, so the same table gives
        the same bytes (``np.savez`` stamps each member with the current time)."""
        arrays = {"format": np.array(TABLE_FORMAT), "entries": np.array(self.entries),
                  "codes": self.codes, "scales": self.scales,
                  "meta": np.array([f"{k}={v}" for k, v in sorted(self.meta.items())])}
        save_npz(path, arrays)

    @classmethod
    def load(cls, path: Path | None = None) -> StaticTable:
        """The table at ``path``, or the one shipped in the package."""
        source = path if path is not None else resources.files("lotsen.ads") / "data" / TABLE_FILE
        try:
            with source.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
                if int(arrays["format"]) != TABLE_FORMAT:
                    raise InvalidInput(
                        f"static vector table {source} has format {int(arrays['format'])},"
                        f" this Lotsen reads {TABLE_FORMAT}: rebuild it with"
                        " `python scripts/build_static_vectors.py`")
                meta = dict(str(item).split("=", 1) for item in arrays["meta"])
                return cls([str(e) for e in arrays["entries"]], arrays["codes"],
                           arrays["scales"], meta)
        except (FileNotFoundError, KeyError, ValueError, OSError) as exc:
            raise InvalidInput(f"static vector table {source} cannot be read: {exc};"
                               " rebuild it with `python scripts/build_static_vectors.py`"
                               ) from None


def build_table(encoder: TextEncoder, entries: Iterable[str],
                meta: Mapping[str, str] | None = None) -> StaticTable:
    """Embed every entry once (sorted, so the same vocabulary gives the same file) and
    quantise."""
    entries = sorted(set(entries))
    vectors = encoder.encode(entries) if entries else np.zeros((0, DIM), dtype=np.float32)
    codes, scales = quantise(vectors)
    return StaticTable(entries, codes, scales, meta)
