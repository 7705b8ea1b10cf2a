"""Myndigheten för yrkeshögskolan's files, as published, into education programs.

Two files are read: the register export of running programmes ("Utbildningsanordnare,
administrativ enhet; Utbildningsnummer; ...; Beviljade platser") and the application
results workbooks ("ansokningsar; Utbildningsområde; SUN5 inriktning; ...; Beslut").
Either may be ``;`` or ``,`` separated, with or without a BOM, CSV or XLSX. The register
names the programmes; a result row for the same name and municipality adds what the
register lacks (YH points, hence length; the SUN field; the number of rounds). Given
only results, the granted applications become the programmes.

MYH publishes name, place, form and seats. Everything else is inferred and marked so
in ``links``: occupations by searching the programme name in the taxonomy (kept only
from ``MIN_SCORE``), skills as the occupation group's skills, start dates as the
coming autumns, a length of ``DEFAULT_WEEKS`` when no YH points are known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from lotsen.errors import Problem, RejectedFile
from lotsen.imports.bulk import BulkWriter
from lotsen.imports.columns import normalize_header
from lotsen.imports.problems import Problems
from lotsen.imports.reading import read_sheet
from lotsen.imports.resolve import (
    Resolved,
    Searcher,
    education_field_resolver,
    municipality_resolver,
)
from lotsen.imports.rows import OrgRef, Record
from lotsen.limits import MAX_SEATS
from lotsen.taxonomy.model import OCCUPATION, Taxonomy
from lotsen.text.normalize import normalize_key

REGISTER = {"provider": "Utbildningsanordnare, administrativ enhet",
            "number": "Utbildningsnummer", "name": "Utbildningsnamn", "place": "Studieort",
            "form": "Studieform", "status": "Status", "seats": "Beviljade platser"}
RESULTS = {"year": "ansokningsar", "name": "Utbildningsnamn", "decision": "Beslut",
           "place": "Kommun", "points": "YH-poäng", "form": "Studieform",
           "provider": "Utbildningsanordnare administrativ enhet", "case": "Diarienummer",
           "rounds": "Beviljade utbildningsomgångar"}
OPTIONAL_RESULTS = {"sun5": "SUN5 inriktning", "seats": "Beviljade platser utbildningsomgång 1"}
MIN_SCORE = 0.4  # name-search score below which an occupation link is more guess than link
DEFAULT_WEEKS = 80  # 400 YH points, the most common length in MYH's 2022–2024 results
POINTS_PER_WEEK = 5  # 200 YH points = one year (40 weeks) of full-time study
MAX_SKILLS = 25
AUTUMN_START = (8, 20)  # YH programmes start in late August


@dataclass
class Programme:
    file: str
    row: int
    source_id: str
    provider: str
    name: str
    municipality: str
    distance: bool
    seats: int
    status: str
    points: int | None = None
    sun5: str | None = None
    rounds: int | None = None
    year: int | None = None
    links: dict[str, Any] = field(default_factory=dict)


def _kind(header: list[str]) -> str | None:
    keys = {normalize_header(h) for h in header}
    if {normalize_header(h) for h in REGISTER.values()} <= keys:
        return "register"
    if {normalize_header(h) for h in RESULTS.values()} <= keys:
        return "results"
    return None


def _int(text: str, problems: Problems, row: int, column: str, minimum: int,
         maximum: int = MAX_SEATS) -> int | None:
    try:
        digits = text.replace(" ", "").replace("\u00a0", "")
        value = int(digits) if len(digits) <= 12 else maximum + 1
    except ValueError:
        problems.error(row, column, text, f"{column} must be a whole number")
        return None
    if value < minimum:
        problems.error(row, column, text, f"{column} must be at least {minimum}")
        return None
    if value > maximum:
        problems.error(row, column, text, f"{column} must be at most {maximum}")
        return None
    return value


def read_programmes(data: bytes, file_name: str, taxonomy: Taxonomy,
                    problems: Problems) -> tuple[str, list[Programme]]:
    """The file's kind (register | results) and its programmes; problems name file,
    row and MYH's own column header."""
    expected = {normalize_header(h) for h in (*REGISTER.values(), *RESULTS.values())}
    sheet = read_sheet(data, file_name, expected)
    kind = _kind(sheet.header)
    if kind is None:
        problems.error(1, None, None, "not an MYH file: expected the register export's columns ("
                       + "; ".join(REGISTER.values()) + ") or the application results' ("
                       + "; ".join(RESULTS.values()) + ")")
        return "unknown", []
    columns = REGISTER if kind == "register" else {**RESULTS, **OPTIONAL_RESULTS}
    index = {normalize_header(h): i for i, h in enumerate(sheet.header)}
    places = municipality_resolver(taxonomy)
    out = []
    for number, cells in sheet.rows:
        if not any(c.strip() for c in cells):
            continue
        get = {key: (cells[index[normalize_header(h)]].strip()
                     if normalize_header(h) in index and index[normalize_header(h)] < len(cells)
                     else "") for key, h in columns.items()}
        if kind == "results" and get["decision"].lower() not in ("beviljad", "beviljat"):
            continue
        errors = problems.error_count
        for key in ("name", "place", "provider"):
            if not get[key]:
                problems.error(number, columns[key], "", f"{columns[key]} is empty")
        found = places.resolve(get["place"]) if get["place"] else None
        if get["place"] and not isinstance(found, Resolved):
            problems.error(number, columns["place"], get["place"],
                           "not a Swedish municipality name or code")
        if kind == "register":
            seats = _int(get["seats"], problems, number, columns["seats"], 1)
            source_id = get["number"]
            if not source_id.upper().startswith("YH"):
                problems.error(number, columns["number"], source_id,
                               "a programme number looks like YH02345")
        else:
            seats = (_int(get["seats"], problems, number, columns["seats"], 1)
                     if get.get("seats") else None)
            source_id = get["case"]
            if not source_id:
                problems.error(number, columns["case"], "", f"{columns['case']} is empty")
        points = (_int(get["points"], problems, number, RESULTS["points"], 1)
                  if kind == "results" and get["points"] else None)
        rounds = (_int(get["rounds"], problems, number, RESULTS["rounds"], 0)
                  if kind == "results" and get["rounds"] else None)
        if problems.error_count > errors or not isinstance(found, Resolved):
            continue
        out.append(Programme(
            file_name, number, source_id, get["provider"], get["name"], found.value,
            get["form"].lower().startswith("distans"), seats or 0, get.get("status", ""),
            points, get.get("sun5") or None, rounds,
            int(get["year"]) if get.get("year", "").isdigit() else None))
    return kind, out


