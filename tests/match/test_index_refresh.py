"""The people index refreshes only the people who changed (finding 13 of issue 14).

Database triggers (migration 0008) stamp each changed person; ``IndexCache`` reads
those people alone and patches them in. Each test compares the refreshed index with
a full load of the same database: the same people, data and top-k, on both stores.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, delete, insert, update
from tests.match.conftest import TRUCK_DRIVER

from lotsen.demo.generator import DemoCatalog, employers, needs, people
from lotsen.match import loading
from lotsen.match.geo import grid_for
from lotsen.match.index import PeopleIndex
from lotsen.match.levels import LicenceBits
from lotsen.match.loading import IndexCache, load_index
from lotsen.match.need import NeedSpec
from lotsen.match.relations import OccupationRelations
from lotsen.match.scorer import Matcher
from lotsen.services import consents, matching
from lotsen.services.access import SYSTEM
from lotsen.services.people import erase_person
from lotsen.store.db import transaction
from lotsen.store.models import Consent, Person, PersonSkill, Tenant
from lotsen.store.records import upsert_person
from lotsen.taxonomy import Taxonomy

PEOPLE = 60


@pytest.fixture(scope="module")
def catalog(taxonomy: Taxonomy) -> DemoCatalog:
    return DemoCatalog.from_taxonomy(taxonomy)


@pytest.fixture(scope="module")
def specs(catalog: DemoCatalog) -> list[NeedSpec]:
    rng = random.Random(3)
    found = [NeedSpec.from_record(n) for n in needs(rng, catalog, list(employers(rng)))]
    return found[:25]


@pytest.fixture
def region(engine: Engine, catalog: DemoCatalog) -> Engine:
    """60 demo people in one tenant; everyone in Norrbotten may match (relocation aside)."""
    with transaction(engine) as session:
        tenant = Tenant(slug="t", name="T", municipality_codes=[])
        session.add(tenant)
        session.flush()
        for i, rec in enumerate(people(11, catalog, PEOPLE)):
            upsert_person(session, tenant.id, {**rec, "source_id": f"p{i}",
                                               "pseudonym": f"{rec['pseudonym']}{i}"})
    return engine


@pytest.fixture
def cache(parts: dict[str, Any]) -> IndexCache:
    return IndexCache(parts["grid"], parts["bits"])


@pytest.fixture
def service_cache(region: Engine) -> IndexCache:
    """The matching service's own cache: the one a service that changes people tells."""
    cache = matching.tools().cache
    cache.forget(region)
    return cache


def top(parts: dict[str, Any], index: PeopleIndex, specs: Sequence[NeedSpec],
        k: int = 15) -> list[list[tuple[int, float]]]:
    matcher = Matcher(parts["grid"], parts["bits"], parts["relations"]).fit(index)
    found = []
    for spec in specs:
        for relocation in (False, True):
            ranking = matcher.top(NeedSpec(**{**spec.__dict__, "allow_relocation": relocation}),
                                  k)
            found.append([(int(index.person_ids[r]), round(float(s), 4))
                          for r, s in zip(ranking.rows, ranking.scores, strict=True)])
    return found


def people_of(index: PeopleIndex) -> dict[int, tuple[Any, ...]]:
    """Everything the index holds per (present) person, independent of row numbers."""
    held = {}
    for row, pid in enumerate(index.person_ids):
        if index.pseudonyms[row] == b"":
            continue
        held[int(pid)] = (
            index.pseudonyms[row], int(index.tenant_ids[row]), int(index.municipality[row]),
            float(index.max_commute_km[row]), int(index.available[row]),
            int(index.swedish[row]), int(index.education[row]), int(index.licences[row]),
            bool(index.consent[row]), bool(index.cross_tenant[row]),
            tuple(index.skills_of_row(row)), tuple(index.occupations_of_row(row)),
        )
    return held


def same_as_full_load(parts: dict[str, Any], engine: Engine, index: PeopleIndex,
                      specs: Sequence[NeedSpec]) -> None:
    full = load_index(engine, parts["grid"], parts["bits"])
    assert people_of(index) == people_of(full)
    assert top(parts, index, specs) == top(parts, full, specs)
    assert int(index.consent.sum()) == int(full.consent.sum())
    for skill in full.skill_ids:  # posting lists stay sorted after patching
        rows = index.holders(skill)
        assert np.all(np.diff(rows) > 0)


def a_consenting_person(index: PeopleIndex) -> int:
    return int(index.person_ids[np.flatnonzero(index.consent)[0]])


