"""The import contract: core → services → edges, imports pointing down only."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "lotsen"

BASE = {"errors", "settings", "types"}
EDGES = {"cli", "web", "api"}
SERVICES = {"services"}
# Everything else under lotsen/ is core (taxonomy, text, store, demo, match, ...).
# The web app mounts the API router; `lotsen demo` and `lotsen serve` start the web app.
ALLOWED_EDGE_IMPORTS = {("web", "api"), ("cli", "web")}


def layer(part: str) -> str:
    if part in BASE:
        return "base"
    if part in EDGES:
        return "edge"
    if part in SERVICES:
        return "services"
    return "core"


RANK = {"base": 0, "core": 1, "services": 2, "edge": 3}


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return [m for m in found if m.startswith("lotsen.")]


def test_imports_point_down_only() -> None:
    violations = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[0] in ("__init__", "__main__"):
            continue
        own = parts[0]
        for module in imported_modules(path):
            target = module.split(".")[1]
            if target == own:
                continue
            if RANK[layer(target)] > RANK[layer(own)] or (
                layer(own) == layer(target) == "edge" and (own, target) not in ALLOWED_EDGE_IMPORTS
            ):
                violations.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert violations == []


def test_the_contract_check_catches_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from lotsen.services.records import list_records\n")
    assert imported_modules(bad) == ["lotsen.services.records"]
    assert RANK[layer("services")] > RANK[layer("taxonomy")]
