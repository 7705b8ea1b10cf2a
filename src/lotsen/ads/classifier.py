"""Which occupation an ad is for: SSYK-4 group and occupation name, with probabilities.

Five kinds of evidence, each a score per SSYK-4 group in [0, 1]:

* **title** — the headline (and its segments) against every occupation name, keyword,
  shipped synonym and English alias by character n-grams (:class:`TitleRanker`). An
  occupation name's score is its best label; a group's is its best occupation.
* **body** — cosine between the ad's stemmed words (headline words counted three
  times) and a prototype per group built from its occupation names, definition and
  skills. Catches ads whose headline says "Vi söker fler kollegor!".
* **mention** — the body names an occupation outright ("Vi söker en trafikledare").
* **ad title / ad body** — the nearest labelled real ads the model was fitted on
  (:class:`lotsen.ads.memory.AdMemory`): how employers actually file their ads.
* **embedded title / embedded ad** — the headline's vector against the vectors of every
  title entry and of the remembered ads' headlines; a group scores its best cosine,
  rescaled above ``emb_floor``. This carries English and unseen titles ("Data
  Engineer" → *Dataingenjör*). What is embedded is the headline's title part
  (:func:`title_core`: "Data Engineer till Balder i Göteborg!" → "Data Engineer"),
  which is shorter, repeats more often across ads and, in the grouped CV, ranks better
  than the whole headline. The shipped model takes the vectors from a static word and
  phrase table distilled from multilingual-e5 at build time
  (:mod:`lotsen.ads.static_vectors`, ≈ 0.01 ms per headline; ``static``); without one
  it runs e5 itself (:mod:`lotsen.ads.embedding`, ≈ 10–20 ms of CPU per headline, a
  hundred times the rest of the classification). In the grouped CV the two rank alike
  (docs/performance.md). With ``emb_swedish`` 0 (shipped) only the headlines of ads
  that are not in Swedish are embedded (:func:`lotsen.text.language.is_swedish`):
  Swedish headlines meet the Swedish titles lexically, and embedding them too lowered
  top-1 with either embedding. ``emb_gate`` (fitted, see
  :func:`lotsen.ads.tuning.choose_gate`) narrows it further to ads whose cheap top
  group is below that probability. The e5 encoder remembers titles it has seen.

The first three are the taxonomy prior (:func:`lotsen.ads.training.build_classifier`);
:meth:`OccupationClassifier.fit` adds the labelled ads, scikit-learn style
(``fit(headlines, bodies, ssyk4, groups)`` returns the fitted model). The group logit is
a weighted sum; probabilities are ``softmax(logit / T)``. ``fit`` chooses the weights
by leave-employer-group-out accuracy on the labelled ads and the temperature ``T`` by
their log-loss (calibration). An occupation name's probability is its group's
probability times a softmax of the title scores inside the group. Everything is stored
as plain arrays (``.npz``) and JSON with a ``format`` number checked on load
(:mod:`lotsen.ads.model_files`); nothing
is unpickled.
"""

from __future__ import annotations

import copy
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from lotsen.ads.embedding import E5Encoder, TextEncoder, e5_available, rescale
from lotsen.ads.features import WORD, TfidfSpace, fold_words
from lotsen.ads.memory import MAX_BODY_CHARS, AdMemory, body_document
from lotsen.ads.static_vectors import StaticTable
from lotsen.ads.titles import TitleRanker, segments
from lotsen.ads.tuning import choose_gate, fit_weights
from lotsen.errors import InvalidInput
from lotsen.text.language import is_swedish

MODEL_FILES = ("occupation_model.json", "occupation_model.npz")
MODEL_FORMAT = 3


def title_core(headline: str) -> str:
    """The headline's first piece before a separator or "till"/"at"/"-", the part that
    names the job ("Senior Data Engineer - Remote!" → "Senior Data Engineer")."""
    pieces = segments(headline)
    return pieces[1] if len(pieces) > 1 else headline


@dataclass
class ClassifierParams:
    """The fitted combination: weights of the three evidence kinds and the temperature."""

    w_title: float = 4.0
    w_body: float = 3.0
    w_mention: float = 1.0
    temperature: float = 0.5
    occupation_sharpness: float = 12.0
    deprecated_penalty: float = 0.03
    w_ad_title: float = 0.0
    w_ad_body: float = 0.0
    w_emb_title: float = 0.0
    w_emb_ad: float = 0.0
    emb_floor: float = 0.86
    emb_gate: float = 1.0
    # 1: embed the headlines of Swedish ads too; 0: only of ads in another language
    # (English), where the Swedish titles' lexical match fails (lotsen.text.language).
    emb_swedish: float = 0.0

    def __post_init__(self) -> None:
        for name, value in self.__dict__.items():
            if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(
                    value):
                raise InvalidInput(f"classifier parameter {name} must be a finite number,"
                                   f" got {value!r}")
            if value < 0:
                raise InvalidInput(f"classifier parameter {name} must be >= 0, got {value}")
        if not 1e-3 <= self.temperature <= 100:
            raise InvalidInput(f"temperature must be in [0.001, 100], got {self.temperature}")
        if self.emb_swedish not in (0.0, 1.0):
            raise InvalidInput(f"emb_swedish must be 0 or 1, got {self.emb_swedish}")
        if self.emb_floor >= 1 or self.emb_gate > 1:
            raise InvalidInput("emb_floor must be below 1 and emb_gate at most 1,"
                               f" got {self.emb_floor}, {self.emb_gate}")

    def as_dict(self) -> dict[str, float]:
        return dict(self.__dict__)


