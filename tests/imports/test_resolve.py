"""Cell text → taxonomy concepts and codes: exact or clearly best, never a guess."""

from __future__ import annotations

import pytest

from lotsen.imports.resolve import (
    ConceptResolver,
    Resolved,
    Unresolved,
    education_level_resolver,
    municipality_resolver,
)
from lotsen.taxonomy.model import LANGUAGE, OCCUPATION, SKILL, Taxonomy, load_taxonomy
from lotsen.taxonomy.search import get_search_index

SVETSARE = "rxrQ_Nyy_k6y"
SNICKARE = "4Z7F_oBG_vMG"
VVS_MONTOR = "ZZTi_v6g_4cZ"
USK_HEMTJANST = "bSEB_VKd_Ub3"
USK_VARD = "PQkQ_Dmk_ZF8"
MAG_MIG = "Q1D1_Pdc_rnT"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="module")
def occupations(taxonomy: Taxonomy) -> ConceptResolver:
    return ConceptResolver(taxonomy, get_search_index(), [OCCUPATION], "occupation")


@pytest.fixture(scope="module")
def skills(taxonomy: Taxonomy) -> ConceptResolver:
    return ConceptResolver(taxonomy, get_search_index(), [SKILL], "skill")


@pytest.mark.parametrize(("text", "concept_id", "how"), [
    ("Svetsare", SVETSARE, "label"),
    ("SVETSARE", SVETSARE, "label"),
    ("snickare", SNICKARE, "label"),          # one half of "Träarbetare/Snickare"
    ("traarbetare", SNICKARE, "label"),       # without diacritics
    ("rörmokare", VVS_MONTOR, "search"),      # a shipped synonym, matched exactly
    (SVETSARE, SVETSARE, "id"),
])
def test_swedish_text_resolves_to_the_right_concept(
        occupations: ConceptResolver, text: str, concept_id: str, how: str) -> None:
    found = occupations.resolve(text)
    assert isinstance(found, Resolved) and (found.value, found.how) == (concept_id, how)


def test_ambiguous_text_is_reported_with_candidates_not_guessed(
        occupations: ConceptResolver) -> None:
    found = occupations.resolve("Undersköterska")
    assert isinstance(found, Unresolved)
    assert "tvetydigt" in found.reason
    assert any(USK_HEMTJANST in c for c in found.candidates)
    assert any(USK_VARD in c for c in found.candidates)
    assert "närmast:" in found.message("Undersköterska")


def test_a_clearly_best_hit_is_accepted_and_a_near_tie_is_not(skills: ConceptResolver) -> None:
    clear = skills.resolve("svetsning MIG/MAG")  # MAG/MIG-svetsning far ahead of the rest
    assert isinstance(clear, Resolved) and clear.value == MAG_MIG and clear.how == "search"
    close = skills.resolve("svetsning")  # several welding skills score about the same
    assert isinstance(close, Unresolved) and len(close.candidates) == 3


def test_ids_of_the_wrong_type_and_unknown_ids_are_refused(
        occupations: ConceptResolver) -> None:
    wrong = occupations.resolve(MAG_MIG)
    assert isinstance(wrong, Unresolved) and "kompetens" in wrong.reason
    unknown = occupations.resolve("abcd_efg_hij")
    assert isinstance(unknown, Unresolved) and "inget begrepps-id" in unknown.reason


def test_language_labels(taxonomy: Taxonomy) -> None:
    languages = ConceptResolver(taxonomy, get_search_index(), [LANGUAGE], "language")
    found = languages.resolve("arabiska")
    assert isinstance(found, Resolved) and found.label == "Arabiska"


@pytest.mark.parametrize(("text", "code"), [
    ("2480", "2480"), ("Luleå", "2580"), ("lulea", "2580"), ("180", "0180"),
    ("Skellefteå", "2482"),
])
def test_municipality_by_code_or_name(taxonomy: Taxonomy, text: str, code: str) -> None:
    found = municipality_resolver(taxonomy).resolve(text)
    assert isinstance(found, Resolved) and found.value == code


def test_unknown_municipality_suggests_a_name(taxonomy: Taxonomy) -> None:
    found = municipality_resolver(taxonomy).resolve("Skelleftea kommun")
    assert isinstance(found, Unresolved)
    code = municipality_resolver(taxonomy).resolve("9999")
    assert isinstance(code, Unresolved) and "kod" in code.reason
    typo = municipality_resolver(taxonomy).resolve("Skeleftea")
    assert isinstance(typo, Unresolved) and any("2482" in c for c in typo.candidates)


@pytest.mark.parametrize(("text", "code"), [
    ("3", "3"), ("33", "3"), ("Gymnasial utbildning", "3"), ("Forskarutbildning", "6"),
])
def test_education_level_is_stored_as_sun_level_1(taxonomy: Taxonomy, text: str,
                                                  code: str) -> None:
    found = education_level_resolver(taxonomy).resolve(text)
    assert isinstance(found, Resolved) and found.value == code
