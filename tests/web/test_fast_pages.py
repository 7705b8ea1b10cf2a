"""The main pages stay cheap without changing what they show: the people list reads one
page in a fixed number of queries, region figures are cached per process and follow
this process's writes, loaders run once when threads race, and workers warm up before
their first request. Also the forms added with them: programs and accounts."""

from __future__ import annotations

import gc
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select, update

from lotsen.errors import InvalidInput, NotFound, PermissionDenied
from lotsen.services import cache, demo, records, region_figures
from lotsen.services.access import SYSTEM, Actor
from lotsen.store.db import open_database, transaction
from lotsen.store.models import CompetenceNeed, EducationProgram
from lotsen.taxonomy import load_municipality_geometry
from lotsen.taxonomy.model import once
from lotsen.web.app import create_app


@pytest.fixture
def private_url(demo_sqlite_url: str, tmp_path: Path) -> str:
    """A copy of the demo region these tests may write to."""
    source = sqlite3.connect(demo_sqlite_url.removeprefix("sqlite:///"))
    target = sqlite3.connect(tmp_path / "copy.db")
    source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{tmp_path / 'copy.db'}"


class Statements:
    def __init__(self, engine: Engine) -> None:
        self.count = 0
        self.seen: list[str] = []
        self.engine = engine
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.count += 1
        self.seen.append(statement)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


@pytest.fixture
def statements(demo_any_url: str) -> Iterator[Statements]:
    counter = Statements(open_database(demo_any_url))
    yield counter
    counter.close()


def test_people_list_shows_what_the_whole_records_say(demo_any_url: str) -> None:
    engine = open_database(demo_any_url)
    whole = records.list_records(engine, "people", limit=50, offset=50, actor=SYSTEM)
    brief = records.list_records(engine, "people", limit=50, offset=50, brief=True, actor=SYSTEM)
    assert brief["total"] == whole["total"] and len(brief["results"]) == 50
    for short, full in zip(brief["results"], whole["results"], strict=True):
        for key in ("id", "pseudonym", "municipality_code", "swedish_level", "available_from"):
            assert short[key] == full[key], key
        most = max((o["years"] for o in full["occupations"]), default=None)
        assert short["occupation"] in {o["occupation_id"] for o in full["occupations"]
                                       if o["years"] == most} or (
            most is None and short["occupation"] is None)
        assert "skills" not in short and "consents" not in short


def test_people_page_reads_a_page_in_a_fixed_number_of_queries(
    demo_any_url: str, statements: Statements
) -> None:
    client = TestClient(create_app(demo_any_url))
    client.get("/arbetssokande")  # region figures and the like, cached from here on
    assert cache.wait_for_background(60)  # their reads are not the pages' own
    for page in (1, 3):
        statements.count = 0
        response = client.get("/arbetssokande", params={"sida": page})
        assert response.status_code == 200 and response.text.count("<tr>") == 51
        # count, the page with each person's main occupation, the audit line: not one
        # query per relation of every listed person (skills, languages, licences, ...).
        assert statements.count <= 5, statements.count


def test_start_page_reads_region_figures_once_per_process(
    demo_any_url: str, statements: Statements
) -> None:
    client = TestClient(create_app(demo_any_url))
    # Figures computing on background threads (started by earlier tests on this shared
    # database, or by the first request here) read the tenant when they finish: those
    # reads are not the requests' own (CI once saw them land after the clear below).
    assert cache.wait_for_background(60)
    region_figures.forget_figures()
    assert client.get("/").status_code == 200
    assert cache.wait_for_background(60)
    assert any("FROM tenant" in s for s in statements.seen)  # summary, map, demo banner
    statements.seen.clear()
    for _ in range(3):
        assert client.get("/").status_code == 200
    assert statements.seen and not any("FROM tenant" in s for s in statements.seen)


