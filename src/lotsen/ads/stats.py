"""Demand from stored ads: by SSYK-4 × municipality × month, growth, top skills.

A *region* is a set of municipality codes (a län code such as ``25`` expands to its
municipalities). Every stored ad counts once: reposts were folded into one ad at
ingest. Growth compares the last ``window`` months with the ``window`` before them,
counted back from the newest month in the data, so old dumps give sensible figures.
Rows are streamed from the database; only counters stay in memory.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from lotsen.errors import InvalidInput
from lotsen.store.db import transaction
from lotsen.store.models import JobAd
from lotsen.taxonomy.model import MUNICIPALITY, SSYK4, Taxonomy


@dataclass(frozen=True)
class StatsQuery:
    municipalities: frozenset[str] | None = None
    ssyk4: str | None = None
    window: int = 3
    top_groups: int = 10
    top_skills: int = 10


def region_codes(taxonomy: Taxonomy, codes: list[str]) -> frozenset[str] | None:
    """Municipality codes for a mix of kommun (4-digit) and län (2-digit) codes."""
    if not codes:
        return None
    out: set[str] = set()
    municipalities = taxonomy.of_type(MUNICIPALITY)
    for code in codes:
        if len(code) == 2 and code.isdigit():
            found = {m.code for m in municipalities if m.code and m.code.startswith(code)}
            if not found:
                raise InvalidInput(f"unknown län code {code!r}: use the 2-digit SCB code, e.g. 25")
            out |= found
        else:
            out.add(taxonomy.municipality(code).code or code)
    return frozenset(out)


def _shift(month: str, months: int) -> str:
    year, number = int(month[:4]), int(month[5:7]) - 1 + months
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def ad_stats(engine: Engine, taxonomy: Taxonomy, query: StatsQuery) -> dict[str, Any]:
    cells: Counter[tuple[str, str, str]] = Counter()
    per_group: Counter[str] = Counter()
    per_month: Counter[str] = Counter()
    skills: dict[str, Counter[str]] = defaultdict(Counter)
    required: dict[str, Counter[str]] = defaultdict(Counter)
    labels: dict[str, str] = {}
    total = synthetic = 0
    statement = select(JobAd.ssyk4, JobAd.municipality_code, JobAd.published_at,
                       JobAd.enrichment, JobAd.is_synthetic).execution_options(yield_per=2000)
    if query.municipalities is not None:
        statement = statement.where(JobAd.municipality_code.in_(sorted(query.municipalities)))
    if query.ssyk4:
        statement = statement.where(JobAd.ssyk4 == query.ssyk4)
    with transaction(engine) as session:
        for ssyk4, municipality, published, enrichment, made_up in session.execute(statement):
            group, month = ssyk4 or "", published.strftime("%Y-%m") if published else ""
            total += 1
            synthetic += bool(made_up)
            cells[(group, municipality or "", month)] += 1
            per_group[group] += 1
            if month:
                per_month[month] += 1
            for skill in (enrichment or {}).get("skills", []):
                if skill["concept_id"] is None:
                    continue  # unlinked (no taxonomy concept): not a figure per concept
                skills[group][skill["concept_id"]] += 1
                labels[skill["concept_id"]] = skill["label"]
                if skill["requirement"] == "required":
                    required[group][skill["concept_id"]] += 1
    group_labels = {c.code: c.label for c in taxonomy.of_type(SSYK4) if c.code}
    growth = _growth(cells, per_month, query.window)

    def municipality_name(code: str) -> str:
        try:
            return taxonomy.municipality(code).label if code else ""
        except InvalidInput:
            return code

    return {
        "ads": total,
        "synthetic_ads": synthetic,  # the demo region's made-up ads, counted in ``ads``
        "months": sorted(per_month),
        "by_month": [{"month": m, "ads": n} for m, n in sorted(per_month.items())],
        "cells": [
            {"ssyk4": g, "label": group_labels.get(g, ""), "municipality_code": m,
             "municipality": municipality_name(m), "month": mo, "ads": n}
            for (g, m, mo), n in sorted(cells.items())
        ],
        "groups": [
            {"ssyk4": g, "label": group_labels.get(g, ""), "ads": n, **growth.get(g, {}),
             "top_skills": [
                 {"concept_id": s, "label": labels[s], "ads": c, "required": required[g][s]}
                 for s, c in skills[g].most_common(query.top_skills)
             ]}
            for g, n in per_group.most_common(query.top_groups)
        ],
        "window_months": query.window,
    }


def _growth(
    cells: Counter[tuple[str, str, str]], per_month: Counter[str], window: int
) -> dict[str, dict[str, Any]]:
    if not per_month:
        return {}
    newest = max(per_month)
    recent = {_shift(newest, -i) for i in range(window)}
    before = {_shift(newest, -i) for i in range(window, 2 * window)}
    now: Counter[str] = Counter()
    then: Counter[str] = Counter()
    for (group, _, month), n in cells.items():
        if month in recent:
            now[group] += n
        elif month in before:
            then[group] += n
    return {
        g: {"recent": now[g], "previous": then[g],
            "growth": round((now[g] - then[g]) / then[g], 4) if then[g] else None}
        for g in set(now) | set(then)
    }
