"""`lotsen profiles show|edit|history|revert|suggest` and
`lotsen concepts add-local|edit-local|delete-local|list-local`:
skill profiles with a tenant's versioned edits, and a tenant's own occupations and skills."""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from typing import Any

import typer

from lotsen.cli.output import console, emit_json, emit_table
from lotsen.errors import InvalidInput
from lotsen.services import local_concepts, profiles
from lotsen.services.access import SYSTEM, Actor
from lotsen.services.database import connect

profiles_app = typer.Typer(help="Skill profiles of occupations, and a tenant's edits.",
                           no_args_is_help=True)
concepts_app = typer.Typer(help="A tenant's local occupations and skills.", no_args_is_help=True)

JSON = typer.Option(False, "--json", help="Print JSON.")
TENANT = typer.Option(None, "--tenant", help="Tenant slug whose edits or concepts to use.")
TYPES = {"occupation": "occupation-name", "skill": "skill"}


def command_line_actor() -> Actor:
    """The command line acts as the system, but the version history should still say who."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        who = "okänd"
    return Actor("system", username=f"{who} (kommandorad)")


def _print_profile(data: Mapping[str, Any], as_json: bool = False) -> None:
    if as_json:
        emit_json(data)
        return
    occupation = data["occupation"]
    console.print(f"[bold]{occupation['preferred_label']}[/bold] ({occupation['concept_id']}), "
                  f"version {data['version']} av {data['latest_version']}"
                  + (f", {data['tenant']}" if data["tenant"] else ""))
    rows = [{**s, "from": ", ".join(o["label"] for o in s["origins"]),
             "must": {True: "skall", False: "merit"}.get(s.get("must"), "")}
            for s in data["skills"][:40]]
    emit_table(rows, ("concept_id", "label", "strength", "must", "from"))
    if data.get("removed"):
        console.print("Borttagna: " + ", ".join(r["label"] for r in data["removed"]))


@profiles_app.command("show")
def show(
    occupation_id: str,
    tenant: str = TENANT,
    version: int = typer.Option(None, help="An earlier version (0 = without edits)."),
    as_json: bool = JSON,
) -> None:
    """The skills of an occupation: where each comes from, how strongly, and the edits."""
    _print_profile(profiles.show(connect(), occupation_id, tenant=tenant, version=version,
                                 actor=SYSTEM),
                   as_json)


def _weights(pairs: list[str]) -> list[dict[str, Any]]:
    changes = []
    for pair in pairs:
        skill, sep, weight = pair.partition("=")
        if not sep:
            raise InvalidInput(f"--weight takes SKILL=0.7, got {pair!r}", "weight")
        changes.append({"op": "set", "skill_id": skill.strip(), "weight": weight.strip()})
    return changes


@profiles_app.command("edit")
def edit(
    occupation_id: str,
    add: list[str] = typer.Option([], "--add", help="Add a skill (id)."),
    remove: list[str] = typer.Option([], "--remove", help="Remove a skill (id)."),
    weight: list[str] = typer.Option([], "--weight", help="SKILL=0.7: set a skill's weight."),
    must: list[str] = typer.Option([], "--must", help="Mark a skill skall-krav for new needs."),
    nice: list[str] = typer.Option([], "--nice", help="Mark a skill meriterande for new needs."),
    reset: list[str] = typer.Option([], "--reset", help="Drop the edits of a skill."),
    comment: str = typer.Option(None, help="Why (shown in the history)."),
    expect: int = typer.Option(None, help="Fail if the profile is no longer at this version."),
    tenant: str = TENANT,
    as_json: bool = JSON,
) -> None:
    """Edit a tenant's profile of an occupation; every call makes one new version."""
    changes: list[dict[str, Any]] = [
        *({"op": "add", "skill_id": s} for s in add),
        *({"op": "remove", "skill_id": s} for s in remove),
        *_weights(weight),
        *({"op": "set", "skill_id": s, "must": True} for s in must),
        *({"op": "set", "skill_id": s, "must": False} for s in nice),
        *({"op": "reset", "skill_id": s} for s in reset),
    ]
    _print_profile(
        profiles.edit(connect(), occupation_id, changes, comment, tenant, expect,
                      actor=command_line_actor()),
        as_json)


@profiles_app.command("history")
def history(occupation_id: str, tenant: str = TENANT, as_json: bool = JSON) -> None:
    """Every version of a tenant's edits: who, when, what changed, why."""
    data = profiles.history(connect(), occupation_id, tenant=tenant, actor=SYSTEM)
    if as_json:
        emit_json(data)
        return
    rows = [{**v, "changes": "; ".join(f"{c['op']} {c['label']}" for c in v["changes"])}
            for v in data["versions"]]
    emit_table(rows, ("version", "at", "by", "comment", "changes"))


