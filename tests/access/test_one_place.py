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
