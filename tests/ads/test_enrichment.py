"""The classifier + extractor output contract, on the three real sample ads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lotsen.ads.enrich import get_enricher
from lotsen.ads.record import description_text
from lotsen.ads.skills import norm
from lotsen.errors import InvalidInput
from lotsen.services import ads as ads_service
from lotsen.services.access import SYSTEM

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "ads" / "samples.jsonl"


@pytest.fixture(scope="module")
def samples() -> list[dict]:
    return [json.loads(line) for line in SAMPLES.read_text("utf-8").splitlines()]


def test_contract_and_real_ads(samples: list[dict]) -> None:
    minimal = [{"id": s["id"], "headline": s["headline"],
                "description": {"text": s["description"]}} for s in samples]
    out = ads_service.classify(minimal, top_k=3, actor=SYSTEM)
    for ad, sample, result in zip(minimal, samples, out, strict=True):
        assert result["id"] == ad["id"] and result["description"] == ad["description"]
        enrichment = result["enrichment"]
        assert set(enrichment) >= {"ssyk4", "occupation_names", "skills"}
        groups = enrichment["ssyk4"]
        assert len(groups) == 3 and set(groups[0]) == {"code", "label", "probability"}
        probabilities = [g["probability"] for g in groups]
        assert probabilities == sorted(probabilities, reverse=True) and sum(probabilities) <= 1.0001
        assert groups[0]["code"] == sample["ssyk4"]
        names = enrichment["occupation_names"]
        assert set(names[0]) == {"concept_id", "label", "probability"}
        for skill in enrichment["skills"]:
            assert set(skill) == {"concept_id", "label", "start", "end", "requirement"}
            assert skill["requirement"] in {"required", "meriting", "mentioned"}


def test_spans_are_exact_and_traceable(samples: list[dict]) -> None:
    enricher = get_enricher()
    dictionary = enricher.extractor.dictionary
    for sample in samples:
        text = description_text(sample)
        assert text is not None
        skills = enricher.enrich_texts([sample["headline"]], [text])[0]["skills"]
        assert skills
        for skill in skills:
            surface = text[skill["start"]:skill["end"]]
            assert surface.strip() == surface and surface
            keys = [(norm(w),) for w in surface.replace("-", " ").split()]
            known = any(dictionary.exact.get(k) for k in keys) or skill["label"] in surface
            assert known or skill["label"] in dictionary.licences, (surface, skill)


def test_java_ad_requirements(samples: list[dict]) -> None:
    skills = ads_service.classify([samples[0]], actor=SYSTEM)[0]["enrichment"]["skills"]
    found = {s["label"].split(",")[0]: s["requirement"] for s in skills}
    assert found["Java"] == "required"          # under "Krav:"
    assert found["JavaScript"] == "meriting"    # under "Du får också gärna ha ...:"
    assert found["SQL"] == "meriting"


def test_english_it_title() -> None:
    result = ads_service.classify([{
        "id": "x", "headline": "Backend developer",
        "description": "We build payment services in Go and Java. You have 3+ years of "
                       "experience with Java. Fluent English is required."}], actor=SYSTEM)[0]
    assert result["enrichment"]["ssyk4"][0]["code"] == "2512"
    assert result["enrichment"]["occupation_names"][0]["label"] == "Backend-utvecklare"


def test_missing_description_names_the_ad() -> None:
    with pytest.raises(InvalidInput, match="ad 2: description"):
        ads_service.classify([{"id": 1, "headline": "a", "description": "b"},
                              {"id": 2, "headline": "c"}], actor=SYSTEM)
