"""Migration 0006 (program links) on both backends: down drops the column, up restores it."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect

from lotsen.store.db import _alembic_config, schema_status


def _columns(engine: Engine) -> set[str]:
    return {c["name"] for c in inspect(engine).get_columns("education_program")}


def test_0006_goes_down_and_up_again(engine: Engine) -> None:
    assert schema_status(engine)[0] >= "0006"
    assert "links" in _columns(engine)
    command.downgrade(_alembic_config(engine), "0005")
    engine.dispose()
    assert "links" not in _columns(engine)
    command.upgrade(_alembic_config(engine), "head")
    engine.dispose()
    assert "links" in _columns(engine)
