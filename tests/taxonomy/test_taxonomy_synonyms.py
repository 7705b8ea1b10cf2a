"""The shipped synonyms file: well formed, and every concept id exists in the taxonomy."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest

from lotsen.errors import InvalidInput, UnknownConcept
from lotsen.taxonomy.model import OCCUPATION, Taxonomy
from lotsen.taxonomy.search import SearchIndex, load_synonyms
from lotsen.text import normalize_key


def rows() -> list[dict[str, str]]:
    text = (resources.files("lotsen.taxonomy") / "data" / "synonyms.csv").read_text("utf-8")
    reader = csv.DictReader(text.splitlines())
    assert reader.fieldnames == ["label", "concept_id", "note"]
    return list(reader)


def test_every_concept_id_exists(taxonomy: Taxonomy) -> None:
    missing = [row for row in rows() if row["concept_id"] not in taxonomy]
    assert missing == []


def test_rows_are_complete_and_unique(taxonomy: Taxonomy) -> None:
    data = rows()
    assert len(data) >= 150
    pairs = [(normalize_key(r["label"]), r["concept_id"]) for r in data]
    assert len(pairs) == len(set(pairs))
    for row in data:
        assert row["label"].strip() == row["label"] and normalize_key(row["label"])
        assert row["note"].strip()
        concept = taxonomy.get(row["concept_id"])
        # Synonyms point at current occupation names: the ones a lotsare registers.
        assert concept.type == OCCUPATION and not concept.deprecated, row


def test_brief_examples_are_covered(synonyms: list[tuple[str, str]]) -> None:
    labels = {label for label, _ in synonyms}
    for label in ("rörmokare", "snickare", "busschaffis", "lastbilschaffis", "undersköterska",
                  "lärare", "städare", "kock", "elektriker", "svetsare", "truckförare",
                  "personlig assistent", "processoperatör", "batterioperatör",
                  "backend developer", "software engineer", "data scientist",
                  "project manager"):
        assert label in labels, label


def test_a_bad_synonyms_file_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.csv"
    path.write_text("label,concept_id,note\nrörmokare,ZZTi_v6g_4cZ,ok\nlåtsas,,no id\n")
    with pytest.raises(InvalidInput, match=r"synonyms.csv:3"):
        load_synonyms(path)


def test_a_synonym_for_an_unknown_concept_is_refused(taxonomy: Taxonomy) -> None:
    with pytest.raises(UnknownConcept, match="nope_nope_no"):
        SearchIndex.build(taxonomy, [("påhittad titel", "nope_nope_no")])
