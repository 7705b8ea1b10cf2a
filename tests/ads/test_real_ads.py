"""Learning from real ads: fit, model format, parameters, folds and gold scoring."""

from __future__ import annotations

import copy
import json
import math
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from lotsen.ads.classifier import ClassifierParams
from lotsen.ads.embedding import DIM
from lotsen.ads.enrich import get_enricher, model_folder
from lotsen.ads.folds import assign_folds, employer_groups
from lotsen.ads.gold import GoldScore, load_gold
from lotsen.ads.model_files import load_model
from lotsen.ads.provenance import training_ads
from lotsen.errors import InvalidInput
from lotsen.text.language import is_swedish


@pytest.mark.parametrize("bad", [{"temperature": 0.0}, {"temperature": math.nan},
                                 {"w_title": -1.0}, {"w_ad_body": "2"},
                                 {"emb_swedish": 0.5}])
def test_parameters_are_validated(bad: dict[str, object]) -> None:
    with pytest.raises(InvalidInput, match="must be"):
        ClassifierParams(**bad)  # type: ignore[arg-type]


def test_load_refuses_another_format(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(model_folder(), folder)
    meta = json.loads((folder / "occupation_model.json").read_text("utf-8"))
    meta["format"] = 1
    (folder / "occupation_model.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(InvalidInput, match="has format 1, this Lotsen reads format 3"):
        load_model(folder)


def test_shipped_model_learned_from_listed_real_ads() -> None:
    model = get_enricher().classifier
    assert model.memory is not None and len(model.memory) == len(training_ads()) > 500
    assert model.params.w_ad_title + model.params.w_ad_body > 0
    assert model.without_ads() is not None


class RecordingEncoder:
    """Records what the classifier asks to embed; every text maps to one fixed vector."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.asked.extend(texts)
        vectors = np.zeros((len(texts), DIM), dtype=np.float32)
        vectors[:, 0] = 1.0
        return vectors


def test_only_headlines_of_ads_in_another_language_are_embedded() -> None:
    model = copy.deepcopy(get_enricher().classifier)
    assert model.params.emb_swedish == 0 and model.params.w_emb_title > 0
    recorder = RecordingEncoder()
    model.encoder = recorder
    swedish = "Vi söker dig som har erfarenhet av att bygga dataplattformar för våra kunder."
    english = "We are looking for you to join our team and build the data platform with us."
    model.predict(["Dataingenjör", "Data Engineer"], [swedish, english])
    assert recorder.asked == ["Data Engineer"]
    model.params = ClassifierParams(**{**model.params.as_dict(), "emb_swedish": 1.0})
    recorder.asked.clear()
    model.predict(["Dataingenjör", "Data Engineer"], [swedish, english])
    assert recorder.asked == ["Dataingenjör", "Data Engineer"]


@pytest.mark.parametrize(("text", "swedish"), [
    ("Vi söker en undersköterska till vår avdelning i Umeå. Du har erfarenhet av vård.",
     True),
    ("You will join our team in Stockholm and work with the data platform of the bank.",
     False),
    ("Python, SQL, Kubernetes", True),  # neither language's function words: cheap path
    ("Data Engineer\nWe are a team of engineers and you are the one we need for it.",
     False),
])
def test_language_is_read_from_function_words(text: str, swedish: bool) -> None:
    assert is_swedish(text) is swedish


def test_fit_learns_an_employers_choice_and_returns_self() -> None:
    model = copy.deepcopy(get_enricher().classifier)
    body = "Vi bygger dataplattformar i molnet och söker fler kollegor till teamet."
    heads = ["Zorblax Wrangler", "Senior Zorblax Wrangler", "Kock", "Kock till restaurang"]
    fitted = model.fit(heads, [body, body, "Laga mat i köket.", "Laga mat i köket."],
                       ["3113", "3113", "5120", "5120"], ["a", "b", "c", "d"])
    assert fitted is model and model.meta["fit"]["ads"] == 4
    assert model.predict(["Zorblax Wrangler Stockholm"], [body])[0].ssyk4[0].code == "3113"
    with pytest.raises(InvalidInput, match="unknown SSYK-4 codes in the labels: 9999"):
        model.fit(["x"], ["y"], ["9999"])


def test_reposts_stay_in_one_fold() -> None:
    ads = [{"employer": "A AB", "headline": "Kock"}, {"employer": "Bemanning AB",
                                                       "headline": "kock"},
           {"employer": "Bemanning AB", "headline": "Städare"}, {"employer": "C",
                                                                "headline": "Lärare"}]
    groups = employer_groups(ads)
    assert groups[0] == groups[1] == groups[2] != groups[3]
    folds = assign_folds(groups, 2)
    assert folds[0] == folds[1] == folds[2] != folds[3]
    assert assign_folds(groups, 2) == folds


def test_gold_scoring_at_concept_level(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    items = [{"phrase": "svenska", "requirement": "required", "accept": ["sv", "sv2"]},
             {"phrase": "SQL", "requirement": "meriting", "accept": ["sql"]},
             {"phrase": "Snowflake", "requirement": "required", "accept": []}]
    path.write_text(json.dumps({"id": 7, "skills": items}) + "\n", "utf-8")
    gold = load_gold(path)
    score = GoldScore()
    score.add(gold["7"], [{"concept_id": "sv2", "requirement": "required"},
                          {"concept_id": "java", "requirement": "meriting"},
                          {"concept_id": "sql", "requirement": "mentioned"}])
    report = score.report()
    assert (report["items"], report["found"], report["returned"], report["correct"]) == (
        2, 1, 2, 1)
    assert report["requirement_agreement"] == 1.0
    path.write_text(json.dumps({"id": 7, "skills": [{"accept": "x"}]}) + "\n", "utf-8")
    with pytest.raises(InvalidInput, match="gold.jsonl:1: each skill needs accept"):
        load_gold(path)


def test_tools_the_taxonomy_lacks_come_out_unlinked() -> None:
    text = ("Kvalifikationer:\n- Erfarenhet av Snowflake och Databricks\n"
            "- Power BI är meriterande\n\nHon gav bollen en spark.")
    skills = get_enricher().enrich_texts(["Data Engineer"], [text])[0]["skills"]
    unlinked = {s["label"]: s for s in skills if s["concept_id"] is None}
    assert set(unlinked) == {"Snowflake", "Databricks", "Power BI"}
    power_bi = unlinked["Power BI"]
    assert text[power_bi["start"]:power_bi["end"]] == "Power BI"
    assert power_bi["requirement"] == "meriting"
    assert unlinked["Snowflake"]["requirement"] == "required"
    # "BI" inside "Power BI" is not the linked concept Business Intelligence
    assert not any(s["label"].startswith("Business Intelligence") for s in skills)
