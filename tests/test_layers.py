"""The import contract (``[tool.importlinter]`` in pyproject.toml): layers pointing down
only, the core's packages independent of each other and of HTTP/terminal libraries,
and no import cycles at any depth. `make lint` runs the same check.

import-linter builds the import graph with grimp, so relative imports, ``from lotsen
import X``, imports inside functions and imports under TYPE_CHECKING all count; the
tests below break a copy of the package in each of those ways and watch it fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).parent / "lint-imports"


def lint(source: Path) -> tuple[int, str]:
    """Exit code and report of lint-imports over the ``lotsen`` package under ``source``."""
    done = subprocess.run(
        [str(LINT), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=source, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(source)},
    )
    return done.returncode, done.stdout + done.stderr


def test_the_import_contract_holds() -> None:
    code, report = lint(ROOT / "src")
    assert code == 0, report
    assert "3 kept, 0 broken" in report


# (what is added to match/geo.py, what the report must say)
BREAKS = {
    "upward, absolute": ("from lotsen import services",
                         "lotsen.match is not allowed to import lotsen.services"),
    "upward, relative": ("from ..web import app",
                         "lotsen.match is not allowed to import lotsen.web"),
    "core to core": ("from lotsen.scenario import parse",
                     "lotsen.match is not allowed to import lotsen.scenario"),
    "core to base, inside a function": (
        "def _late():\n    from lotsen.services.matching import tools",
        "lotsen.match is not allowed to import lotsen.services"),
    "a cycle inside a package": ("from . import scorer",
                                 "No cycles are allowed in lotsen.match"),
    "a web library in the core": ("import starlette",
                                  "lotsen.match is not allowed to import starlette"),
}


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_the_contract_fails_on_a_bad_import(case: str, tmp_path: Path) -> None:
    added, says = BREAKS[case]
    shutil.copytree(ROOT / "src" / "lotsen", tmp_path / "lotsen",
                    ignore=shutil.ignore_patterns("__pycache__", "data", "static", "templates"))
    geo = tmp_path / "lotsen" / "match" / "geo.py"
    geo.write_text(geo.read_text(encoding="utf-8") + "\n\n" + added + "  # noqa\n",
                   encoding="utf-8")
    code, report = lint(tmp_path)
    assert code == 1, report
    assert says in report, report
