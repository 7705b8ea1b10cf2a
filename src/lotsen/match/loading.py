"""Load the people index from the database once; afterwards read only who changed.

A full load reads six narrow column queries (no ORM objects). Database triggers
(migration 0008) keep one ``person_change`` row per person with a stamp of their last
change, so a refresh asks for the people changed since the last read, reads those
people alone and patches them into the index (``PeopleIndex.patched``); an erased or
withdrawn person leaves it in that refresh. A change to the tenants' local concepts
(which remaps everyone's occupations), a new day (consents expire by date) or many
changes at once load everything again.
Consent is additionally re-checked against the database for every result the
service returns, so a withdrawal counts the moment it is stored.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Engine, String, cast, func, select, text
from sqlalchemy.orm import Session

from lotsen.match.geo import MunicipalityGrid
from lotsen.match.index import IndexBuilder, PeopleIndex
from lotsen.match.levels import CROSS_TENANT, MATCHING, LicenceBits, consent_cutoff
from lotsen.store.db import transaction
from lotsen.store.models import (
    Consent,
    LocalConcept,
    Person,
    PersonChange,
    PersonLicence,
    PersonOccupation,
    PersonSkill,
    SkillValidation,
)

# Between two checks for changes the cached index is trusted (consent is re-checked
# per result anyway): keeps the query off the hot path under load.
RECHECK_SECONDS = 2.0
# Ids per IN (...) list: below SQLite's 32,766 bound parameters, small plans on both.
CHUNK = 5_000
# Rows per batch while streaming a table.
BATCH = 50_000
# Above this share of changed people a full load is cheaper than patching.
FULL_LOAD_SHARE = 0.2


@dataclass(frozen=True)
class Mark:
    """Where a read of the people stood in ``person_change``.

    SQLite: the highest stamp (one writer at a time, so stamps grow in commit order).
    PostgreSQL: the snapshot of the read; changes since are the stamps (transaction
    ids) not visible in it — a transaction that was still open is caught later.
    """

    stamp: int
    snapshot: str | None = None


@dataclass(frozen=True)
class Origin:
    """What a loaded index was read from: refreshed while ``local`` and ``cutoff`` hold."""

    mark: Mark
    local: tuple[Any, ...]
    cutoff: date


@dataclass(frozen=True)
class Refresh:
    """The last thing ``IndexCache.get`` did: ``full`` load, ``people`` patched, ``none``."""

    kind: str
    people_read: int
    seconds: float


def current_mark(session: Session) -> Mark:
    if session.get_bind().dialect.name == "postgresql":
        snapshot = str(session.scalar(text("SELECT pg_current_snapshot()::text")))
        return Mark(int(snapshot.split(":", 1)[0]), snapshot)
    return Mark(int(session.scalar(select(func.coalesce(func.max(PersonChange.stamp), 0))) or 0))


def changed_since(session: Session, mark: Mark) -> list[int]:
    """People whose rows changed after ``mark`` (erased ones included)."""
    query = select(PersonChange.person)
    if mark.snapshot is None:
        query = query.where(PersonChange.stamp > mark.stamp)
    else:
        query = query.where(
            PersonChange.stamp >= mark.stamp,
            text("NOT pg_visible_in_snapshot(stamp::text::xid8, CAST(:snapshot AS pg_snapshot))")
            .bindparams(snapshot=mark.snapshot),
        )
    return list(session.scalars(query))


def signature(engine: Engine) -> tuple[Any, ...]:
    """The local concepts' count and latest change: people's local occupations count as
    their anchors, so any change here reloads the whole index."""
    with transaction(engine) as session:
        return _local_signature(session)


def _local_signature(session: Session) -> tuple[Any, ...]:
    return tuple(session.execute(select(func.count(), func.max(LocalConcept.updated_at))).one())


def _chunks(ids: Sequence[int] | None) -> Iterator[Sequence[int] | None]:
    if ids is None:
        yield None
        return
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _where(query: Any, column: Any, ids: Sequence[int] | None) -> Any:
    return query if ids is None else query.where(column.in_(ids))


def _batches(session: Session, query: Any) -> Iterator[Sequence[Any]]:
    """The rows of ``query`` a batch at a time (a server-side cursor on PostgreSQL):
    a million people's 20 million skills never sit in memory as Python tuples at once."""
    # Core, not the ORM session: plain tuples, a third of the time per row.
    result = session.connection().execution_options(stream_results=True).execute(query)
    yield from result.partitions(BATCH)


