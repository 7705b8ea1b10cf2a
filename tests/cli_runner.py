"""Run the ``lotsen`` CLI in process, as a user would from a shell."""

from __future__ import annotations

import pytest

from lotsen.cli.main import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Return (exit code, stdout, stderr) of ``lotsen ARGS``."""
    try:
        main(list(args))
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
