"""Establishment scenarios: validate a scenario file, run it, return plain data.

Thin over :mod:`lotsen.scenario`. Scenarios touch no database and no tenant data: the
results are region-wide aggregates every signed-in role may run and read
(:func:`require_aggregates`). The last few results are kept in this process, keyed
by a hash of the document and the run options, so a page can export its tables or
hand its needs to the gap report without running again. A run a planner wants to
share is *saved* (:func:`save_result`, table ``saved_scenario``): its document,
options and result, readable by every signed-in role of every tenant after a restart
and on any worker.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import lotsen.scenario as scenario_package
from lotsen.errors import InvalidInput, NotFound
from lotsen.scenario import load_scenario, run_scenario, scenario_needs
from lotsen.scenario.document import Document, parse_text
from lotsen.scenario.parse import scenario_from_document
from lotsen.services.access import (
    SYSTEM,
    Actor,
    require_aggregates,
)
from lotsen.services.cache import Cache

DEFAULT_RUNS = 1000
MAX_RUNS = 20_000  # per request over HTTP: ~40 s of CPU at most (the core allows more)
MAX_SEED = 2**32 - 1
CACHE_SIZE = 8
# The examples ship inside the package so an installed Lotsen has them too;
# examples/scenarios in the repository is a link to this folder.
EXAMPLES = Path(scenario_package.__file__).parent / "examples"
SUFFIXES = {".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}
# A YAML document starts with "key:"; a TOML one with "key =" or "[table]".
_YAML_START = re.compile(r"^\s*(?:---|[\"']?[\w.-]+[\"']?\s*:(?:\s|$))")

# Recent results by key, each with what it was computed from (so it can be saved by its
# key): a page links a result's exports and its save button by the key.
results: Cache[str, tuple[dict[str, Any], dict[str, Any]]] = Cache(
    "scenario results", max_entries=CACHE_SIZE,
    staleness=f"never stale (a key names its inputs); the last {CACHE_SIZE} are kept")


@dataclass(frozen=True)
class Overrides:
    """The main parameters a user may change without editing the file."""

    direct_jobs_peak: float | None = None  # scale the ramp so its highest year is this
    local_hire_share: tuple[float, float, float] | None = None  # low, mode, high

    @classmethod
    def of(cls, direct_jobs_peak: float | None = None, local_low: float | None = None,
           local_likely: float | None = None, local_high: float | None = None) -> Overrides:
        """Overrides from separate fields. The local-hire range is given whole or not at
        all: one end alone would silently keep the file's other two."""
        shares = (local_low, local_likely, local_high)
        if local_low is None or local_likely is None or local_high is None:
            if any(s is not None for s in shares):
                raise InvalidInput("Lokal rekrytering: fyll i alla tre värdena (lägst, "
                                   "troligast, högst) eller lämna alla tomma",
                                   "local_hire_share", code="incomplete_range",
                                   params={"given": [s is not None for s in shares]})
            return cls(direct_jobs_peak, None)
        return cls(direct_jobs_peak, (local_low, local_likely, local_high))

    def as_key(self) -> str:
        return json.dumps([self.direct_jobs_peak, self.local_hire_share])

    def as_dict(self) -> dict[str, Any]:
        return {"direct_jobs_peak": self.direct_jobs_peak,
                "local_hire_share": list(self.local_hire_share)
                if self.local_hire_share is not None else None}


NO_OVERRIDES = Overrides()


def validate_scenario_file(path: str | Path) -> dict[str, Any]:
    """Check a scenario file; raises InvalidInput naming the key and line when bad."""
    scenario = load_scenario(path)
    return {
        "file": str(path), "valid": True, "name": scenario.name,
        "municipality_code": scenario.municipality,
        "years": {"start": scenario.start, "end": scenario.end},
        "industry": scenario.industry, "occupation_template": scenario.occupation_template,
        "commuting_area": list(scenario.area),
        "parameters_from_file": sorted(scenario.overridden),
        "uncertain_parameters": sorted(n for n, r in scenario.parameters.items()
                                       if not r.is_fixed),
    }


def run_scenario_file(path: str | Path, runs: int = DEFAULT_RUNS,
                      seed: int = 0) -> dict[str, Any]:
    """Run a scenario file's Monte Carlo; the result document plus its occupation needs."""
    result = run_scenario(load_scenario(path), runs=runs, seed=seed)
    document = result.to_dict()
    document["needs"] = scenario_needs(result)
    return document


def guess_kind(text: str) -> str:
    """"toml" or "yaml" for pasted text, from its first line that is not a comment."""
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            return "yaml" if _YAML_START.match(line) else "toml"
    return "toml"


