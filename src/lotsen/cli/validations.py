"""`lotsen people validate|validations|unvalidate`: validated prior learning of a person."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import typer

from lotsen.cli.output import console, emit_json, emit_table
from lotsen.cli.profiles import command_line_actor
from lotsen.services import validations
from lotsen.services.access import SYSTEM
from lotsen.services.database import connect
from lotsen.services.results.people import PersonValidations

METHOD_HELP = "How: " + ", ".join(f"{m['method']} ({m['label']})"
                                  for m in validations.methods(actor=SYSTEM))
JSON = typer.Option(False, "--json", help="Print JSON.")
PERSON = typer.Argument(..., help="The person's id or pseudonym (P...).")
COLUMNS = ("id", "skill_label", "occupation_label", "method_label", "validated_on",
           "validated_by")
TITLES = {"skill_label": "Kompetens", "occupation_label": "Validerad mot yrke",
          "method_label": "Hur", "validated_on": "När", "validated_by": "Av"}


def _print(data: PersonValidations, as_json: bool) -> None:
    if as_json:
        emit_json(data)
        return
    console.print(f"Person {data['person_id']} ({data['pseudonym']}): "
                  f"{len(data['validations'])} validerade kompetenser")
    rows: list[Mapping[str, Any]] = list(data["validations"])
    emit_table([{**v, **{TITLES[k]: v[k] for k in TITLES}} for v in rows],
               ["id", *TITLES.values()])


def validate(
    person: str = PERSON,
    occupation: str = typer.Option(..., "--occupation",
                                   help="Occupation (or local role) id whose profile the skills "
                                        "were validated against."),
    skill: list[str] = typer.Option(..., "--skill", help="A validated skill's id (repeat)."),
    method: str = typer.Option(..., "--method",
                               help=METHOD_HELP),
    on: str = typer.Option(None, "--date", help="When it was validated, YYYY-MM-DD "
                                                "(default today)."),
    as_json: bool = JSON,
) -> None:
    """Mark skills of a person validated against an occupation's profile; the acting
    user (your login, "(kommandorad)") is recorded as who validated."""
    _print(validations.validate(connect(), person, occupation, skill, method,
                                on or date.today(), actor=command_line_actor()), as_json)


def list_validations(person: str = PERSON, as_json: bool = JSON) -> None:
    """A person's validated skills: against which profile, how, when and by whom."""
    _print(validations.of_person(connect(), person, actor=command_line_actor()), as_json)


def unvalidate(
    person: str = PERSON,
    validation_id: int = typer.Argument(..., help="The validation's id (see `validations`)."),
    as_json: bool = JSON,
) -> None:
    """Take back one validation entered by mistake."""
    _print(validations.remove(connect(), person, validation_id, actor=command_line_actor()),
           as_json)


def register(root: typer.Typer) -> None:
    """Add the validation commands to the `people` group records.py registers."""
    group = next((g.typer_instance for g in root.registered_groups if g.name == "people"), None)
    if group is None:
        raise RuntimeError("register `lotsen people` (cli/records.py) before cli/validations.py")
    group.command("validate")(validate)
    group.command("validations")(list_validations)
    group.command("unvalidate")(unvalidate)

