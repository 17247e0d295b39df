"""The tables of sign-in (issue 12), on the store's one `metadata` (sql.py) so the migrations
create them in either database: users, API tokens, failed sign-ins, one-time links, sessions and
the audit log. `accounts_sql.py` reads and writes them; revision 0002 creates them.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text

from domain.store.sql import metadata as _metadata

# Every table the accounts adapter (accounts_sql.py) uses, in this one block so one migration can
# create them together. Portable SQLAlchemy Core types only; times are ISO 8601 UTC strings.
# Secrets are stored as hashes: argon2 for passwords, SHA-256 for tokens, sessions and links.

users_table = Table(
    "users", _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", Text),  # NULL: no password (cannot sign in with the form)
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

api_tokens_table = Table(
    "api_tokens", _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("created_by", Text, nullable=False),
    Column("last_used_at", String(32)),
    Column("revoked_at", String(32)),
)

sign_in_failures_table = Table(
    "sign_in_failures", _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False, index=True),
    Column("name", String(80), nullable=False, index=True),  # as typed, lower case
    Column("address", String(64), nullable=False, index=True),
)

one_time_links_table = Table(
    "one_time_links", _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("purpose", String(16), nullable=False),  # setup, display
    Column("role", String(16), nullable=False),
    Column("label", Text, nullable=False),
    Column("link_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("created_by", Text, nullable=False),
    Column("expires_at", String(32), nullable=False),
    Column("used_at", String(32)),
    Column("revoked_at", String(32)),
)

sessions_table = Table(
    "sessions", _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_hash", String(64), nullable=False, unique=True),
    Column("who", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("kind", String(16), nullable=False),  # password, oidc, display, setup
    Column("user_name", String(80), index=True),  # a local user's sessions end when disabled
    Column("link_id", Integer, ForeignKey("one_time_links.id"), index=True),
    Column("created_at", String(32), nullable=False),
    Column("last_seen_at", String(32), nullable=False),
    Column("ended_at", String(32)),
    Column("end_reason", String(32)),
)

audit_table = Table(
    "audit_log", _metadata,  # only ever added to
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False, index=True),
    Column("event", String(32), nullable=False),
    Column("who", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("address", String(64), nullable=False),
    Column("object", Text, nullable=False),
    Column("detail", Text, nullable=False),
)
