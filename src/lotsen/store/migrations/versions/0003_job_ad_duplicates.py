"""job ads: remember which reposted ad ids were folded into an ad

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:00:00

`lotsen ads ingest` stores a reposted ad (new id, near-identical text) once and counts
it; the folded ids are kept so re-ingesting the same file changes nothing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job_ad", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duplicate_ids", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job_ad", schema=None) as batch_op:
        batch_op.drop_column("duplicate_ids")
