"""Validated prior learning (validering av reell kompetens) as matching sees it.

A person holds a skill when they state it or when it was validated against an
occupation's (or a local role's) profile — by branschvalidering, Komvux validering or
a certificate. Both count as held in scoring and pathways; reasons say which, and for
a validated skill how, by whom and when.

"One validation away" from a need (the gap report's figure, docs/regional.md): a
person who meets the need's hard requirements (consent, Swedish level, licence,
commuting reach — the matcher's own filter), holds every skall-krav of the need, and
has at least one of them unvalidated. One validation against the need's occupation
profile would leave every skall-krav documented. People with every skall-krav
validated are counted apart (``validated``); needs without skall-krav have nothing to
validate and count no one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import reduce
from typing import Any

import numpy as np

from lotsen.labels import label
from lotsen.match.index import PeopleIndex
from lotsen.match.need import NeedSpec
from lotsen.match.scorer import Matcher

STATED = "egen uppgift"
VALIDATED = "validerad"


def held_skills(person: Mapping[str, Any]) -> set[str]:
    """Every skill a person record holds: stated or validated."""
    return set(person.get("skills") or ()) | {
        v["skill_id"] for v in person.get("validations") or ()}


def latest_by_skill(validations: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """The most recent validation of each skill (a skill may be validated against two
    occupations' profiles)."""
    found: dict[str, Mapping[str, Any]] = {}
    for v in sorted(validations, key=lambda v: (str(v["validated_on"]), v.get("id") or 0)):
        found[v["skill_id"]] = v
    return found


def describe(validation: Mapping[str, Any], occupation_label: str) -> str:
    """How, against which profile, when and by whom, in Swedish."""
    return (f"{label('validation_method', validation['method'])} mot {occupation_label}, "
            f"{validation['validated_on']}, av {validation['validated_by']}")


def source_of(validation: Mapping[str, Any] | None, occupation_label: str = "") -> dict[str, Any]:
    """The keys a skill item gets to say where it comes from."""
    if validation is None:
        return {"source": STATED, "validated": False}
    return {"source": VALIDATED, "validated": True, "validation": {
        **validation, "method_label": label("validation_method", validation["method"]),
        "occupation_label": occupation_label,
        "text": describe(validation, occupation_label)}}


def readiness(
    index: PeopleIndex, matcher: Matcher, need: NeedSpec, mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(rows one validation away from ``need``, rows with every skall-krav validated);
    both meet the need's hard requirements and hold every skall-krav."""
    empty = np.empty(0, dtype=np.int32)
    if not need.must_skills:
        return empty, empty
    rows = reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True),
                  (index.holders(s) for s in need.must_skills))
    if not len(rows):
        return empty, empty
    rows = rows[matcher.meets_requirements(need, rows, mask)]
    validated = reduce(lambda a, b: np.intersect1d(a, b, assume_unique=True),
                       (index.validated_holders(s) for s in need.must_skills), rows)
    return np.setdiff1d(rows, validated, assume_unique=True), validated
