"""Turning ad text into the sparse vectors the classifier and the title ranker compare.

Two views of Swedish text, both on folded text (:func:`lotsen.text.fold`) so "Läkare"
and "lakare" agree:

* *words*: Snowball stems of word tokens (inflection and definite forms collapse:
  "undersköterskor", "undersköterskan" → one feature). Used for the ad body.
* *character n-grams* (3–5 letters inside ``<word>`` boundaries): robust to compounds
  and typos ("lastbilschaufför" shares most n-grams with "chaufför"). Used for titles.

Vocabularies are fixed at fit time and shipped as plain lists; an unknown feature is
dropped, so vectorising never grows memory.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

import numpy as np
from scipy import sparse

from lotsen.text import fold, stem
from lotsen.text.normalize import fold_aligned

# A word on folded text; "c#", "c++" and "node.js"-like tokens keep their marks.
WORD = re.compile(r"[a-z0-9]+(?:[.][a-z0-9]+)*(?:\+\+|#)?")

# Words that say nothing about the occupation, however often ads use them.
AD_STOPWORDS = frozenset(
    {
        "och", "i", "att", "som", "en", "ett", "av", "for", "med", "pa", "till", "du",
        "vi", "har", "ar", "det", "den", "de", "om", "ocksa", "eller", "kan", "ska",
        "vill", "hos", "var", "vara", "sig", "dig", "din", "ditt", "dina", "oss", "vart",
        "sin", "sitt", "sina", "nar", "inom", "under", "efter", "mellan", "samt",
        "sa", "man", "inte", "mer", "mycket", "alla", "allt", "nu", "just",
        "sokes", "soker", "sok", "sokande", "ansok", "ansokan", "tjanst", "tjansten",
        "jobb", "jobba", "arbeta", "arbete", "heltid", "deltid", "vikariat", "vikarie",
        "sommarjobb", "sommarvikariat", "timanstallning", "tillsvidare",
        "tillsvidareanstallning", "provanstallning", "erfaren", "ny", "nya",
        "nyexaminerad", "junior", "senior", "extra", "omgaende", "snarast", "we", "are",
        "you", "the", "and", "of", "to", "with", "our", "your", "in", "a", "an",
        "is", "be", "will", "on", "at", "as", "by", "or", "looking", "join", "team",
    }
)


@lru_cache(maxsize=262144)
def word_feature(token: str) -> str:
    return stem(token)


@cache
def _not_one_to_one() -> frozenset[str]:
    """Characters below U+3000 that :func:`fold` does not turn into the one character
    :func:`fold_aligned` gives ("æ" → "ae", "…" → "...", a combining diaeresis →
    nothing, Cherokee casefolds to upper case)."""
    return frozenset(ch for ch in map(chr, range(0x80, 0x3000))
                     if len(fold(ch)) != 1 or fold(ch) != fold_aligned(ch))


def fold_words(text: str) -> str:
    """:func:`fold` of a whole ad, ten times cheaper: :func:`fold_aligned` (one ``replace``
    per distinct non-ASCII character) when every character folds to exactly one, which
    is then the same text; :func:`fold` otherwise (ligatures, decomposed diacritics,
    characters from U+3000 up). Folding the body was a fifth of classification."""
    if not text.isascii() and (max(text) >= "\u3000" or not _not_one_to_one().isdisjoint(
            set(text))):
        return fold(text)
    return fold_aligned(text)


def words(text: str) -> list[str]:
    """Stemmed content words of ``text`` (folded, stopwords and 1-letter tokens removed)."""
    return [
        word_feature(t) for t in WORD.findall(fold_words(text))
        if len(t) > 1 and t not in AD_STOPWORDS
    ]


@lru_cache(maxsize=131072)
def _word_grams(word: str) -> tuple[str, ...]:
    padded = f"<{word}>"
    grams: list[str] = []
    for n in (3, 4, 5):
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return tuple(grams)


def char_grams(text: str) -> list[str]:
    """Character 3–5-grams of every folded word of ``text`` (with word boundaries)."""
    grams: list[str] = []
    for word in WORD.findall(fold(text).replace("-", "")):
        if word not in AD_STOPWORDS:
            grams.extend(_word_grams(word))
    return grams


class TfidfSpace:
    """A fixed vocabulary with IDF weights; vectors are sublinear-tf × idf, L2-normalised."""

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray) -> None:
        self.vocabulary = list(vocabulary)
        self.index = {term: i for i, term in enumerate(self.vocabulary)}
        self.idf = np.asarray(idf, dtype=np.float32)

    @classmethod
    def fit(
        cls, documents: Iterable[Sequence[str] | Counter[str]], min_df: int = 1
    ) -> TfidfSpace:
        df: Counter[str] = Counter()
        n_docs = 0
        for doc in documents:
            n_docs += 1
            df.update(set(doc))
        vocabulary = sorted(t for t, c in df.items() if c >= min_df)
        idf = np.array(
            [math.log((1 + n_docs) / (1 + df[t])) + 1.0 for t in vocabulary], dtype=np.float32
        )
        return cls(vocabulary, idf)

    def __len__(self) -> int:
        return len(self.vocabulary)

    def transform(
        self, documents: Sequence[Sequence[str] | Counter[str]], normalize: bool = True
    ) -> sparse.csr_matrix:
        """Rows of sublinear tf × idf; a document may be a token list or a weighted Counter."""
        indptr = [0]
        indices: list[int] = []
        values: list[float] = []
        index = self.index
        for doc in documents:
            counts = doc if isinstance(doc, Counter) else Counter(doc)
            row: dict[int, float] = {}
            for term, count in counts.items():
                position = index.get(term)
                if position is not None and count > 0:
                    row[position] = row.get(position, 0.0) + count
            indices.extend(row)
            values.extend(1.0 + math.log(c) if c >= 1 else c for c in row.values())
            indptr.append(len(indices))
        matrix = sparse.csr_matrix(
            (np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
            shape=(len(indptr) - 1, len(self.vocabulary)),
        )
        matrix = matrix.multiply(self.idf[np.newaxis, :]).tocsr()
        if normalize:
            norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            matrix = sparse.diags(1.0 / norms).dot(matrix).tocsr()
        return matrix.astype(np.float32)
