"""Sign-in (issue 12: users, API tokens, failed sign-ins, one-time links, sessions, the audit log)
and the board's outcome ratings (issue 19). Spelt out here, not imported from the app's tables,
so this revision stays what it was when those tables change later.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def _time(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(32), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users", _id(),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.Text()),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        _time("created_at"), _time("updated_at"))
    op.create_table(
        "api_tokens", _id(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _time("created_at"), sa.Column("created_by", sa.Text(), nullable=False),
        _time("last_used_at", True), _time("revoked_at", True))
    op.create_index("ix_api_tokens_name", "api_tokens", ["name"])
    op.create_table(
        "sign_in_failures", _id(), _time("at"),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("address", sa.String(64), nullable=False))
    for column in ("at", "name", "address"):
        op.create_index(f"ix_sign_in_failures_{column}", "sign_in_failures", [column])
    op.create_table(
        "one_time_links", _id(),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("link_hash", sa.String(64), nullable=False, unique=True),
        _time("created_at"), sa.Column("created_by", sa.Text(), nullable=False),
        _time("expires_at"), _time("used_at", True), _time("revoked_at", True))
    op.create_table(
        "sessions", _id(),
        sa.Column("session_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("user_name", sa.String(80)),
        sa.Column("link_id", sa.Integer(), sa.ForeignKey("one_time_links.id")),
        _time("created_at"), _time("last_seen_at"), _time("ended_at", True),
        sa.Column("end_reason", sa.String(32)))
    op.create_index("ix_sessions_user_name", "sessions", ["user_name"])
    op.create_index("ix_sessions_link_id", "sessions", ["link_id"])
    op.create_table(
        "audit_log", _id(), _time("at"),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("object", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False))
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_table(
        "board_ratings", _id(),
        sa.Column("theme", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("rated_by", sa.Text(), nullable=False),
        _time("rated_at"))
    op.create_index("ix_board_ratings_theme", "board_ratings", ["theme"])


def downgrade() -> None:
    for table in ("board_ratings", "audit_log", "sessions", "one_time_links", "sign_in_failures",
                  "api_tokens", "users"):
        op.drop_table(table)