def _holders(
    session: Session, concept: Any, person: Any, ids: Sequence[int] | None, order: np.ndarray,
) -> Iterator[tuple[Any, np.ndarray]]:
    """(concept, index rows of its holders) per concept held by the people of ``ids``.

    One row per concept with its holders' ids as text: 20 rows per person become a few
    thousand in all, parsed in C, not row by row in Python."""
    joined_ids = func.aggregate_strings(cast(person, String), ",")
    for batch in _batches(session, _where(
        select(concept, joined_ids), person, ids
    ).group_by(concept)):
        for value, joined in batch:
            held = np.array(joined.split(","), dtype=np.int64)
            yield value, np.searchsorted(order, held)


def _read(
    session: Session, grid: MunicipalityGrid, licence_bits: LicenceBits,
    person_ids: Sequence[int] | None,
) -> IndexBuilder:
    """The people of ``person_ids`` (ascending; everyone for None) that exist, as rows in
    id order."""
    builder = IndexBuilder(grid, licence_bits)
    for ids in _chunks(person_ids):
        people = _batches(session, _where(
            select(
                Person.id,
                Person.pseudonym,
                Person.tenant_id,
                Person.municipality_code,
                Person.max_commute_km,
                Person.available_from,
                Person.swedish_level,
                Person.education_level,
            ),
            Person.id,
            ids,
        ).order_by(Person.id))
        for batch in people:
            for rec in batch:
                builder.add_person(*rec)
    # Sorted ids read in sorted chunks: rows are in id order, a row is found by bisection.
    order = np.frombuffer(builder.ids, dtype=np.int64)

    # Experience in a tenant's local occupation counts as its standard anchor's.
    anchors = dict(session.execute(select(LocalConcept.concept_id, LocalConcept.anchor_id)).all())
    for ids in _chunks(person_ids):
        # One row per skill (occupation, licence) with its holders' ids as text: 20 rows
        # per person become a few thousand in all, parsed in C, not row by row in Python.
        for skill, rows in _holders(session, PersonSkill.skill_id, PersonSkill.person_id,
                                    ids, order):
            builder.add_holders(skill, rows)
        for skill, rows in _holders(session, SkillValidation.skill_id,
                                    SkillValidation.person_id, ids, order):
            builder.add_validated_holders(skill, rows)
        pairs = func.aggregate_strings(
            cast(PersonOccupation.person_id, String) + ","
            + cast(func.coalesce(PersonOccupation.years, 0.0), String), ",")
        for batch in _batches(session, _where(
            select(PersonOccupation.occupation_id, pairs), PersonOccupation.person_id, ids
        ).group_by(PersonOccupation.occupation_id)):
            for occ, joined in batch:
                pairs_read = np.array(joined.split(","), dtype=np.float64).reshape(-1, 2)
                builder.add_occupations(
                    anchors.get(occ, occ),
                    np.searchsorted(order, pairs_read[:, 0].astype(np.int64)), pairs_read[:, 1])
        for licence, rows in _holders(session, PersonLicence.licence_id,
                                      PersonLicence.person_id, ids, order):
            builder.add_licence_holders(licence, rows)
    given, cross = _active(session, person_ids)
    for person_id in given | cross:
        row = int(np.searchsorted(order, person_id))
        builder.set_consent(row, person_id in given, person_id in cross)
    return builder


def load_index(engine: Engine, grid: MunicipalityGrid, licence_bits: LicenceBits) -> PeopleIndex:
    """Every person in the database as a PeopleIndex (rows in person id order)."""
    with transaction(engine) as session:
        # The mark is taken before the people are read: what commits in between is
        # read again by the next refresh (reading a person twice is harmless).
        origin = Origin(current_mark(session), _local_signature(session), consent_cutoff())
        builder = _read(session, grid, licence_bits, None)
    return builder.build(signature=origin)


