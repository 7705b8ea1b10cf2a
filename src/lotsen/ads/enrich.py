"""Classify + extract: the ``enrichment`` other tools read, for one ad or many.

Output contract (one JSON object per ad; the input ad is kept and ``enrichment``
added)::

    enrichment = {
      "ssyk4": [{"code", "label", "probability"}, ...],             # ranked, top-k
      "occupation_names": [{"concept_id", "label", "probability"}, ...],
      "skills": [{"concept_id", "label", "start", "end", "requirement"}, ...],
      # concept_id is null for a competence the taxonomy lacks (ads/unlinked.py)
      "model": "<model version>",
    }

``start``/``end`` are character offsets into the ad's description text (the string,
or JobTech's ``description.text``), so ``text[start:end]`` is the matched surface.
``requirement`` is one of ``required``, ``meriting``, ``mentioned``. Skills are
ranked: ones that fit the predicted occupation first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from lotsen.ads.classifier import OccupationClassifier, Prediction
from lotsen.ads.extract import SkillExtractor
from lotsen.ads.model_files import load_model
from lotsen.ads.record import description_text
from lotsen.ads.skills import skill_dictionary
from lotsen.errors import InvalidInput
from lotsen.taxonomy.model import SSYK4, Taxonomy, load_taxonomy

DEFAULT_TOP_K = 5
MAX_TOP_K = 50
SKILL_CONTEXT_GROUPS = 3


class Enricher:
    """Holds the loaded model and dictionary; cheap to call many times."""

    def __init__(self, taxonomy: Taxonomy, classifier: OccupationClassifier,
                 extractor: SkillExtractor) -> None:
        self.taxonomy = taxonomy
        self.classifier = classifier
        self.extractor = extractor
        self.version = str(classifier.meta.get("version", "lotsen-ads-1"))
        self._group_ids = {c.code: c.id for c in taxonomy.of_type(SSYK4) if c.code}

    def enrich_texts(
        self, headlines: Sequence[str], bodies: Sequence[str], top_k: int = DEFAULT_TOP_K
    ) -> list[dict[str, Any]]:
        """Enrichment dicts for parallel lists of headlines and description texts."""
        if not 1 <= top_k <= MAX_TOP_K:
            raise InvalidInput(f"top_k must be between 1 and {MAX_TOP_K}, got {top_k}")
        predictions = self.classifier.predict(headlines, bodies, max(top_k, SKILL_CONTEXT_GROUPS))
        return [
            self._one(prediction, body, top_k)
            for prediction, body in zip(predictions, bodies, strict=True)
        ]

    def _one(self, prediction: Prediction, body: str, top_k: int) -> dict[str, Any]:
        groups = [
            (self._group_ids[r.code], r.probability)
            for r in prediction.ssyk4[:SKILL_CONTEXT_GROUPS]
            if r.code in self._group_ids
        ]
        skills = self.extractor.extract(body, groups)
        return {
            "ssyk4": [
                {"code": r.code, "label": r.label, "probability": round(r.probability, 4)}
                for r in prediction.ssyk4[:top_k]
            ],
            "occupation_names": [
                {"concept_id": r.concept_id, "label": r.label,
                 "probability": round(r.probability, 4)}
                for r in prediction.occupations[:top_k]
            ],
            "skills": [s.as_dict() for s in skills],
            "model": self.version,
        }

    def enrich_ads(
        self, ads: Iterable[dict[str, Any]], top_k: int = DEFAULT_TOP_K,
        location: str = "ad",
    ) -> list[dict[str, Any]]:
        """Each input ad (id, headline, description) with ``enrichment`` added."""
        ads = list(ads)
        headlines, bodies = [], []
        for number, ad in enumerate(ads, start=1):
            if not isinstance(ad, dict):
                raise InvalidInput("expected a JSON object", f"{location} {number}")
            headline, body = ad.get("headline"), description_text(ad)
            if not isinstance(headline, str):
                raise InvalidInput("headline: missing or not a string", f"{location} {number}")
            if body is None:
                raise InvalidInput(
                    'description: missing; give a string or {"text": ...}', f"{location} {number}"
                )
            headlines.append(headline)
            bodies.append(body)
        enrichments = self.enrich_texts(headlines, bodies, top_k)
        return [{**ad, "enrichment": e} for ad, e in zip(ads, enrichments, strict=True)]


def model_folder() -> Path:
    return Path(str(resources.files("lotsen.ads") / "data"))


@cache
def get_enricher() -> Enricher:
    """The shipped model and the shipped taxonomy, loaded once per process."""
    taxonomy = load_taxonomy()
    classifier = load_model(model_folder())
    return Enricher(taxonomy, classifier, SkillExtractor(taxonomy, skill_dictionary(taxonomy)))
