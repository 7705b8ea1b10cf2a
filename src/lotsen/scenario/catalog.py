"""The shipped catalogue: default parameters, industry multipliers, occupation mixes, sources.

All of it lives in TOML files under ``scenario/data`` so that a reader can check every
number against the source it names, and a user can see what a scenario file overrides.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from lotsen.scenario.ranges import Range


@dataclass(frozen=True, slots=True)
class ParameterDefault:
    name: str
    value: Range
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class Industry:
    name: str
    template: str
    indirect: Range
    induced: Range
    sources: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class OccupationMix:
    name: str
    description: str
    shares: dict[str, float]
    industry: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    checked: str
    used_for: str
    licence: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "title": self.title, "checked": self.checked,
               "used_for": self.used_for}
        if self.licence:
            out["licence"] = self.licence
        return out


def _load(name: str) -> dict[str, Any]:
    path = resources.files("lotsen.scenario") / "data" / name
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _range(raw: dict[str, Any]) -> Range:
    return Range(float(raw["low"]), float(raw["mode"]), float(raw["high"]))


@cache
def parameter_defaults() -> dict[str, ParameterDefault]:
    """Every tunable parameter of the model with its default range and sources."""
    raw = _load("parameters.toml")["defaults"]
    return {
        name: ParameterDefault(name, _range(entry), tuple(entry["sources"]), entry["note"])
        for name, entry in raw.items()
    }


@cache
def industries() -> dict[str, Industry]:
    raw = _load("parameters.toml")["industries"]
    return {
        name: Industry(name, entry["template"], _range(entry["indirect"]),
                       _range(entry["induced"]), tuple(entry["sources"]), entry["note"])
        for name, entry in raw.items()
    }


@cache
def _mixes() -> dict[str, dict[str, OccupationMix]]:
    raw = _load("occupation_mixes.toml")
    out: dict[str, dict[str, OccupationMix]] = {}
    for section, entries in raw.items():
        out[section] = {
            name: OccupationMix(name, entry["description"],
                                {code: float(share) for code, share in entry["shares"].items()},
                                entry.get("industry"))
            for name, entry in entries.items()
        }
    return out


def templates() -> dict[str, OccupationMix]:
    """Named occupation mixes for an establishment's direct jobs."""
    return _mixes()["templates"]


def spinoff_mixes() -> dict[str, OccupationMix]:
    """Occupation mixes of indirect (``indirect``) and induced (``induced``) jobs."""
    return _mixes()["spinoff"]


def welfare_mixes() -> dict[str, OccupationMix]:
    """Occupation split of each kind of welfare staff."""
    return _mixes()["welfare"]


@cache
def sources() -> dict[str, Source]:
    raw = _load("sources.toml")
    return {
        key: Source(key, entry["title"], entry["checked"], entry["used_for"],
                    entry.get("licence"))
        for key, entry in raw.items()
    }
