"""`lotsen import needs|people|programs FILE`, `lotsen import template KIND`, and
`lotsen people export|erase ID`.

A rejected file exits with code 2 after listing its problems (as JSON with ``--json``).
"""

from __future__ import annotations

from pathlib import Path

import typer

from lotsen.cli.output import console, emit_json
from lotsen.errors import InvalidInput
from lotsen.services import imports, people
from lotsen.services.access import SYSTEM
from lotsen.services.database import connect
from lotsen.services.results.imports import ImportSummary, MyhImportSummary

app = typer.Typer(help="Import needs, people or programs from a CSV or XLSX file.",
                  no_args_is_help=True)

KIND_HELP = {
    "needs": "Import competence needs (one row per need; employers are created by name).",
    "people": "Import job seekers (pseudonymous: no names or personal numbers).",
    "programs": "Import education programs (providers are created by name).",
}


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    return path.read_bytes()


def _print_summary(summary: ImportSummary) -> None:
    verb = "Checked (dry run, nothing written)" if summary["dry_run"] else "Imported"
    console.print(
        f"[bold]{verb}[/bold] {summary['file']} into tenant {summary['tenant']!r}: "
        f"{summary['rows']} rows — {summary['created']} created, {summary['updated']} updated"
        f" ({summary['seconds']} s, {summary['rows_per_second']} rows/s)"
    )
    if summary["organizations_created"]:
        console.print(f"  organisations created: {summary['organizations_created']}")
    read_as = summary["format"] + (f", {summary['encoding']}, delimiter "
                                   f"{summary['delimiter']!r}" if summary["encoding"] else "")
    console.print(f"  read as: {read_as}")
    for note in summary["notes"]:
        console.print(f"  note: {note}")
    for item in summary["interpreted"]:
        console.print(f"  interpreted {item['column']} \"{item['value']}\" as {item['label']} "
                      f"[{item['concept_id']}] (first in row {item['first_row']})",
                      markup=False)
    for item in summary["unresolved"]:
        console.print(f"  left out {item['column']} \"{item['value']}\" ({item['count']} rows): "
                      f"{item['reason']}", markup=False)
    if summary["flagged_count"]:
        rows = ", ".join(str(f["row"]) for f in summary["flagged"][:15])
        console.print(f"  flagged: {summary['flagged_count']} without consent to matching "
                      f"(rows {rows}{' ...' if summary['flagged_count'] > 15 else ''})")


def _print_myh(summary: MyhImportSummary) -> None:
    verb = "Checked (dry run, nothing written)" if summary["dry_run"] else "Imported"
    console.print(f"[bold]{verb}[/bold] {summary['rows']} YH programs into tenant "
                  f"{summary['tenant']!r}: {summary['created']} created, {summary['updated']} "
                  f"updated; {summary['with_occupation']} linked to an occupation, "
                  f"{summary['with_sun']} with a SUN field from MYH")
    for item in summary["files"]:
        console.print(f"  {item['file']}: {item['kind']}, {item['programmes']} programmes")
    for program in summary["unlinked"]:
        console.print(f"  no occupation found for {program['source_id']} {program['name']}",
                      markup=False)
    console.print(f"  note: {summary['inferred_note']}")


def _import_command(kind: str) -> None:
    def run(
        files: list[Path] = typer.Argument(
            ..., help="A .csv (UTF-8 or Windows-1252, ; or ,) or .xlsx; with --format myh, "
                      "MYH's register export and/or application-results files"),
        fmt: str = typer.Option("lotsen", "--format",
                                help="lotsen (Lotsen's template) or, for programs, myh "
                                     "(Myndigheten för yrkeshögskolan's files as published)"),
        tenant: str = typer.Option(None, "--tenant", help="Tenant slug (needed when several)."),
        as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Check everything, write nothing."),
        skip_unresolved: bool = typer.Option(
            False, "--skip-unresolved",
            help="Leave out list values (skills, languages ...) not found in the taxonomy, "
                 "and report them, instead of rejecting the file."),
    ) -> None:
        if fmt == "myh" and kind == "programs":
            programs = imports.import_myh_files(connect(), [(_read(f), f.name) for f in files],
                                                tenant, dry_run=dry_run, actor=SYSTEM)
            if as_json:
                emit_json(programs)
            else:
                _print_myh(programs)
            return
        if fmt != "lotsen" or len(files) != 1:
            raise InvalidInput("one file per import; --format myh is for programs only"
                               if fmt in ("lotsen", "myh") else
                               f"unknown format {fmt!r}: use lotsen or myh", "--format")
        file = files[0]
        summary = imports.import_file(connect(), kind, _read(file), file.name, tenant,
                                      dry_run=dry_run, skip_unresolved=skip_unresolved,
                                      actor=SYSTEM)
        if as_json:
            emit_json(summary)
        else:
            _print_summary(summary)

    app.command(kind, help=KIND_HELP[kind])(run)


for _kind in KIND_HELP:
    _import_command(_kind)


@app.command("template")
def template(
    kind: str = typer.Argument(..., help="needs, people or programs"),
    fmt: str = typer.Option("xlsx", "--format", help="xlsx or csv"),
    output: Path = typer.Option(None, "--output", "-o", help="File to write (default: here)."),
) -> None:
    """Write the import template for KIND (header + two example rows)."""
    name, content, _ = imports.template(kind, fmt, actor=SYSTEM)
    target = output or Path(name)
    target.write_bytes(content)
    console.print(f"wrote {target}")


def export(
    person: str = typer.Argument(..., help="The person's id or pseudonym (P...)."),
    as_json: bool = typer.Option(True, "--json/--no-json", help="Print JSON (the default)."),
    output: Path = typer.Option(None, "--output", "-o", help="Write to this file instead."),
) -> None:
    """Everything Lotsen stores about one person (GDPR art. 15), as JSON."""
    data = people.export_person(connect(), person, actor=SYSTEM)
    if output is not None:
        import json

        output.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        console.print(f"wrote {output}")
    else:
        emit_json(data)


def erase(
    person: str = typer.Argument(..., help="The person's id or pseudonym (P...)."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Erase one person and every row about them (GDPR art. 17). Cannot be undone."""
    if not yes:
        typer.confirm(f"Erase person {person} and everything stored about them?", abort=True)
    result = people.erase_person(connect(), person, actor=SYSTEM)
    if as_json:
        emit_json(result)
    else:
        deleted = ", ".join(f"{t}: {n}" for t, n in sorted(result["rows_deleted"].items()) if n)
        console.print(f"erased person {result['person_id']} ({deleted})")


def register(root: typer.Typer) -> None:
    """Add `import`, and `export`/`erase` to the `people` group records.py registers."""
    root.add_typer(app, name="import")
    group = next((g.typer_instance for g in root.registered_groups if g.name == "people"), None)
    if group is None:
        raise RuntimeError("register `lotsen people` (cli/records.py) before cli/imports.py")
    group.command("export")(export)
    group.command("erase")(erase)
