"""People imports on each backend: whole or nothing, upsert by source id, consent, pseudonyms."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from tests.imports.conftest import count_rows, csv_bytes, one, person, rejected, run

from lotsen.errors import InvalidInput, PermissionDenied
from lotsen.services.access import SYSTEM, Actor
from lotsen.services.records import list_records
from lotsen.store.db import transaction
from lotsen.store.models import Consent, Person, Tenant

SVETSARE = "rxrQ_Nyy_k6y"
VVS_MONTOR = "ZZTi_v6g_4cZ"


def _people(engine: Engine) -> dict[str, dict[str, object]]:
    data = list_records(engine, "people", limit=1000, actor=SYSTEM)["results"]
    return {p["source_id"]: p for p in data}


def test_one_bad_row_stores_nothing_and_leaves_existing_rows_alone(engine: Engine) -> None:
    run(engine, "people", csv_bytes([person(), person(source_id="AF-2")]))
    before = _people(engine)
    counts = count_rows(engine)
    # Row 2 would update AF-1, rows 3-2001 add people; row 2002 is bad.
    rows = [person(occupations="rörmokare:9")] + [
        person(source_id=f"NEW-{i}") for i in range(2000)] + [person(source_id="BAD",
                                                                     municipality="0000")]
    written: list[int] = []
    problem = one(rejected(engine, "people", csv_bytes(rows), "people.csv",
                           progress=written.append))
    assert (problem.row, problem.column) == (2003, "municipality")
    assert written == [2000]  # a batch was written inside the transaction, then rolled back
    assert count_rows(engine) == counts
    assert _people(engine) == before


def test_reimport_upserts_by_source_id_and_keeps_the_pseudonym(engine: Engine) -> None:
    first = run(engine, "people", csv_bytes([person(), person(source_id="AF-2")]))
    assert (first["created"], first["updated"]) == (2, 0)
    pseudonym = _people(engine)["AF-1"]["pseudonym"]
    second = run(engine, "people", csv_bytes([
        person(occupations="rörmokare:9", skills="", municipality="2480"),
        person(source_id="AF-3"),
    ]))
    assert (second["created"], second["updated"]) == (1, 1)
    people = _people(engine)
    assert set(people) == {"AF-1", "AF-2", "AF-3"}
    updated = people["AF-1"]
    assert updated["pseudonym"] == pseudonym
    assert updated["municipality_code"] == "2480"
    assert updated["occupations"] == [{"occupation_id": VVS_MONTOR, "years": 9.0}]
    assert updated["skills"] == []  # children replaced, not appended
    assert people["AF-2"]["occupations"] == [{"occupation_id": SVETSARE, "years": 4.0}]
    assert len({p["pseudonym"] for p in people.values()}) == 3
    assert second["interpreted"][0]["value"] == "rörmokare"  # read via search: reported


def test_missing_consent_is_imported_but_flagged(engine: Engine) -> None:
    summary = run(engine, "people", csv_bytes([
        person(), person(source_id="AF-2", consent_matching_date="",
                         consent_statistics_date="2026-01-05")]))
    assert summary["created"] == 2 and summary["flagged_count"] == 1
    assert summary["flagged"][0]["row"] == 3 and summary["flagged"][0]["source_id"] == "AF-2"
    with transaction(engine) as session:
        purposes = {
            (source_id, purpose, given.isoformat())
            for source_id, purpose, given in session.execute(
                select(Person.source_id, Consent.purpose, Consent.given_at).join(Consent))
        }
    assert purposes == {("AF-1", "matching", "2026-11-02"), ("AF-2", "statistics", "2026-01-05")}


def test_dry_run_checks_and_counts_but_writes_nothing(sqlite_engine: Engine) -> None:
    run(sqlite_engine, "people", csv_bytes([person()]))
    counts = count_rows(sqlite_engine)
    summary = run(sqlite_engine, "people", csv_bytes([person(), person(source_id="AF-2")]),
                  dry_run=True)
    assert (summary["created"], summary["updated"], summary["dry_run"]) == (1, 1, True)
    assert count_rows(sqlite_engine) == counts


def test_skip_unresolved_leaves_out_list_values_and_reports_them(sqlite_engine: Engine) -> None:
    rows = [person(skills="MAG-svetsning;svetsning"), person(source_id="AF-2",
                                                             skills="svetsning")]
    assert one(rejected(sqlite_engine, "people", csv_bytes(rows[:1]))).column == "skills"
    summary = run(sqlite_engine, "people", csv_bytes(rows), skip_unresolved=True)
    assert summary["created"] == 2
    (entry,) = summary["unresolved"]
    assert (entry["value"], entry["count"], entry["rows"]) == ("svetsning", 2, [2, 3])
    assert len(entry["candidates"]) == 3
    assert _people(sqlite_engine)["AF-2"]["skills"] == []
    # A required single value is never skipped.
    bad = person(source_id="AF-3", municipality="Atlantis")
    assert one(rejected(sqlite_engine, "people", csv_bytes([bad]),
                        skip_unresolved=True)).column == "municipality"


def test_who_may_import_and_into_which_tenant(sqlite_engine: Engine) -> None:
    with transaction(sqlite_engine) as session:
        session.add_all([Tenant(slug="lulea-boden", name="Luleå och Boden"),
                         Tenant(slug="umea", name="Umeå")])
    data = csv_bytes([person()])
    with pytest.raises(InvalidInput, match="several tenants"):
        run(sqlite_engine, "people", data)
    with transaction(sqlite_engine) as session:
        umea = session.scalars(select(Tenant.id).where(Tenant.slug == "umea")).one()
    officer = Actor("officer", tenant_id=umea)
    assert run(sqlite_engine, "people", data, actor=officer)["tenant"] == "umea"
    with pytest.raises(PermissionDenied):
        run(sqlite_engine, "people", data, tenant="lulea-boden", actor=officer)
    with pytest.raises(PermissionDenied):  # a lotsare imports needs, not people
        run(sqlite_engine, "people", data, actor=Actor("lotsare", tenant_id=umea))
    with pytest.raises(PermissionDenied):  # an employer reaches only its own organisation
        run(sqlite_engine, "needs", csv_bytes([{"source_id": "x"}]),
            actor=Actor("employer", tenant_id=umea, organization_id=1))


def test_a_tenant_bound_import_is_refused_outside_its_municipalities(
    sqlite_engine: Engine,
) -> None:
    with transaction(sqlite_engine) as session:
        session.add(Tenant(slug="skelleftea", name="Skellefteå kommun",
                           municipality_codes=["2482"]))
    with transaction(sqlite_engine) as session:
        own = session.scalars(select(Tenant.id).where(Tenant.slug == "skelleftea")).one()
    officer = Actor("officer", tenant_id=own)
    problem = one(rejected(sqlite_engine, "people", csv_bytes([person(municipality="Luleå")]),
                           actor=officer))
    assert problem.column == "municipality" and problem.row == 2
    assert "Luleå ligger utanför Skellefteå kommun" in problem.message
    assert run(sqlite_engine, "people", csv_bytes([person(municipality="Skellefteå")]),
               actor=officer)["created"] == 1
