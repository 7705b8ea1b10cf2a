"""Ordered requirement scales: Swedish level, education level, driving licences, consent.

Requirements are compared as small integers so the vectorised scorer and the
per-person baseline apply exactly the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from lotsen.labels import LABELS
from lotsen.settings import get_settings
from lotsen.taxonomy.model import DRIVING_LICENCE, Taxonomy
from lotsen.types import SWEDISH_LEVELS, as_date

MATCHING = "matching"
CROSS_TENANT = "cross_tenant"
DEFAULT_CONSENT_DAYS = 1095

SWEDISH_LABELS = LABELS["swedish_level"]  # one label table (lotsen/labels.py)

EDUCATION_LABELS = {int(k): v for k, v in LABELS["education_level"].items()}

# A licence covers the classes below it (Swedish rules, simplified): CE lets you
# drive what C, C1 and B allow, and so on.
LICENCE_COVERS: dict[str, tuple[str, ...]] = {
    "AM": (),
    "A1": ("AM",),
    "A2": ("A1", "AM"),
    "A": ("A2", "A1", "AM"),
    "B": ("AM",),
    "Utökad B": ("B", "AM"),
    "BE": ("Utökad B", "B", "AM"),
    "C1": ("B", "AM"),
    "C1E": ("C1", "BE", "Utökad B", "B", "AM"),
    "C": ("C1", "B", "AM"),
    "CE": ("C", "C1E", "C1", "BE", "Utökad B", "B", "AM"),
    "D1": ("B", "AM"),
    "D1E": ("D1", "BE", "Utökad B", "B", "AM"),
    "D": ("D1", "B", "AM"),
    "DE": ("D", "D1E", "D1", "BE", "Utökad B", "B", "AM"),
}


def swedish_rank(level: str | None) -> int:
    """0 (none) .. 7 (native); unknown or missing levels count as none."""
    if not level:
        return 0
    try:
        return SWEDISH_LEVELS.index(level)
    except ValueError:
        return 0


def education_rank(level: str | None) -> int:
    """The SUN 2020 level-1 digit as an int; -1 when unknown."""
    if not level or not level[0].isdigit():
        return -1
    return int(level[0])


class LicenceBits:
    """Driving licence concept ids as bits; a holder's mask includes what they cover."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        concepts = sorted(taxonomy.of_type(DRIVING_LICENCE), key=lambda c: c.label)
        self.bit = {c.id: 1 << i for i, c in enumerate(concepts)}
        self.label = {c.id: c.label for c in concepts}
        by_label = {c.label: c.id for c in concepts}
        self._covers = {
            c.id: self.bit[c.id]
            | sum(self.bit[by_label[x]] for x in LICENCE_COVERS.get(c.label, ()) if x in by_label)
            for c in concepts
        }

    def mask(self, licence_ids: Iterable[str]) -> int:
        value = 0
        for licence in licence_ids:
            value |= self._covers.get(licence, 0)
        return value

    def required(self, licence_id: str | None) -> int:
        return self.bit.get(licence_id, 0) if licence_id else 0


def consent_cutoff(today: date | None = None) -> date:
    """Consents given before this day have expired (``LOTSEN_CONSENT_VALID_DAYS``)."""
    days = int(getattr(get_settings(), "consent_valid_days", DEFAULT_CONSENT_DAYS))
    return (today or date.today()) - timedelta(days=days)


def has_consent(
    consents: Iterable[Mapping[str, Any]], purpose: str = MATCHING, cutoff: date | None = None
) -> bool:
    """The latest consent for ``purpose`` counts, and only while neither withdrawn nor
    expired: a withdrawal without a later, fresh consent means no."""
    valid = False
    latest: date | None = None
    for consent in consents:
        if consent.get("purpose") != purpose:
            continue
        given_day = as_date(consent.get("given_at"))
        if latest is None or (given_day is not None and given_day >= latest):
            latest = given_day
            fresh = cutoff is None or (given_day is not None and given_day >= cutoff)
            valid = fresh and not consent.get("withdrawn_at")
    return valid


def has_matching_consent(consents: Iterable[Mapping[str, Any]], cutoff: date | None = None) -> bool:
    return has_consent(consents, MATCHING, cutoff)