def test_region_figures_follow_this_process_writes(private_url: str) -> None:
    engine = open_database(private_url)
    region_figures.track_writes()  # as the web app does when it starts
    before = region_figures.region_summary(engine, actor=SYSTEM)
    aggregates = region_figures.region_aggregates(engine, actor=SYSTEM)
    assert region_figures.region_summary(engine, actor=SYSTEM) is before
    records.list_records(engine, "people", limit=5, actor=SYSTEM)  # writes an audit line only
    assert region_figures.region_summary(engine, actor=SYSTEM) is before
    with transaction(engine) as session:
        need = session.scalars(
            select(CompetenceNeed).where(CompetenceNeed.status == "open").limit(1)
        ).one()
        need.status = "filled"
        code, headcount = need.municipality_code, need.headcount
    after = region_figures.region_summary(engine, actor=SYSTEM)
    assert after["open_needs"] == before["open_needs"] - 1
    assert after["open_headcount"] == before["open_headcount"] - headcount
    moved = region_figures.region_aggregates(engine, actor=SYSTEM)["open_by_municipality"]
    assert moved.get(code, 0) == aggregates["open_by_municipality"][code] - headcount
    with transaction(engine) as session:  # a bulk statement counts as a write too
        session.execute(update(CompetenceNeed).where(CompetenceNeed.status == "open")
                        .values(status="cancelled"))
    assert region_figures.region_summary(engine, actor=SYSTEM)["open_needs"] == 0
    with transaction(engine) as session:  # a rolled back change leaves the cache alone
        kept = region_figures.region_summary(engine, actor=SYSTEM)
        session.execute(update(CompetenceNeed).values(status="open"))
        session.rollback()
    assert region_figures.region_summary(engine, actor=SYSTEM) is kept


def test_old_figures_answer_while_another_thread_recomputes(
    private_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_database(private_url)
    first = region_figures.region_summary(engine, actor=SYSTEM)
    monkeypatch.setattr(region_figures.figures, "max_age", 0.0)  # every figure is old now
    got: list[Any] = []
    key = (engine, "summary")
    assert region_figures.figures.claim(key)  # as if another request were recomputing
    try:
        assert region_figures.region_summary(engine, actor=SYSTEM) is first  # answers at once
        region_figures.forget_figures()  # a write: now callers must wait for the new value
        waiting = threading.Thread(
            target=lambda: got.append(region_figures.region_summary(engine, actor=SYSTEM)))
        waiting.start()
        waiting.join(0.3)
        assert waiting.is_alive() and got == []
        # Other figures of the same cache are not held up by this one.
        assert region_figures.shows_synthetic_data(engine, actor=SYSTEM) in (True, False)
    finally:
        region_figures.figures.release(key)
    waiting.join(10)
    assert got and got[0] is not first and got[0] == first


def test_a_loader_runs_once_when_threads_race() -> None:
    calls: list[int] = []
    start = threading.Barrier(8)

    @once
    def slow() -> object:
        calls.append(1)
        time.sleep(0.05)
        return object()

    def first_use(_: int) -> object:
        start.wait()
        return slow()

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(first_use, range(8)))
    assert len(calls) == 1 and all(g is got[0] for g in got)
    slow.cache_clear()
    assert slow() is not got[0] and len(calls) == 2


def test_workers_warm_up_before_their_first_request(demo_sqlite_url: str) -> None:
    load_municipality_geometry.cache_clear()
    app = create_app(demo_sqlite_url)
    engine = app.state.engine
    region_figures.forget_figures()
    with TestClient(app):  # runs the lifespan, as uvicorn does before serving
        assert load_municipality_geometry._done  # type: ignore[attr-defined]
        app.state.warm_up.join(timeout=120)  # the region figures come in the background
        warmed = Statements(engine)
        assert region_figures.region_summary(engine, actor=SYSTEM)["people"] > 0
        assert region_figures.shows_synthetic_data(engine, actor=SYSTEM) is True
        assert warmed.count == 0
        warmed.close()
    assert gc.get_freeze_count() > 0


def _program(engine: Engine, other_provider: bool = False) -> EducationProgram:
    with transaction(engine) as session:
        programs = session.scalars(select(EducationProgram).order_by(EducationProgram.id)).all()
        first = programs[0]
        if not other_provider:
            return first
        return next(p for p in programs if p.provider_id != first.provider_id)


def test_providers_edit_only_their_own_programs(private_url: str) -> None:
    engine = open_database(private_url)
    mine, theirs = _program(engine), _program(engine, other_provider=True)
    provider = Actor("provider", tenant_id=mine.tenant_id, organization_id=mine.provider_id)
    edited = records.update_program(engine, mine.id, {
        "seats": "17", "starts": "2027-08-16, 2027-01-11", "distance_learning": "on"},
        actor=provider)
    assert edited["seats"] == 17 and edited["distance_learning"] is True
    assert edited["starts"] == ["2027-01-11", "2027-08-16"]
    assert records.get_record(engine, "programs", mine.id, actor=SYSTEM)["seats"] == 17
    with pytest.raises(NotFound):
        records.update_program(engine, theirs.id, {"seats": "1"}, actor=provider)
    lotsare = Actor("lotsare", tenant_id=mine.tenant_id)
    with pytest.raises(PermissionDenied):
        records.update_program(engine, mine.id, {"seats": "1"}, actor=lotsare)
    for bad in ({"seats": "-1"}, {"duration_weeks": "0"}, {"name": " "},
                {"starts": "2027-13-01"}):
        with pytest.raises(InvalidInput):
            records.update_program(engine, mine.id, bad, actor=provider)
    assert records.get_record(engine, "programs", mine.id, actor=SYSTEM)["seats"] == 17


