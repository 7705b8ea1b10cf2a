"""work leases: long-work slots and failed-login counts shared by every worker process

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 16:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "work_lease",
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_work_lease_expires_at", "work_lease", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_work_lease_expires_at", table_name="work_lease")
    op.drop_table("work_lease")
