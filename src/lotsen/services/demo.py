"""Build the synthetic demo region into a database and summarise what it holds."""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select, union
from sqlalchemy.orm import Session

from lotsen.ads.ingest import ingest_file
from lotsen.demo import generator
from lotsen.demo.ads import REAL_ADS_FILE, synthetic_ads
from lotsen.demo.profiles import curated_skills
from lotsen.demo.region import MUNICIPALITIES, MYH_FILES, REAL_PROGRAM_LINKS, TENANTS
from lotsen.errors import InvalidInput
from lotsen.imports.myh import programmes_from, to_record
from lotsen.match.profile_edits import diff
from lotsen.services.access import Actor, require_admin, require_aggregates, require_reference_data
from lotsen.services.results.imports import RegionCounts
from lotsen.store.db import transaction
from lotsen.store.models import (
    CompetenceNeed,
    EducationProgram,
    Organization,
    Person,
    ProfileVersion,
    Tenant,
)
from lotsen.store.records import upsert_need, upsert_organization, upsert_person, upsert_program
from lotsen.taxonomy import load_taxonomy
from lotsen.taxonomy.search import get_search_index
from lotsen.text.normalize import normalize_key

DEFAULT_PEOPLE = 3000


UNFIT = "Lotsen demo: hör till en annan bransch i samma yrkesgrupp (SSYK)"


def _curated_profiles(session: Session, catalog: generator.DemoCatalog,
                      tenants: list[Tenant]) -> None:
    """Each tenant's first profile version of a battery role: the curated local profile,
    every skill naming its source, and the group's skills that do not fit removed."""
    taxonomy = load_taxonomy()
    for (_, name), occupation in sorted(catalog.occupations.items()):
        curated = curated_skills(taxonomy, name)
        if not curated:
            continue
        state: dict[str, dict[str, Any]] = {
            skill: {"removed": False, "added": True, "weight": entry.weight,
                    "must": entry.must, "by": entry.source}
            for skill, entry in curated
        }
        for skill in taxonomy.skills_of(occupation):
            state.setdefault(skill.id, {"removed": True, "weight": None, "must": None,
                                        "by": UNFIT})
        for tenant in tenants:
            exists = session.scalars(select(ProfileVersion.id).where(
                ProfileVersion.tenant_id == tenant.id,
                ProfileVersion.occupation_id == occupation)).first()
            if exists is None:
                session.add(ProfileVersion(
                    tenant_id=tenant.id, occupation_id=occupation, version=1, state=state,
                    changes=diff({}, state), username="lotsen-demo",
                    comment="Kurerad lokal profil för battericellstillverkning"))


def _real_programs(session: Session, catalog: generator.DemoCatalog,
                   tenant_id: Callable[[str], int]) -> None:
    """The real YH programmes in the demo's municipalities (MYH files shipped in
    demo/data), read by the same reader as `lotsen import programs --format myh`."""
    taxonomy = load_taxonomy()
    folder = resources.files("lotsen.demo") / "data"
    files = [((folder / name).read_bytes(), name) for name in MYH_FILES]
    programmes, errors, _ = programmes_from(files, taxonomy)
    if errors:
        raise InvalidInput(f"the shipped MYH files do not read: {errors[0]}")
    codes = {m[0] for m in MUNICIPALITIES}
    searcher = get_search_index()
    for programme in programmes:
        if programme.municipality not in codes:
            continue
        rec = to_record(programme, taxonomy, searcher, generator.REFERENCE_DATE).values
        curated = REAL_PROGRAM_LINKS.get(programme.source_id)
        if curated is not None:
            occupation = catalog.occupations[curated]
            rec["occupations"] = [occupation]
            rec["skills"] = catalog.skills[occupation]
            rec["links"] = {**rec["links"], "unlinked": None, "occupations": [
                {"id": occupation, "label": curated[1], "ssyk4": curated[0], "inferred": True,
                 "via": "kurerad koppling i demoregionen (namnet finns inte i taxonomin)"}],
                "skills": {"inferred": True, "count": len(rec["skills"]),
                           "via": "demoregionens lokala yrkesprofil"}}
        provider = upsert_organization(session, tenant_id(programme.municipality), {
            "source_id": "myh-" + normalize_key(programme.provider).replace(" ", "-")[:80],
            "kind": "education_provider", "name": programme.provider,
            "municipality_code": programme.municipality}, False)
        session.flush()
        upsert_program(session, tenant_id(programme.municipality), provider.id, rec, False)


