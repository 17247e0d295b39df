"""The SQLAlchemy adapter of `AccountsRepository` (accounts.py): users, tokens, sessions, one-time
links, failed sign-ins and the audit log, in the tables of the accounts block in sqlite.py, on the
returns store's engine. Portable SQLAlchemy Core only (no dialect's own SQL), so the same code runs
on SQLite and PostgreSQL.

Each write is one transaction (on SQLite an immediate one: see sqlite.py). A link is used by one
conditional UPDATE, so two workers can never both use the same one-time link.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.engine import Engine

from domain.store.sql import unavailable_as_such

from domain.store.accounts import (AccountsRepository, ApiToken, AuditEntry, Link, NameTaken,
                                   Session, User)
from domain.store.accounts_tables import (api_tokens_table, audit_table, one_time_links_table,
                                         sessions_table, sign_in_failures_table, users_table)
from domain.store.repository import ReturnsRepository

_FAILURES_KEPT_SECONDS = 24 * 3600
MAX_AUDIT_LIMIT = 1000


@unavailable_as_such
class SqlAccounts:  # an AccountsRepository
    """Accounts on an engine whose tables the returns store created (`Store.ensure_created`)."""

    def __init__(self, engine: Engine | None = None, store: ReturnsRepository | None = None):
        self._engine, self._store = engine, store

    @classmethod
    def of_store(cls, store: ReturnsRepository) -> SqlAccounts:
        """Accounts in the store's database, reached when first used: a store that cannot be
        reached at start (answering 503 until it can) does not stop the app from starting."""
        return cls(store=store)

    @property
    def engine(self) -> Engine:
        return self._engine if self._engine is not None else self._store.engine

    @property
    def _writer(self) -> Engine:
        return self.engine.execution_options(sqlite_immediate=True)

    def _read(self, statement):
        with self.engine.connect() as conn:
            rows = conn.execute(statement).mappings().all()
            conn.rollback()
        return rows

    # --- users -----------------------------------------------------------------------------------

    def count_users(self) -> int:
        return int(self._read(select(func.count().label("n")).select_from(users_table))[0]["n"])

    def user(self, name: str) -> User | None:
        rows = self._read(select(users_table).where(users_table.c.name == name))
        return User(**rows[0]) if rows else None

    def users(self) -> list[User]:
        return [User(**row) for row in self._read(select(users_table).order_by(
            users_table.c.name))]

    def save_user(self, name: str, role: str, password_hash: str | None, at: str) -> bool:
        """Create the user, or update an existing one's role and password and enable it; True
        when created."""
        with self._writer.begin() as conn:
            existing = conn.execute(select(users_table.c.id).where(
                users_table.c.name == name)).scalar()
            if existing is None:
                conn.execute(users_table.insert().values(
                    name=name, role=role, password_hash=password_hash, disabled=False,
                    created_at=at, updated_at=at))
                return True
            values = {"role": role, "disabled": False, "updated_at": at}
            if password_hash is not None:
                values["password_hash"] = password_hash
            conn.execute(update(users_table).where(users_table.c.id == existing).values(**values))
            return False

    def update_user(self, name: str, at: str, *, role: str | None = None,
                    password_hash: str | None = None, disabled: bool | None = None) -> bool:
        """Change what is given; False when there is no such user."""
        values = {key: value for key, value in (("role", role), ("password_hash", password_hash),
                                                ("disabled", disabled)) if value is not None}
        with self._writer.begin() as conn:
            return bool(conn.execute(update(users_table).where(users_table.c.name == name)
                                     .values(updated_at=at, **values)).rowcount)

    # --- tokens ----------------------------------------------------------------------------------

    _TOKEN_COLUMNS = [c for c in api_tokens_table.c if c.name != "token_hash"]

    def create_token(self, name: str, role: str, token_hash: str, created_by: str, at: str
                     ) -> ApiToken:
        """Raises NameTaken when an active token has that name."""
        with self._writer.begin() as conn:
            if conn.execute(select(api_tokens_table.c.id).where(
                    api_tokens_table.c.name == name,
                    api_tokens_table.c.revoked_at.is_(None))).first():
                raise NameTaken(name)
            token_id = conn.execute(api_tokens_table.insert().values(
                name=name, role=role, token_hash=token_hash, created_at=at,
                created_by=created_by)).inserted_primary_key[0]
        return ApiToken(token_id, name, role, at, created_by, None, None)

    def tokens(self) -> list[ApiToken]:
        return [ApiToken(**row) for row in self._read(
            select(*self._TOKEN_COLUMNS).order_by(api_tokens_table.c.id.desc()))]

    def active_token(self, token_hash: str) -> ApiToken | None:
        rows = self._read(select(*self._TOKEN_COLUMNS).where(
            api_tokens_table.c.token_hash == token_hash,
            api_tokens_table.c.revoked_at.is_(None)))
        return ApiToken(**rows[0]) if rows else None

    def revoke_token(self, name: str, at: str) -> bool:
        with self._writer.begin() as conn:
            return bool(conn.execute(update(api_tokens_table).where(
                api_tokens_table.c.name == name, api_tokens_table.c.revoked_at.is_(None)
            ).values(revoked_at=at)).rowcount)

    def token_used(self, token_id: int, at: str) -> None:
        with self._writer.begin() as conn:
            conn.execute(update(api_tokens_table).where(api_tokens_table.c.id == token_id)
                         .values(last_used_at=at))

    # --- failed sign-ins -------------------------------------------------------------------------

    def record_failure(self, name: str, address: str, at: str) -> None:
        """Count one failure; failures older than a day are no longer needed and go."""
        cutoff = (datetime.fromisoformat(at) - timedelta(seconds=_FAILURES_KEPT_SECONDS)
                  ).isoformat(timespec="seconds")
        with self._writer.begin() as conn:
            conn.execute(sign_in_failures_table.delete().where(
                sign_in_failures_table.c.at < cutoff))
            conn.execute(sign_in_failures_table.insert().values(
                at=at, name=name.strip().lower()[:80], address=address[:64]))

    def _failures(self, name: str, address: str, since: str):
        table = sign_in_failures_table
        return table.c.at > since, table.c.name == name.strip().lower()[:80], \
            table.c.address == address[:64]

    def failures_since(self, name: str, address: str, since: str) -> tuple[int, int]:
        """(failures for this name, failures from this address) since `since`."""
        recent, by_name, by_address = self._failures(name, address, since)
        table = sign_in_failures_table
        row = self._read(select(
            func.sum(case((by_name, 1), else_=0)).label("by_name"),
            func.sum(case((by_address, 1), else_=0)).label("by_address"),
        ).select_from(table).where(recent))[0]
        return int(row["by_name"] or 0), int(row["by_address"] or 0)

    def oldest_failure_since(self, name: str, address: str, since: str) -> str | None:
        recent, by_name, by_address = self._failures(name, address, since)
        table = sign_in_failures_table
        return self._read(select(func.min(table.c.at).label("at")).where(
            recent, or_(by_name, by_address)))[0]["at"]

    # --- one-time links --------------------------------------------------------------------------

    _LINK_COLUMNS = [c for c in one_time_links_table.c if c.name != "link_hash"]

    def create_link(self, purpose: str, role: str, label: str, link_hash: str,
                    created_by: str, at: str, expires_at: str) -> Link:
        with self._writer.begin() as conn:
            link_id = conn.execute(one_time_links_table.insert().values(
                purpose=purpose, role=role, label=label, link_hash=link_hash, created_at=at,
                created_by=created_by, expires_at=expires_at)).inserted_primary_key[0]
        return Link(link_id, purpose, role, label, at, created_by, expires_at, None, None)

    def links(self, purpose: str) -> list[Link]:
        return [Link(**row) for row in self._read(
            select(*self._LINK_COLUMNS).where(one_time_links_table.c.purpose == purpose)
            .order_by(one_time_links_table.c.id.desc()))]

    def link(self, link_id: int) -> Link | None:
        rows = self._read(select(*self._LINK_COLUMNS).where(
            one_time_links_table.c.id == link_id))
        return Link(**rows[0]) if rows else None

    def link_by_hash(self, link_hash: str) -> Link | None:
        rows = self._read(select(*self._LINK_COLUMNS).where(
            one_time_links_table.c.link_hash == link_hash))
        return Link(**rows[0]) if rows else None

    def use_link(self, link_hash: str, at: str) -> Link | None:
        """Mark the link used and return it; None when it is unknown, used, revoked or
        expired (then nothing changes)."""
        table = one_time_links_table
        with self._writer.begin() as conn:
            used = conn.execute(update(table).where(
                table.c.link_hash == link_hash, table.c.used_at.is_(None),
                table.c.revoked_at.is_(None), table.c.expires_at > at).values(used_at=at)
            ).rowcount
            if not used:
                return None
            row = conn.execute(select(*self._LINK_COLUMNS).where(
                table.c.link_hash == link_hash)).mappings().first()
        return Link(**row)

    def revoke_link(self, link_id: int, at: str) -> bool:
        table = one_time_links_table
        with self._writer.begin() as conn:
            return bool(conn.execute(update(table).where(
                table.c.id == link_id, table.c.revoked_at.is_(None)).values(revoked_at=at)
            ).rowcount)

    # --- sessions --------------------------------------------------------------------------------

    _SESSION_COLUMNS = [c for c in sessions_table.c if c.name != "session_hash"]

    def create_session(self, session_hash: str, who: str, role: str, kind: str, at: str,
                       user_name: str | None = None, link_id: int | None = None) -> Session:
        with self._writer.begin() as conn:
            session_id = conn.execute(sessions_table.insert().values(
                session_hash=session_hash, who=who, role=role, kind=kind, user_name=user_name,
                link_id=link_id, created_at=at, last_seen_at=at)).inserted_primary_key[0]
        return Session(session_id, who, role, kind, user_name, link_id, at, at, None, None)

    def session(self, session_hash: str) -> Session | None:
        rows = self._read(select(*self._SESSION_COLUMNS).where(
            sessions_table.c.session_hash == session_hash))
        return Session(**rows[0]) if rows else None

    def session_seen(self, session_id: int, at: str) -> None:
        with self._writer.begin() as conn:
            conn.execute(update(sessions_table).where(sessions_table.c.id == session_id)
                         .values(last_seen_at=at))

    def end_session(self, session_id: int, reason: str, at: str) -> None:
        with self._writer.begin() as conn:
            conn.execute(update(sessions_table).where(
                sessions_table.c.id == session_id, sessions_table.c.ended_at.is_(None)
            ).values(ended_at=at, end_reason=reason))

    def end_sessions(self, at: str, reason: str, *, user_name: str | None = None,
                     link_id: int | None = None) -> int:
        """End every open session of a local user, or of a display link."""
        if (user_name is None) == (link_id is None):
            raise ValueError("give a user name or a link id")
        which = (sessions_table.c.user_name == user_name if user_name is not None
                 else sessions_table.c.link_id == link_id)
        with self._writer.begin() as conn:
            return conn.execute(update(sessions_table).where(
                which, sessions_table.c.ended_at.is_(None)
            ).values(ended_at=at, end_reason=reason)).rowcount

    # --- the audit log ---------------------------------------------------------------------------

    def record(self, event: str, who: str, role: str, address: str, object_: str, at: str,
               detail: str = "") -> None:
        with self._writer.begin() as conn:
            conn.execute(audit_table.insert().values(
                at=at, event=event, who=who, role=role, address=address[:64], object=object_,
                detail=detail))

    def audit(self, since: str | None = None, limit: int = 100) -> list[AuditEntry]:
        """Entries at or after `since`, newest first, at most `limit` (up to MAX_AUDIT_LIMIT)."""
        statement = select(audit_table)
        if since:
            statement = statement.where(audit_table.c.at >= since)
        statement = statement.order_by(audit_table.c.id.desc()).limit(
            max(1, min(limit, MAX_AUDIT_LIMIT)))
        return [AuditEntry(**row) for row in self._read(statement)]


def _check_protocol(accounts: SqlAccounts) -> AccountsRepository:  # the type checker's view
    return accounts
