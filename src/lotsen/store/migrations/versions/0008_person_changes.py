"""person_change: which people changed, so the matching index refreshes only them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 15:20:00

Database triggers, not the application, write the rows: every path that changes a
person, their skills, occupations, licences or consents (services, bulk imports with
COPY, cascading deletes, an erasure, hand-written SQL) is covered. One row per person
(an erased person's row stays behind as the sign that they left):

- SQLite: ``stamp`` is one more than the highest stamp. SQLite has one writer at a
  time, so stamps grow in commit order and "stamp above the last one seen" is exact.
- PostgreSQL: ``stamp`` is the writing transaction's id (``pg_current_xact_id``).
  Transactions commit out of id order, so a reader keeps the snapshot it last read
  under and asks for stamps not visible in it (``pg_visible_in_snapshot``). Statement
  triggers with transition tables write one row per person and statement, not per
  skill row.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# (table, the column naming the person)
TRACKED = (
    ("person", "id"),
    ("person_skill", "person_id"),
    ("person_occupation", "person_id"),
    ("person_licence", "person_id"),
    ("consent", "person_id"),
)

SQLITE_TRIGGER = """
CREATE TRIGGER {table}_{event}_{rows}_noted AFTER {event} ON {table} BEGIN
  INSERT INTO person_change (person, stamp)
  VALUES ({rows}.{column}, (SELECT coalesce(max(stamp), 0) + 1 FROM person_change))
  ON CONFLICT (person) DO UPDATE SET stamp = excluded.stamp;
END
"""

PG_FUNCTION = """
CREATE FUNCTION lotsen_note_{rows}_{column}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO person_change (person, stamp)
  SELECT DISTINCT {column}, pg_current_xact_id()::text::bigint FROM {rows}_rows ORDER BY 1
  ON CONFLICT (person) DO UPDATE SET stamp = EXCLUDED.stamp;
  RETURN NULL;
END $$
"""

PG_TRIGGER = """
CREATE TRIGGER {table}_{event}_{rows}_noted AFTER {event} ON {table}
REFERENCING {rows} TABLE AS {rows}_rows FOR EACH STATEMENT
EXECUTE FUNCTION lotsen_note_{rows}_{column}()
"""

# (event, the row or transition table naming the person)
EVENTS = (("insert", "new"), ("update", "new"), ("update", "old"), ("delete", "old"))


def upgrade() -> None:
    op.create_table(
        "person_change",
        # Not ``person_id`` and no foreign key: the row outlives an erased person, and
        # services/people.py treats every ``person_id`` column as the person's data.
        sa.Column("person", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_person_change_stamp", "person_change", ["stamp"])
    # Existing people count as changed at stamp 1 (an index loaded later reads all anyway).
    op.execute("INSERT INTO person_change (person, stamp) SELECT id, 1 FROM person")
    if op.get_bind().dialect.name == "postgresql":
        for rows, column in {(r, c) for _, r in EVENTS for _, c in TRACKED}:
            op.execute(PG_FUNCTION.format(rows=rows, column=column))
        for table, column in TRACKED:
            for event, rows in EVENTS:
                op.execute(PG_TRIGGER.format(table=table, event=event, rows=rows, column=column))
    else:
        for table, column in TRACKED:
            for event, rows in EVENTS:
                op.execute(SQLITE_TRIGGER.format(table=table, event=event, rows=rows,
                                                 column=column))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, _ in TRACKED:
            for event, rows in EVENTS:
                op.execute(f"DROP TRIGGER {table}_{event}_{rows}_noted ON {table}")
        for rows, column in {(r, c) for _, r in EVENTS for _, c in TRACKED}:
            op.execute(f"DROP FUNCTION lotsen_note_{rows}_{column}()")
    else:
        for table, _ in TRACKED:
            for event, rows in EVENTS:
                op.execute(f"DROP TRIGGER {table}_{event}_{rows}_noted")
    op.drop_index("ix_person_change_stamp", table_name="person_change")
    op.drop_table("person_change")
