"""The Jinja environment shared by all pages, with Swedish formatting filters."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from lotsen.labels import label, number
from lotsen.services.access import PUBLIC, SYSTEM
from lotsen.services.region_figures import shows_synthetic_data
from lotsen.taxonomy import load_taxonomy
from lotsen.web.navigation import menu


def _common(request: Request) -> dict[str, Any]:
    """Shown on every page: whether the data is the synthetic demo (it must say so), and
    the menu of the pages the acting role may open."""
    actor = getattr(request.state, "actor", None)
    if actor is None and not getattr(request.app.state, "auth_required", False):
        actor = SYSTEM
    return {"synthetic": shows_synthetic_data(request.app.state.engine, actor=actor or PUBLIC),
            "menu": menu(actor)}


templates = Jinja2Templates(
    directory=str(Path(__file__).parent / "templates"), context_processors=[_common]
)


def concept_label(concept_id: str | None, local: Mapping[str, str] | None = None) -> str:
    """The label of a taxonomy concept, or of a tenant's local one when ``local`` has it."""
    if not concept_id:
        return ""
    if isinstance(local, Mapping) and concept_id in local:
        return local[concept_id]
    concept = load_taxonomy().find(concept_id)
    return concept.label if concept else concept_id


def municipality_name(code: str | None) -> str:
    return load_taxonomy().municipality_name(code) if code else ""


def thousands(value: int | float) -> str:
    return number(value, 0)


templates.env.filters["concept"] = concept_label
templates.env.filters["kommun"] = municipality_name
templates.env.filters["thousands"] = thousands
templates.env.filters["decimal"] = number
templates.env.filters["label"] = lambda value, kind: label(kind, value)
