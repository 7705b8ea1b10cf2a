"""Small, hand-made people and needs on the real taxonomy, for the matcher's rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import pytest

from lotsen.match.explain import Explainer
from lotsen.match.geo import grid_for
from lotsen.match.index import IndexBuilder, PeopleIndex
from lotsen.match.levels import LicenceBits
from lotsen.match.relations import OccupationRelations
from lotsen.match.scorer import Matcher
from lotsen.taxonomy import Taxonomy, load_taxonomy
from lotsen.taxonomy.model import DRIVING_LICENCE

TRUCK_DRIVER = "GQSf_fnq_kjF"  # Truckförare, SSYK 8344
LULEA, BODEN, UMEA = "2580", "2582", "2480"


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="session")
def parts(taxonomy: Taxonomy) -> dict[str, Any]:
    bits = LicenceBits(taxonomy)
    return {
        "grid": grid_for(taxonomy),
        "bits": bits,
        "relations": OccupationRelations(taxonomy),
        "licence": {c.label: c.id for c in taxonomy.of_type(DRIVING_LICENCE)},
    }


@pytest.fixture(scope="session")
def truck_skills(taxonomy: Taxonomy) -> list[str]:
    return sorted(s.id for s in taxonomy.skills_of(TRUCK_DRIVER))


def person(pid: int, **overrides: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": pid,
        "pseudonym": f"T{pid:04d}",
        "tenant_id": 1,
        "municipality_code": LULEA,
        "education_level": "3",
        "swedish_level": "native",
        "available_from": "2027-01-01",
        "max_commute_km": 60.0,
        "occupations": [],
        "skills": [],
        "licences": [],
        "consents": [{"purpose": "matching", "given_at": "2026-06-01"}],
    }
    rec.update(overrides)
    return rec


@pytest.fixture
def build(parts: dict[str, Any]) -> Callable[[Iterable[Mapping[str, Any]]], PeopleIndex]:
    def make(records: Iterable[Mapping[str, Any]]) -> PeopleIndex:
        builder = IndexBuilder(parts["grid"], parts["bits"])
        for rec in records:
            builder.add(rec, cutoff=date(2024, 1, 1))
        return builder.build()

    return make


@pytest.fixture
def matcher(parts: dict[str, Any]) -> Matcher:
    return Matcher(parts["grid"], parts["bits"], parts["relations"])


@pytest.fixture
def explainer(taxonomy: Taxonomy, parts: dict[str, Any]) -> Explainer:
    return Explainer(taxonomy, parts["grid"], parts["bits"], parts["relations"])
