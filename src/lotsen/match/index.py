"""People as columns: the vectorised, in-memory index the matcher scores against.

One row per person. Skills are held as an inverted index (for each skill, the
sorted rows of the people who have it: CSC without values), so a need with eight
skills touches only those eight posting lists instead of every person's skills.
Occupations sit in a small padded matrix (up to ``OCCUPATION_SLOTS`` per person,
most years first). About 110 bytes per person plus 4 bytes per person-skill: a
million people with ~21 skills each fit in well under 1 GiB.

A skill is held when the person states it or when it was validated (validering av
reell kompetens). A validated skill is also posted under ``VALIDATED + skill``, so
reasons and the gap report tell the two apart, and patching handles both as one.
"""

from __future__ import annotations

import weakref
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from lotsen.match.geo import MunicipalityGrid
from lotsen.match.levels import (
    CROSS_TENANT,
    MATCHING,
    LicenceBits,
    education_rank,
    has_consent,
    swedish_rank,
)

OCCUPATION_SLOTS = 4
VALIDATED = "validated:"  # concept ids hold no such prefix (JobTech ids, local:<tenant>:...)
NO_DATE = np.iinfo(np.int32).min
EPOCH = date(1970, 1, 1).toordinal()


def day_number(value: date | str | None) -> int:
    if value is None or value == "":
        return int(NO_DATE)
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return day.toordinal() - EPOCH


def from_day_number(value: int) -> date | None:
    return None if value == NO_DATE else date.fromordinal(int(value) + EPOCH)


@dataclass
class Patch:
    """``PeopleIndex.patched``: the index it was made from, and where ``update``'s people
    went, so shares computed for the old index can be carried over (``Matcher.refit``)."""

    base: weakref.ref[PeopleIndex]
    update: PeopleIndex
    rows: np.ndarray


