"""validated prior learning: a person's skills validated against an occupation's profile

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 15:40:00

The people index holds validated skills, so a change to them notes the person in
``person_change`` like a change to their stated skills (migration 0008's triggers; the
PostgreSQL trigger functions for ``person_id`` exist since 0008).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLE = "skill_validation"
# The same trigger shapes as migration 0008 (a migration does not import another).
SQLITE_TRIGGER = """
CREATE TRIGGER {table}_{event}_{rows}_noted AFTER {event} ON {table} BEGIN
  INSERT INTO person_change (person, stamp)
  VALUES ({rows}.person_id, (SELECT coalesce(max(stamp), 0) + 1 FROM person_change))
  ON CONFLICT (person) DO UPDATE SET stamp = excluded.stamp;
END
"""
PG_TRIGGER = """
CREATE TRIGGER {table}_{event}_{rows}_noted AFTER {event} ON {table}
REFERENCING {rows} TABLE AS {rows}_rows FOR EACH STATEMENT
EXECUTE FUNCTION lotsen_note_{rows}_person_id()
"""
EVENTS = (("insert", "new"), ("update", "new"), ("update", "old"), ("delete", "old"))


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(),
                  sa.ForeignKey("person.id", ondelete="CASCADE",
                                name=op.f("fk_skill_validation_person_id_person")),
                  nullable=False),
        sa.Column("skill_id", sa.String(100), nullable=False),
        sa.Column("occupation_id", sa.String(100), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("validated_on", sa.Date(), nullable=False),
        sa.Column("validated_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_validation")),
        sa.UniqueConstraint("person_id", "occupation_id", "skill_id",
                            name=op.f("uq_skill_validation_person_id")),
    )
    op.create_index("ix_skill_validation_person_id", TABLE, ["person_id"])
    template = PG_TRIGGER if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGER
    for event, rows in EVENTS:
        op.execute(template.format(table=TABLE, event=event, rows=rows))


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for event, rows in EVENTS:
        op.execute(f"DROP TRIGGER {TABLE}_{event}_{rows}_noted" + (f" ON {TABLE}" if postgres
                                                                   else ""))
    op.drop_index("ix_skill_validation_person_id", table_name=TABLE)
    op.drop_table(TABLE)
