"""Entry point of the ``lotsen`` command; sub-commands live one module each."""

from __future__ import annotations

import sys

import typer
from typer.exceptions import TyperException

from lotsen.cli.output import emit_json
from lotsen.errors import ImportRejected, LotsenError
from lotsen.messages import render

app = typer.Typer(
    name="lotsen",
    help="Lotsen: regional competence supply on the JobTech taxonomy.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


_registered = False


def _register() -> None:
    # Sub-commands are imported on the first call, so importing this module stays cheap
    # and calling main() again (tests do) does not register commands twice.
    global _registered
    if _registered:
        return
    _registered = True
    from lotsen.cli import imports, records, server, taxonomy

    app.add_typer(taxonomy.app, name="taxonomy")
    from lotsen.cli import scenario

    app.add_typer(scenario.app, name="scenario")
    records.register(app)
    imports.register(app)  # after records: adds export/erase to its `people` group
    from lotsen.cli import validations

    validations.register(app)  # validate/validations/unvalidate in the same group
    server.register(app)
    from lotsen.cli import accounts

    accounts.register(app)
    from lotsen.cli import match

    match.register(app)
    from lotsen.cli import profiles

    profiles.register(app)
    from lotsen.cli import ads, titles

    app.add_typer(ads.app, name="ads")
    app.add_typer(titles.app, name="titles")
    from lotsen.cli import regional

    regional.register(app)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a LotsenError becomes one line on stderr and exit code 2. This is
    the CLI's one error handler: commands let LotsenError through."""
    _register()
    command = typer.main.get_command(app)
    try:
        # Without standalone mode Click returns a raised Exit's code instead of
        # exiting, so a command's `typer.Exit(2)` would otherwise end in exit 0.
        code = command.main(args=argv, prog_name="lotsen", standalone_mode=False)
    except LotsenError as error:
        if isinstance(error, ImportRejected) and "--json" in (argv or sys.argv[1:]):
            # A rejected file's problems are data a script acts on: JSON on stdout.
            emit_json(error.as_body())
        else:
            typer.echo(f"error: {render(error)}", err=True)
        sys.exit(2)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    except TyperException as error:
        # Usage errors (unknown option, missing or extra argument) from Typer's parser:
        # its own one-line message with the usage, never a traceback.
        show = getattr(error, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"error: {error}", err=True)
        sys.exit(2)
    if isinstance(code, int) and code:
        sys.exit(code)


if __name__ == "__main__":
    main()
