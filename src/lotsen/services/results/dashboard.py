"""Results of the start page and the region's figures."""

from __future__ import annotations

from typing import Any, NotRequired

from typing_extensions import TypedDict

from lotsen.services.results import Record


class RegionAggregates(TypedDict):
    top_occupations: list[dict[str, Any]]
    open_by_municipality: dict[str, int]
    people_by_municipality: dict[str, int]
    ads_by_month: list[dict[str, Any]]
    tenant_municipalities: list[str]


class Outlook(TypedDict):
    gaps: dict[str, Any] | None  # None while it is computed (named in pending)
    scenario: dict[str, Any] | None  # None: no scenario to show, or computed (pending)
    pending: list[str]  # the parts still being computed: "gaps", "scenario"


class Dashboard(TypedDict):
    """The start page for one actor; the keys after ``outlook`` depend on the role.
    ``region`` is None while it is computed ("region" in ``pending``, which also names
    the outlook's parts not ready)."""

    role: str
    region: RegionAggregates | None
    outlook: Outlook
    pending: list[str]
    needs: NotRequired[dict[str, Any]]
    programs: NotRequired[list[Record]]
    people: NotRequired[dict[str, int]]
    admin: NotRequired[dict[str, int]]
