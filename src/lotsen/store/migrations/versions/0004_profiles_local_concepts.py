"""editable, versioned skill profiles and tenants' local concepts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:00:00

A tenant's edits to an occupation's skill profile are stored as versions
(``profile_version``); a tenant's own occupations and skills (``local_concept``)
point at the nearest standard concept. Local ids (``local:<tenant>:<slug>``) are
longer than JobTech's 12 characters, so the occupation and skill columns of needs
and people widen from 20 to 100 — on PostgreSQL only: SQLite does not enforce
VARCHAR lengths, and rebuilding those tables there (batch mode) would drop and
recreate tables that others reference with ON DELETE CASCADE.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

WIDENED = (
    ("competence_need", "occupation_id"),
    ("need_skill", "skill_id"),
    ("person_occupation", "occupation_id"),
    ("person_skill", "skill_id"),
)


def upgrade() -> None:
    op.create_table(
        "local_concept",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("concept_id", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("anchor_id", sa.String(length=20), nullable=False),
        sa.Column("synonyms", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_local_concept_tenant_id_tenant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_local_concept")),
        sa.UniqueConstraint("concept_id", name="uq_local_concept_concept_id"),
    )
    with op.batch_alter_table("local_concept", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_local_concept_tenant_id"), ["tenant_id"], unique=False)

    op.create_table(
        "profile_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Integer(), nullable=False),
        sa.Column("occupation_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenant.id"], name=op.f("fk_profile_version_tenant_id_tenant")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_version")),
        sa.UniqueConstraint(
            "tenant_id", "occupation_id", "version", name="uq_profile_version_tenant_occ_version"
        ),
    )
    with op.batch_alter_table("profile_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_profile_version_tenant_id"), ["tenant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_profile_version_occupation_id"), ["occupation_id"], unique=False
        )

    if op.get_bind().dialect.name != "sqlite":
        for table, column in WIDENED:
            op.alter_column(
                table, column, type_=sa.String(length=100), existing_type=sa.String(length=20)
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table, column in WIDENED:
            op.alter_column(
                table, column, type_=sa.String(length=20), existing_type=sa.String(length=100)
            )
    with op.batch_alter_table("profile_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_version_occupation_id"))
        batch_op.drop_index(batch_op.f("ix_profile_version_tenant_id"))
    op.drop_table("profile_version")
    with op.batch_alter_table("local_concept", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_local_concept_tenant_id"))
    op.drop_table("local_concept")