def refresh_index(
    engine: Engine, index: PeopleIndex, grid: MunicipalityGrid, licence_bits: LicenceBits
) -> tuple[PeopleIndex, Refresh]:
    """``index`` with the people changed since it was read patched in (the same object
    when nothing changed), or everyone loaded anew when patching cannot be right or
    would be slower."""
    started = time.perf_counter()
    origin = index.signature
    with transaction(engine) as session:
        mark = current_mark(session)
        local = _local_signature(session)
        if isinstance(origin, Origin) and local == origin.local and (
                consent_cutoff() == origin.cutoff):
            changed = sorted(set(changed_since(session, origin.mark)))
            if not changed:
                return index, Refresh("none", 0, time.perf_counter() - started)
            if len(changed) <= FULL_LOAD_SHARE * max(1, len(index)) and (
                    index.dead + len(changed) <= FULL_LOAD_SHARE * max(1, len(index))):
                update = _read(session, grid, licence_bits, changed).build()
                patched = index.patched(update, changed, Origin(mark, local, origin.cutoff))
                return patched, Refresh("people", len(update), time.perf_counter() - started)
    loaded = load_index(engine, grid, licence_bits)
    return loaded, Refresh("full", len(loaded), time.perf_counter() - started)


def _active(session: Session, person_ids: Sequence[int] | None) -> tuple[set[int], set[int]]:
    """People whose latest matching (and cross-tenant) consent is active: given, not
    withdrawn, not expired. Ordered by given date so the last row per person wins."""
    cutoff = consent_cutoff()
    latest: dict[tuple[int, str], bool] = {}
    for ids in _chunks(person_ids):
        query = select(Consent.person_id, Consent.purpose, Consent.given_at, Consent.withdrawn_at)
        query = _where(query.where(Consent.purpose.in_((MATCHING, CROSS_TENANT))),
                       Consent.person_id, ids)
        for batch in _batches(session, query.order_by(Consent.person_id, Consent.given_at,
                                                      Consent.id)):
            for person_id, purpose, given, withdrawn in batch:
                latest[(person_id, purpose)] = withdrawn is None and given >= cutoff
    given_ids = {p for (p, purpose), ok in latest.items() if ok and purpose == MATCHING}
    cross_ids = {p for (p, purpose), ok in latest.items() if ok and purpose == CROSS_TENANT}
    return given_ids, cross_ids


def consented(engine: Engine, person_ids: list[int]) -> set[int]:
    """Of ``person_ids``, those whose matching consent is active right now."""
    if not person_ids:
        return set()
    with transaction(engine) as session:
        return _active(session, person_ids)[0]


class IndexCache:
    """One PeopleIndex per database, refreshed with the people who changed.

    Entries are per engine object, not per URL: a test (or an operator) that rebuilds
    the database behind the same URL gets a new engine and so a fresh index.
    ``last`` says what the latest ``get`` did (for tests, benches and logs).
    """

    def __init__(self, grid: MunicipalityGrid, licence_bits: LicenceBits) -> None:
        self.grid = grid
        self.licence_bits = licence_bits
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[Engine, PeopleIndex, float]] = {}
        self.last: Refresh | None = None

    def get(self, engine: Engine) -> PeopleIndex:
        key = str(engine.url)
        with self._lock:
            entry = self._entries.get(key)
            now = time.monotonic()
            if entry is not None and entry[0] is engine:
                if now - entry[2] < RECHECK_SECONDS:
                    return entry[1]
                index, self.last = refresh_index(engine, entry[1], self.grid, self.licence_bits)
            else:
                started = time.perf_counter()
                index = load_index(engine, self.grid, self.licence_bits)
                self.last = Refresh("full", len(index), time.perf_counter() - started)
            self._entries[key] = (engine, index, time.monotonic())
            return index

    def due(self, engine: Engine) -> None:
        """Look for changes at the next ``get`` without waiting ``RECHECK_SECONDS`` (this
        process just changed people)."""
        with self._lock:
            entry = self._entries.get(str(engine.url))
            if entry is not None:
                self._entries[str(engine.url)] = (entry[0], entry[1], -RECHECK_SECONDS)

    def fresh(self, engine: Engine) -> PeopleIndex:
        """The index with every change committed so far (for work that has no per-result
        consent check of its own, such as the allocation)."""
        self.due(engine)
        return self.get(engine)

    def current(self) -> list[PeopleIndex]:
        with self._lock:
            return [entry[1] for entry in self._entries.values()]

    def forget(self, engine: Engine) -> None:
        with self._lock:
            self._entries.pop(str(engine.url), None)