def test_program_page_saves_the_form(private_url: str) -> None:
    client = TestClient(create_app(private_url))  # single-user mode: acts as the system
    program = _program(open_database(private_url))
    page = client.get(f"/utbildningar/{program.id}")
    assert page.status_code == 200 and "Spara ändringarna" in page.text
    refused = client.post(f"/utbildningar/{program.id}",
                          data={"name": program.name, "seats": "x", "duration_weeks": "10"})
    assert refused.status_code == 422 and "Antal platser" in refused.text
    saved = client.post(f"/utbildningar/{program.id}", follow_redirects=False,
                        data={"name": "Ny namn", "seats": "9", "duration_weeks": "10"})
    assert saved.status_code == 303
    shown = client.get(saved.headers["location"]).text
    assert "Ändringarna är sparade" in shown and "Ny namn" in shown


def test_admin_creates_accounts_in_the_browser_form(private_url: str) -> None:
    client = TestClient(create_app(private_url))
    form = {"username": "ny.analytiker", "password": "ett-langt-losenord", "role": "analyst"}
    created = client.post("/admin/konton", data=form, follow_redirects=False)
    assert created.status_code == 303
    listing = client.get(created.headers["location"]).text
    assert "Kontot <strong>ny.analytiker</strong> är skapat" in listing
    again = client.post("/admin/konton", data=form)
    assert again.status_code == 409 and 'role="alert"' in again.text
    no_tenant = client.post("/admin/konton", data={**form, "username": "x.lots",
                                                   "role": "lotsare"})
    assert no_tenant.status_code == 422 and "ett-langt-losenord" not in no_tenant.text


def test_a_worker_serves_before_the_region_figures_are_ready(
    demo_sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding 13: start-up no longer grows with the data, and no page waits for the
    figures computed after it — the start page included: it says "Beräknas…" for each
    figure held back here (until the test releases them) and shows them on reload."""
    release = threading.Event()

    def held(real: Any) -> Any:
        def wait_then_compute(*args: Any, **kwargs: Any) -> Any:
            release.wait(timeout=60)
            return real(*args, **kwargs)
        return wait_then_compute

    for name in ("_compute_aggregates", "_top_gaps", "_scenario_bands"):
        monkeypatch.setattr(region_figures, name, held(getattr(region_figures, name)))
    monkeypatch.setattr(demo, "summary", held(demo.summary))
    region_figures.clear_figures()
    region_figures.forget_figures()
    app = create_app(demo_sqlite_url)
    answers: dict[str, tuple[int, str, float]] = {}

    def ask(client: TestClient, path: str) -> None:
        start = time.perf_counter()
        response = client.get(path)
        answers[path] = (response.status_code, response.text, time.perf_counter() - start)

    try:
        with TestClient(app) as client:
            assert app.state.warm_up.is_alive()
            for path in ("/", "/behov", "/utbildningar", "/api/v1/taxonomy/search?q=svetsare"):
                asking = threading.Thread(target=ask, args=(client, path))
                asking.start()
                asking.join(timeout=20)
                assert not asking.is_alive(), f"{path} waits for the held figures"
                assert answers[path][0] == 200, path
            start_page = answers["/"][1]
            for figure in ("summary", "region", "gaps", "scenario"):
                assert f'data-testid="pending-{figure}"' in start_page, figure
            assert "Beräknas…" in start_page and 'data-testid="top-gaps"' not in start_page
            release.set()
            app.state.warm_up.join(timeout=120)
            ask(client, "/")
            reloaded = answers["/"][1]
            assert "Beräknas…" not in reloaded and 'data-testid="pending-' not in reloaded
            for shown in ("fig-people", "top-occupations", "map-table", "top-gaps",
                          "scenario-bands"):
                assert f'data-testid="{shown}"' in reloaded, shown
    finally:
        release.set()
        app.state.warm_up.join(timeout=120)
    assert not app.state.warm_up.is_alive()