def build_demo(engine: Engine, seed: int, people: int = DEFAULT_PEOPLE, *,
               actor: Actor) -> RegionCounts:
    """Write the demo region (idempotent: re-running updates the same rows)."""
    require_admin(actor)
    catalog = generator.DemoCatalog.from_taxonomy(load_taxonomy())
    rng = random.Random(seed)
    with transaction(engine) as session:
        tenants: dict[str, Tenant] = {}
        for slug, name in TENANTS:
            tenant = session.scalars(select(Tenant).where(Tenant.slug == slug)).one_or_none()
            if tenant is None:
                tenant = Tenant(slug=slug, name=name)
                session.add(tenant)
            tenant.municipality_codes = [m[0] for m in MUNICIPALITIES if m[3] == slug]
            tenant.is_synthetic = True
            tenants[slug] = tenant
        session.flush()

        def tenant_id(code: str) -> int:
            return tenants[generator.tenant_of(code)].id

        employer_records = list(generator.employers(rng))
        employers = {}
        for rec in employer_records:
            org = upsert_organization(session, tenant_id(rec["municipality_code"]), rec, True)
            employers[rec["source_id"]] = org
        session.flush()
        for rec in generator.needs(rng, catalog, employer_records):
            employer = employers[rec["employer_source_id"]]
            upsert_need(session, employer.tenant_id, employer.id, rec, True)
        providers: dict[str, Organization] = {}
        for rec in generator.programs(rng, catalog):
            code = rec["municipality_code"]
            name = rec["provider_name"]
            if name not in providers:
                providers[name] = upsert_organization(
                    session,
                    tenant_id(code),
                    {
                        "source_id": "demo-prov-" + name.split(" (")[0].lower().replace(" ", "-"),
                        "kind": "education_provider",
                        "name": name,
                        "municipality_code": code,
                    },
                    True,
                )
                session.flush()
            upsert_program(session, tenant_id(code), providers[name].id, rec, True)
        _real_programs(session, catalog, tenant_id)
        _curated_profiles(session, catalog, list(tenants.values()))
        # Without autoflush each upsert's lookup would flush every pending person first.
        with session.no_autoflush:
            for rec in generator.people(seed, catalog, people):
                upsert_person(session, tenant_id(rec["municipality_code"]), rec, True)
    _job_ads(engine, seed, catalog, employer_records)
    return summary(engine, actor=actor)


def _job_ads(engine: Engine, seed: int, catalog: generator.DemoCatalog,
             employers: list[dict[str, Any]]) -> None:
    """The real ads in the demo's municipalities and the synthetic ones, ingested as
    `lotsen ads ingest` would (an ad already stored is skipped: rebuilding adds none)."""
    with resources.as_file(resources.files("lotsen.demo") / "data" / REAL_ADS_FILE) as real:
        ingest_file(engine, real)
    with tempfile.TemporaryDirectory(prefix="lotsen-demo-ads-") as folder:
        path = Path(folder) / "synthetic_ads.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for ad in synthetic_ads(seed, catalog, load_taxonomy(), employers):
                out.write(json.dumps(ad, ensure_ascii=False) + "\n")
        ingest_file(engine, path, synthetic=True)


def summary(engine: Engine, *, actor: Actor) -> RegionCounts:
    """The region's headline figures, as the start page and `lotsen demo` show them."""
    require_aggregates(actor)
    with transaction(engine) as session:

        def count(query: Any) -> int:
            return int(session.scalar(query) or 0)

        open_needs = select(CompetenceNeed).where(CompetenceNeed.status == "open").subquery()
        codes = union(
            select(Organization.municipality_code), select(Person.municipality_code)
        ).subquery()
        synthetic = count(select(func.count()).select_from(Tenant).where(Tenant.is_synthetic))
        return {
            "municipalities": count(select(func.count()).select_from(codes)),
            "tenants": count(select(func.count()).select_from(Tenant)),
            "employers": count(
                select(func.count())
                .select_from(Organization)
                .where(Organization.kind == "employer")
            ),
            "open_needs": count(select(func.count()).select_from(open_needs)),
            "open_headcount": count(select(func.sum(open_needs.c.headcount))),
            "people": count(select(func.count()).select_from(Person)),
            "programs": count(select(func.count()).select_from(EducationProgram)),
            "synthetic": synthetic > 0,
        }


def has_synthetic_data(engine: Engine, *, actor: Actor) -> bool:
    require_reference_data(actor)
    with transaction(engine) as session:
        return session.scalar(select(Tenant.id).where(Tenant.is_synthetic).limit(1)) is not None