def _json_document(text: str, name: str) -> Document:
    """A JSON body as a document; JSON is YAML, so the YAML reader finds the lines."""
    try:
        data = json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", None)
        raise InvalidInput(f"not valid JSON: {error}",
                           location=f"{name}:{line}" if line else name) from None
    if not isinstance(data, dict):
        raise InvalidInput("a scenario must be a JSON object of keys", location=name)
    try:
        # Values from json (YAML 1.1 reads 1e3 as text); only the lines from YAML.
        return Document(name, data, parse_text(text, name, "yaml").lines)
    except InvalidInput:
        return Document(name, data)  # valid JSON the YAML reader rejects: no lines


def _apply(doc: Document, overrides: Overrides) -> None:
    """Put the form's values into the document, before it is validated like a file."""
    def replaced(key: str) -> None:
        # The value no longer comes from the file: errors must not point at its line.
        doc.lines = {k: v for k, v in doc.lines.items() if k[:1] != (key,)}

    peak = overrides.direct_jobs_peak
    if peak is not None:
        if not math.isfinite(peak) or peak < 0:
            raise doc.error(("direct_jobs",), f"jobs must not be negative, got {peak:g}")
        ramp = doc.data.get("direct_jobs")
        numbers = [v for v in ramp.values() if isinstance(v, int | float)] \
            if isinstance(ramp, dict) else []
        if isinstance(ramp, dict) and numbers and max(numbers) > 0:
            scale = peak / max(numbers)
            doc.data["direct_jobs"] = {
                year: v * scale if isinstance(v, int | float) and not isinstance(v, bool) else v
                for year, v in ramp.items()}
            replaced("direct_jobs")
    if overrides.local_hire_share is not None:
        low, mode, high = overrides.local_hire_share
        doc.data["local_hire_share"] = {"low": low, "mode": mode, "high": high}
        replaced("local_hire_share")


def _document(text: str, kind: str, name: str) -> Document:
    if kind == "json":
        return _json_document(text, name)
    if kind not in ("toml", "yaml"):
        raise InvalidInput(f"unknown scenario format {kind!r}; use toml, yaml or json")
    return parse_text(text, name, kind)


def run_scenario_text(
    text: str, kind: str, name: str = "scenario", runs: int = DEFAULT_RUNS, seed: int = 0,
    overrides: Overrides = NO_OVERRIDES, *, actor: Actor,
) -> dict[str, Any]:
    """Run scenario text (``kind`` toml, yaml or json); errors name the key and the line.

    The result carries ``key`` (for :func:`cached_result`), ``inputs`` (the values the
    form shows) and ``gap_needs`` (whole-person needs from this year on, ready for the
    education-gap report).
    """
    require_aggregates(actor)
    if not 1 <= runs <= MAX_RUNS:
        raise InvalidInput(f"runs must be between 1 and {MAX_RUNS:,}, got {runs}", "runs")
    if not 0 <= seed <= MAX_SEED:
        raise InvalidInput(f"seed must be between 0 and {MAX_SEED}, got {seed}", "seed")
    key = hashlib.sha256(json.dumps([text, kind, runs, seed, overrides.as_key()])
                         .encode()).hexdigest()[:20]
    found = cached_result(key, actor=SYSTEM)
    if found is not None:
        return found
    doc = _document(text, kind, name)
    _apply(doc, overrides)
    scenario = scenario_from_document(doc)
    result = run_scenario(scenario, runs=runs, seed=seed)
    document = result.to_dict()
    document["needs"] = scenario_needs(result)
    document["gap_needs"] = gap_needs(document)
    local = scenario.parameters["local_hire_share"]
    document["inputs"] = {
        "direct_jobs_peak": round(max(scenario.direct_jobs.values(), default=0.0)),
        "local_hire_share": local.as_dict(), "runs": runs, "seed": seed,
    }
    document["key"] = key
    results.put(key, (document, {"text": text, "kind": kind, "name": name, "runs": runs,
                                 "seed": seed, "overrides": overrides.as_dict()}))
    return document


def cached_result(key: str, *, actor: Actor) -> dict[str, Any] | None:
    """A result this process computed recently, or None once it has been dropped."""
    require_aggregates(actor)
    held = results.peek(key)
    return None if held is None else held[0]


def _example_path(name: str) -> Path:
    for path in _example_files():
        if path.stem == name:
            return path
    raise NotFound(f"no example scenario {name!r}; see /api/v1/scenarios/examples")


def _example_files() -> list[Path]:
    if not EXAMPLES.is_dir():
        return []
    return sorted(p for p in EXAMPLES.rglob("*") if p.suffix.lower() in SUFFIXES)


