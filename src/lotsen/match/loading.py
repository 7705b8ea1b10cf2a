"""Load the people index from the database, once, and again only when it changed.

Loading reads five narrow column queries (no ORM objects), so 100,000 people load
in seconds. A cheap signature — row counts and latest change of the person,
skill, occupation, consent and local concept tables — tells when the cached index
is stale.
Consent is additionally re-checked against the database for every result the
service returns, so a withdrawal counts the moment it is stored.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, select

from lotsen.match.geo import MunicipalityGrid
from lotsen.match.index import IndexBuilder, PeopleIndex
from lotsen.match.levels import CROSS_TENANT, MATCHING, LicenceBits, consent_cutoff
from lotsen.store.db import transaction
from lotsen.store.models import (
    Consent,
    LocalConcept,
    Person,
    PersonLicence,
    PersonOccupation,
    PersonSkill,
)

# Between two signature checks the cached index is trusted (consent is re-checked
# per result anyway): keeps the staleness query off the hot path under load.
RECHECK_SECONDS = 2.0


def signature(engine: Engine) -> tuple[Any, ...]:
    with transaction(engine) as session:
        person = session.execute(select(func.count(), func.max(Person.updated_at))).one()
        consent = session.execute(
            select(func.count(), func.count(Consent.withdrawn_at), func.max(Consent.id))
        ).one()
        skills = session.scalar(select(func.count()).select_from(PersonSkill))
        occupations = session.scalar(select(func.count()).select_from(PersonOccupation))
        licences = session.scalar(select(func.count()).select_from(PersonLicence))
        local = session.execute(select(func.count(), func.max(LocalConcept.updated_at))).one()
    return (tuple(person), tuple(consent), skills, occupations, licences, tuple(local))


def load_index(engine: Engine, grid: MunicipalityGrid, licence_bits: LicenceBits) -> PeopleIndex:
    """Every person in the database as a PeopleIndex (rows in person id order)."""
    stamp = signature(engine)
    builder = IndexBuilder(grid, licence_bits)
    with transaction(engine) as session:
        people = session.execute(
            select(
                Person.id,
                Person.pseudonym,
                Person.tenant_id,
                Person.municipality_code,
                Person.max_commute_km,
                Person.available_from,
                Person.swedish_level,
                Person.education_level,
            ).order_by(Person.id)
        )
        for rec in people:
            builder.add_person(*rec)
        ids = np.frombuffer(builder.ids, dtype=np.int64)

        def rows(person_ids: Iterable[int]) -> np.ndarray:
            return np.searchsorted(ids, np.fromiter(person_ids, dtype=np.int64))

        skills = session.execute(select(PersonSkill.person_id, PersonSkill.skill_id)).all()
        for row, (_, skill) in zip(rows(r[0] for r in skills), skills, strict=True):
            builder.add_skill(int(row), skill)
        occupations = session.execute(
            select(
                PersonOccupation.person_id, PersonOccupation.occupation_id, PersonOccupation.years
            )
        ).all()
        # Experience in a tenant's local occupation counts as its standard anchor's.
        anchors = dict(session.execute(select(LocalConcept.concept_id, LocalConcept.anchor_id))
                       .all())
        for row, (_, occ, years) in zip(rows(r[0] for r in occupations), occupations, strict=True):
            builder.add_occupation(int(row), anchors.get(occ, occ), years)
        licences = session.execute(select(PersonLicence.person_id, PersonLicence.licence_id)).all()
        for row, (_, licence) in zip(rows(r[0] for r in licences), licences, strict=True):
            builder.add_licences(int(row), (licence,))
    given, cross = _active(engine, None)
    for person_id in given | cross:
        row = int(np.searchsorted(ids, person_id))
        builder.set_consent(row, person_id in given, person_id in cross)
    return builder.build(signature=stamp)


def _active(engine: Engine, person_ids: list[int] | None) -> tuple[set[int], set[int]]:
    """People whose latest matching (and cross-tenant) consent is active: given, not
    withdrawn, not expired. Ordered by given date so the last row per person wins."""
    cutoff = consent_cutoff()
    query = select(Consent.person_id, Consent.purpose, Consent.given_at, Consent.withdrawn_at)
    query = query.where(Consent.purpose.in_((MATCHING, CROSS_TENANT)))
    if person_ids is not None:
        query = query.where(Consent.person_id.in_(person_ids))
    latest: dict[tuple[int, str], bool] = {}
    with transaction(engine) as session:
        for person_id, purpose, given, withdrawn in session.execute(
            query.order_by(Consent.person_id, Consent.given_at, Consent.id)
        ):
            latest[(person_id, purpose)] = withdrawn is None and given >= cutoff
    given_ids = {p for (p, purpose), ok in latest.items() if ok and purpose == MATCHING}
    cross_ids = {p for (p, purpose), ok in latest.items() if ok and purpose == CROSS_TENANT}
    return given_ids, cross_ids


def consented(engine: Engine, person_ids: list[int]) -> set[int]:
    """Of ``person_ids``, those whose matching consent is active right now."""
    if not person_ids:
        return set()
    return _active(engine, person_ids)[0]


class IndexCache:
    """One PeopleIndex per database, reloaded when its signature changes.

    Entries are per engine object, not per URL: a test (or an operator) that rebuilds
    the database behind the same URL gets a new engine and so a fresh index.
    """

    def __init__(self, grid: MunicipalityGrid, licence_bits: LicenceBits) -> None:
        self.grid = grid
        self.licence_bits = licence_bits
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[Engine, PeopleIndex, float]] = {}

    def get(self, engine: Engine) -> PeopleIndex:
        key = str(engine.url)
        with self._lock:
            entry = self._entries.get(key)
            now = time.monotonic()
            if entry is not None and entry[0] is engine:
                if now - entry[2] < RECHECK_SECONDS:
                    return entry[1]
                if entry[1].signature == signature(engine):
                    self._entries[key] = (engine, entry[1], now)
                    return entry[1]
            index = load_index(engine, self.grid, self.licence_bits)
            self._entries[key] = (engine, index, time.monotonic())
            return index

    def forget(self, engine: Engine) -> None:
        with self._lock:
            self._entries.pop(str(engine.url), None)
