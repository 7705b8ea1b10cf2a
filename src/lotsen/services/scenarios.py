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
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine

import lotsen.scenario as scenario_package
from lotsen import limits
from lotsen.errors import InvalidInput, LimitExceeded, NotFound
from lotsen.scenario import load_scenario, run_scenario, scenario_needs
from lotsen.scenario.document import Document
from lotsen.scenario.parse import scenario_from_document
from lotsen.scenario.schema import Scenario
from lotsen.scenario.source import (  # noqa: F401  (the edges read sources through here)
    SUFFIXES,
    guess_kind,
    parse,
    source_file,
    source_of,
)
from lotsen.services.access import SYSTEM, Actor, require_aggregates
from lotsen.services.cache import Cache
from lotsen.services.long_work import long_work
from lotsen.services.results.scenarios import (
    ExampleScenario,
    GapNeed,
    RunInputs,
    ScenarioCheck,
    ScenarioNeed,
    ScenarioResult,
)

DEFAULT_RUNS = 1000
# Per request: ~40 s of CPU at most (the core allows more). Defined in lotsen.limits.
MAX_RUNS = limits.MAX_RUNS
MAX_SEED = limits.MAX_SEED
CACHE_SIZE = 8
# The examples ship inside the package so an installed Lotsen has them too;
# examples/scenarios in the repository is a link to this folder.
EXAMPLES = Path(scenario_package.__file__).parent / "examples"

# Recent results by key, each with what it was computed from (so it can be saved by its
# key): a page links a result's exports and its save button by the key.
results: Cache[str, tuple[ScenarioResult, dict[str, Any]]] = Cache(
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


def validate_scenario_file(path: str | Path, *, actor: Actor) -> ScenarioCheck:
    """Check a scenario file; raises InvalidInput naming the key and line when bad."""
    require_aggregates(actor)
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
                      seed: int = 0,
                      *, actor: Actor) -> ScenarioResult:
    """Run a scenario file's Monte Carlo; the result document plus its occupation needs."""
    require_aggregates(actor)
    result = run_scenario(load_scenario(path), runs=runs, seed=seed)
    document = cast(ScenarioResult, result.to_dict())
    document["needs"] = cast(list[ScenarioNeed], scenario_needs(result))
    return document


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


def run_scenario_text(
    text: str | bytes, kind: str | None, name: str = "scenario", runs: int = DEFAULT_RUNS,
    seed: int = 0,
    overrides: Overrides = NO_OVERRIDES, *, actor: Actor, engine: Engine | None = None,
) -> ScenarioResult:
    """Run scenario text or bytes (``kind`` toml, yaml or json, else from ``name`` or
    guessed); errors name the key and the line. The source is read within the limits of
    :mod:`lotsen.scenario.source` before anything else is done with it. ``engine``, when
    given, holds the user's long-work slot for every worker process (``long_work``).

    The result carries ``key`` (for :func:`cached_result`), ``inputs`` (the values the
    form shows) and ``gap_needs`` (whole-person needs from this year on, ready for the
    education-gap report).
    """
    require_aggregates(actor)
    if not 1 <= runs <= MAX_RUNS:
        raise LimitExceeded(f"runs must be between 1 and {MAX_RUNS:,}, got {runs}", "runs",
                            quantity="runs", limit=MAX_RUNS, value=runs)
    if not 0 <= seed <= MAX_SEED:
        raise LimitExceeded(f"seed must be between 0 and {MAX_SEED}, got {seed}", "seed",
                            quantity="seed", limit=MAX_SEED, value=seed)
    source = source_of(text, name, kind)
    text, kind = source.text, source.kind
    key = hashlib.sha256(json.dumps([text, kind, runs, seed, overrides.as_key()])
                         .encode()).hexdigest()[:20]
    found = cached_result(key, actor=SYSTEM)
    if found is not None:
        return found
    doc = parse(source)
    _apply(doc, overrides)
    scenario = scenario_from_document(doc)
    cells = _check_work(scenario, runs, name)
    with long_work("scenariokörning", actor=actor, kind="scenario_cells", units=cells,
                   engine=engine):
        result = run_scenario(scenario, runs=runs, seed=seed)
    document = cast(ScenarioResult, result.to_dict())
    document["needs"] = cast(list[ScenarioNeed], scenario_needs(result))
    document["gap_needs"] = gap_needs(document)
    local = scenario.parameters["local_hire_share"]
    document["inputs"] = RunInputs(
        direct_jobs_peak=round(max(scenario.direct_jobs.values(), default=0.0)),
        local_hire_share=local.as_dict(), runs=runs, seed=seed,
    )
    document["key"] = key
    results.put(key, (document, {"text": text, "kind": kind, "name": name, "runs": runs,
                                 "seed": seed, "overrides": overrides.as_dict()}))
    return document


