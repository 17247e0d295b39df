"""Plans as data (issue 13): each plan ever imported, each imported version of it (the register as
canonical JSON text) and each "make this plan current", every one belonging to a batch of the
shared history. Spelt out here, not imported from plan_tables.py, so this revision stays what it
was when those tables change later. A store upgraded to this revision gets the shipped plan as
its first plan when the app next starts (`PlanRepository.ensure_plan`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def _batch_id() -> sa.Column:
    return sa.Column("batch_id", sa.Integer(), sa.ForeignKey("batches.id"), nullable=False,
                     unique=True)


def upgrade() -> None:
    op.create_table(
        "plans", _id(),
        sa.Column("identity_key", sa.String(64), nullable=False, unique=True),
        sa.Column("identity", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False))
    op.create_table(
        "plan_versions", _id(),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id"), nullable=False),
        _batch_id(),
        sa.Column("register_json", sa.Text(), nullable=False),
        sa.Column("register_sha256", sa.String(64), nullable=False),
        sa.Column("in_force_from", sa.String(10), nullable=True))
    op.create_index("ix_plan_versions_plan_id", "plan_versions", ["plan_id"])
    op.create_table(
        "current_plan_choices", _id(), _batch_id(),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id"), nullable=False))


def downgrade() -> None:
    for table in ("current_plan_choices", "plan_versions", "plans"):
        op.drop_table(table)