def _rounds(rows: Sequence[Programme], problems: Problems) -> list[Programme]:
    """The register lists a programme once per round (Beviljat: to start, Startat:
    running): one programme per number, ``rounds`` = the rounds still to start."""
    first: dict[str, Programme] = {}
    for p in rows:
        held = first.get(p.source_id)
        if held is None:
            first[p.source_id] = p
            p.rounds = 0
        elif (normalize_key(held.name), held.municipality) != (normalize_key(p.name),
                                                              p.municipality):
            problems.error(p.row, REGISTER["name"], p.name,
                           f"programme {p.source_id} has another name or place in row {held.row}")
            continue
        target = first[p.source_id]
        target.seats = max(target.seats, p.seats)
        target.rounds = (target.rounds or 0) + (p.status.lower() == "beviljat")
    return list(first.values())


def merge(register: Sequence[Programme], results: Sequence[Programme]) -> list[Programme]:
    """The register's programmes with what the latest matching result adds; only
    results (granted, with seats) when no register was given."""
    latest: dict[tuple[str, str], Programme] = {}
    for r in sorted(results, key=lambda p: p.year or 0):
        latest[(normalize_key(r.name), r.municipality)] = r
    if not register:
        return [r for r in latest.values() if r.seats]
    for p in register:
        found = latest.get((normalize_key(p.name), p.municipality))
        if found is not None:
            p.points, p.sun5, p.year = found.points, found.sun5, found.year
    return list(register)


def _starts(today: date, rounds: int | None) -> list[str]:
    first = date(today.year, *AUTUMN_START)
    if first <= today:
        first = date(today.year + 1, *AUTUMN_START)
    first += timedelta(days=(7 - first.weekday()) % 7)  # the Monday on or after
    return [date(first.year + i, first.month, first.day).isoformat()
            for i in range(max(1, min(rounds or 1, 3)))]


