"""Migration 0009 (skill validations) on both backends: down drops the table, up restores
it, and the person's foreign key cascades (an erased person takes their validations)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, inspect

from lotsen.store.db import _alembic_config, schema_status


def test_0009_goes_down_and_up_again(engine: Engine) -> None:
    assert schema_status(engine)[0] >= "0009"
    assert "skill_validation" in inspect(engine).get_table_names()
    command.downgrade(_alembic_config(engine), "0008")
    engine.dispose()
    assert "skill_validation" not in inspect(engine).get_table_names()
    command.upgrade(_alembic_config(engine), "head")
    engine.dispose()
    keys = inspect(engine).get_foreign_keys("skill_validation")
    assert [(k["referred_table"], k["options"].get("ondelete")) for k in keys] == [
        ("person", "CASCADE")]
    unique = inspect(engine).get_unique_constraints("skill_validation")
    assert [sorted(u["column_names"]) for u in unique] == [
        ["occupation_id", "person_id", "skill_id"]]
