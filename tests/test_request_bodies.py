"""A NUL or a lone surrogate in a JSON or form body is a 4xx before any route runs, on
SQLite and PostgreSQL (issue 14, finding 4, for bodies): PATCH /api/v1/needs/{id} with
a title holding \\u0000 answered 500 on PostgreSQL and stored the NUL on SQLite."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from lotsen.store.db import open_database
from lotsen.store.models import CompetenceNeed
from lotsen.web.app import create_app


@pytest.mark.parametrize("text", ["a\\u0000b", "a\\u001bb", "\\ud800"])
def test_a_body_with_a_control_character_or_lone_surrogate_is_refused(
        demo_any_url: str, text: str) -> None:
    client = TestClient(create_app(demo_any_url), raise_server_exceptions=False)
    with open_database(demo_any_url).connect() as conn:
        need_id, version, title = conn.execute(
            select(CompetenceNeed.id, CompetenceNeed.version, CompetenceNeed.title)).first()
    for field in ("title", "description"):
        answer = client.patch(f"/api/v1/needs/{need_id}",
                              content=f'{{"version": {version}, "{field}": "{text}"}}'.encode(),
                              headers={"content-type": "application/json"})
        assert answer.status_code == 422, (field, answer.status_code, answer.text[:200])
        assert answer.json()["error"]["code"] == "control_character"
    with open_database(demo_any_url).connect() as conn:
        stored = conn.scalar(select(CompetenceNeed.title).where(CompetenceNeed.id == need_id))
    assert stored == title
    form = client.post("/scenarier", data={"kalla": "text",
                                           "text": "name: a\x00b" if "0000" in text else "x"})
    assert form.status_code < 500


def test_escaped_emoji_and_tabs_pass(demo_sqlite_url: str) -> None:
    client = TestClient(create_app(demo_sqlite_url), raise_server_exceptions=False)
    with open_database(demo_sqlite_url).connect() as conn:
        need_id, version = conn.execute(select(CompetenceNeed.id, CompetenceNeed.version)).first()
    answer = client.patch(f"/api/v1/needs/{need_id}", content=(
        f'{{"version": {version}, "description": "Svets \\ud83d\\ude00\\tfika\\n"}}').encode(),
        headers={"content-type": "application/json"})
    assert answer.status_code == 200, answer.text[:300]
    form = client.post("/scenarier", data={"kalla": "text", "text": "name: a\x00b"})
    assert form.status_code == 422 and "styrtecken" in form.text