def to_record(p: Programme, taxonomy: Taxonomy, searcher: Searcher, today: date) -> Record:
    """One program record, every link saying whether MYH published it or Lotsen inferred it."""
    links: dict[str, Any] = {"source": f"Myndigheten för yrkeshögskolan: {p.file}, rad {p.row}"}
    sun_code = None
    if p.sun5:
        found = education_field_resolver(taxonomy).resolve(p.sun5[:4])
        if isinstance(found, Resolved):
            sun_code = found.value
            links["sun"] = {"code": sun_code, "label": found.label, "inferred": False,
                            "via": f"SUN5 {p.sun5} i MYH:s ansökningsresultat {p.year}"}
    occupations, skills = [], []
    hits = searcher.search(p.name, [OCCUPATION], limit=1)
    if hits and hits[0].score >= MIN_SCORE:
        hit = hits[0]
        occupations = [hit.concept_id]
        links["occupations"] = [{"id": hit.concept_id, "label": hit.preferred_label,
                                 "ssyk4": hit.ssyk4, "inferred": True,
                                 "via": "namnsökning i taxonomin", "score": round(hit.score, 2)}]
        skills = sorted(s.id for s in taxonomy.skills_of(hit.concept_id))[:MAX_SKILLS]
        links["skills"] = {"inferred": True, "count": len(skills),
                           "via": f"yrkesgruppens kompetenser i taxonomin (SSYK {hit.ssyk4})"}
    else:
        links["occupations"] = []
        links["unlinked"] = "inget yrke i taxonomin liknar namnet tillräckligt"
    weeks = p.points // POINTS_PER_WEEK if p.points else DEFAULT_WEEKS
    links["duration"] = ({"inferred": False, "via": f"{p.points} YH-poäng / {POINTS_PER_WEEK}"}
                         if p.points else {"inferred": True, "via": "vanligaste längden"})
    links["starts"] = {"inferred": True,
                       "via": "hösten: en start per omgång som inte startat (1–3)"}
    values = {
        "source_id": p.source_id, "name": p.name, "form": "YH", "sun_code": sun_code,
        "municipality_code": p.municipality, "distance_learning": p.distance,
        "duration_weeks": max(1, weeks), "seats": p.seats, "starts": _starts(today, p.rounds),
        "skills": skills, "occupations": occupations, "min_swedish_level": None,
        "links": links,
    }
    return Record(p.row, p.source_id, values, {},
                  OrgRef(p.provider, None, p.municipality, "education_provider"))


def programmes_from(files: Sequence[tuple[bytes, str]], taxonomy: Taxonomy,
                    ) -> tuple[list[Programme], list[Problem], list[dict[str, Any]]]:
    """The programmes of every file (register rows merged with results), the problems
    (file, row, MYH column) and what each file was read as."""
    register: list[Programme] = []
    results: list[Programme] = []
    errors: list[Problem] = []
    read: list[dict[str, Any]] = []
    for data, name in files:
        problems = Problems(name)
        kind, found = read_programmes(data, name, taxonomy, problems)
        if kind == "register":
            found = _rounds(found, problems)
        errors += problems.errors
        (register if kind == "register" else results).extend(found)
        read.append({"file": name, "kind": kind, "programmes": len(found)})
    return merge(register, results), errors, read


def import_myh(conn: Connection, files: Sequence[tuple[bytes, str]], tenant_id: int,
               taxonomy: Taxonomy, searcher: Searcher, today: date,
               dry_run: bool = False) -> dict[str, Any]:
    """Read every file, refuse all of them on any problem, else write the programmes."""
    programmes, errors, read = programmes_from(files, taxonomy)
    if not errors and not programmes:
        errors.append(Problem(files[0][1] if files else "", None, None, None,
                              "no programme to import: the files hold no granted programme"))
    if errors:
        raise RejectedFile(errors, len(errors))
    records = [to_record(p, taxonomy, searcher, today) for p in programmes]
    writer = BulkWriter(conn, "programs", tenant_id, dry_run)
    writer.write(records)
    return {
        "kind": "programs", "format": "myh", "files": read, "rows": len(records),
        "created": writer.created, "updated": writer.updated,
        "organizations_created": writer.orgs.created, "dry_run": dry_run,
        "with_sun": sum(1 for r in records if r.values["sun_code"]),
        "with_occupation": sum(1 for r in records if r.values["occupations"]),
        "unlinked": [{"source_id": r.source_id, "name": r.values["name"]}
                     for r in records if not r.values["occupations"]],
        "inferred_note": "occupations, skills, start dates (and length without YH points) are "
                         "inferred through the taxonomy; each program's links say which",
    }
