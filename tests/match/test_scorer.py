"""The matcher's rules on hand-made people: hard filters, ranking, reasons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from tests.match.conftest import BODEN, LULEA, TRUCK_DRIVER, UMEA, person

from lotsen.match.explain import Explainer
from lotsen.match.index import PeopleIndex
from lotsen.match.naive import NaiveMatcher
from lotsen.match.need import NeedSpec
from lotsen.match.scorer import Matcher

Build = Callable[[list[dict[str, Any]]], PeopleIndex]


def need(truck_skills: list[str], **overrides: Any) -> NeedSpec:
    fields: dict[str, Any] = {
        "occupation_id": TRUCK_DRIVER,
        "municipality_code": LULEA,
        "start_date": date(2027, 2, 1),
        "must_skills": tuple(truck_skills[:4]),
        "nice_skills": tuple(truck_skills[4:6]),
    }
    fields.update(overrides)
    return NeedSpec(**fields)


def ids(index: PeopleIndex, rows: Any) -> list[int]:
    return [int(index.person_ids[r]) for r in rows]


def test_all_must_skills_outrank_none_all_else_equal(
    build: Build, matcher: Matcher, truck_skills: list[str]
) -> None:
    index = build([person(1), person(2, skills=truck_skills[:4])])
    ranking = matcher.fit(index).top(need(truck_skills), 10)
    assert ids(index, ranking.rows) == [2, 1]
    assert ranking.parts_of(0)["must_skills"] > 0 == ranking.parts_of(1)["must_skills"]
    assert abs(sum(ranking.parts_of(0).values()) - float(ranking.scores[0])) < 0.1


def test_withdrawn_or_expired_consent_is_never_matched(
    build: Build, matcher: Matcher, truck_skills: list[str]
) -> None:
    withdrawn = [{"purpose": "matching", "given_at": "2026-01-01", "withdrawn_at": "2026-05-01"}]
    statistics_only = [{"purpose": "statistics", "given_at": "2026-01-01"}]
    expired = [{"purpose": "matching", "given_at": "2020-01-01"}]
    regiven = withdrawn + [{"purpose": "matching", "given_at": "2026-06-01"}]
    index = build(
        [
            person(1, skills=truck_skills, consents=withdrawn),
            person(2, skills=truck_skills, consents=statistics_only),
            person(3, skills=truck_skills, consents=expired),
            person(4, consents=regiven),
            person(5),
        ]
    )
    ranking = matcher.fit(index).top(need(truck_skills), 10)
    assert sorted(ids(index, ranking.rows)) == [4, 5]
    assert ranking.eligible == 2


def test_commute_limit_filters_unless_relocation_is_allowed(
    build: Build, matcher: Matcher, truck_skills: list[str]
) -> None:
    index = build(
        [
            person(1, municipality_code=UMEA, max_commute_km=100.0),  # Umeå–Luleå ≈ 220 km
            person(2, municipality_code=BODEN, max_commute_km=60.0),  # centroids 43 km apart
            person(3, municipality_code=BODEN, max_commute_km=40.0),
        ]
    )
    matcher.fit(index)
    assert ids(index, matcher.top(need(truck_skills), 10).rows) == [2]
    moving = matcher.top(need(truck_skills, allow_relocation=True), 10)
    assert sorted(ids(index, moving.rows)) == [1, 2, 3]


def test_licence_and_swedish_level_are_hard_requirements(
    build: Build, matcher: Matcher, truck_skills: list[str], parts: dict[str, Any]
) -> None:
    ce, b = parts["licence"]["CE"], parts["licence"]["B"]
    index = build(
        [
            person(1, licences=[ce]),  # CE covers B
            person(2, licences=[b]),
            person(3, licences=[b], swedish_level="sfi_b"),
        ]
    )
    matcher.fit(index)
    assert sorted(ids(index, matcher.top(need(truck_skills, driving_licence_id=b), 9).rows)) == [
        1,
        2,
        3,
    ]
    assert ids(index, matcher.top(need(truck_skills, driving_licence_id=ce), 9).rows) == [1]
    swedish = need(truck_skills, driving_licence_id=b, min_swedish_level="sfi_d")
    assert sorted(ids(index, matcher.top(swedish, 9).rows)) == [1, 2]


def test_related_experience_ranks_same_above_substitute_above_none(
    build: Build, matcher: Matcher, truck_skills: list[str], parts: dict[str, Any]
) -> None:
    substitute = "wjGn_DCt_3Br"  # Teleskoptruckförare: same SSYK-4 group
    years = 5.0
    index = build(
        [
            person(1),
            person(2, occupations=[{"occupation_id": TRUCK_DRIVER, "years": years}]),
            person(3, occupations=[{"occupation_id": substitute, "years": years}]),
        ]
    )
    ranking = matcher.fit(index).top(need(truck_skills), 10)
    assert ids(index, ranking.rows) == [2, 3, 1]


def test_reasons_are_swedish_and_name_the_missing_skills(
    build: Build,
    matcher: Matcher,
    explainer: Explainer,
    truck_skills: list[str],
    taxonomy: Any,
) -> None:
    index = build(
        [
            person(
                1,
                municipality_code=BODEN,
                skills=truck_skills[:3],
                available_from="2027-03-01",
                occupations=[{"occupation_id": TRUCK_DRIVER, "years": 4.5}],
            )
        ]
    )
    wanted = need(truck_skills)
    ranking = matcher.fit(index).top(wanted, 1)
    explained = explainer.explain(index, wanted, int(ranking.rows[0]))
    missing_label = taxonomy.get(truck_skills[3]).label
    reasons = explained["reasons"]
    assert reasons[0] == "Har 3 av 4 skall-krav (egen uppgift, inga validerade)"
    assert reasons[1] == f"Saknar: {missing_label}"
    assert "Har arbetat som Truckförare i 4,5 år" in reasons
    assert any(
        r.startswith("Bor i Boden, ") and r.endswith("km från arbetsplatsen") for r in reasons
    )
    assert "Kan börja 2027-03-01 (28 dagar efter önskad start)" in reasons
    assert [m["concept_id"] for m in explained["missing_skills"] if m["requirement"] == "must"] == [
        truck_skills[3]
    ]


def test_vectorised_scores_equal_the_per_person_loop(
    build: Build, matcher: Matcher, parts: dict[str, Any], truck_skills: list[str]
) -> None:
    import random

    rng = random.Random(3)
    codes = [LULEA, BODEN, UMEA, "2581", "2482"]
    people = [
        person(
            i,
            municipality_code=rng.choice(codes),
            skills=rng.sample(truck_skills, rng.randint(0, 8)),
            max_commute_km=float(rng.choice([20, 60, 150])),
            swedish_level=rng.choice(["sfi_c", "sfi_d", "native"]),
            available_from=f"2027-0{rng.randint(1, 9)}-01",
            occupations=[{"occupation_id": TRUCK_DRIVER, "years": rng.uniform(0, 12)}]
            if rng.random() < 0.5
            else [],
        )
        for i in range(300)
    ]
    index = build(people)
    naive = NaiveMatcher(
        parts["grid"], parts["bits"], parts["relations"], consent_cutoff=date(2024, 1, 1)
    )
    for spec in (need(truck_skills), need(truck_skills, min_swedish_level="sfi_d")):
        fast = matcher.fit(index).top(spec, 20)
        slow = naive.top(spec, people, 20)
        assert [round(float(s), 2) for s in fast.scores] == [round(s, 2) for s, _ in slow]
