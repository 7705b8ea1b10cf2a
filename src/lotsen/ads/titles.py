"""Normalising free-text Swedish job titles against any label vocabulary.

A title as people write it ("Lastbilschaufför C/CE till åkeri i Luleå", "Backend
developer") is compared with every label by cosine similarity of character-n-gram
TF-IDF vectors. Ad headlines carry noise (place, employer, "sökes"), so the text is
also cut into *segments* at the usual separators (" till ", " i ", " - ", "/", ",",
"(") and each label keeps its best score over the whole text and its segments.
Several labels may share one id (synonyms); an id scores as its best label.

This is the same ranker the ad classifier uses for headlines and the web form's
"vad heter yrket?" box; ``lotsen titles rank`` exposes it for any vocabulary file.

Character n-grams cannot see that "Sales manager" is a *Försäljningschef* or that
"Sjuksköterska" and "Nurse" are one job. With vectors attached
(:meth:`TitleRanker.attach_vectors`: one multilingual-e5 vector per label, see
:mod:`lotsen.ads.embedding`), :meth:`TitleRanker.rank_many` adds the embedding
cosine of the whole title, rescaled above a floor, to the lexical score:
``score = lexical + weight × max(0, (cosine − floor) / (1 − floor))``.

A label the taxonomy knows as an occupation name also has a *context*: its SSYK-4
group's name (:meth:`TitleRanker.attach_context`). Its cosine is then a blend,
``(1 − context) × cos(title, label) + context × cos(title, group name)``, so a title
near the group ("Lagerchef" near *Chefer inom logistik*) lifts every name in it and a
lone coincidental neighbour counts less. The blend moves cosines to another scale, so
it is all or nothing: a vocabulary whose labels the taxonomy mostly knows
(:data:`CONTEXT_COVERAGE`) blends the labels it can; one it does not know keeps plain
cosines, unless its labels are not Swedish (ESCO's English labels, say): then each
label takes the Swedish group name nearest to it as context (:meth:`attach_pivot`), so
a Swedish title also meets something in its own language. Group names are Swedish, so
either context is for Swedish titles: titles that are not Swedish (English ones) keep
plain cosines and the plain fusion (:meth:`TitleRanker.context_applies`, decided over
all the titles of one call, as a short title rarely shows its language; measured on
English headlines: the taxonomy context cost them 1.9 points of Acc@1 and 1.8 of MRR
against the occupation names, the pivot 1.1 and 1.2 against the English stand-in).
(Context for the three
English labels of a 126-label English vocabulary that were Swedish occupation names
too cost the Swedish → English stand-in 1.4 points of MRR: hence all or nothing.) The
weight, floor and context (:data:`FUSION_CONTEXT`, :data:`FUSION_PIVOT`; :data:`FUSION`
without context) were chosen on development proxies and checked on real ad headlines
(``scripts/titles_proxy.py``, docs/performance.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from lotsen.ads.embedding import TextEncoder, rescale
from lotsen.ads.features import TfidfSpace, char_grams
from lotsen.errors import InvalidInput
from lotsen.text.language import labels_are_swedish

# Where a headline's title part usually ends and noise begins.
SEGMENT_SPLIT = re.compile(
    r"\s+(?:till|i|på|hos|för|inom|med|vid|at|in|for|to|sökes|söks|wanted)\s+"
    r"|\s+[-–—|]\s+|[/,;:()!?]|\s+sökes$",
    re.IGNORECASE,
)
MAX_SEGMENTS = 6


def segments(text: str) -> list[str]:
    """The whole text plus its non-empty pieces between separators (at most a few)."""
    pieces = [p.strip() for p in SEGMENT_SPLIT.split(text) if p and p.strip()]
    out = [text]
    for piece in pieces:
        if piece not in out:
            out.append(piece)
    return out[: MAX_SEGMENTS + 1]


@dataclass(frozen=True, slots=True)
class Fusion:
    """How much the embedding cosine counts beside the lexical one."""

    weight: float = 1.0
    floor: float = 0.85
    context: float = 0.0  # share of a label's cosine taken from its group's name


# Context is used only if at least this share of the labels has a group (set a priori:
# most of the vocabulary on one scale).
CONTEXT_COVERAGE = 0.5

# Both chosen on the keywords proxy (scripts/titles_proxy.py), each for its case: best
# MRR over weight 0.25–8 × floor 0.75–0.9, with context 0–0.75 for labels that have one
# and without for those that have not (the fusion shipped before context, unchanged).
FUSION = Fusion(weight=4.0, floor=0.8)
FUSION_CONTEXT = Fusion(weight=8.0, floor=0.8, context=0.5)
# For a vocabulary in another language (:meth:`TitleRanker.attach_pivot`): chosen on the
# proxy's Swedish occupation names → English labels (weight 0.25–8 × floor 0.75–0.9 ×
# context 0.25–0.75), reported on its keywords and headlines.
FUSION_PIVOT = Fusion(weight=4.0, floor=0.8, context=0.25)


# Fewer titles than this say too little about their language (four in ten Swedish titles
# have å, ä or ö: ten without any happen for one Swedish set in a hundred), so they keep
# the context.
MIN_TITLES_FOR_LANGUAGE = 10


def uses_context(label_group: Sequence[int] | np.ndarray) -> bool:
    """Whether enough labels have a group (:data:`CONTEXT_COVERAGE`) for context to count."""
    return bool(len(label_group)) and float(
        np.mean(np.asarray(label_group) >= 0)) >= CONTEXT_COVERAGE


@dataclass(frozen=True, slots=True)
class TitleMatch:
    id: str
    label: str
    score: float


class TitleRanker:
    """Rank vocabulary ids for free-text titles; ``fit(ids, labels)`` then ``rank``."""

    def __init__(self) -> None:
        self.space: TfidfSpace | None = None
        self.matrix: sparse.csr_matrix | None = None
        self.ids: list[str] = []
        self.labels: list[str] = []
        self._transposed: sparse.csr_matrix | None = None
        self.vectors: np.ndarray | None = None
        self.encoder: TextEncoder | None = None
        self.fusion = self._plain_fusion = FUSION
        self.label_group: np.ndarray | None = None
        self.group_vectors: np.ndarray | None = None

    def attach_vectors(
        self, vectors: np.ndarray, encoder: TextEncoder, fusion: Fusion = FUSION
    ) -> TitleRanker:
        """Use embeddings too: ``vectors`` has one row per label, ``encoder`` embeds queries."""
        if vectors.shape[0] != len(self.labels):
            raise InvalidInput(f"{vectors.shape[0]} vectors for {len(self.labels)} labels")
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.encoder, self.fusion, self._plain_fusion = encoder, fusion, fusion
        return self

    def attach_context(
        self, label_group: Sequence[int], group_vectors: np.ndarray,
        fusion: Fusion = FUSION_CONTEXT,
    ) -> TitleRanker:
        """Give labels a context: ``label_group[i]`` is the row of label ``i``'s group in
        ``group_vectors`` (−1: none). Only if at least :data:`CONTEXT_COVERAGE` of the
        labels have a group; then ``fusion`` (with its ``context`` share) replaces the
        plain one."""
        groups = np.asarray(label_group, dtype=np.int64)
        if groups.shape != (len(self.labels),):
            raise InvalidInput(f"{groups.shape[0]} groups for {len(self.labels)} labels")
        if len(groups) and (groups.max() >= len(group_vectors) or groups.min() < -1):
            raise InvalidInput("a label's group is not among the group vectors")
        if not uses_context(groups):
            self.label_group = self.group_vectors = None
            self.fusion = self._plain_fusion
            return self
        self.label_group = groups
        self.group_vectors = np.asarray(group_vectors, dtype=np.float32)
        self.fusion = fusion
        return self

    def attach_pivot(
        self, group_vectors: np.ndarray, fusion: Fusion = FUSION_PIVOT
    ) -> TitleRanker:
        """Context for a vocabulary in another language than the titles: each label's
        nearest group name (by embedding), a same-language stand-in for the label that
        a Swedish title can be compared with directly. Needs vectors attached."""
        if self.vectors is None:
            raise InvalidInput("no vectors attached: call attach_vectors first")
        groups = np.asarray(group_vectors, dtype=np.float32)
        if not len(groups):
            return self
        nearest = np.argmax(self.vectors @ groups.T, axis=1)
        return self.attach_context(list(map(int, nearest)), groups, fusion)

    def context_applies(self, texts: Sequence[str]) -> bool:
        """Whether the (Swedish) label context counts for these titles: unless they are
        enough (:data:`MIN_TITLES_FOR_LANGUAGE`) and, as a whole, not Swedish (the rule
        for labels, :func:`lotsen.text.language.labels_are_swedish`)."""
        return self.has_context and (len(texts) < MIN_TITLES_FOR_LANGUAGE
                                     or labels_are_swedish(texts))

    @property
    def has_context(self) -> bool:
        return self.label_group is not None

    def cosines(self, query_vectors: np.ndarray, context: bool = True) -> np.ndarray:
        """Each query's embedding cosine with each label, blended with its group's
        (unless ``context`` is False)."""
        if self.vectors is None:
            raise InvalidInput("no vectors attached: call attach_vectors first")
        cosines: np.ndarray = query_vectors @ self.vectors.T
        share = self.fusion.context
        if (context and share > 0 and self.label_group is not None
                and self.group_vectors is not None):
            known = np.flatnonzero(self.label_group >= 0)
            if len(known):
                group_cosines = query_vectors @ self.group_vectors.T
                cosines[:, known] = ((1 - share) * cosines[:, known]
                                     + share * group_cosines[:, self.label_group[known]])
        return cosines

    def fit(self, ids: Sequence[str], labels: Sequence[str]) -> TitleRanker:
        if len(ids) != len(labels):
            raise InvalidInput("ids and labels must have the same length")
        if not ids:
            raise InvalidInput("the vocabulary is empty: give at least one id<TAB>label row")
        grams = [char_grams(label) for label in labels]
        self.space = TfidfSpace.fit(grams)
        self.matrix = self.space.transform(grams)
        self.ids, self.labels = list(ids), list(labels)
        self._transposed = None
        self.vectors = self.label_group = self.group_vectors = None
        return self

    @classmethod
    def from_arrays(
        cls, space: TfidfSpace, matrix: sparse.csr_matrix, ids: list[str], labels: list[str]
    ) -> TitleRanker:
        ranker = cls()
        ranker.space, ranker.matrix, ranker.ids, ranker.labels = space, matrix, ids, labels
        return ranker

    def entry_scores(self, text: str) -> np.ndarray:
        """Best cosine of each label against ``text`` or any of its segments."""
        return self.entry_scores_many([text])[0]

    def entry_scores_many(self, texts: Sequence[str], batch: int = 64) -> np.ndarray:
        """``entry_scores`` for many texts at once: one sparse product per batch."""
        if self.space is None or self.matrix is None:
            raise InvalidInput("the title ranker is not fitted: call fit(ids, labels) first")
        if self._transposed is None:
            self._transposed = self.matrix.T.tocsr()
        out = np.zeros((len(texts), len(self.ids)), dtype=np.float32)
        for begin in range(0, len(texts), batch):
            chunk = texts[begin : begin + batch]
            pieces = [segments(text) for text in chunk]
            queries = self.space.transform([char_grams(p) for ps in pieces for p in ps])
            sims = (queries @ self._transposed).toarray()
            starts = np.cumsum([0] + [len(ps) for ps in pieces[:-1]])
            out[begin : begin + len(chunk)] = np.maximum.reduceat(sims, starts, axis=0)
        return out

    def combined_scores_many(
        self, texts: Sequence[str], query_vectors: np.ndarray | None = None,
        context: bool | None = None,
    ) -> np.ndarray:
        """Lexical scores plus, with vectors attached, the rescaled embedding cosine;
        with the label context if ``context`` (None: :meth:`context_applies` to
        ``texts``)."""
        scores = self.entry_scores_many(texts)
        if self.vectors is None or not len(texts):
            return scores
        if query_vectors is None:
            assert self.encoder is not None
            query_vectors = self.encoder.encode(list(texts))
        if context is None:
            context = self.context_applies(texts)
        fusion = self.fusion if context else self._plain_fusion
        scores += fusion.weight * rescale(self.cosines(query_vectors, context), fusion.floor)
        return scores

    def rank_many(
        self, texts: Sequence[str], top: int = 10, query_vectors: np.ndarray | None = None,
        batch: int = 64,
    ) -> list[list[TitleMatch]]:
        """:meth:`rank` for many texts, lexical and (if attached) embedding scores."""
        if top < 1:
            raise InvalidInput(f"top must be at least 1, got {top}")
        out: list[list[TitleMatch]] = []
        context = self.context_applies(texts)  # once for all, not per batch
        for begin in range(0, len(texts), batch):
            chunk = texts[begin : begin + batch]
            vectors = None if query_vectors is None else query_vectors[begin : begin + batch]
            for scores in self.combined_scores_many(chunk, vectors, context):
                out.append(self._best(scores, top))
        return out

    def rank(self, text: str, top: int = 10) -> list[TitleMatch]:
        """The ``top`` best ids for ``text``, each with its best-matching label."""
        return self.rank_many([text], top)[0]

    def _best(self, scores: np.ndarray, top: int) -> list[TitleMatch]:
        # Only the best few labels need sorting (a full sort of 34,000 scores per title
        # was half of a warm 2,900-title ranking); more are taken when synonyms of ids
        # already found fill them.
        wanted = 8 * top
        while True:
            order = leading(scores, wanted)
            seen: set[str] = set()
            out: list[TitleMatch] = []
            for position in order:
                score = float(scores[position])
                if score <= 0.0:
                    return out
                entry_id = self.ids[position]
                if entry_id in seen:
                    continue
                seen.add(entry_id)
                out.append(TitleMatch(entry_id, self.labels[position], round(score, 4)))
                if len(out) == top:
                    return out
            if len(order) == len(scores):
                return out
            wanted *= 4


def leading(scores: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` highest scores, best first, exactly as a stable sort of
    all of them orders them (with every position tied with the last one taken)."""
    if count >= len(scores):
        return np.argsort(-scores, kind="stable")
    threshold = np.partition(scores, len(scores) - count)[len(scores) - count]
    chosen = np.flatnonzero(scores >= threshold)
    result: np.ndarray = chosen[np.argsort(-scores[chosen], kind="stable")]
    return result
