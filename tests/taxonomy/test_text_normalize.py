"""Swedish normalisation: folding, tokens, stems, as search and ad parsing rely on them."""

from __future__ import annotations

import pytest

from lotsen.text import (
    STOPWORDS,
    content_tokens,
    fold,
    fold_aligned,
    index_terms,
    normalize_key,
    stem,
    terms,
    tokenize,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Läkare", "lakare"),
        ("Ångermanland", "angermanland"),
        ("Öresund", "oresund"),
        ("Café", "cafe"),
        ("Müller", "muller"),
        ("Øresund", "oresund"),
        ("Æble", "aeble"),
        ("STRASSE ß", "strasse ss"),
    ],
)
def test_fold_removes_case_and_diacritics(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_tokenize_splits_punctuation_and_hyphens() -> None:
    assert tokenize("VVS-montör, Lärling") == ["vvs", "montor", "larling"]
    assert tokenize("Träarbetare/Snickare") == ["traarbetare", "snickare"]
    assert tokenize("  ,; ") == []


def test_index_terms_add_the_joined_hyphenated_word() -> None:
    tokens = [token for token, _ in index_terms("VVS-montör")]
    assert tokens == ["vvs", "montor", "vvsmontor"]


def test_normalize_key_ignores_punctuation_and_spacing() -> None:
    assert normalize_key("Kock, fartyg") == normalize_key("kock   FARTYG") == "kock fartyg"


@pytest.mark.parametrize(
    ("forms", "base"),
    [
        (["montörer", "montörerna", "montorerna", "montorer"], "montör"),
        (["undersköterskor", "undersköterskorna", "underskoterskor"], "undersköterska"),
        (["sjuksköterskan", "sjuksköterskor"], "sjuksköterska"),
        (["lärarna", "lararna"], "lärare"),
        (["läkarna"], "läkare"),
        (["chaufförer", "chaufforer"], "chaufför"),
        (["svetsarna"], "svetsare"),
    ],
)
def test_stem_collapses_plural_and_definite_forms(forms: list[str], base: str) -> None:
    for form in forms:
        assert stem(form) == stem(base), form


def test_terms_pair_each_token_with_its_stem() -> None:
    assert terms("Montörerna") == [("montorerna", stem("montör"))]
    assert stem("1234") == "1234"


def test_stopwords_are_dropped_unless_nothing_else_is_left() -> None:
    assert "och" in STOPWORDS and "i" in STOPWORDS
    assert content_tokens(["larare", "i", "grundskolan"]) == ["larare", "grundskolan"]
    assert content_tokens(["i"]) == ["i"]


@pytest.mark.parametrize("text", [
    "Läkare, ST", "Du har B-körkort…", "Straße och İstanbul", "e\u0301cole", "ÅÄÖ éü – • ’",
    "plain ascii", "日本語のテキスト",
])
def test_fold_aligned_keeps_offsets_and_agrees_with_fold(text: str) -> None:
    aligned = fold_aligned(text)
    assert len(aligned) == len(text)
    if len(fold(text)) == len(text):
        assert aligned == fold(text)
    assert not any(c in aligned for c in "åäöéüÅÄÖ")  # every diacritic is gone
