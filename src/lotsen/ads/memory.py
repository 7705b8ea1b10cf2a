"""What employers actually chose: evidence from labelled real ads, per SSYK-4 group.

The taxonomy names occupations, but employers file "Data Engineer" as *Dataingenjör*
(3113) and "MLOps Engineer" as 2512, and half the ads are in English. So the
classifier also remembers the labelled ads it was fitted on and scores a new ad by
its nearest remembered ads in each group:

* **ad title** — cosine of headline character n-grams (3–5) with each remembered
  headline; a group scores its best ad.
* **ad body** — cosine of stemmed body words (headline words counted three times) with
  each remembered ad; a group scores the mean of its two best ads, so one odd ad does
  not carry a group.

Both vocabularies are fitted on the remembered ads only (English words are in them,
the taxonomy's are Swedish). ``exclude`` lets the fit score each training ad without
the ads of its own employer group, the same leave-group-out the cross-validation uses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse

from lotsen.ads.features import TfidfSpace, char_grams, words

HEADLINE_WEIGHT = 3
MAX_BODY_CHARS = 20_000


# The classifier's prototypes and the memory read the same document of an ad one after
# the other; cached so a chunk of ads is tokenised once. Callers must not mutate it.
@lru_cache(maxsize=2048)
def body_document(headline: str, body: str) -> Counter[str]:
    doc = Counter(words(body[:MAX_BODY_CHARS]))
    for term in words(headline):
        doc[term] += HEADLINE_WEIGHT
    return doc


class AdMemory:
    """Remembered labelled ads: two sparse matrices and each ad's group index."""

    def __init__(
        self, title_space: TfidfSpace, titles: sparse.csr_matrix, body_space: TfidfSpace,
        bodies: sparse.csr_matrix, labels: np.ndarray, n_groups: int,
    ) -> None:
        self.title_space = title_space
        self.titles = titles.tocsr().astype(np.float32)
        self.body_space = body_space
        self.bodies = bodies.tocsr().astype(np.float32)
        self.labels = np.asarray(labels, dtype=np.int32)
        self.n_groups = n_groups

    @classmethod
    def fit(
        cls, headlines: Sequence[str], bodies: Sequence[str], labels: Sequence[int] | np.ndarray,
        n_groups: int,
    ) -> AdMemory:
        grams = [char_grams(h) for h in headlines]
        docs = [body_document(h, b) for h, b in zip(headlines, bodies, strict=True)]
        title_space = TfidfSpace.fit(grams)
        body_space = TfidfSpace.fit(docs, min_df=2)
        return cls(title_space, title_space.transform(grams), body_space,
                   body_space.transform(docs), np.asarray(labels), n_groups)

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def scores(
        self, headlines: Sequence[str], bodies: Sequence[str],
        exclude: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(title, body) scores per group, shape (ads, groups). ``exclude[i, j]`` true
        hides remembered ad ``j`` from query ``i``."""
        n = len(headlines)
        title = np.zeros((n, self.n_groups), dtype=np.float32)
        body = np.zeros((n, self.n_groups), dtype=np.float32)
        if n == 0 or len(self) == 0:
            return title, body
        q_title = self.title_space.transform([char_grams(h) for h in headlines])
        q_body = self.body_space.transform(
            [body_document(h, b) for h, b in zip(headlines, bodies, strict=True)])
        sim_t = np.asarray((q_title @ self.titles.T).todense(), dtype=np.float32)
        sim_b = np.asarray((q_body @ self.bodies.T).todense(), dtype=np.float32)
        if exclude is not None:
            sim_t[exclude] = 0.0
            sim_b[exclude] = 0.0
        for group in np.unique(self.labels):
            members = self.labels == group
            title[:, group] = sim_t[:, members].max(axis=1)
            best = np.sort(sim_b[:, members], axis=1)[:, -2:]
            body[:, group] = best.mean(axis=1) if best.shape[1] > 1 else best[:, 0] / 2
        return title, body

    # -- persistence (plain arrays, no pickle) -------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {
            "memory_labels": self.labels,
            "memory_title_idf": self.title_space.idf,
            "memory_body_idf": self.body_space.idf,
        }
        for name, matrix in (("memory_title", self.titles), ("memory_body", self.bodies)):
            out[f"{name}_data"] = matrix.data.astype(np.float16)
            out[f"{name}_indices"] = matrix.indices.astype(np.int32)
            out[f"{name}_indptr"] = matrix.indptr.astype(np.int32)
            out[f"{name}_shape"] = np.array(matrix.shape, dtype=np.int64)
        return out

    def vocabularies(self) -> dict[str, list[str]]:
        return {"title": self.title_space.vocabulary, "body": self.body_space.vocabulary}

    @classmethod
    def from_arrays(
        cls, arrays: dict[str, np.ndarray] | np.lib.npyio.NpzFile,
        vocabularies: dict[str, list[str]], n_groups: int,
    ) -> AdMemory:
        def matrix(name: str) -> sparse.csr_matrix:
            return sparse.csr_matrix(
                (arrays[f"{name}_data"].astype(np.float32), arrays[f"{name}_indices"],
                 arrays[f"{name}_indptr"]), shape=tuple(arrays[f"{name}_shape"]))

        return cls(TfidfSpace(vocabularies["title"], arrays["memory_title_idf"]),
                   matrix("memory_title"),
                   TfidfSpace(vocabularies["body"], arrays["memory_body_idf"]),
                   matrix("memory_body"), arrays["memory_labels"], n_groups)