def test_a_change_to_one_person_reads_only_that_person(
    region: Engine, cache: IndexCache, parts: dict[str, Any], specs: list[NeedSpec],
    truck_skills: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = cache.get(region)
    assert cache.last is not None and cache.last.kind == "full"
    assert cache.last.people_read == PEOPLE
    reads: list[Sequence[int] | None] = []
    read = loading._read

    def spy(session: Any, grid: Any, bits: Any, ids: Sequence[int] | None) -> Any:
        reads.append(None if ids is None else list(ids))
        return read(session, grid, bits, ids)

    monkeypatch.setattr(loading, "_read", spy)
    assert cache.fresh(region) is first and cache.last.kind == "none"  # nothing changed
    assert reads == []

    someone = int(first.person_ids[7])
    with transaction(region) as session:
        session.execute(delete(PersonSkill).where(PersonSkill.person_id == someone))
        session.execute(insert(PersonSkill), [{"person_id": someone, "skill_id": s}
                                              for s in truck_skills[:6]])
        session.execute(update(Person).where(Person.id == someone).values(
            municipality_code="2584", max_commute_km=80.0))
    refreshed = cache.fresh(region)
    assert cache.last.kind == "people" and cache.last.people_read == 1
    assert reads == [[someone]]
    assert refreshed is not first
    row = refreshed.row_of(someone)
    assert row is not None and refreshed.skills_of_row(row) == sorted(truck_skills[:6])
    assert first.skills_of_row(first.row_of(someone) or 0) != sorted(truck_skills[:6])
    same_as_full_load(parts, region, refreshed, specs)


def test_new_and_changed_people_give_what_a_full_load_gives(
    region: Engine, cache: IndexCache, parts: dict[str, Any], specs: list[NeedSpec],
    catalog: DemoCatalog, truck_skills: list[str],
) -> None:
    cache.get(region)
    with transaction(region) as session:
        tenant_id = session.query(Tenant.id).scalar()
        for i, rec in enumerate(people(99, catalog, 5)):  # new people, new skills maybe
            upsert_person(session, tenant_id, {**rec, "source_id": f"new{i}",
                                               "pseudonym": f"NEW{i}",
                                               "skills": [*rec["skills"], *truck_skills[:3]],
                                               "occupations": [{"occupation_id": TRUCK_DRIVER,
                                                                "years": 7}]})
        for i in (3, 4):  # existing people rewritten whole, as an import does
            rec = next(iter(people(55, catalog, 1, start=i)))
            upsert_person(session, tenant_id, {**rec, "source_id": f"p{i}",
                                               "pseudonym": f"REWRITTEN{i}"})
    refreshed = cache.fresh(region)
    assert cache.last is not None
    assert (cache.last.kind, cache.last.people_read) == ("people", 7)
    assert len(refreshed) == PEOPLE + 5 and refreshed.dead == 0
    same_as_full_load(parts, region, refreshed, specs)


def test_a_withdrawn_person_leaves_the_index_at_once(
    region: Engine, service_cache: IndexCache, parts: dict[str, Any], specs: list[NeedSpec],
) -> None:
    cache = service_cache
    index = cache.get(region)
    person = a_consenting_person(index)
    consents.withdraw_consent(region, person, "matching", actor=SYSTEM)
    # No waiting: the service tells this process's cache, which reads that person now.
    after = cache.get(region)
    assert cache.last is not None and (cache.last.kind, cache.last.people_read) == ("people", 1)
    assert not after.consent[after.row_of(person)]
    matcher = Matcher(parts["grid"], parts["bits"], parts["relations"]).fit(after)
    assert all(person not in {int(after.person_ids[r]) for r in matcher.top(spec, 60).rows}
               for spec in specs)
    same_as_full_load(parts, region, after, specs)

    # Another process (plain SQL here) withdraws too: the next check reads that person.
    other = a_consenting_person(after)
    with transaction(region) as session:
        session.execute(update(Consent).where(Consent.person_id == other)
                        .values(withdrawn_at=date.today()))
    latest = cache.fresh(region)
    assert not latest.consent[latest.row_of(other)]
    same_as_full_load(parts, region, latest, specs)


def test_an_erased_person_leaves_the_index_at_once(
    region: Engine, service_cache: IndexCache, parts: dict[str, Any], specs: list[NeedSpec],
) -> None:
    cache = service_cache
    index = cache.get(region)
    person = a_consenting_person(index)
    pseudonym = index.pseudonyms[index.row_of(person)]
    erase_person(region, person, actor=SYSTEM)
    after = cache.get(region)
    assert cache.last is not None and (cache.last.kind, cache.last.people_read) == ("people", 0)
    row = after.row_of(person)
    assert row is not None and not after.consent[row] and after.dead == 1
    assert pseudonym not in set(after.pseudonyms) and after.skills_of_row(row) == []
    assert int(after.consent.sum()) == int(index.consent.sum()) - 1
    same_as_full_load(parts, region, after, specs)


def test_a_change_committed_late_is_not_missed(
    region: Engine, cache: IndexCache, parts: dict[str, Any], specs: list[NeedSpec],
    truck_skills: list[str],
) -> None:
    """A transaction that began before a refresh and commits after it is read by the next
    one (PostgreSQL commits out of transaction-id order)."""
    index = cache.get(region)
    slow, quick = int(index.person_ids[1]), int(index.person_ids[2])
    with region.connect() as connection:
        writing = connection.begin()
        connection.execute(insert(PersonSkill).values(person_id=slow, skill_id=truck_skills[9]))
        if region.dialect.name == "postgresql":  # SQLite has one writer at a time
            with transaction(region) as session:
                session.execute(insert(PersonSkill).values(person_id=quick,
                                                           skill_id=truck_skills[9]))
        between = cache.fresh(region)
        writing.commit()
    assert truck_skills[9] not in between.skills_of_row(between.row_of(slow) or 0)
    after = cache.fresh(region)
    assert truck_skills[9] in after.skills_of_row(after.row_of(slow) or 0)
    assert cache.last is not None and cache.last.kind == "people"
    same_as_full_load(parts, region, after, specs)


def test_many_changes_or_a_new_day_load_everything(
    region: Engine, cache: IndexCache, monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache.get(region)
    with transaction(region) as session:
        session.execute(update(Person).where(Person.id <= PEOPLE // 2).values(
            max_commute_km=99.0))
    cache.fresh(region)
    assert cache.last is not None and cache.last.kind == "full"
    tomorrow = loading.consent_cutoff().toordinal() + 1
    monkeypatch.setattr(loading, "consent_cutoff", lambda: date.fromordinal(tomorrow))
    cache.fresh(region)
    assert cache.last.kind == "full"  # consents may have expired overnight


def test_the_whole_index_patched_equals_a_full_load(taxonomy: Taxonomy,
                                                    catalog: DemoCatalog) -> None:
    """Patching in memory, without a database: every person replaced, some gone."""
    from lotsen.match.index import IndexBuilder

    grid, bits = grid_for(taxonomy), LicenceBits(taxonomy)
    parts = {"grid": grid, "bits": bits, "relations": OccupationRelations(taxonomy)}

    def build(records: list[dict[str, Any]]) -> PeopleIndex:
        builder = IndexBuilder(grid, bits)
        for rec in sorted(records, key=lambda r: r["id"]):
            builder.add(rec, date(2024, 1, 1))
        return builder.build()

    before = [{**r, "id": i} for i, r in enumerate(people(5, catalog, 200))]
    after = [{**r, "id": i} for i, r in enumerate(people(6, catalog, 240)) if i % 7]
    changed = sorted({r["id"] for r in before} | {r["id"] for r in after})
    patched = build(before).patched(build(after), changed, None)
    full = build(after)
    assert people_of(patched) == people_of(full)
    rng = random.Random(1)
    specs = [NeedSpec.from_record(n) for n in needs(rng, catalog, list(employers(rng)))][:15]
    assert top(parts, patched, specs) == top(parts, full, specs)


def test_a_database_load_holds_what_the_records_say(
    region: Engine, parts: dict[str, Any], catalog: DemoCatalog,
) -> None:
    """The grouped reads (holders per skill, occupation, licence) give the same index as
    adding the records one by one."""
    from lotsen.match.index import IndexBuilder
    from lotsen.match.levels import consent_cutoff

    builder = IndexBuilder(parts["grid"], parts["bits"])
    for i, rec in enumerate(people(11, catalog, PEOPLE)):
        builder.add({**rec, "id": i + 1, "pseudonym": f"{rec['pseudonym']}{i}", "tenant_id": 0},
                    consent_cutoff())
    by_pseudonym = {v[0]: v[2:] for v in people_of(builder.build()).values()}
    loaded = {v[0]: v[2:] for v in people_of(load_index(region, parts["grid"],
                                                        parts["bits"])).values()}
    assert loaded == by_pseudonym


def test_shares_computed_before_a_refresh_carry_over(
    region: Engine, service_cache: IndexCache, parts: dict[str, Any], specs: list[NeedSpec],
    truck_skills: list[str],
) -> None:
    """The matching service's matcher for a refreshed index keeps its memoised shares
    (recomputed for the changed rows only) and ranks exactly as a fresh one."""
    tools = matching.tools()
    first = service_cache.get(region)
    before = tools.matcher(first)
    for spec in specs:
        before.top(spec, 10)
    with transaction(region) as session:
        someone = int(first.person_ids[5])
        session.execute(insert(PersonSkill).values(person_id=someone, skill_id=truck_skills[0]))
        session.execute(update(Person).where(Person.id == someone).values(
            municipality_code="2480", max_commute_km=5.0))
        session.execute(update(Person).where(Person.id == int(first.person_ids[6])).values(
            education_level="6", swedish_level="A1"))
    refreshed = service_cache.fresh(region)
    assert refreshed.patch is not None and refreshed.patch.base() is first
    after = tools.matcher(refreshed)
    assert after is not before and after._memo.keys() == before._memo.keys()
    fresh = Matcher(parts["grid"], parts["bits"], parts["relations"]).fit(refreshed)
    for spec in specs:
        ranked, expected = after.top(spec, 20), fresh.top(spec, 20)
        assert list(ranked.rows) == list(expected.rows)
        assert np.array_equal(ranked.scores, expected.scores)
    for key, value in after._memo.items():  # every memoised share, row by row
        values = value if isinstance(value, tuple) else (value,)
        computed = fresh._share(key, refreshed)
        computed = computed if isinstance(computed, tuple) else (computed,)
        live = refreshed.pseudonyms != b""
        for a, b in zip(values, computed, strict=True):
            assert np.array_equal(a[live], b[live]), key
    same_as_full_load(parts, region, refreshed, specs)
