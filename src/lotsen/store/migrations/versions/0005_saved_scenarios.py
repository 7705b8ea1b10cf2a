"""saved scenario runs, shared with the region

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 14:30:00

A planner saves a scenario run (its document, options and result) so the region can
open it later, after a restart and on any worker. The result is aggregates only.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_scenario",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("overrides", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_saved_scenario_tenant_id_tenant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_scenario")),
    )
    with op.batch_alter_table("saved_scenario", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_saved_scenario_tenant_id"), ["tenant_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_saved_scenario_created_at"), ["created_at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("saved_scenario", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_saved_scenario_created_at"))
        batch_op.drop_index(batch_op.f("ix_saved_scenario_tenant_id"))
    op.drop_table("saved_scenario")
