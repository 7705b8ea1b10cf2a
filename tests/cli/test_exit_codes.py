"""The CLI's exit code is the one a command asks for, also through `typer.Exit`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer
from tests.cli_runner import run_cli as run

from lotsen.cli.main import app


@pytest.fixture
def exiting_command() -> Iterator[None]:
    def quit_with(code: int = 0) -> None:
        raise typer.Exit(code)

    app.command("test-exit")(quit_with)
    yield
    app.registered_commands.pop()


@pytest.mark.parametrize("code", [0, 1, 3])
def test_typer_exit_code_reaches_the_shell(exiting_command: None, code: int,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "test-exit", "--code", str(code))[0] == code


def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "Usage" in out


def test_usage_error_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "no-such-command")
    assert code == 2 and "no-such-command" in err
