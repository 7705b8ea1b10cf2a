"""Search as a lotsare types it, asserted on concrete results over the shipped taxonomy."""

from __future__ import annotations

import statistics
import time

import pytest

from lotsen.errors import InvalidInput, UnknownConcept, UnknownConceptType
from lotsen.taxonomy.search import SearchHit, SearchIndex

OCC = ["occupation-name"]
LAKARE = "9K3i_XD4_Kyy"
BUSSFORARE = "6zL8_YYP_1eR"                 # current
BUSSFORARE_2019 = "qSXj_aXc_EGp"           # "Bussförare/Busschaufför", deprecated
LOKFORARE = "WU2H_o2e_rrm"
LOKFORARE_2019 = "UkgF_gNF_EYY"            # "Lokförare/Förare av tåg", deprecated
SKOGSTRANSPORTFORARE = "6nKy_pXY_CRv"
DISTRIBUTIONSFORARE = "JEhg_Dmh_mzv"
VVS_MONTOR = "ZZTi_v6g_4cZ"


def labels(hits: list[SearchHit]) -> list[str]:
    return [h.preferred_label for h in hits]


def ids(hits: list[SearchHit]) -> list[str]:
    return [h.concept_id for h in hits]


def test_missing_diacritics(index: SearchIndex) -> None:
    hits = index.search("lakare", OCC)
    assert any(label.startswith("Läkare") for label in labels(hits[:3]))
    assert hits[0].concept_id == LAKARE and hits[0].score == pytest.approx(1.0)
    assert hits[0].ssyk4 == "2219"


@pytest.mark.parametrize("query", ["montörer", "montörerna", "montorerna"])
def test_plural_and_definite_forms(index: SearchIndex, query: str) -> None:
    hits = index.search(query, OCC, limit=5)
    assert VVS_MONTOR in ids(hits)
    assert all("montör" in label.casefold() for label in labels(hits))


def test_plural_of_a_word_in_a_longer_label(index: SearchIndex) -> None:
    hits = index.search("undersköterskor", OCC, limit=3)
    assert all(label.startswith("Undersköterska") for label in labels(hits[:2]))


def test_unknown_compound_finds_its_head_word(index: SearchIndex) -> None:
    hits = index.search("godschaufför", OCC, limit=8)
    assert DISTRIBUTIONSFORARE in ids(hits)
    assert all("chaufför" in h.matched.casefold() for h in hits)
    assert index.search("godschaufförer", OCC, limit=8)[0].concept_id in ids(hits)


def test_head_word_finds_compounds(index: SearchIndex) -> None:
    hits = index.search("chaufför", limit=40)
    matched = {h.matched.casefold() for h in hits}
    assert {"långtradarchaufför", "timmerbilschaufför"} <= matched
    occupations = index.search("chaufför", OCC, limit=20)
    assert "Bussförare/Busschaufför" in labels(occupations)  # only the compound matches


@pytest.mark.parametrize(
    ("query", "expected_start"),
    [
        ("sjukskoterska", "Sjuksköterska"),   # no dots
        ("sjuksköteska", "Sjuksköterska"),    # a letter missing
        ("svetsre", "Svetsare"),              # a letter missing
        ("fysiterapeut", "Fysioterapeut"),    # not every "-terapeut"
        ("sjukskötreska", "Sjuksköterska"),   # two letters swapped
    ],
)
def test_small_typos(index: SearchIndex, query: str, expected_start: str) -> None:
    hits = index.search(query, OCC, limit=3)
    assert any(label.startswith(expected_start) for label in labels(hits)), labels(hits)


def test_short_words_are_not_fuzzy(index: SearchIndex) -> None:
    assert index.search("kcok", OCC) == []


def test_prefix_while_typing(index: SearchIndex) -> None:
    hits = index.search("ingenj", OCC, limit=3)
    assert hits[0].preferred_label.startswith("Ingenjör")
    groups = index.search("ingenj", ["ssyk-level-4"], limit=3)
    assert all(label.startswith("Ingenjörer") for label in labels(groups))


def test_keyword_points_to_its_occupation(index: SearchIndex) -> None:
    hits = index.search("timmerbilschaufför", OCC)
    assert hits[0].concept_id == SKOGSTRANSPORTFORARE
    assert hits[0].matched == "Timmerbilschaufför"
    keyword = index.search("timmerbilschaufför", ["keyword"])[0]
    assert keyword.preferred_label == "Timmerbilschaufför" and keyword.type == "keyword"


