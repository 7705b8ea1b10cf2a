"""Count the public service functions whose result is an untyped ``dict[str, Any]``.

    python scripts/untyped_service_returns.py [SRC]      # SRC defaults to ./src

A public service function is a top-level function of ``lotsen/services/*.py`` whose
name does not start with ``_``. It counts as untyped when its return annotation
contains ``dict[str, Any]`` (alone, in a list, or with None): every caller then has
to know the keys by heart. ``--list`` names them.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def service_returns(src: Path) -> list[tuple[str, str, str]]:
    """(module, function, return annotation) of every public service function."""
    found = []
    for path in sorted((src / "lotsen" / "services").glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                returns = ast.unparse(node.returns) if node.returns else ""
                found.append((path.stem, node.name, returns))
    return found


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    src = Path(args[0]) if args else Path("src")
    functions = service_returns(src)
    untyped = [f for f in functions if "dict[str, Any]" in f[2]]
    if "--list" in argv:
        for module, name, returns in untyped:
            print(f"{module}.{name} -> {returns}")
    print(f"public service functions: {len(functions)}")
    print(f"returning dict[str, Any]: {len(untyped)}")


if __name__ == "__main__":
    main(sys.argv[1:])