def list_examples(*, actor: Actor) -> list[dict[str, Any]]:
    """The shipped example scenarios (and the back-test files), each with its name."""
    require_aggregates(actor)
    out = []
    for path in _example_files():
        scenario = load_scenario(path)
        out.append({
            "name": path.stem, "file": str(path.relative_to(EXAMPLES)),
            "kind": "backtest" if path.parent.name == "backtests" else "example",
            "title": scenario.name, "municipality_code": scenario.municipality,
            "years": {"start": scenario.start, "end": scenario.end},
        })
    out.sort(key=lambda e: (e["kind"] != "example", e["name"]))
    return out


def example_text(name: str, *, actor: Actor) -> tuple[str, str, str]:
    """(text, kind, file name) of a shipped example, for a page that shows or edits it."""
    require_aggregates(actor)
    path = _example_path(name)
    return path.read_text(encoding="utf-8"), SUFFIXES[path.suffix.lower()], path.name


def run_example(
    name: str, runs: int = DEFAULT_RUNS, seed: int = 0, overrides: Overrides = NO_OVERRIDES, *,
    actor: Actor,
) -> dict[str, Any]:
    text, kind, file_name = example_text(name, actor=actor)
    document = run_scenario_text(text, kind, file_name, runs, seed, overrides, actor=actor)
    document["example"] = name
    return document


@dataclass(frozen=True)
class RunRequest:
    """What a run was asked for: a shipped example by name, or a scenario text."""

    example: str | None = None
    text: str | None = None
    kind: str | None = None  # of ``text``; guessed when None
    file_name: str = "scenario"
    runs: int = DEFAULT_RUNS
    seed: int = 0
    overrides: Overrides = NO_OVERRIDES


def run(request: RunRequest, *, actor: Actor) -> dict[str, Any]:
    """Run ``request``: the example it names, else its text."""
    if request.text is None:
        if request.example is None:
            raise InvalidInput("name an example or send a scenario text", "example")
        return run_example(request.example, request.runs, request.seed, request.overrides,
                           actor=actor)
    kind = request.kind or guess_kind(request.text)
    return run_scenario_text(request.text, kind, request.file_name, request.runs,
                             request.seed, request.overrides, actor=actor)


def gap_reference(result: Mapping[str, Any], overrides: Overrides) -> str:
    """How the gap report finds ``result`` again: a plain example (no overrides, the
    default runs) by its name in any process, anything else by its key here."""
    plain = (result.get("example") and overrides == NO_OVERRIDES
             and result["run"]["runs"] == DEFAULT_RUNS)
    return str(result["example"] if plain else result["key"])


def gap_needs(document: Mapping[str, Any], from_year: int | None = None) -> list[dict[str, Any]]:
    """A result's occupation needs as whole people per year, for the education-gap report.

    Years before ``from_year`` (default: this year) are history, not demand to train
    for. Headcounts are rounded by largest remainder within each year, so a year's
    total stays the rounded sum of its fractional needs.
    """
    first = date.today().year if from_year is None else from_year
    label = f"Scenario: {document['scenario']['name']}"
    by_year: dict[int, list[dict[str, Any]]] = {}
    for need in document["needs"]:
        if need["year"] >= first:
            by_year.setdefault(need["year"], []).append(need)
    out: list[dict[str, Any]] = []
    for year, needs in sorted(by_year.items()):
        whole = [math.floor(n["headcount"]) for n in needs]
        left = round(sum(float(n["headcount"]) for n in needs)) - sum(whole)
        order = sorted(range(len(needs)), key=lambda i: (whole[i] - needs[i]["headcount"], i))
        for i in order[:max(0, left)]:
            whole[i] += 1
        out += [{"year": year, "municipality_code": n["municipality_code"], "ssyk4": n["ssyk4"],
                 "headcount": count, "label": label}
                for n, count in zip(needs, whole, strict=True) if count > 0]
    return out


def gap_needs_for_file(path: str | Path, runs: int = DEFAULT_RUNS,
                       seed: int = 0) -> list[dict[str, Any]]:
    """Needs of a scenario file (.toml/.yaml/.yml) for `lotsen gaps --scenario FILE`."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"cannot read the scenario file: {error.strerror}",
                           location=str(path)) from None
    kind = SUFFIXES.get(file.suffix.lower())
    if kind is None:
        raise InvalidInput("a scenario file must end in .toml, .yaml or .yml", str(path))
    return list(run_scenario_text(text, kind, str(path), runs, seed, actor=SYSTEM)["gap_needs"])
