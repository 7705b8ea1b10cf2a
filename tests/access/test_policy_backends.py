"""The consent and tenant rules are SQL: check them on every backend (PostgreSQL too)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from lotsen.errors import NotFound
from lotsen.services import records
from lotsen.services.access import Actor
from lotsen.store.db import transaction
from lotsen.store.models import Tenant

from .conftest import CANARY, HOME, OTHER, add_canaries

pytestmark = pytest.mark.auth


def test_people_scope_on_this_backend(engine: Engine) -> None:
    with transaction(engine) as session:
        for slug, codes in ((HOME, ["2580", "2582"]), (OTHER, ["2480"])):
            session.add(Tenant(slug=slug, name=slug, municipality_codes=codes))
    ids = add_canaries(engine)
    with transaction(engine) as session:
        home = session.query(Tenant).filter_by(slug=HOME).one().id
    officer = Actor("officer", tenant_id=home, user_id=1)
    seen = {p["pseudonym"] for p in records.list_records(engine, "people",
                                                         actor=officer)["results"]}
    # Home tenant: only a withdrawn consent; Umeå: one with and one without cross_tenant.
    assert seen == {CANARY["cross"]}
    with pytest.raises(NotFound):
        records.get_record(engine, "people", ids["person"], actor=officer)
    needs = records.list_records(engine, "needs", actor=Actor("lotsare", tenant_id=home))["results"]
    assert [n["title"] for n in needs] == [CANARY["own_tenant_need"]]
