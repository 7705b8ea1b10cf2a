"""Demand by industry: the employer's SNI 2007 code, read up to its division (two
digits) and section (letter) through the taxonomy's SNI hierarchy."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from lotsen.taxonomy.model import Taxonomy

DIVISION = "sni-level-2"
UNKNOWN = ("", "Bransch okänd")
NOT_EMPLOYER = {"scenario": "etableringsscenario", "replacement": "pensionsavgångar"}


def division(taxonomy: Taxonomy, sni: str | None) -> tuple[str, str, str]:
    """(division code, division label, section letter) of an SNI code like 27.200."""
    digits = "".join(ch for ch in sni or "" if ch.isdigit())[:2]
    if len(digits) < 2:
        return (*UNKNOWN, "")
    try:
        found = taxonomy.by_code(DIVISION, digits)
    except Exception:  # a code the taxonomy's SNI 2007 does not know
        return (*UNKNOWN, "")
    section = next((b.code or "" for b in taxonomy.broader(found.id)), "")
    return found.code or digits, found.label, section


def by_industry(taxonomy: Taxonomy, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Demand, filled, from programmes and gap per SNI division, largest gap first.
    Scenario and replacement rows carry no employer: they count as their own source."""
    totals: dict[tuple[str, str, str], Counter[str]] = {}
    for row in rows:
        if row["source"] == "need":
            key = division(taxonomy, row.get("sni"))
        else:
            key = ("", f"Ingen arbetsgivare: {NOT_EMPLOYER.get(row['source'], row['source'])}", "")
        total = totals.setdefault(key, Counter())
        total.update({"demand": row["headcount"], "filled": row["filled"],
                      "from_programs": row["from_programs"], "gap": row["gap"], "rows": 1})
    out = [{"sni2": code, "label": label, "section": section,
            **{k: total[k] for k in ("demand", "filled", "from_programs", "gap")},
            "needs": total["rows"]}
           for (code, label, section), total in totals.items()]
    return sorted(out, key=lambda item: (-item["gap"], item["sni2"]))
