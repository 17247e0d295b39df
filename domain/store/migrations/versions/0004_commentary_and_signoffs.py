"""KPI commentary and the sign-off of quarters (issue 14): the rows of the "kpi commentary"
upload kind (one per KPI and period in each batch, like the other kinds' rows) and each
signing-off of a quarter. Spelt out here, not imported from the app's tables, so this revision
stays what it was when those tables change later.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def upgrade() -> None:
    op.create_table(
        "kpi_commentary", _id(),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("batches.id"), nullable=False),
        sa.Column("kpi_ref", sa.String(16), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("period_kind", sa.String(8), nullable=False),
        sa.Column("period_start", sa.String(10), nullable=False),
        sa.Column("period_end", sa.String(10), nullable=False),
        sa.Column("commentary", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("by_date", sa.String(10), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False))
    op.create_index("ix_kpi_commentary_batch_id", "kpi_commentary", ["batch_id"])
    op.create_table(
        "period_signoffs", _id(),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("signed_by", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.String(32), nullable=False),
        sa.Column("last_batch_id", sa.Integer(), nullable=False))
    op.create_index("ix_period_signoffs_period", "period_signoffs", ["period"])


def downgrade() -> None:
    op.drop_table("period_signoffs")
    op.drop_table("kpi_commentary")
