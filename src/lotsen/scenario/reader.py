"""Typed access to a scenario document's values; every error carries the key's line."""

from __future__ import annotations

import math
from typing import Any

from lotsen.errors import InvalidInput
from lotsen.scenario.document import Document, KeyPath
from lotsen.scenario.ranges import Range
from lotsen.scenario.schema import DIVISORS, KEYS
from lotsen.taxonomy.model import load_taxonomy

SHARE_TOLERANCE = 1e-3
YEAR_LIMITS = (1990, 2100)


class Reader:
    """Typed access to a document's values; every error carries the key's line."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.custom: set[str] = set()

    def get(self, path: KeyPath) -> Any:
        node: Any = self.doc.data
        for part in path:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def number(self, value: Any, path: KeyPath, what: str = "a number") -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
                value):
            raise self.doc.error(path, f"must be {what}, got {value!r}")
        return float(value)

    def year(self, path: KeyPath) -> int:
        value = self.get(path)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.doc.error(path, f"must be a year like 2025, got {value!r}")
        if not YEAR_LIMITS[0] <= value <= YEAR_LIMITS[1]:
            raise self.doc.error(path, f"year {value} is outside {YEAR_LIMITS[0]}–"
                                       f"{YEAR_LIMITS[1]}")
        return value

    def text(self, path: KeyPath) -> str | None:
        value = self.get(path)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise self.doc.error(path, "must be a non-empty text")
        return value

    def code(self, value: Any, path: KeyPath) -> str:
        """A municipality code (4 digits, SCB) or the code of a region under ``regions``."""
        if isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:04d}"
        if not isinstance(value, str):
            raise self.doc.error(path, f"must be a municipality code like \"2482\", got {value!r}")
        if value in self.custom:
            return value
        try:
            load_taxonomy().municipality(value)
        except InvalidInput as error:
            raise self.doc.error(path, error.message + " (quote codes that start with 0; "
                                 "define places outside Sweden under [regions])") from None
        return value

    def range(self, path: KeyPath, kind: str) -> Range:
        value = self.get(path)
        name = ".".join(path)
        if isinstance(value, dict):
            unknown = sorted(set(value) - {"low", "mode", "high", "source"})
            missing = [k for k in ("low", "mode", "high") if k not in value]
            if unknown or missing:
                bad = unknown[0] if unknown else missing[0]
                raise self.doc.error(path + ((bad,) if unknown else ()),
                                     f"a range has the keys low, mode, high and optionally "
                                     f"source ({'unknown' if unknown else 'missing'}: {bad})")
            result = Range(*(self.number(value[k], path + (k,)) for k in ("low", "mode", "high")))
        else:
            result = Range.fixed(self.number(value, path, "a number or {low, mode, high}"))
        if (problem := result.problem()) is not None:
            raise self.doc.error(path, problem)
        if result.low < 0:
            raise self.doc.error(path, f"must not be negative, got {result.low}")
        if kind == "share-range" and result.high > 1:
            raise self.doc.error(path, f"is a share and must lie between 0 and 1, got "
                                       f"{result.high}")
        if name in DIVISORS and result.low <= 0:
            raise self.doc.error(path, "must be greater than 0")
        return result

    def source(self, path: KeyPath) -> str | None:
        """The citation a range in the file records (``source = "..."``), or None."""
        value = self.get(path)
        if not isinstance(value, dict) or "source" not in value:
            return None
        return self.text(path + ("source",))

    def series(self, path: KeyPath, start: int, end: int, what: str) -> dict[int, float]:
        value = self.get(path)
        if not isinstance(value, dict) or not value:
            raise self.doc.error(path, f"must be a table of year = {what}, e.g. 2026 = 500")
        out: dict[int, float] = {}
        for key, amount in value.items():
            here = path + (key,)
            if not str(key).isdigit():
                hint = (" (in TOML, top-level keys must come before the first [table])"
                        if key in KEYS else "")
                raise self.doc.error(here, f"keys must be years, got {key!r}{hint}")
            year = int(key)
            if not start <= year <= end:
                raise self.doc.error(here, f"year {year} is outside the scenario years "
                                           f"{start}–{end}")
            number = self.number(amount, here, f"a number of {what}")
            if number < 0:
                raise self.doc.error(here, f"{what} must not be negative, got {amount}")
            out[year] = number
        return out

    def shares(self, path: KeyPath, values: dict[str, Any],
               keys: dict[str, str]) -> dict[str, float]:
        """``keys`` maps the validated key to the key as written (for line lookup)."""
        out: dict[str, float] = {}
        for key, raw_key in keys.items():
            share = self.number(values[raw_key], path + (raw_key,), "a share between 0 and 1")
            if not 0 <= share <= 1:
                raise self.doc.error(path + (raw_key,), f"a share must lie between 0 and 1, "
                                                        f"got {share}")
            out[key] = share
        total = sum(out.values())
        if abs(total - 1) > SHARE_TOLERANCE:
            raise self.doc.error(path, f"shares must sum to 1, they sum to {total:.4g}")
        return out
