"""The demo region: deterministic, idempotent, on real codes, marked synthetic."""

from __future__ import annotations

from sqlalchemy import Engine, select

from lotsen.demo.generator import DemoCatalog, people
from lotsen.demo.region import MUNICIPALITIES
from lotsen.services.access import SYSTEM
from lotsen.services.demo import build_demo, summary
from lotsen.services.records import list_records
from lotsen.store.db import transaction
from lotsen.store.models import Person
from lotsen.taxonomy import load_taxonomy


def test_demo_region_has_the_promised_shape(demo_engine: Engine) -> None:
    figures = summary(demo_engine, actor=SYSTEM)
    assert figures["municipalities"] == len(MUNICIPALITIES)
    assert figures["employers"] >= 200
    assert figures["open_needs"] >= 200
    assert figures["people"] == 400
    assert figures["programs"] >= 15
    assert figures["synthetic"] is True


def test_demo_uses_real_taxonomy_ids(demo_engine: Engine) -> None:
    taxonomy = load_taxonomy()
    needs = list_records(demo_engine, "needs", limit=500, actor=SYSTEM)["results"]
    for need in needs:
        assert taxonomy.get(need["occupation_id"]).type == "occupation-name"
        for skill in need["must_skills"] + need["nice_skills"]:
            assert taxonomy.get(skill).type == "skill"
        taxonomy.municipality(need["municipality_code"])
    employers = list_records(demo_engine, "organizations", limit=500, filters={"kind": "employer"},
                             actor=SYSTEM)
    assert all("(syntetisk)" in e["name"] for e in employers["results"])


def test_demo_has_newly_arrived_people_with_sfi_levels(demo_engine: Engine) -> None:
    persons = list_records(demo_engine, "people", limit=400, actor=SYSTEM)["results"]
    newly = [p for p in persons if p["newly_arrived"]]
    assert len(newly) >= 20
    assert {p["swedish_level"] for p in newly} <= {"sfi_a", "sfi_b", "sfi_c", "sfi_d", "sva_grund"}
    assert all(p["pseudonym"].startswith("P") for p in persons)


def test_people_generation_is_deterministic_and_chunkable() -> None:
    catalog = DemoCatalog.from_taxonomy(load_taxonomy())
    whole = list(people(3, catalog, 20))
    parts = list(people(3, catalog, 12)) + list(people(3, catalog, 8, start=12))
    assert whole == parts
    assert whole != list(people(4, catalog, 20))


def test_rebuilding_the_demo_changes_nothing(engine: Engine) -> None:
    first = build_demo(engine, seed=11, people=50, actor=SYSTEM)
    with transaction(engine) as session:
        before = sorted(session.scalars(select(Person.pseudonym)))
    second = build_demo(engine, seed=11, people=50, actor=SYSTEM)
    with transaction(engine) as session:
        after = sorted(session.scalars(select(Person.pseudonym)))
    assert first == second
    assert before == after


def test_demo_skills_fit_the_trade_and_battery_roles_have_a_curated_profile(
    demo_engine: Engine,
) -> None:
    from lotsen.demo.profiles import CURATED, other_trade
    from lotsen.services.profiles import show

    taxonomy = load_taxonomy()
    needs = list_records(demo_engine, "needs", limit=500, actor=SYSTEM)["results"]
    drawn = {taxonomy.get(s).label for n in needs for s in n["must_skills"] + n["nice_skills"]}
    assert not [label for label in drawn if other_trade(label)]
    assert "Filmframkallningsmaskin, skötselvana" not in drawn
    battery = [n for n in needs if n["title"] == "Operatör batteritillverkning"]
    curated = {s.label for s in CURATED["Operatör batteritillverkning"]}
    assert battery and all(
        {taxonomy.get(s).label for s in n["must_skills"] + n["nice_skills"]} <= curated
        for n in battery)
    profile = show(demo_engine, battery[0]["occupation_id"], tenant="skelleftea", actor=SYSTEM)
    shown = {s["label"]: s for s in profile["skills"]}
    assert "Renrumsarbete" in shown and "Pyroteknik" not in shown
    assert all("battericellstillverkning" in str(shown[label]["origins"])
               for label in curated if label in shown)
    assert "Mörkrumsarbete" in {r["label"] for r in profile["removed"]}


def test_demo_has_real_and_synthetic_ads_for_the_analytics(demo_engine: Engine) -> None:
    from lotsen.demo.ads import SYNTHETIC_MARK
    from lotsen.services.ads import stats
    from lotsen.store.models import JobAd

    codes = {m[0] for m in MUNICIPALITIES}
    with transaction(demo_engine) as session:
        ads = list(session.scalars(select(JobAd)))
    real = [a for a in ads if not a.is_synthetic]
    synthetic = [a for a in ads if a.is_synthetic]
    assert len(real) == 14 and not any(a.source_id.startswith("demo-ad-") for a in real)
    assert len(synthetic) >= 200
    assert all(a.source_id.startswith("demo-ad-") and a.headline.endswith(SYNTHETIC_MARK)
               and a.description.startswith("Syntetisk annons") for a in synthetic)
    assert {a.municipality_code for a in ads} <= codes
    figures = stats(demo_engine, actor=SYSTEM)
    assert figures["ads"] == len(ads) and len(figures["months"]) >= 24
    assert {c["municipality_code"] for c in figures["cells"]} <= codes
    assert all(g["top_skills"] for g in figures["groups"])
    # the battery plant's hiring grows over the two years (the region's story)
    battery = [c for c in figures["cells"] if c["ssyk4"] == "8132"]
    first = sum(c["ads"] for c in battery if c["month"] < "2026-01")
    last = sum(c["ads"] for c in battery if c["month"] >= "2026-01")
    assert last > first


def test_rebuilding_the_demo_adds_no_ads(engine: Engine) -> None:
    from lotsen.store.models import JobAd

    build_demo(engine, seed=11, people=20, actor=SYSTEM)
    with transaction(engine) as session:
        before = sorted(session.scalars(select(JobAd.source_id)))
    build_demo(engine, seed=11, people=20, actor=SYSTEM)
    with transaction(engine) as session:
        after = sorted(session.scalars(select(JobAd.source_id)))
    assert before == after and len(before) > 200


def test_the_ads_page_says_how_many_ads_are_synthetic(demo_url: str) -> None:
    from fastapi.testclient import TestClient

    from lotsen.web.app import create_app

    with TestClient(create_app(demo_url)) as client:
        page = client.get("/annonser")
    assert page.status_code == 200
    assert "syntetiska" in page.text and "riktiga annonser" in page.text
