"""Teaching-mode progress: one row per case a learner finished.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teaching_records",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("learner", sa.String(36), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_teaching_records_learner", "teaching_records", ["learner"])


def downgrade() -> None:
    op.drop_table("teaching_records")