def test_shipped_synonym_and_current_name_before_deprecated(index: SearchIndex) -> None:
    hits = index.search("busschaffis", OCC)
    assert hits[0].concept_id == BUSSFORARE and hits[0].matched == "busschaffis"
    assert ids(hits).index(BUSSFORARE_2019) > 0
    assert index.search("rörmokare", OCC)[0].concept_id == VVS_MONTOR


def test_deprecated_ranks_below_current(index: SearchIndex) -> None:
    found = ids(index.search("lokförare", OCC))
    assert found[0] == LOKFORARE
    assert found.index(LOKFORARE_2019) > found.index(LOKFORARE)


def test_ranking_exact_then_prefix_then_tokens(index: SearchIndex) -> None:
    hits = index.search("lärare i grund", OCC, limit=6)
    assert all(label.startswith("Lärare i grundskolan") for label in labels(hits[:4]))
    assert hits[0].score > hits[4].score
    assert index.search("vvs montör", OCC)[0].concept_id == VVS_MONTOR
    assert index.search("vvsmontör", OCC)[0].concept_id == VVS_MONTOR
    # shorter, more specific labels first among equal matches
    lakare = labels(index.search("läkare", OCC, limit=4))
    assert lakare[0] == "Läkare" and lakare[1] in {"AT-läkare", "BT-läkare"}
    scores = [h.score for h in index.search("svetsare", OCC, limit=10)]
    assert scores == sorted(scores, reverse=True)


def test_english_it_titles(index: SearchIndex) -> None:
    assert index.search("backend developer", OCC)[0].preferred_label == "Backend-utvecklare"
    assert index.search("project manager", OCC)[0].preferred_label == "Projektledare, IT"


def test_hit_shape_and_types(index: SearchIndex) -> None:
    hits = index.search("svets", ["occupation-name", "skill"], limit=15)
    assert {h.type for h in hits} <= {"occupation-name", "skill"}
    assert len(hits) == 15
    for hit in hits:
        data = hit.as_dict()
        assert list(data) == ["concept_id", "type", "preferred_label", "ssyk4", "score",
                              "matched"]
        assert 0 < hit.score <= 1.0
        if hit.type == "skill":
            assert hit.ssyk4 is None
        elif hit.ssyk4 is not None:
            assert len(hit.ssyk4) == 4 and hit.ssyk4.isdigit()
    with pytest.raises(AttributeError):
        hits[0].score = 2.0  # type: ignore[misc]


def test_bad_input(index: SearchIndex) -> None:
    with pytest.raises(UnknownConceptType, match="occupation-name"):
        index.search("läkare", ["occupation"])
    for empty in ("", "   ", "--/,"):
        with pytest.raises(InvalidInput, match="empty query: type at least one letter"):
            index.search(empty)
    with pytest.raises(InvalidInput):
        index.search("läkare", limit=0)


def test_user_synonym_is_found_at_once(fresh_index: SearchIndex) -> None:
    assert fresh_index.search("kvacksalvare") == []
    fresh_index.add_synonym("kvacksalvare", LAKARE)
    for query in ("kvacksalvare", "kvacksalvarna", "kvacks", "kvacksalvre"):
        hit = fresh_index.search(query, OCC)[0]
        assert (hit.concept_id, hit.matched) == (LAKARE, "kvacksalvare"), query
    with pytest.raises(UnknownConcept):
        fresh_index.add_synonym("något", "nope_nope_no")
    with pytest.raises(InvalidInput):
        fresh_index.add_synonym("  ", LAKARE)


def test_user_synonym_can_be_the_head_of_known_compounds(fresh_index: SearchIndex) -> None:
    fresh_index.add_synonym("chaffis", DISTRIBUTIONSFORARE)
    matched = {h.matched for h in fresh_index.search("chaffis", limit=30)}
    assert "Busschaffis" in matched  # an existing keyword, now reached as a compound


def test_latency_is_interactive(index: SearchIndex) -> None:
    queries = ["lakare", "montörerna", "godschaufför", "sjuksköteska", "ingenj",
               "busschaffis", "lärare i grund", "svetsre", "backend developer", "ab"] * 20
    times = []
    for query in queries:
        start = time.perf_counter()
        index.search(query, OCC if len(times) % 2 else None)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.005
