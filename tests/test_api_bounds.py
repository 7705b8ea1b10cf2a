"""Every number a client can send the API has a minimum and a maximum in its schema
(issue 14, finding 3): path ids, offsets and versions included, so the OpenAPI
document states each bound and an id beyond a database integer is a 422, not a query."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from lotsen.web.app import create_app


@pytest.fixture(scope="module")
def client(demo_sqlite_url: str) -> TestClient:
    return TestClient(create_app(demo_sqlite_url))


def _numbers(schema: dict[str, Any], spec: dict[str, Any], where: str,
             seen: set[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every integer or number schema inside ``schema`` (following $ref), with its path."""
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            yield from _numbers(spec["components"]["schemas"][name], spec, name, seen)
        return
    if schema.get("type") in ("integer", "number"):
        yield where, schema
    for option in schema.get("anyOf", []) + schema.get("allOf", []):
        yield from _numbers(option, spec, where, seen)
    for prop, sub in schema.get("properties", {}).items():
        yield from _numbers(sub, spec, f"{where}.{prop}", seen)
    if isinstance(schema.get("items"), dict):
        yield from _numbers(schema["items"], spec, f"{where}[]", seen)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _numbers(schema["additionalProperties"], spec, f"{where}{{}}", seen)


def test_every_numeric_api_input_has_a_minimum_and_a_maximum(client: TestClient) -> None:
    spec = client.app.openapi()  # type: ignore[attr-defined]
    unbounded = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            inputs = [(f"{method.upper()} {path} {p['name']}", p.get("schema", {}))
                      for p in operation.get("parameters", [])]
            for media in operation.get("requestBody", {}).get("content", {}).values():
                inputs.append((f"{method.upper()} {path} body", media.get("schema", {})))
            for where, schema in inputs:
                for found, number in _numbers(schema, spec, where, set()):
                    if not ({"minimum", "exclusiveMinimum"} & set(number)
                            and {"maximum", "exclusiveMaximum"} & set(number)):
                        unbounded.append(found)
    assert unbounded == [], "\n".join(unbounded)


@pytest.mark.parametrize("url", ["/api/v1/needs/2147483648", "/api/v1/needs?offset=2147483648",
                                 "/api/v1/scenarios/saved/2147483648",
                                 "/api/v1/needs/1/pathways/2147483648"])
def test_an_id_beyond_a_database_integer_is_refused(client: TestClient, url: str) -> None:
    assert 400 <= client.get(url).status_code < 500
