"""The consent rule is written three times: in SQL for queries (``access.active_consent_clause``),
over loaded records (``match.levels.has_consent``: the naive matcher, indexes built from
records) and over consent rows when the people index is loaded (``match.loading``). They
must agree on every history, on both stores; this test keeps the copies in step.

The rule: the latest consent for the purpose counts (a later row wins a same-day tie),
and only while neither withdrawn nor older than ``LOTSEN_CONSENT_VALID_DAYS``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import selectinload

from lotsen.match.geo import grid_for
from lotsen.match.levels import LicenceBits, consent_cutoff, has_consent
from lotsen.match.loading import consented, load_index
from lotsen.services.access import active_consent_clause
from lotsen.store.db import transaction
from lotsen.store.models import Person, Tenant
from lotsen.store.records import person_to_dict, upsert_person
from lotsen.taxonomy import load_taxonomy

PURPOSES = ("matching", "cross_tenant", "statistics")


def _histories(cutoff: date, today: date) -> list[list[dict[str, Any]]]:
    """Hand-picked histories, then random ones over days that make ties and the cutoff."""
    day = {"old": cutoff - timedelta(days=1), "edge": cutoff, "mid": today - timedelta(days=30),
           "today": today}

    def c(purpose: str, given: str, withdrawn: bool = False) -> dict[str, Any]:
        return {"purpose": purpose, "given_at": day[given],
                "withdrawn_at": day["today"] if withdrawn else None}

    chosen = [
        [],
        [c("matching", "mid")],  # yes
        [c("matching", "mid", withdrawn=True)],  # no
        [c("matching", "old")],  # expired
        [c("matching", "edge")],  # given on the cutoff day: still valid
        [c("matching", "old", withdrawn=True), c("matching", "mid")],  # re-consented
        [c("matching", "mid"), c("matching", "today", withdrawn=True)],  # later withdrawal
        [c("matching", "mid", withdrawn=True), c("matching", "mid")],  # same day: later row
        [c("matching", "mid"), c("matching", "mid", withdrawn=True)],
        [c("statistics", "mid")],  # one purpose never stands in for another
        [c("cross_tenant", "mid"), c("matching", "mid", withdrawn=True)],
    ]
    rng = random.Random(16)
    for _ in range(150):
        chosen.append([
            c(purpose, rng.choice(list(day)), withdrawn=rng.random() < 0.4)
            for purpose in PURPOSES for _ in range(rng.choice((0, 1, 1, 2, 3)))
        ])
        rng.shuffle(chosen[-1])  # rows need not arrive in date order
    return chosen


def test_the_three_copies_of_the_consent_rule_agree(engine: Engine) -> None:
    today = date.today()
    cutoff = consent_cutoff(today)
    histories = _histories(cutoff, today)
    with transaction(engine) as session:
        tenant = Tenant(slug="t", name="T", municipality_codes=["2580"])
        session.add(tenant)
        session.flush()
        for n, consents in enumerate(histories):
            upsert_person(session, tenant.id, {"source_id": f"p{n}", "pseudonym": f"P{n:04d}",
                                               "municipality_code": "2580",
                                               "consents": consents})

    with transaction(engine) as session:
        people = session.scalars(select(Person).options(selectinload(Person.consents))
                                 .order_by(Person.id)).all()
        records = {p.id: person_to_dict(p) for p in people}
        in_sql = {purpose: set(session.scalars(select(Person.id).where(
            active_consent_clause(purpose, today)))) for purpose in PURPOSES}
    ids = sorted(records)
    on_records = {purpose: {i for i in ids if has_consent(records[i]["consents"], purpose, cutoff)}
                  for purpose in PURPOSES}
    taxonomy = load_taxonomy()
    index = load_index(engine, grid_for(taxonomy), LicenceBits(taxonomy))
    loaded = {"matching": {int(i) for i in index.person_ids[index.consent.astype(bool)]},
              "cross_tenant": {int(i) for i in index.person_ids[index.cross_tenant.astype(bool)]}}

    assert in_sql["matching"] and in_sql["cross_tenant"] and in_sql["statistics"]
    assert len(in_sql["matching"]) < len(ids)
    for purpose in PURPOSES:
        assert on_records[purpose] == in_sql[purpose], purpose
    assert loaded["matching"] == in_sql["matching"]
    assert loaded["cross_tenant"] == in_sql["cross_tenant"]
    assert consented(engine, ids) == in_sql["matching"]
    # the hand-picked cases, by position
    expected = [False, True, False, False, True, True, False, True, False, False, False]
    assert [ids[n] in in_sql["matching"] for n in range(len(expected))] == expected