@dataclass
class PeopleIndex:
    person_ids: np.ndarray  # int64, ascending when loaded from a database
    pseudonyms: np.ndarray  # bytes (S)
    tenant_ids: np.ndarray  # int32
    municipality: np.ndarray  # int16, row in the MunicipalityGrid
    max_commute_km: np.ndarray  # float32
    available: np.ndarray  # int32 day number, NO_DATE = now
    swedish: np.ndarray  # int8 rank (levels.swedish_rank)
    education: np.ndarray  # int8 rank, -1 unknown
    licences: np.ndarray  # int32 bit mask (levels.LicenceBits)
    consent: np.ndarray  # bool: matching consent given, not withdrawn, not expired
    cross_tenant: np.ndarray  # bool: active consent to be seen by other tenants
    occupations: np.ndarray  # int32 [n, OCCUPATION_SLOTS], -1 = empty slot
    years: np.ndarray  # float32 [n, OCCUPATION_SLOTS]
    occupation_vocab: list[str]
    skill_vocab: dict[str, int]
    skill_ptr: np.ndarray  # int64 [n_skills + 1]
    skill_rows: np.ndarray  # int32, rows of each skill's holders, sorted per skill
    signature: Any = None
    skill_ids: list[str] = field(default_factory=list)
    dead: int = 0  # blanked rows of people who left since the full load (``patched``)
    patch: Patch | None = None  # how this index came from another (``patched``)

    def __len__(self) -> int:
        return int(self.person_ids.shape[0])

    @property
    def nbytes(self) -> int:
        return sum(
            getattr(self, name).nbytes
            for name in (
                "person_ids",
                "pseudonyms",
                "tenant_ids",
                "municipality",
                "max_commute_km",
                "available",
                "swedish",
                "education",
                "licences",
                "consent",
                "cross_tenant",
                "occupations",
                "years",
                "skill_ptr",
                "skill_rows",
            )
        )

    def holders(self, skill_id: str) -> np.ndarray:
        """Rows of the people who have ``skill_id`` (sorted)."""
        col = self.skill_vocab.get(skill_id)
        if col is None:
            return np.empty(0, dtype=np.int32)
        return self.skill_rows[self.skill_ptr[col] : self.skill_ptr[col + 1]]

    def validated_holders(self, skill_id: str) -> np.ndarray:
        """Rows of the people whose ``skill_id`` was validated (sorted)."""
        return self.holders(VALIDATED + skill_id)

    def has_skill(self, row: int, skill_id: str) -> bool:
        return _contains(self.holders(skill_id), row)

    def is_validated(self, row: int, skill_id: str) -> bool:
        return _contains(self.validated_holders(skill_id), row)

    def skills_of_row(self, row: int) -> list[str]:
        """All skills of one person (a scan over the index: for explaining, not scoring)."""
        hits = np.flatnonzero(self.skill_rows == row)
        cols = np.searchsorted(self.skill_ptr, hits, side="right") - 1
        return sorted(self.skill_ids[c] for c in cols
                      if not self.skill_ids[c].startswith(VALIDATED))

    def row_of(self, person_id: int) -> int | None:
        hits = np.flatnonzero(self.person_ids == person_id)
        return int(hits[0]) if len(hits) else None

    def rows_of(self, person_ids: np.ndarray) -> np.ndarray:
        """The row of each id, -1 where the index has no such person."""
        ids = self.person_ids
        order = None
        if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):
            order = np.argsort(ids, kind="stable")  # people appended out of id order
            ids = ids[order]
        if not len(ids):
            return np.full(len(person_ids), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(ids, person_ids), len(ids) - 1)
        rows = at if order is None else order[at]
        return np.where(ids[at] == person_ids, rows, -1)

    def patched(self, update: PeopleIndex, changed: Sequence[int], signature: Any) -> PeopleIndex:
        """A new index in which the people of ``update`` replace their rows (new people
        are appended) and those of ``changed`` missing from ``update`` (erased) are
        blanked: no consent, pseudonym, skills or occupations. Rows keep their numbers,
        so nothing is renumbered; blanked rows go at the next full load. ``self`` is left
        as it is for requests still using it."""
        found = self.rows_of(update.person_ids)
        fresh = found < 0
        n_old, n_fresh = len(self), int(fresh.sum())
        target = found.copy()
        target[fresh] = np.arange(n_old, n_old + n_fresh)
        gone_ids = np.setdiff1d(np.asarray(changed, dtype=np.int64), update.person_ids)
        gone = self.rows_of(gone_ids)
        gone = gone[gone >= 0]
        revived = int((self.pseudonyms[found[~fresh]] == b"").sum())
        dead = self.dead + int((self.pseudonyms[gone] != b"").sum()) - revived

        def column(name: str, blank: Any) -> np.ndarray:
            old, new = getattr(self, name), getattr(update, name)
            # Pseudonyms are fixed-width bytes: a longer new one widens the column.
            dtype = np.result_type(old, new) if old.dtype.kind == "S" else old.dtype
            out = np.empty(n_old + n_fresh, dtype=dtype)
            out[:n_old] = old
            out[target] = new
            if blank is not None:
                out[gone] = blank
            return out

        occupation_vocab = list(self.occupation_vocab)
        known = {o: i for i, o in enumerate(occupation_vocab)}
        remap = np.full(len(update.occupation_vocab) + 1, -1, dtype=np.int32)  # [-1] stays -1
        for i, occ in enumerate(update.occupation_vocab):
            remap[i] = known.setdefault(occ, len(occupation_vocab))
            if remap[i] == len(occupation_vocab):
                occupation_vocab.append(occ)
        moved = remap[update.occupations]
        skill_ptr, skill_rows, skill_vocab, skill_ids = self._patched_postings(
            update, np.concatenate([found[~fresh], gone]), target, n_old + n_fresh
        )
        return PeopleIndex(
            person_ids=column("person_ids", None),
            pseudonyms=column("pseudonyms", b""),
            tenant_ids=column("tenant_ids", 0),
            municipality=column("municipality", 0),
            max_commute_km=column("max_commute_km", 0.0),
            available=column("available", NO_DATE),
            swedish=column("swedish", 0),
            education=column("education", -1),
            licences=column("licences", 0),
            consent=column("consent", False),
            cross_tenant=column("cross_tenant", False),
            occupations=_replaced_rows(self.occupations, moved, target, gone, -1),
            years=_replaced_rows(self.years, update.years, target, gone, 0),
            occupation_vocab=occupation_vocab,
            skill_vocab=skill_vocab,
            skill_ptr=skill_ptr,
            skill_rows=skill_rows,
            signature=signature,
            skill_ids=skill_ids,
            dead=dead,
            patch=Patch(weakref.ref(self), update, target),
        )

    def _patched_postings(
        self, update: PeopleIndex, purged: np.ndarray, target: np.ndarray, n_rows: int
    ) -> tuple[np.ndarray, np.ndarray, dict[str, int], list[str]]:
        """Posting lists without the rows in ``purged``, with ``update``'s skills added
        at rows ``target``; each list stays sorted. One pass over the postings, plus a
        search per skill ``update`` holds."""
        skill_vocab, skill_ids = dict(self.skill_vocab), list(self.skill_ids)
        for skill in update.skill_ids:
            if skill not in skill_vocab:
                skill_vocab[skill] = len(skill_ids)
                skill_ids.append(skill)
        n_cols = len(skill_ids)
        touched = np.zeros(n_rows, dtype=bool)
        touched[purged] = True
        drop = touched[self.skill_rows]
        ptr = np.empty(n_cols + 1, dtype=np.int64)
        ptr[: len(self.skill_ptr)] = self.skill_ptr
        ptr[len(self.skill_ptr) :] = self.skill_ptr[-1]
        kept = self.skill_rows
        if drop.any():
            at = np.flatnonzero(drop)
            cols = np.searchsorted(self.skill_ptr, at, side="right") - 1
            ptr[1:] -= np.cumsum(np.bincount(cols, minlength=n_cols))
            kept = self.skill_rows[~drop]
        remap = np.array([skill_vocab[s] for s in update.skill_ids], dtype=np.int64)
        new_cols = np.repeat(remap, np.diff(update.skill_ptr))
        new_rows = target[update.skill_rows].astype(np.int32)
        order = np.lexsort((new_rows, new_cols))
        new_cols, new_rows = new_cols[order], new_rows[order]
        positions = np.empty(len(new_rows), dtype=np.int64)
        bounds = np.flatnonzero(np.r_[True, np.diff(new_cols) != 0, True]) if len(new_cols) \
            else np.zeros(1, dtype=np.int64)
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            start, end = ptr[new_cols[lo]], ptr[new_cols[lo] + 1]
            positions[lo:hi] = start + np.searchsorted(kept[start:end], new_rows[lo:hi])
        rows = np.insert(kept, positions, new_rows)
        ptr[1:] += np.cumsum(np.bincount(new_cols, minlength=n_cols))
        return ptr, rows, skill_vocab, skill_ids

    def occupations_of_row(self, row: int) -> list[tuple[str, float]]:
        return [
            (self.occupation_vocab[o], float(y))
            for o, y in zip(self.occupations[row], self.years[row], strict=True)
            if o >= 0
        ]