@profiles_app.command("revert")
def revert(
    occupation_id: str,
    version: int = typer.Argument(..., help="The version to go back to (0 = no edits)."),
    comment: str = typer.Option(None, help="Why."),
    tenant: str = TENANT,
    as_json: bool = JSON,
) -> None:
    """Make a new version equal to an earlier one."""
    _print_profile(
        profiles.revert(connect(), occupation_id, version, comment, tenant,
                        actor=command_line_actor()), as_json)


@profiles_app.command("suggest")
def suggest(occupation_id: str, tenant: str = TENANT, as_json: bool = JSON) -> None:
    """The skall-krav and meriterande skills a new need for the occupation starts with."""
    data = profiles.need_suggestions(connect(), occupation_id, tenant=tenant, actor=SYSTEM)
    if as_json:
        emit_json(data)
        return
    emit_table([{**s, "krav": "skall"} for s in data["must"]]
               + [{**s, "krav": "merit"} for s in data["nice"]],
               ("concept_id", "label", "strength", "krav"))


@concepts_app.command("add-local")
def add_local(
    label: str = typer.Option(..., help='Swedish label, e.g. "Battericellsoperatör".'),
    anchor: str = typer.Option(..., help="Id of the nearest standard concept."),
    kind: str = typer.Option("occupation", "--type", help="occupation or skill."),
    description: str = typer.Option(None, help="What the role or skill is."),
    synonym: list[str] = typer.Option([], "--synonym", help="Another word for it (repeat)."),
    tenant: str = TENANT,
    as_json: bool = JSON,
) -> None:
    """Define a local occupation or skill of a tenant, anchored to a standard concept."""
    if kind not in TYPES:
        raise InvalidInput(f"--type must be occupation or skill, got {kind!r}", "type")
    data = local_concepts.add_local(connect(), TYPES[kind], label, anchor,
                                    description, synonym, tenant, actor=command_line_actor())
    if as_json:
        emit_json(data)
    else:
        console.print(f"{data['concept_id']}: {data['preferred_label']} → "
                      f"{data['anchor_label']} ({data['anchor_id']})")


@concepts_app.command("edit-local")
def edit_local(
    concept_id: str = typer.Argument(..., help="Id of the local concept (local:<tenant>:<slug>)."),
    label: str = typer.Option(None, help="New Swedish label (the id stays)."),
    description: str = typer.Option(None, help='New description ("" clears it).'),
    synonym: list[str] = typer.Option(
        None, "--synonym", help="Another word for it (repeat); replaces the synonyms."),
    anchor: str = typer.Option(None, help="Id of the new nearest standard concept."),
    as_json: bool = JSON,
) -> None:
    """Change a local concept's label, description, synonyms or anchor."""
    data = local_concepts.edit_local(connect(), concept_id, label, description,
                                     synonym or None, anchor, actor=command_line_actor())
    if as_json:
        emit_json(data)
    else:
        what = ", ".join(data["changed"]) or "inget ändrat"
        console.print(f"{data['concept_id']}: {data['preferred_label']} → "
                      f"{data['anchor_label']} ({data['anchor_id']}) [{what}]")


@concepts_app.command("delete-local")
def delete_local(
    concept_id: str = typer.Argument(..., help="Id of the local concept (local:<tenant>:<slug>)."),
    replace_with: str = typer.Option(
        None, "--replace-with",
        help="Concept (standard, or local of the same tenant) that takes over every use."),
    as_json: bool = JSON,
) -> None:
    """Delete a local concept; refused while needs, people or programs use it, unless
    --replace-with moves them to another concept of the same type first."""
    data = local_concepts.delete_local(connect(), concept_id, replace_with,
                                       actor=command_line_actor())
    if as_json:
        emit_json(data)
        return
    moved = data["moved"]
    console.print(f"Borttaget: {data['deleted']} ({data['preferred_label']})")
    if data["replaced_with"]:
        console.print(f"Flyttat till {data['replaced_with']}: {moved['needs']} behov, "
                      f"{moved['people']} personer, {moved['programs']} utbildningar")


@concepts_app.command("list-local")
def list_local(
    tenant: str = TENANT,
    kind: str = typer.Option(None, "--type", help="occupation or skill."),
    as_json: bool = JSON,
) -> None:
    """A tenant's local concepts (every tenant's without --tenant)."""
    if kind is not None and kind not in TYPES:
        raise InvalidInput(f"--type must be occupation or skill, got {kind!r}", "type")
    data = local_concepts.list_local(connect(), tenant=tenant,
                                     concept_type=TYPES[kind] if kind else None, actor=SYSTEM)
    if as_json:
        emit_json(data)
        return
    emit_table(data["results"],
               ("concept_id", "preferred_label", "type_label", "anchor_label", "ssyk4"))


def register(app: typer.Typer) -> None:
    app.add_typer(profiles_app, name="profiles")
    app.add_typer(concepts_app, name="concepts")
