"""Every tenant and role decision is made in services/access.py: no other module compares
an actor's role, tenant or organisation, or keeps its own list of roles."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "lotsen"
DECISIONS = re.compile(
    r"\.(sees_all_tenants|is_admin)\b"  # the actor's reach, asked directly
    r"|\bactor\.role\s*(==|!=|\bin\b|\bnot in\b)"  # a role compared
    r"|(==|!=)\s*actor\.(tenant_id|organization_id|user_id)\b"  # a row matched by hand
    r"|\bactor\.(tenant_id|organization_id|user_id)\s*(==|!=)"
    r"|^\s*[A-Z_]*ROLES\s*=",  # a role list of one's own
)
OWNER = "services/access.py"


def decisions_outside_access() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name == OWNER:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DECISIONS.search(line.split("#")[0]):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_role_and_tenant_decisions_live_in_access() -> None:
    assert decisions_outside_access() == [], "decide in services/access.py (scope, may, ...)"


def test_the_check_sees_the_decisions_it_forbids() -> None:
    for line in ('if actor.role not in INGEST_ROLES:', 'INGEST_ROLES = ("admin",)',
                 "if not actor.sees_all_tenants:", "query.where(Need.tenant_id == actor.tenant_id)",
                 "if row.user_id != actor.user_id and not actor.is_admin:"):
        assert DECISIONS.search(line), line
    assert not DECISIONS.search('audit(session, actor, "read", tenant_id=actor.tenant_id)')


def test_every_service_takes_the_actor_as_a_required_keyword() -> None:
    """A forgotten actor must fail, not fall open to the system's reach; and the actor
    is never mistaken for another positional argument."""
    import ast

    wrong = []
    for path in sorted((PACKAGE / "services").glob("*.py")):
        if path.name == "access.py":  # the policy itself: the actor is its subject
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            args = node.args
            keyword = [a.arg for a in args.kwonlyargs]
            if "actor" in [a.arg for a in args.posonlyargs + args.args]:
                wrong.append(f"{path.name}:{node.name}: actor is positional")
            elif "actor" in keyword and args.kw_defaults[keyword.index("actor")] is not None:
                wrong.append(f"{path.name}:{node.name}: actor has a default")
    assert wrong == []
