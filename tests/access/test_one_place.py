"""Every tenant and role decision is made in services/access.py: no other module compares
an actor's role, tenant or organisation, or keeps its own list of roles."""

from __future__ import annotations

import ast
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


# Public service functions that take no actor, each for a reason that makes an actor
# meaningless: everything else a service offers is a use case and takes one.
WHO = "decides who the actor is"
IN_TRANSACTION = "a step inside its caller's transaction, after the caller's access decision"
PURE = "reads nothing: renders or converts what the caller already holds"
BEFORE_LOGIN = "counts an anonymous address's attempts at the public forms"
MACHINERY = "process machinery: connections, caches, indexes and their invalidation"
WITHOUT_ACTOR = {
    "accounts.actor_of_account": WHO, "api_tokens.actor_for_token": WHO,
    "logins.login": WHO, "logins.logout": WHO, "logins.actor_for_session": WHO,
    "rate_limits.blocked": BEFORE_LOGIN, "rate_limits.count": BEFORE_LOGIN,
    "accounts.account_to_dict": IN_TRANSACTION, "accounts.find_account": IN_TRANSACTION,
    "audit.purge_before": IN_TRANSACTION, "logins.purge_ended_sessions": IN_TRANSACTION,
    "concept_references.usage_of": IN_TRANSACTION,
    "concept_references.replacement": IN_TRANSACTION,
    "concept_references.move_uses": IN_TRANSACTION,
    "local_concepts.to_dict": IN_TRANSACTION, "local_concepts.to_core": IN_TRANSACTION,
    "capacity.capacity_csv": PURE, "capacity.capacity_xlsx": PURE,
    "gaps.gaps_csv": PURE, "gaps.gaps_xlsx": PURE, "regional.replacement_csv": PURE,
    "supply.supply_csv": PURE, "chains.chains_csv": PURE,
    "concept_references.describe": PURE, "matching.need_spec": PURE,
    "matching.need_view": PURE, "scenarios.gap_reference": PURE, "scenarios.gap_needs": PURE,
    "database.connect": MACHINERY, "database.connect_if_configured": MACHINERY,
    "invalidation.subscribe": MACHINERY, "invalidation.changed": MACHINERY,
    "region_figures.track_writes": MACHINERY, "region_figures.forget_figures": MACHINERY,
    "region_figures.clear_figures": MACHINERY, "matching.tools": MACHINERY,
    "taxonomy.search_index": MACHINERY, "local_concepts.local_index": MACHINERY,
    "people.dependent_tables": MACHINERY, "long_work.estimate_seconds": MACHINERY,
    "long_work.forget_timings": MACHINERY, "cache.wait_for_background": MACHINERY,
    "titles.label_context": MACHINERY, "titles.attach_context": MACHINERY,
}


def _service_functions() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted((PACKAGE / "services").glob("*.py")):
        if path.name == "access.py":  # the policy itself: the actor is its subject
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                found.append((f"{path.stem}.{node.name}", node))
    return found


def test_every_service_takes_the_actor_as_a_required_keyword() -> None:
    """A forgotten actor must fail, not fall open to the system's reach; and the actor
    is never mistaken for another positional argument."""
    wrong = []
    for name, node in _service_functions():
        args = node.args
        keyword = [a.arg for a in args.kwonlyargs]
        if "actor" in [a.arg for a in args.posonlyargs + args.args]:
            wrong.append(f"{name}: actor is positional")
        elif "actor" in keyword and args.kw_defaults[keyword.index("actor")] is not None:
            wrong.append(f"{name}: actor has a default")
        elif "actor" in keyword and ast.unparse(
                args.kwonlyargs[keyword.index("actor")].annotation or ast.Constant("")) != "Actor":
            wrong.append(f"{name}: actor may be something else than an Actor")
    assert wrong == []


def test_every_use_case_takes_an_actor() -> None:
    """A public service function without an actor decides nothing about access: it is
    one of the few kinds named in WITHOUT_ACTOR, with the reason; the list has no
    name that no longer exists."""
    functions = dict(_service_functions())
    without = sorted(name for name, node in functions.items()
                     if "actor" not in [a.arg for a in node.args.kwonlyargs]
                     and "actor" not in [a.arg for a in node.args.args])
    assert [name for name in without if name not in WITHOUT_ACTOR] == [], \
        "give it `*, actor: Actor` and decide in services/access.py"
    assert sorted(set(WITHOUT_ACTOR) - set(functions)) == []
