"""education programs: where each link came from (MYH import)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 11:30:00

A program imported from Myndigheten för yrkeshögskolan's files names its SUN field,
occupations and skills only partly: MYH publishes the name, place and seats; the
rest is inferred through the taxonomy. ``links`` records, per link, whether it was
published or inferred, and how (the name search and its score, the group's skills).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("education_program", schema=None) as batch_op:
        batch_op.add_column(sa.Column("links", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("education_program", schema=None) as batch_op:
        batch_op.drop_column("links")
