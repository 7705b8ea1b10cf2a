"""One converter per import kind: cells (column key → text) → :class:`Record` or None.

Every cell is checked even after a problem, so a file's problems are listed in one
pass; a row with any problem yields None. Required cells that are empty are problems
here (the header check only knows the column exists).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from lotsen.imports.columns import COLUMNS
from lotsen.imports.rows import Context, OrgRef, Record
from lotsen.imports.values import (
    CellError,
    looks_like_personal_number,
    need_status,
    org_number,
    parse_bool,
    parse_date,
    parse_float,
    parse_int,
    program_form,
    split_multi,
    swedish_level,
)
from lotsen.limits import MAX_HEADCOUNT, MAX_SEATS
from lotsen.types import CONSENT_PURPOSES

MAX_YEARS = 70.0
REQUIRED = {kind: tuple(c.key for c in cols if c.required) for kind, cols in COLUMNS.items()}


def _missing(ctx: Context, kind: str, row: int, cells: dict[str, str]) -> bool:
    empty = [key for key in REQUIRED[kind] if not cells.get(key)]
    for key in empty:
        ctx.problems.error(row, key, "", "är tomt men måste fyllas i")
    return bool(empty)


def _org(ctx: Context, row: int, cells: dict[str, str], column: str, municipality: str | None,
         kind: str) -> OrgRef | None:
    key = f"{column}_org_number"
    number_text = cells.get(key, "")
    number = ctx.parse(row, key, number_text, org_number) if number_text else None
    if municipality is None or (number_text and number is None):
        return None
    return OrgRef(cells[column], number, municipality, kind)


def _optional(ctx: Context, row: int, column: str, text: str, parser: Callable[[str], Any]) -> Any:
    return ctx.parse(row, column, text, parser) if text else None


def convert_need(ctx: Context, row: int, cells: dict[str, str]) -> Record | None:
    errors = ctx.problems.error_count
    _missing(ctx, "needs", row, cells)
    occupation = (ctx.concept(row, "occupation", cells["occupation"], ctx.occupations)
                  if cells.get("occupation") else None)
    municipality = (ctx.code(row, "municipality", cells["municipality"], ctx.municipalities)
                    if cells.get("municipality") else None)
    headcount = _optional(ctx, row, "headcount", cells.get("headcount", ""),
                          partial(parse_int, minimum=1, what="headcount",
                                  maximum=MAX_HEADCOUNT))
    status = _optional(ctx, row, "status", cells.get("status", ""), need_status) or "open"
    start = _optional(ctx, row, "start_date", cells.get("start_date", ""), parse_date)
    if start is not None and status == "open" and start < ctx.today:
        ctx.problems.error(row, "start_date", cells["start_date"],
                           f'"{cells["start_date"]}" har redan passerat (i dag är det '
                           f"{ctx.today}): ett öppet behov börjar i dag eller senare")
    must = ctx.concept_list(row, "must_skills", cells.get("must_skills", ""), ctx.skills)
    nice = [s for s in ctx.concept_list(row, "nice_skills", cells.get("nice_skills", ""),
                                        ctx.skills) if s not in must]
    level = cells.get("min_education_level", "")
    licence_text = cells.get("driving_licence", "")
    licence = (ctx.concept(row, "driving_licence", licence_text, ctx.licences)
               if licence_text else None)
    org = _org(ctx, row, cells, "employer", municipality, "employer") if cells.get(
        "employer") else None
    values = {
        "source_id": cells.get("source_id", ""),
        "occupation_id": occupation.value if occupation else None,
        "title": cells.get("title") or (occupation.label if occupation else ""),
        "headcount": headcount,
        "start_date": start,
        "municipality_code": municipality,
        "status": status,
        "description": cells.get("description") or None,
        "min_education_level": ctx.code(row, "min_education_level", level,
                                        ctx.education_levels) if level else None,
        "min_swedish_level": _optional(ctx, row, "min_swedish_level",
                                       cells.get("min_swedish_level", ""), swedish_level),
        "driving_licence_id": licence.value if licence else None,
    }
    if ctx.problems.error_count > errors:
        return None
    skills = [{"skill_id": s, "requirement": "must"} for s in must]
    skills += [{"skill_id": s, "requirement": "nice"} for s in nice]
    return Record(row, values["source_id"], values, {"need_skill": skills}, org)


def _occupations(ctx: Context, row: int, text: str) -> list[dict[str, Any]]:
    years_by_id: dict[str, float] = {}
    for part in split_multi(text):
        label, _, tail = part.rpartition(":")
        years = 0.0
        if label and tail.strip():
            parsed = ctx.parse(row, "occupations", part, partial(_years, tail))
            if parsed is None:
                continue
            years, part = parsed, label.strip()
        found = ctx.concept(row, "occupations", part, ctx.occupations, in_list=True)
        if found is not None:
            years_by_id[found.value] = max(years, years_by_id.get(found.value, 0.0))
    return [{"occupation_id": k, "years": v} for k, v in years_by_id.items()]


def _years(tail: str, part: str) -> float:
    try:
        years = float(tail.strip().replace(",", "."))
    except ValueError:
        raise CellError(f'"{part}": write the years after the colon as a number, e.g. '
                        "Svetsare:4") from None
    if not 0 <= years <= MAX_YEARS:
        raise CellError(f'"{part}": years of experience must be between 0 and {MAX_YEARS:g}')
    return years


def _languages(ctx: Context, row: int, text: str) -> list[dict[str, Any]]:
    levels: dict[str, str] = {}
    for part in split_multi(text):
        name, colon, level_text = part.rpartition(":")
        if not colon or not name.strip():
            ctx.problems.error(row, "languages", part,
                               f'"{part}" saknar nivå: skriv språk:nivå, t.ex. '
                               "Svenska:Flytande (nivåer: Lite, Bra, Mycket bra, Flytande)")
            continue
        level = ctx.parse(row, "languages", level_text.strip(), ctx.language_level)
        found = ctx.concept(row, "languages", name.strip(), ctx.languages, in_list=True)
        if found is None or level is None:
            continue
        if levels.get(found.value, level) != level:
            ctx.problems.error(row, "languages", part,
                               f"{found.label} anges två gånger med olika nivåer")
        levels[found.value] = level
    return [{"language_id": k, "level": v} for k, v in levels.items()]


def convert_person(ctx: Context, row: int, cells: dict[str, str]) -> Record | None:
    errors = ctx.problems.error_count
    _missing(ctx, "people", row, cells)
    source_id = cells.get("source_id", "")
    if looks_like_personal_number(source_id):
        ctx.problems.error(row, "source_id", "(hidden)",
                           "ser ut som ett personnummer: Lotsen lagrar inga direkta "
                           "personuppgifter — använd källsystemets eget interna id")
        source_id = ""
    municipality = (ctx.code(row, "municipality", cells["municipality"], ctx.municipalities)
                    if cells.get("municipality") else None)
    occupations = _occupations(ctx, row, cells.get("occupations", ""))
    skills = ctx.concept_list(row, "skills", cells.get("skills", ""), ctx.skills)
    languages = _languages(ctx, row, cells.get("languages", ""))
    licences = ctx.concept_list(row, "driving_licences", cells.get("driving_licences", ""),
                                ctx.licences)
    level, field_ = cells.get("education_level", ""), cells.get("education_field", "")
    commute = _optional(ctx, row, "max_commute_km", cells.get("max_commute_km", ""),
                        partial(parse_float, minimum=0.0, what="max_commute_km"))
    consents = []
    for purpose in CONSENT_PURPOSES:
        column = f"consent_{purpose}_date"
        given = _optional(ctx, row, column, cells.get(column, ""), parse_date)
        if given is not None and given > ctx.today:
            ctx.problems.error(row, column, cells[column],
                               f'"{cells[column]}" ligger i framtiden: samtycke registreras när '
                               "det har getts")
        elif given is not None:
            consents.append({"purpose": purpose, "given_at": given, "withdrawn_at": None})
    values = {
        "source_id": source_id,
        "municipality_code": municipality,
        "education_level": ctx.code(row, "education_level", level, ctx.education_levels)
        if level else None,
        "education_field": ctx.code(row, "education_field", field_, ctx.education_fields)
        if field_ else None,
        "swedish_level": _optional(ctx, row, "swedish_level", cells.get("swedish_level", ""),
                                   swedish_level) or "native",
        "newly_arrived": bool(_optional(ctx, row, "newly_arrived",
                                        cells.get("newly_arrived", ""), parse_bool)),
        "available_from": _optional(ctx, row, "available_from", cells.get("available_from", ""),
                                    parse_date),
        "max_commute_km": 50.0 if commute is None else commute,
    }
    if ctx.problems.error_count > errors:
        return None
    if not any(c["purpose"] == "matching" for c in consents):
        ctx.flag(row, source_id, "inget samtycke till matchning: importeras men matchas aldrig")
    return Record(row, source_id, values, {
        "person_occupation": occupations,
        "person_skill": [{"skill_id": s} for s in skills],
        "person_language": languages,
        "person_licence": [{"licence_id": x} for x in licences],
        "consent": consents,
    })


def convert_program(ctx: Context, row: int, cells: dict[str, str]) -> Record | None:
    errors = ctx.problems.error_count
    _missing(ctx, "programs", row, cells)
    municipality = (ctx.code(row, "municipality", cells["municipality"], ctx.municipalities)
                    if cells.get("municipality") else None)
    starts = []
    for part in split_multi(cells.get("starts", "")):
        start = ctx.parse(row, "starts", part, parse_date)
        if start is not None:
            starts.append(start.isoformat())
    sun = cells.get("sun_code", "")
    values = {
        "source_id": cells.get("source_id", ""),
        "name": cells.get("name", ""),
        "form": _optional(ctx, row, "form", cells.get("form", ""), program_form),
        "sun_code": ctx.code(row, "sun_code", sun, ctx.education_fields) if sun else None,
        "municipality_code": municipality,
        "distance_learning": bool(_optional(ctx, row, "distance_learning",
                                            cells.get("distance_learning", ""), parse_bool)),
        "duration_weeks": _optional(ctx, row, "duration_weeks", cells.get("duration_weeks", ""),
                                    partial(parse_int, minimum=1, what="duration_weeks",
                                            maximum=520)),
        "seats": _optional(ctx, row, "seats", cells.get("seats", ""),
                           partial(parse_int, minimum=1, what="seats",
                                   maximum=MAX_SEATS)),
        "starts": sorted(set(starts)),
        "skills": ctx.concept_list(row, "skills", cells.get("skills", ""), ctx.skills),
        "occupations": ctx.concept_list(row, "occupations", cells.get("occupations", ""),
                                        ctx.occupations),
        "min_swedish_level": _optional(ctx, row, "min_swedish_level",
                                       cells.get("min_swedish_level", ""), swedish_level),
    }
    org = _org(ctx, row, cells, "provider", municipality, "education_provider") if cells.get(
        "provider") else None
    if ctx.problems.error_count > errors:
        return None
    return Record(row, values["source_id"], values, {}, org)


CONVERTERS: dict[str, Callable[[Context, int, dict[str, str]], Record | None]] = {
    "needs": convert_need,
    "people": convert_person,
    "programs": convert_program,
}