def _check_work(scenario: Scenario, runs: int, name: str) -> int:
    """Refuse a run whose runs x years x places exceeds the limit, before it starts;
    else the cells it computes."""
    places = 1 + len(scenario.area) + len(scenario.regions)
    years = scenario.end - scenario.start + 1
    cells = runs * years * places
    if cells > limits.MAX_SCENARIO_CELLS:
        raise LimitExceeded(
            f"runs x years x places = {runs:,} x {years} x {places} = {cells:,}, more than "
            f"the {limits.MAX_SCENARIO_CELLS:,} one run may compute; use fewer runs",
            name, quantity="scenario_cells", limit=limits.MAX_SCENARIO_CELLS, value=cells,
            runs=runs, years=years, places=places)
    return cells


def cached_result(key: str, *, actor: Actor) -> ScenarioResult | None:
    """A result this process computed recently, or None once it has been dropped."""
    require_aggregates(actor)
    held = results.peek(key)
    return None if held is None else held[0]


def _example_path(name: str) -> Path:
    for path in _example_files():
        if path.stem == name:
            return path
    raise NotFound(f"no example scenario {name!r}; see /api/v1/scenarios/examples",
                   code="example_not_found", params={"name": name})


def _example_files() -> list[Path]:
    if not EXAMPLES.is_dir():
        return []
    return sorted(p for p in EXAMPLES.rglob("*") if p.suffix.lower() in SUFFIXES)


def list_examples(*, actor: Actor) -> list[ExampleScenario]:
    """The shipped example scenarios (and the back-test files), each with its name."""
    require_aggregates(actor)
    out: list[ExampleScenario] = []
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
    source = source_file(_example_path(name))
    return source.text, source.kind, Path(source.name).name


def run_example(
    name: str, runs: int = DEFAULT_RUNS, seed: int = 0, overrides: Overrides = NO_OVERRIDES, *,
    actor: Actor, engine: Engine | None = None,
) -> ScenarioResult:
    text, kind, file_name = example_text(name, actor=actor)
    document = run_scenario_text(text, kind, file_name, runs, seed, overrides, actor=actor,
                                 engine=engine)
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


def run(request: RunRequest, *, actor: Actor, engine: Engine | None = None) -> ScenarioResult:
    """Run ``request``: the example it names, else its text."""
    if request.text is None:
        if request.example is None:
            raise InvalidInput("name an example or send a scenario text", "example")
        return run_example(request.example, request.runs, request.seed, request.overrides,
                           actor=actor, engine=engine)
    kind = request.kind or guess_kind(request.text)
    return run_scenario_text(request.text, kind, request.file_name, request.runs,
                             request.seed, request.overrides, actor=actor, engine=engine)


def gap_reference(result: Mapping[str, Any], overrides: Overrides) -> str:
    """How the gap report finds ``result`` again: a plain example (no overrides, the
    default runs) by its name in any process, anything else by its key here."""
    plain = (result.get("example") and overrides == NO_OVERRIDES
             and result["run"]["runs"] == DEFAULT_RUNS)
    return str(result["example"] if plain else result["key"])


def gap_needs(document: Mapping[str, Any], from_year: int | None = None) -> list[GapNeed]:
    """A result's occupation needs as whole people per year, for the education-gap report.

    Years before ``from_year`` (default: this year) are history, not demand to train
    for. Headcounts are rounded by largest remainder within each year, so a year's
    total stays the rounded sum of its fractional needs.
    """
    first = date.today().year if from_year is None else from_year
    label = f"Scenario: {document['scenario']['name']}"
    by_year: dict[int, list[Mapping[str, Any]]] = {}
    for need in document["needs"]:
        if need["year"] >= first:
            by_year.setdefault(need["year"], []).append(need)
    out: list[GapNeed] = []
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


def gap_needs_for_file(path: str | Path, runs: int = DEFAULT_RUNS, seed: int = 0, *,
                       actor: Actor) -> list[GapNeed]:
    """Needs of a scenario file (.toml/.yaml/.yml) for `lotsen gaps --scenario FILE`."""
    source = source_file(path)
    return list(run_scenario_text(source.text, source.kind, source.name, runs, seed,
                                  actor=actor)["gap_needs"])
