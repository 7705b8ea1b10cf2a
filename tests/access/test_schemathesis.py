"""Schemathesis against /api/v1/openapi.json: generated requests to every operation,
as an administrator (the widest reach), must never produce a server error."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from lotsen.services import api_tokens
from lotsen.services.access import SYSTEM
from lotsen.services.demo_accounts import create_demo_accounts
from lotsen.store.db import open_database

from .conftest import _copy_sqlite, auth_app

pytestmark = pytest.mark.auth
# Examples per operation: enough to hit validation edges, small for CI time.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))


@pytest.fixture(scope="module")
def admin_token(demo_sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, str]:
    """An app over its own copy of the demo region (generated requests write to it)."""
    url = _copy_sqlite(demo_sqlite_url, Path(tmp_path_factory.mktemp("fuzz")) / "fuzz.db")
    engine = open_database(url)
    create_demo_accounts(engine, actor=SYSTEM)
    token = api_tokens.create_token(engine, "admin", "schemathesis", actor=SYSTEM)["token"]
    return auth_app(url), token


@pytest.fixture(scope="module")
def api_schema(admin_token: tuple[Any, str]) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", admin_token[0])


def test_no_server_errors(api_schema: Any, admin_token: tuple[Any, str]) -> None:
    headers = {"authorization": f"Bearer {admin_token[1]}"}
    failures: list[str] = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case: Any) -> None:
            try:
                response = case.call(headers=headers)
            except Exception as error:  # the test client re-raises what became a 500
                failures.append(f"{case.method} {case.formatted_path} {case.query or ''}: "
                                f"{type(error).__name__}: {str(error)[:150]}")
                return
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> "
                                f"{response.status_code}: {response.text[:200]}")

        fuzz()
    assert operations > 10
    assert failures == []
    print(f"\nschemathesis: {operations} operations × up to {EXAMPLES} examples, "
          f"{len(failures)} server errors")
