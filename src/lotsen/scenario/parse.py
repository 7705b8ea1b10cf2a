"""Scenario files → :class:`Scenario`, with errors that name the key and the file line."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from lotsen.errors import InvalidInput
from lotsen.scenario.catalog import industries, parameter_defaults, templates
from lotsen.scenario.document import Document, KeyPath
from lotsen.scenario.ranges import Range
from lotsen.scenario.reader import SHARE_TOLERANCE, Reader
from lotsen.scenario.schema import KEYS, REGION_KEYS, REQUIRED, CustomRegion, Scenario
from lotsen.scenario.source import parse_text, read_document
from lotsen.taxonomy.model import SSYK4, load_taxonomy


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file (``.toml``, ``.yaml`` or ``.yml``)."""
    return scenario_from_document(read_document(path))


def parse_scenario(text: str, name: str = "<scenario>", kind: str = "toml") -> Scenario:
    """Validate scenario text (for the API and tests); ``name`` is used in errors."""
    return scenario_from_document(parse_text(text, name, kind))


def _check_keys(doc: Document, data: dict[str, Any], spec: dict[str, Any],
                path: KeyPath) -> None:
    for key, value in data.items():
        here = path + (key,)
        if key not in spec:
            close = difflib.get_close_matches(key, list(spec), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else (
                f"; allowed here: {', '.join(spec)}")
            raise doc.error(here, f"unknown key {key!r}{hint}")
        if isinstance(spec[key], dict):
            if not isinstance(value, dict):
                raise doc.error(here, "must be a table of keys: " + ", ".join(spec[key]))
            _check_keys(doc, value, spec[key], here)


def _regions(reader: Reader) -> dict[str, CustomRegion]:
    raw = reader.get(("regions",))
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise reader.doc.error(("regions",), "must be a table of code = {name, population}")
    out: dict[str, CustomRegion] = {}
    for code, entry in raw.items():
        here = ("regions", code)
        if code.isdigit() and len(code) == 4:
            raise reader.doc.error(here, "custom region codes must not look like a Swedish "
                                         "municipality code; use e.g. \"US-NV-STOREY\"")
        if not isinstance(entry, dict):
            raise reader.doc.error(here, "must be a table with name, population, distance_km")
        for key in entry:
            if key not in REGION_KEYS:
                raise reader.doc.error(here + (key,), f"unknown key {key!r}; allowed: "
                                                      + ", ".join(REGION_KEYS))
        if "population" not in entry:
            raise reader.doc.error(here, "needs a population")
        population = reader.number(entry["population"], here + ("population",))
        if population <= 0:
            raise reader.doc.error(here + ("population",), "must be greater than 0")
        distance = entry.get("distance_km")
        out[code] = CustomRegion(
            code, str(entry.get("name", code)), population,
            None if distance is None else reader.number(distance, here + ("distance_km",)))
    reader.custom = set(out)
    return out


def _occupation_mix(reader: Reader, industry: str | None) -> tuple[dict[str, float], str | None]:
    path = ("occupation_mix",)
    value = reader.get(path)
    if value is None:
        name = industries()[industry or "manufacturing"].template
        return dict(templates()[name].shares), name
    if isinstance(value, str):
        if value not in templates():
            raise reader.doc.error(path, f"unknown occupation template {value!r}; use one of: "
                                         + ", ".join(sorted(templates())))
        return dict(templates()[value].shares), value
    if not isinstance(value, dict) or not value:
        raise reader.doc.error(path, "must be a template name or a table of SSYK-4 code = share")
    taxonomy = load_taxonomy()
    for code in value:
        try:
            taxonomy.by_code(SSYK4, str(code))
        except InvalidInput:
            raise reader.doc.error(path + (code,), f"unknown SSYK-4 code {code!r}: use a "
                                                   "4-digit SSYK 2012 unit group") from None
    return reader.shares(path, value, {str(k): k for k in value}), None


def scenario_from_document(doc: Document) -> Scenario:
    _check_keys(doc, doc.data, KEYS, ())
    for key in REQUIRED:
        if key not in doc.data:
            raise doc.error((key,), "is required")
    r = Reader(doc)
    regions = _regions(r)
    name = r.text(("name",)) or ""
    host = r.code(r.get(("municipality",)), ("municipality",))
    start, end = r.year(("years", "start")), r.year(("years", "end"))
    if end <= start:
        raise doc.error(("years", "end"), f"the year range {start}–{end} has zero length: "
                                          "end must be after start")
    industry = r.text(("industry",))
    if industry is not None and industry not in industries():
        raise doc.error(("industry",), f"unknown industry {industry!r}; use one of: "
                                       + ", ".join(sorted(industries())))
    mix, template = _occupation_mix(r, industry)
    if industry is None:
        industry = (templates()[template].industry if template else None) or "manufacturing"
    area, area_shares = _commuting(r, host)
    parameters, overridden, cited = _parameters(r, industry)
    fit = None
    if r.get(("demography", "fit_years")) is not None:
        fit = (r.year(("demography", "fit_years", "start")),
               r.year(("demography", "fit_years", "end")))
        if fit[1] - fit[0] < 2:
            raise doc.error(("demography", "fit_years", "end"), "fit at least 3 years")
    closure = None
    if r.get(("closure", "year")) is not None:
        closure = r.year(("closure", "year"))
        if not start <= closure <= end:
            raise doc.error(("closure", "year"), f"must lie in the scenario's years {start}–{end}")
    leave, move = parameters["closure.staff_leave"], parameters["closure.staff_move"]
    if leave.mode + move.mode > 1 + SHARE_TOLERANCE:
        raise doc.error(("closure", "staff_move"), "staff_leave + staff_move must not exceed 1")
    population: dict[str, float] = {}
    for key, value in (r.get(("population",)) or {}).items():
        code = r.code(key, ("population", key))
        population[code] = r.number(value, ("population", key), "a population total")
        if population[code] <= 0:
            raise doc.error(("population", key), "must be greater than 0")

    def positive(path: KeyPath, default: float) -> float:
        value = r.get(path)
        number = default if value is None else r.number(value, path)
        if number <= 0:
            raise doc.error(path, "must be greater than 0")
        return number

    return Scenario(
        name=name, municipality=host, start=start, end=end,
        direct_jobs=r.series(("direct_jobs",), start, end, "jobs"),
        construction_workers=(r.series(("construction", "workers"), start, end, "workers")
                              if r.get(("construction", "workers")) is not None else {}),
        industry=industry, occupation_mix=mix, occupation_template=template,
        parameters=parameters, overridden=overridden, cited=cited, area=area,
        area_shares=area_shares,
        radius_km=(positive(("commuting", "radius_km"), 1.0)
                   if r.get(("commuting", "radius_km")) is not None else None),
        distance_decay_km=positive(("commuting", "distance_decay_km"), 30.0),
        fertility_factor=positive(("demography", "fertility_factor"), 1.0),
        mortality_factor=positive(("demography", "mortality_factor"), 1.0),
        fit_years=fit, closure_year=closure, population=population, regions=regions,
        description=r.text(("description",)) or "", source=doc.name,
    )


def _commuting(r: Reader, host: str) -> tuple[tuple[str, ...], dict[str, float] | None]:
    area_raw = r.get(("commuting", "area"))
    codes: list[str] = [host]
    if area_raw is not None:
        if not isinstance(area_raw, list):
            raise r.doc.error(("commuting", "area"), "must be a list of municipality codes")
        for index, item in enumerate(area_raw):
            code = r.code(item, ("commuting", "area", str(index)))
            if code not in codes:
                codes.append(code)
    shares_raw = r.get(("commuting", "shares"))
    if shares_raw is None:
        return tuple(codes), None
    path = ("commuting", "shares")
    if not isinstance(shares_raw, dict):
        raise r.doc.error(path, "must be a table of municipality code = share")
    keys = {r.code(k, path + (k,)): k for k in shares_raw}
    shares = r.shares(path, shares_raw, keys)
    if host not in shares:
        raise r.doc.error(path, f"must include the host municipality {host}")
    if area_raw is not None and set(shares) != set(codes):
        missing = sorted(set(codes) ^ set(shares))
        raise r.doc.error(path, f"must name exactly the area's municipalities; differs in "
                                f"{', '.join(missing)}")
    return tuple([host] + [c for c in shares if c != host]), shares


def _parameters(r: Reader, industry: str
                ) -> tuple[dict[str, Range], frozenset[str], dict[str, str]]:
    sector = industries()[industry]
    parameters = {name: d.value for name, d in parameter_defaults().items()}
    parameters["multipliers.indirect"] = sector.indirect
    parameters["multipliers.induced"] = sector.induced
    overridden: set[str] = set()
    cited: dict[str, str] = {}
    for name in parameters:
        path = tuple(name.split("."))
        if r.get(path) is None:
            continue
        node: Any = KEYS
        for part in path:
            node = node[part]
        parameters[name] = r.range(path, str(node))
        overridden.add(name)
        if (source := r.source(path)) is not None:
            cited[name] = source
    for suffix in ("", "_spinoff"):
        local = parameters["local_hire_share" + suffix].mode
        if local + parameters["commuter_share"].mode > 1 + SHARE_TOLERANCE:
            key = ("commuter_share" if "commuter_share" in overridden
                   else "local_hire_share" + suffix)
            raise r.doc.error((key,), f"local_hire_share{suffix} + commuter_share must not "
                                      "exceed 1 (at their modes)")
    return parameters, frozenset(overridden), cited