def _contains(rows: np.ndarray, row: int) -> bool:
    i = int(np.searchsorted(rows, row))
    return i < len(rows) and int(rows[i]) == row


def _replaced_rows(
    old: np.ndarray, new: np.ndarray, target: np.ndarray, gone: np.ndarray, blank: int
) -> np.ndarray:
    """``old`` (a row per person) with rows ``target`` set from ``new`` (rows past the
    end appended) and rows ``gone`` blanked."""
    n_rows = max(len(old), int(target.max()) + 1 if len(target) else 0)
    out = np.full((n_rows, *old.shape[1:]), blank, dtype=old.dtype)
    out[: len(old)] = old
    out[target] = new
    out[gone] = blank
    return out


class IndexBuilder:
    """Collects people one at a time (or column by column) and builds a PeopleIndex."""

    def __init__(self, grid: MunicipalityGrid, licence_bits: LicenceBits) -> None:
        self.grid = grid
        self.licence_bits = licence_bits
        self.ids = array("q")
        self.pseudonyms: list[bytes] = []
        self.tenants = array("i")
        self.municipality = array("h")
        self.commute = array("f")
        self.available = array("i")
        self.swedish = array("b")
        self.education = array("b")
        self.licences = array("i")
        self.consent = array("b")
        self.cross_tenant = array("b")
        self.occ_rows = array("i")
        self.occ_cols = array("i")
        self.occ_years = array("f")
        self.skill_rows = array("i")
        self.skill_cols = array("i")
        self.occupation_vocab: dict[str, int] = {}
        self.skill_vocab: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def add_person(
        self,
        person_id: int,
        pseudonym: str,
        tenant_id: int | None,
        municipality_code: str,
        max_commute_km: float | None,
        available_from: date | str | None,
        swedish_level: str | None,
        education_level: str | None,
    ) -> int:
        row = len(self.ids)
        self.ids.append(person_id)
        self.pseudonyms.append(pseudonym.encode())
        self.tenants.append(tenant_id or 0)
        self.municipality.append(self.grid.row(municipality_code))
        self.commute.append(50.0 if max_commute_km is None else float(max_commute_km))
        self.available.append(day_number(available_from))
        self.swedish.append(swedish_rank(swedish_level))
        self.education.append(education_rank(education_level))
        self.licences.append(0)
        self.consent.append(0)
        self.cross_tenant.append(0)
        return row

    def add_skill(self, row: int, skill_id: str) -> None:
        self.skill_rows.append(row)
        self.skill_cols.append(self.skill_vocab.setdefault(skill_id, len(self.skill_vocab)))

    def add_holders(self, skill_id: str, rows: np.ndarray) -> None:
        """Everyone in ``rows`` has ``skill_id`` (a database read grouped by skill)."""
        col = self.skill_vocab.setdefault(skill_id, len(self.skill_vocab))
        self.skill_rows.frombytes(np.asarray(rows, dtype=np.int32).tobytes())
        self.skill_cols.frombytes(np.full(len(rows), col, dtype=np.int32).tobytes())

    def add_occupations(self, occupation_id: str, rows: np.ndarray, years: np.ndarray) -> None:
        """Everyone in ``rows`` has worked as ``occupation_id`` for ``years``."""
        col = self.occupation_vocab.setdefault(occupation_id, len(self.occupation_vocab))
        self.occ_rows.frombytes(np.asarray(rows, dtype=np.int32).tobytes())
        self.occ_cols.frombytes(np.full(len(rows), col, dtype=np.int32).tobytes())
        self.occ_years.frombytes(np.asarray(years, dtype=np.float32).tobytes())

    def add_licence_holders(self, licence_id: str, rows: np.ndarray) -> None:
        mask = self.licence_bits.mask((licence_id,))
        if mask:
            licences = np.frombuffer(self.licences, dtype=np.int32)
            licences[rows] |= np.int32(mask)

    def add_validated_holders(self, skill_id: str, rows: np.ndarray) -> None:
        """Everyone in ``rows`` had ``skill_id`` validated: held, and posted under
        ``VALIDATED`` as well."""
        self.add_holders(skill_id, rows)
        self.add_holders(VALIDATED + skill_id, rows)

    def add_occupation(self, row: int, occupation_id: str, years: float) -> None:
        self.occ_rows.append(row)
        self.occ_cols.append(
            self.occupation_vocab.setdefault(occupation_id, len(self.occupation_vocab))
        )
        self.occ_years.append(float(years or 0.0))

    def add_licences(self, row: int, licence_ids: Iterable[str]) -> None:
        self.licences[row] |= self.licence_bits.mask(licence_ids)

    def set_consent(self, row: int, given: bool, cross_tenant: bool = False) -> None:
        self.consent[row] = 1 if given else 0
        self.cross_tenant[row] = 1 if cross_tenant else 0

    def add(self, rec: Mapping[str, Any], cutoff: date | None = None) -> int:
        """One person dict (``store.records.person_to_dict`` or the demo generator's);
        consents given before ``cutoff`` have expired."""
        row = self.add_person(
            int(rec["id"]) if rec.get("id") is not None else len(self.ids),
            rec["pseudonym"],
            rec.get("tenant_id"),
            rec["municipality_code"],
            rec.get("max_commute_km"),
            rec.get("available_from"),
            rec.get("swedish_level"),
            rec.get("education_level"),
        )
        for skill in set(rec.get("skills") or ()):
            self.add_skill(row, skill)
        for skill in sorted({v["skill_id"] for v in rec.get("validations") or ()}):
            self.add_validated_holders(skill, np.array([row]))
        for occ in rec.get("occupations") or ():
            self.add_occupation(row, occ["occupation_id"], occ.get("years") or 0.0)
        self.add_licences(row, rec.get("licences") or ())
        consents = rec.get("consents") or ()
        self.set_consent(
            row,
            has_consent(consents, MATCHING, cutoff),
            has_consent(consents, CROSS_TENANT, cutoff),
        )
        return row

    def build(self, signature: Any = None) -> PeopleIndex:
        n = len(self.ids)
        occupations = np.full((n, OCCUPATION_SLOTS), -1, dtype=np.int32)
        years = np.zeros((n, OCCUPATION_SLOTS), dtype=np.float32)
        rows = np.frombuffer(self.occ_rows, dtype=np.int32)
        cols = np.frombuffer(self.occ_cols, dtype=np.int32)
        yrs = np.frombuffer(self.occ_years, dtype=np.float32)
        order = np.lexsort((-yrs, rows))  # by person, most years first
        rows, cols, yrs = rows[order], cols[order], yrs[order]
        if len(rows):
            first = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
            slot = np.arange(len(rows)) - np.repeat(first, np.diff(np.r_[first, len(rows)]))
            keep = slot < OCCUPATION_SLOTS
            occupations[rows[keep], slot[keep]] = cols[keep]
            years[rows[keep], slot[keep]] = yrs[keep]
        srows = np.frombuffer(self.skill_rows, dtype=np.int32)
        scols = np.frombuffer(self.skill_cols, dtype=np.int32)
        order = np.lexsort((srows, scols))
        srows, scols = srows[order], scols[order]
        if len(srows):  # a skill both stated and validated is one posting
            first = np.r_[True, (np.diff(scols) != 0) | (np.diff(srows) != 0)]
            srows, scols = srows[first], scols[first]
        skill_rows = srows.copy()
        counts = np.bincount(scols, minlength=len(self.skill_vocab))
        skill_ptr = np.zeros(len(self.skill_vocab) + 1, dtype=np.int64)
        np.cumsum(counts, out=skill_ptr[1:])
        skill_ids = [""] * len(self.skill_vocab)
        for skill, col in self.skill_vocab.items():
            skill_ids[col] = skill
        return PeopleIndex(
            person_ids=np.frombuffer(self.ids, dtype=np.int64).copy(),
            pseudonyms=np.array(self.pseudonyms, dtype=np.bytes_),
            tenant_ids=np.frombuffer(self.tenants, dtype=np.int32).copy(),
            municipality=np.frombuffer(self.municipality, dtype=np.int16).copy(),
            max_commute_km=np.frombuffer(self.commute, dtype=np.float32).copy(),
            available=np.frombuffer(self.available, dtype=np.int32).copy(),
            swedish=np.frombuffer(self.swedish, dtype=np.int8).copy(),
            education=np.frombuffer(self.education, dtype=np.int8).copy(),
            licences=np.frombuffer(self.licences, dtype=np.int32).copy(),
            consent=np.frombuffer(self.consent, dtype=np.int8).astype(bool),
            cross_tenant=np.frombuffer(self.cross_tenant, dtype=np.int8).astype(bool),
            occupations=occupations,
            years=years,
            occupation_vocab=list(self.occupation_vocab),
            skill_vocab=dict(self.skill_vocab),
            skill_ptr=skill_ptr,
            skill_rows=skill_rows,
            signature=signature,
            skill_ids=skill_ids,
        )
