"""Generate the synthetic demo region, deterministically from a seed.

Records are plain dicts in the same shape the import services take, so the demo,
the importers and the large-scale benchmarks share one path into the store.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from lotsen.demo.profiles import curated_skills, fitting_skills
from lotsen.demo.region import MOTHER_TONGUES, MUNICIPALITIES, PROGRAMS, SECTORS, SFI_MUNICIPALITIES
from lotsen.taxonomy.model import COLLECTION, DRIVING_LICENCE, LANGUAGE, OCCUPATION, Taxonomy

# Demo dates are fixed, not relative to today, so the same seed gives the same region.
REFERENCE_DATE = date(2026, 12, 1)

EDUCATION_LEVELS = ("2", "3", "4", "5", "6")  # SUN 2020 level-1 codes
EDUCATION_WEIGHTS = (12, 45, 15, 26, 2)
SFI_LEVELS = ("sfi_a", "sfi_b", "sfi_c", "sfi_d", "sva_grund")


@dataclass(frozen=True)
class DemoCatalog:
    """The taxonomy concepts the demo draws from, resolved once."""

    occupations: dict[tuple[str, str], str]  # (ssyk4, preferred name) -> concept id
    skills: dict[str, list[str]]  # occupation concept id -> skill ids (sorted)
    languages: dict[str, str]  # label -> concept id
    licences: dict[str, str]  # label -> concept id
    open_occupations: list[str]  # occupations without educational requirements

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy) -> DemoCatalog:
        wanted = {(r.ssyk4, r.name) for s in SECTORS for r in s.roles}
        wanted |= {(p[2], p[3]) for p in PROGRAMS}
        occupations: dict[tuple[str, str], str] = {}
        for ssyk4, name in sorted(wanted):
            group = taxonomy.by_code("ssyk-level-4", ssyk4)
            names = [
                c for c in taxonomy.narrower(group.id) if c.type == OCCUPATION and not c.deprecated
            ]
            chosen = next((c for c in names if c.label == name), None) or min(
                names, key=lambda c: c.label
            )
            occupations[(ssyk4, name)] = chosen.id
        # Each demo occupation draws from its curated local profile (the battery roles)
        # or from the group's skills that fit it (demo/profiles.py), never the raw group.
        skills = {}
        for (_, name), cid in occupations.items():
            curated = sorted(skill for skill, _ in curated_skills(taxonomy, name))
            if curated or cid not in skills:
                skills[cid] = curated or fitting_skills(taxonomy, cid)
        collection = taxonomy.of_type(COLLECTION)
        open_occ = sorted(
            c.id
            for col in collection
            for c in taxonomy.related(col.id)
            if c.type == OCCUPATION and not c.deprecated
        )
        for cid in open_occ:
            skills.setdefault(cid, fitting_skills(taxonomy, cid))
        languages = {c.label: c.id for c in taxonomy.of_type(LANGUAGE)}
        licences = {c.label: c.id for c in taxonomy.of_type(DRIVING_LICENCE)}
        return cls(occupations, skills, languages, licences, open_occ)


def _pick_municipality(rng: random.Random, where: tuple[str, ...] = ()) -> str:
    options = [m for m in MUNICIPALITIES if not where or m[0] in where]
    return rng.choices([m[0] for m in options], weights=[m[2] for m in options])[0]


def _sample(rng: random.Random, items: list[str], low: int, high: int) -> list[str]:
    k = min(len(items), rng.randint(low, high))
    return sorted(rng.sample(items, k))


def tenant_of(municipality_code: str) -> str:
    return next(m[3] for m in MUNICIPALITIES if m[0] == municipality_code)


def employers(rng: random.Random) -> Iterator[dict[str, Any]]:
    for sector in SECTORS:
        for i in range(sector.employers):
            code = _pick_municipality(rng, sector.where)
            place = next(m[1] for m in MUNICIPALITIES if m[0] == code)
            part = sector.name_parts[i % len(sector.name_parts)]
            yield {
                "source_id": f"demo-emp-{sector.key}-{i:03d}",
                "kind": "employer",
                "name": f"{part} {place} {i + 1} AB (syntetisk)",
                "org_number": f"55{rng.randint(10000000, 99999999)}",
                "municipality_code": code,
                "sni_code": sector.sni_code,
                "sector": sector.key,
            }


def needs(
    rng: random.Random, catalog: DemoCatalog, employer_records: list[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    sectors = {s.key: s for s in SECTORS}
    n = 0
    for employer in employer_records:
        sector = sectors[employer["sector"]]
        for _ in range(rng.randint(1, 3)):
            role = rng.choices(sector.roles, weights=[r.weight for r in sector.roles])[0]
            occupation = catalog.occupations[(role.ssyk4, role.name)]
            pool = catalog.skills[occupation]
            must = _sample(rng, pool, 3, 5)
            nice = _sample(rng, [s for s in pool if s not in must], 1, 3)
            licence = (
                catalog.licences["CE"]
                if role.ssyk4 == "8332"
                else (catalog.licences["B"] if rng.random() < 0.3 else None)
            )
            n += 1
            yield {
                "source_id": f"demo-need-{n:04d}",
                "employer_source_id": employer["source_id"],
                "occupation_id": occupation,
                "title": role.name,
                "headcount": rng.randint(*sector.headcount),
                "start_date": REFERENCE_DATE + timedelta(days=rng.randint(30, 400)),
                "municipality_code": employer["municipality_code"],
                "status": "open" if rng.random() < 0.85 else "filled",
                "must_skills": must,
                "nice_skills": nice,
                "min_swedish_level": "sfi_d" if role.ssyk4 in {"5321", "2341", "2343"} else None,
                "driving_licence_id": licence,
            }


def person(rng: random.Random, catalog: DemoCatalog, index: int) -> dict[str, Any]:
    """One synthetic job seeker; the same (seed state, index) gives the same person."""
    code = _pick_municipality(rng)
    newly_arrived = rng.random() < 0.18
    roles = [(r.ssyk4, r.name, r.weight) for s in SECTORS for r in s.roles]
    occupations: list[dict[str, Any]] = []
    if newly_arrived and rng.random() < 0.5:
        primary = rng.choice(catalog.open_occupations)
    else:
        ssyk4, name, _ = rng.choices(roles, weights=[r[2] for r in roles])[0]
        primary = catalog.occupations[(ssyk4, name)]
    occupations.append({"occupation_id": primary, "years": round(rng.uniform(0, 15), 1)})
    if rng.random() < 0.3:
        other = rng.choice(catalog.open_occupations)
        if other != primary:
            occupations.append({"occupation_id": other, "years": round(rng.uniform(0, 5), 1)})
    skills: set[str] = set()
    for occ in occupations:
        pool = catalog.skills.get(occ["occupation_id"], [])
        share = rng.uniform(0.2, 0.8)
        skills.update(_sample(rng, pool, 1, max(1, int(len(pool) * share))))
    languages = [
        {
            "language_id": catalog.languages["Svenska"],
            "level": "Lite" if newly_arrived else "Flytande",
        }
    ]
    if newly_arrived:
        tongue = rng.choice(MOTHER_TONGUES)
        languages.append({"language_id": catalog.languages[tongue], "level": "Flytande"})
    if rng.random() < 0.6:
        languages.append(
            {
                "language_id": catalog.languages["Engelska"],
                "level": rng.choice(["Bra", "Mycket bra", "Flytande"]),
            }
        )
    licences = []
    if rng.random() < (0.35 if newly_arrived else 0.8):
        licences.append(catalog.licences["B"])
        if rng.random() < 0.12:
            licences.append(catalog.licences["CE"])
    consents = [
        {"purpose": "matching", "given_at": REFERENCE_DATE - timedelta(days=rng.randint(1, 700))}
    ]
    if rng.random() < 0.1:  # some withdrew: they must never show up in matching
        consents[0]["withdrawn_at"] = REFERENCE_DATE - timedelta(days=rng.randint(0, 30))
    if rng.random() < 0.7:
        consents.append({"purpose": "statistics", "given_at": consents[0]["given_at"]})
    return {
        "source_id": f"demo-person-{index:07d}",
        "pseudonym": f"P{rng.getrandbits(40):010X}",
        "municipality_code": code,
        "education_level": rng.choices(EDUCATION_LEVELS, weights=EDUCATION_WEIGHTS)[0],
        "education_field": None,
        "swedish_level": rng.choice(SFI_LEVELS) if newly_arrived else "native",
        "newly_arrived": newly_arrived,
        "available_from": REFERENCE_DATE + timedelta(days=rng.randint(-60, 200)),
        "max_commute_km": float(rng.choice([20, 40, 60, 100, 150])),
        "occupations": occupations,
        "skills": sorted(skills),
        "languages": languages,
        "licences": licences,
        "consents": consents,
    }


def people(seed: int, catalog: DemoCatalog, count: int, start: int = 0) -> Iterator[dict[str, Any]]:
    """People ``start .. start+count``; each depends only on (seed, index), so chunks
    generated separately (or in parallel) equal one long run."""
    for index in range(start, start + count):
        rec = person(random.Random(seed * 1_000_003 + index), catalog, index)
        # A stream of its own, so adding validations left every other figure as it was.
        rec["validations"] = validations(
            random.Random(seed * 1_000_003 + index + VALIDATION_STREAM), catalog, rec)
        yield rec


VALIDATION_STREAM = 7_000_000_000
VALIDATED_SHARE = 0.15
VALIDATOR = "demo-validerare (syntetisk)"


def validations(rng: random.Random, catalog: DemoCatalog,
                rec: dict[str, Any]) -> list[dict[str, Any]]:
    """Synthetic validations of prior learning for about one person in seven: some or
    all of the skills they state for their main occupation, now and then one they did
    not list (the validation found it), by one of the three methods."""
    if rng.random() >= VALIDATED_SHARE or not rec["occupations"]:
        return []
    occupation = rec["occupations"][0]["occupation_id"]
    pool = catalog.skills.get(occupation, [])
    stated = [s for s in rec["skills"] if s in pool]
    if not stated:
        return []
    chosen = set(_sample(rng, stated, max(1, len(stated) // 2), len(stated)))
    unlisted = [s for s in pool if s not in rec["skills"]]
    if unlisted and rng.random() < 0.3:
        chosen.add(rng.choice(unlisted))
    method = rng.choices(("industry", "komvux", "certificate"), weights=(4, 4, 2))[0]
    day = REFERENCE_DATE - timedelta(days=rng.randint(14, 900))
    return [{"skill_id": skill, "occupation_id": occupation, "method": method,
             "validated_on": day.isoformat(), "validated_by": VALIDATOR}
            for skill in sorted(chosen)]


def programs(rng: random.Random, catalog: DemoCatalog) -> Iterator[dict[str, Any]]:
    for i, (form, name, ssyk4, occ_name, weeks, seats, code) in enumerate(PROGRAMS):
        occupation = catalog.occupations[(ssyk4, occ_name)]
        pool = catalog.skills[occupation]
        starts = sorted(
            {REFERENCE_DATE + timedelta(days=rng.choice([30, 120, 270, 400])) for _ in range(2)}
        )
        record = {
            "source_id": f"demo-prog-{i:03d}",
            "provider_name": _provider_name(form, code),
            "name": f"{name}",
            "form": form,
            "municipality_code": code,
            "distance_learning": rng.random() < 0.25,
            "duration_weeks": weeks,
            "seats": seats,
            "starts": [d.isoformat() for d in starts],
            "skills": _sample(rng, pool, max(3, len(pool) // 3), max(4, int(len(pool) * 0.7))),
            "occupations": [occupation],
            "min_swedish_level": "sfi_d" if form in {"YH", "university", "gymnasium"} else None,
        }
        # The demo's YH programmes are the real ones (MYH, services/demo.py); the
        # synthetic YH rows still draw their numbers so the other programs stay the same.
        if form != "YH":
            yield record
    for j, code in enumerate(SFI_MUNICIPALITIES):
        yield {
            "source_id": f"demo-sfi-{j:02d}",
            "provider_name": _provider_name("SFI", code),
            "name": "SFI – svenska för invandrare, kurs A–D",
            "form": "SFI",
            "municipality_code": code,
            "distance_learning": False,
            "duration_weeks": 40,
            "seats": 60,
            "starts": [(REFERENCE_DATE + timedelta(days=d)).isoformat() for d in (14, 60, 120)],
            "skills": [],
            "occupations": [],
            "min_swedish_level": None,
        }


def _provider_name(form: str, code: str) -> str:
    place = next(m[1] for m in MUNICIPALITIES if m[0] == code)
    return {
        "YH": f"Yrkeshögskolan {place} (syntetisk)",
        "Komvux": f"Komvux {place} (syntetisk)",
        "SFI": f"Komvux {place} (syntetisk)",
        "AUB": f"Arbetsmarknadsutbildning {place} (syntetisk)",
        "university": f"Universitetet i {place} (syntetisk)",
        "gymnasium": f"Gymnasieskolan {place} (syntetisk)",
    }[form]