@dataclass(frozen=True, slots=True)
class Ranked:
    code: str
    label: str
    probability: float
    concept_id: str


@dataclass
class Prediction:
    ssyk4: list[Ranked] = field(default_factory=list)
    occupations: list[Ranked] = field(default_factory=list)


class OccupationClassifier:
    """Scores ads against the 400 SSYK-4 groups.

    Build the taxonomy prior with :func:`lotsen.ads.training.build_classifier`, then
    :meth:`fit` it on labelled ads; :mod:`lotsen.ads.model_files` saves and loads it."""

    def __init__(
        self,
        groups: list[tuple[str, str, str]],
        occupations: list[tuple[str, str, int, bool]],
        titles: TitleRanker,
        entry_occupation: np.ndarray,
        body_space: TfidfSpace,
        prototypes: sparse.csr_matrix,
        mentions: dict[str, list[int]],
        params: ClassifierParams | None = None,
        meta: dict[str, Any] | None = None,
        memory: AdMemory | None = None,
        label_vectors: np.ndarray | None = None,
        ad_vectors: np.ndarray | None = None,
        static: StaticTable | None = None,
    ) -> None:
        self.groups = groups  # (concept id, SSYK code, label), in occupation order
        self.occupations = occupations  # (concept id, label, group index, deprecated)
        self.titles = titles
        self.entry_occupation = np.asarray(entry_occupation, dtype=np.int32)
        self.body_space = body_space
        self.prototypes = prototypes.tocsr().astype(np.float32)
        self.mentions = mentions
        self.params = params or ClassifierParams()
        self.meta = dict(meta or {})
        self.memory = memory
        # e5 vectors of the title entries (titles.labels order) and of the remembered
        # ads' headlines (memory order); None when built without the embedding model.
        self.label_vectors = label_vectors
        self.ad_vectors = ad_vectors
        # With a static table (lotsen.ads.static_vectors), headlines and title entries
        # are both its averages and e5 is not run; label_vectors stay e5's, for the
        # title ranker (lotsen.services.titles) that starts from them.
        self.static = static
        self._encoder: TextEncoder | None = None
        # What of a headline is embedded (the CV swaps in the whole headline to compare).
        self.embed_text: Callable[[str], str] = title_core
        self.fit_gate = True
        self._exact: tuple[np.ndarray, np.ndarray | None] | None = None
        occ_group = np.array([o[2] for o in occupations], dtype=np.int32)
        if np.any(np.diff(self.entry_occupation) < 0) or np.any(np.diff(occ_group) < 0):
            raise InvalidInput("title entries must be sorted by occupation, occupations by group")
        self._occ_group = occ_group
        self._occ_starts = np.searchsorted(self.entry_occupation, np.arange(len(occupations)))
        self._group_starts = np.searchsorted(occ_group, np.arange(len(groups)))
        self._deprecated = np.array([o[3] for o in occupations], dtype=bool)
        self._entry_starts = np.searchsorted(
            occ_group[self.entry_occupation], np.arange(len(groups)))

    @property
    def encoder(self) -> TextEncoder | None:
        """The headline embedder: the static table when the model has one, else e5 when
        its package loads, else None (cheap path only)."""
        if self._encoder is None and self.static is not None:
            self._encoder = self.static
        elif self._encoder is None and self.label_vectors is not None and e5_available():
            # One engine thread: bulk classification runs one process per core.
            self._encoder = E5Encoder(threads=1)
        return self._encoder

    @encoder.setter
    def encoder(self, value: TextEncoder | None) -> None:
        self._encoder = value

    @property
    def embeds(self) -> bool:
        """Whether the title entries have vectors to compare headlines with."""
        return self.label_vectors is not None or self.static is not None

    # -- evidence ------------------------------------------------------------------
    def evidence(
        self, headlines: Sequence[str], bodies: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(title per group, body per group, mention per group, title per occupation)."""
        n, n_groups = len(headlines), len(self.groups)
        entry = self.titles.entry_scores_many(headlines)
        title_occ = np.maximum.reduceat(entry, self._occ_starts, axis=1)
        title_occ -= self.params.deprecated_penalty * self._deprecated
        np.clip(title_occ, 0.0, 1.0, out=title_occ)
        title = np.maximum.reduceat(title_occ, self._group_starts, axis=1)
        docs: list[Counter[str]] = []
        mention = np.zeros((n, n_groups), dtype=np.float32)
        for row, (headline, body) in enumerate(zip(headlines, bodies, strict=True)):
            body = body[:MAX_BODY_CHARS]
            docs.append(body_document(headline, body))
            for token in WORD.findall(fold_words(body)):
                for group in self.mentions.get(token, ()):
                    mention[row, group] += 0.5
        body_scores = np.asarray(
            (self.body_space.transform(docs) @ self.prototypes.T).todense(), dtype=np.float32
        )
        return title, body_scores, np.minimum(mention, 1.0), title_occ

    def ad_evidence(
        self, headlines: Sequence[str], bodies: Sequence[str], exclude: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(ad title, ad body) per group from the remembered labelled ads (zeros if none)."""
        if self.memory is None:
            zeros = np.zeros((len(headlines), len(self.groups)), dtype=np.float32)
            return zeros, zeros.copy()
        return self.memory.scores(headlines, bodies, exclude)

    def embedding_cosines(
        self, headlines: Sequence[str], exclude: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """(best cosine per group over title entries, over remembered ads' headlines),
        or None without label vectors or encoder. Groups without remembered ads get 0."""
        encoder = self.encoder
        if not self.embeds or encoder is None or not headlines:
            return None
        # float16 vectors multiplied in float64 give exact cosines whatever the BLAS
        # threading, so a Dask worker and this process rank ties alike.
        texts = [self.embed_text(h) for h in headlines]
        vectors = encoder.encode(texts).astype(np.float16).astype(np.float64)
        if self._exact is None:
            labels = self.label_vectors if self.static is None else self.static.encode(
                self.titles.labels)
            assert labels is not None
            self._exact = (labels.astype(np.float16).astype(np.float64).T,
                           None if self.ad_vectors is None else
                           self.ad_vectors.astype(np.float16).astype(np.float64).T)
        labels = np.maximum.reduceat(vectors @ self._exact[0], self._entry_starts, axis=1)
        ads = np.zeros_like(labels)
        if self._exact[1] is not None and self.memory is not None and len(self.memory):
            sims = vectors @ self._exact[1]
            if exclude is not None:
                sims[exclude] = 0.0
            for group in np.unique(self.memory.labels):
                ads[:, group] = sims[:, self.memory.labels == group].max(axis=1)
        return labels.astype(np.float32), ads.astype(np.float32)

    def logits(
        self, title: np.ndarray, body: np.ndarray, mention: np.ndarray,
        ad_title: np.ndarray | None = None, ad_body: np.ndarray | None = None,
        embedded: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> np.ndarray:
        p = self.params
        out = p.w_title * title + p.w_body * body + p.w_mention * mention
        if ad_title is not None and p.w_ad_title:
            out = out + p.w_ad_title * ad_title
        if ad_body is not None and p.w_ad_body:
            out = out + p.w_ad_body * ad_body
        if embedded is not None:
            out = out + p.w_emb_title * rescale(embedded[0], p.emb_floor)
            out = out + p.w_emb_ad * rescale(embedded[1], p.emb_floor)
        return out

    def without_ads(self) -> OccupationClassifier | None:
        """The taxonomy prior alone (as before :meth:`fit`), or None if never fitted."""
        prior = self.meta.get("prior_params")
        if self.memory is None or not isinstance(prior, dict):
            return None
        other = copy.copy(self)
        other.memory = None
        other.ad_vectors = None
        other.label_vectors = None
        other.static = None
        other._encoder = None
        other._exact = None
        other.params = ClassifierParams(**prior)
        return other

    # -- fitting ------------------------------------------------------------------
    def fit(
        self, headlines: Sequence[str], bodies: Sequence[str], ssyk4: Sequence[str],
        groups: Sequence[str] | None = None,
    ) -> OccupationClassifier:
        """Learn from labelled ads: remember them, then choose the evidence weights and
        the temperature on them, each ad scored without the ads of its own ``groups``
        entry (employer group), so the choice sees what held-out ads will look like.
        Returns ``self``; the fit's figures are in ``meta["fit"]``."""
        index = {g[1]: i for i, g in enumerate(self.groups)}
        if not (len(headlines) == len(bodies) == len(ssyk4)):
            raise InvalidInput("headlines, bodies and ssyk4 must have the same length")
        unknown = sorted({code for code in ssyk4 if code not in index})
        if unknown:
            raise InvalidInput(f"unknown SSYK-4 codes in the labels: {', '.join(unknown[:5])}")
        if not headlines:
            raise InvalidInput("fit needs at least one labelled ad")
        group_keys = list(groups) if groups is not None else [str(i) for i in range(len(ssyk4))]
        if len(group_keys) != len(ssyk4):
            raise InvalidInput("groups must have one entry per ad")
        y = np.array([index[code] for code in ssyk4], dtype=np.int32)
        self.memory = AdMemory.fit(headlines, bodies, y, len(self.groups))
        keys = np.array(group_keys, dtype=object)
        exclude = keys[:, None] == keys[None, :]
        taxonomy_evidence = self.evidence(headlines, bodies)[:3]
        ad_evidence = self.ad_evidence(headlines, bodies, exclude)
        if self.embeds and self.encoder is not None:
            self.ad_vectors = self.encoder.encode([self.embed_text(h) for h in headlines]).astype(
                np.float16).astype(np.float32)
            self._exact = None
        embedded = self.embedding_cosines(headlines, exclude)
        if embedded is not None and not self.params.emb_swedish:
            # Fit the weights on the evidence prediction will have: no embedding for
            # the Swedish ads.
            swedish = np.array([is_swedish(f"{h}\n{b}") for h, b in zip(headlines, bodies,
                                                                      strict=True)])
            embedded = tuple(np.where(swedish[:, None], 0.0, e).astype(np.float32)
                             for e in embedded)  # type: ignore[assignment]
        self.meta.setdefault("prior_params", self.params.as_dict())
        params, report = fit_weights(self.params.as_dict(), taxonomy_evidence, ad_evidence, y,
                                     embedded)
        self.params = ClassifierParams(**params)
        if self.fit_gate and embedded is not None and (
                self.params.w_emb_title or self.params.w_emb_ad):
            cheap = self.logits(*taxonomy_evidence, *ad_evidence)
            zero = np.zeros_like(cheap)
            gain = self.logits(zero, zero, zero, embedded=embedded)
            self.params.emb_gate, report["gates"] = choose_gate(
                cheap, gain, y, self.params.temperature)
        self.meta["fit"] = {**report, "ads": len(headlines), "groups": len(set(group_keys))}
        return self

    def probabilities(self, logits: np.ndarray) -> np.ndarray:
        scaled = logits / self.params.temperature
        scaled -= scaled.max(axis=1, keepdims=True)
        exp = np.exp(scaled)
        result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return result

    # -- prediction ----------------------------------------------------------------
    def predict(
        self, headlines: Sequence[str], bodies: Sequence[str], top_k: int = 5
    ) -> list[Prediction]:
        """Ranked SSYK-4 groups and occupation names per ad, probabilities calibrated."""
        if len(headlines) != len(bodies):
            raise InvalidInput("headlines and bodies must have the same length")
        if not headlines:
            return []
        title, body, mention, title_occ = self.evidence(headlines, bodies)
        ad_title, ad_body = self.ad_evidence(headlines, bodies)
        logits = self.logits(title, body, mention, ad_title, ad_body)
        probs = self.probabilities(logits)
        if self.params.w_emb_title or self.params.w_emb_ad:
            unsure = np.flatnonzero(probs.max(axis=1) < self.params.emb_gate)
            if not self.params.emb_swedish:
                unsure = np.array([i for i in unsure if not is_swedish(
                    f"{headlines[int(i)]}\n{bodies[int(i)]}")], dtype=np.int64)
            embedded = self.embedding_cosines([headlines[int(i)] for i in unsure])
            if embedded is not None:
                zero = np.zeros_like(embedded[0])
                logits[unsure] += self.logits(zero, zero, zero, embedded=embedded)
                probs[unsure] = self.probabilities(logits[unsure])
        out: list[Prediction] = []
        for row in range(len(headlines)):
            order = np.argsort(-probs[row], kind="stable")[:top_k]
            prediction = Prediction()
            occ_candidates: list[tuple[float, int]] = []
            for g in order:
                concept_id, code, label = self.groups[g]
                prediction.ssyk4.append(Ranked(code, label, float(probs[row, g]), concept_id))
                start = self._group_starts[g]
                stop = self._group_starts[g + 1] if g + 1 < len(self.groups) else len(
                    self.occupations
                )
                if stop <= start:
                    continue
                inside = title_occ[row, start:stop] * self.params.occupation_sharpness
                inside = inside - self._deprecated[start:stop] * 2.0
                weights = np.exp(inside - inside.max())
                weights /= weights.sum()
                for offset, weight in enumerate(weights):
                    occ_candidates.append((float(probs[row, g] * weight), start + offset))
            occ_candidates.sort(key=lambda item: (-item[0], item[1]))
            for probability, index in occ_candidates[:top_k]:
                concept_id, label, group, _ = self.occupations[index]
                prediction.occupations.append(
                    Ranked(self.groups[group][1], label, probability, concept_id)
                )
            out.append(prediction)
        return out
