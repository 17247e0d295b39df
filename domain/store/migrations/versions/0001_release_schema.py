"""The schema of the release before migrations (f88209a): batches, their events, the store's
revision counter and the rows of each kind. A store made by that release is stamped with this
revision rather than migrated to it (migrate.py).

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def _batch_id() -> sa.Column:
    return sa.Column("batch_id", sa.Integer(), sa.ForeignKey("batches.id"), nullable=False)


def _period_columns() -> list[sa.Column]:
    return [sa.Column("period", sa.String(16), nullable=False),
            sa.Column("period_kind", sa.String(8), nullable=False),
            sa.Column("period_start", sa.String(10), nullable=False),
            sa.Column("period_end", sa.String(10), nullable=False)]


def _rows_table(name: str, *columns: sa.Column) -> None:
    op.create_table(name, _id(), _batch_id(), *columns,
                    sa.Column("source_row", sa.Integer(), nullable=False))
    op.create_index(f"ix_{name}_batch_id", name, ["batch_id"])


def upgrade() -> None:
    op.create_table(
        "batches", _id(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("rows_new", sa.Integer(), nullable=False),
        sa.Column("rows_revised", sa.Integer(), nullable=False),
        sa.Column("rows_unchanged", sa.Integer(), nullable=False))
    op.create_index("ix_batches_sha256", "batches", ["sha256"])
    op.create_table(
        "batch_events", _id(), _batch_id(),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("at", sa.String(32), nullable=False))
    store_meta = op.create_table(
        "store_meta",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("value", sa.Integer(), nullable=False))
    op.bulk_insert(store_meta, [{"key": "revision", "value": 0}])
    _rows_table("kpi_values",
                sa.Column("kpi_ref", sa.String(16), nullable=False), *_period_columns(),
                sa.Column("value", sa.Float(), nullable=False),
                sa.Column("numerator", sa.Float()), sa.Column("denominator", sa.Float()),
                sa.Column("area", sa.Text(), nullable=False),
                sa.Column("comment", sa.Text(), nullable=False))
    _rows_table("action_progress",
                sa.Column("action_ref", sa.String(16), nullable=False),
                sa.Column("as_at", sa.String(10), nullable=False),
                sa.Column("status", sa.String(8), nullable=False),
                sa.Column("comment", sa.Text(), nullable=False))
    _rows_table("comparator_values",
                sa.Column("kpi_ref", sa.String(16), nullable=False), *_period_columns(),
                sa.Column("comparator", sa.Text(), nullable=False),
                sa.Column("value", sa.Float(), nullable=False))


def downgrade() -> None:
    for table in ("comparator_values", "action_progress", "kpi_values", "store_meta",
                  "batch_events", "batches"):
        op.drop_table(table)
