"""The SQLite adapter of the returns store (`ReturnsRepository` in repository.py, which says what
a batch is and how the current value is chosen), through SQLAlchemy.

- A batch records its file name, sha256, who, when, kind, row counts and status (active or rolled
  back). Its rows are kept for ever: nothing is deleted or updated in place.
- The current value of a key (KPI, period, area for values; action and date for progress; KPI,
  period and comparator for comparators) is the one from the newest *active* batch that has it.
  Undo marks a batch rolled back, so the values it replaced come back; redo makes it active again.
- Every change is one transaction opened with BEGIN IMMEDIATE, so two processes writing at once
  take turns (the second waits up to `busy_timeout`), and a process killed half-way leaves the
  store as it was (SQLite's journal rolls the half-written transaction back).
- `revision()` counts changes; a worker process reloads its dataset when it moves.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from sqlalchemy import (Boolean, Column, Float, ForeignKey, Integer, MetaData, String, Table,
                        Text, create_engine, event, func, select, text, update)
from sqlalchemy.engine import Connection, Engine

from domain.store.repository import (ACTIVE, DATE_COLUMNS, KIND_SPECS, KINDS, KPI_VALUES,
                                     ACTION_PROGRESS, COMPARATORS, ROLLED_BACK, Batch,
                                     CommitResult, KindSpec, NewBatch, Preview, compare,
                                     empty_frame, frame_of, sha256_of)



STORE_FILE_NAME = "returns.sqlite"
_BUSY_TIMEOUT_SECONDS = 30

_metadata = MetaData()

batches_table = Table(
    "batches", _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("who", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("is_sample", Boolean, nullable=False, default=False),
    Column("status", String(16), nullable=False),
    Column("rows_total", Integer, nullable=False),
    Column("rows_new", Integer, nullable=False),
    Column("rows_revised", Integer, nullable=False),
    Column("rows_unchanged", Integer, nullable=False),
)

events_table = Table(
    "batch_events", _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
    Column("event", String(16), nullable=False),  # commit, undo, redo
    Column("who", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

meta_table = Table(
    "store_meta", _metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)


# The SQL type of each pandas dtype a kind declares; a date is stored as its ISO text.
_SQL_TYPES = {"str": Text, "float64": Float, "int64": Integer, "datetime64[ns]": lambda: String(10)}


def _rows_table(spec: KindSpec) -> Table:
    """A kind's rows, one column per declared column (domain/ingest/kinds/), beside the
    batch that brought them."""
    return Table(spec.table, _metadata,
                 Column("id", Integer, primary_key=True, autoincrement=True),
                 Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False,
                        index=True),
                 *[Column(name, _SQL_TYPES[dtype](), nullable=name in spec.nullable)
                   for name, dtype in spec.dtypes.items()])


ROW_TABLES: Mapping[str, Table] = {kind: _rows_table(spec) for kind, spec in KIND_SPECS.items()}

# Above this many distinct KPIs, areas or actions, a filter costs more SQL parameters than
# reading every current row.
_MOST_FILTERED = 500


def _series_columns(kind: str) -> tuple[str, ...]:
    """What names one series of a kind: its key without the period or date."""
    return tuple(c for c in KIND_SPECS[kind].key if c not in ("period", "as_at"))


# === Accounts, sessions and the audit log (issue 12) =============================================
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
# === end of the accounts block ===================================================================


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _to_db(value, column: str):
    if column in DATE_COLUMNS:
        return pd.Timestamp(value).date().isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _db_rows(frame: pd.DataFrame, kind: str, batch_id: int) -> list[dict]:
    columns = KIND_SPECS[kind].columns
    return [{"batch_id": batch_id, **{c: _to_db(v, c) for c, v in zip(columns, values)}}
            for values in frame[list(columns)].itertuples(index=False, name=None)]


# --- the store -----------------------------------------------------------------------------------

def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}",
                           connect_args={"timeout": _BUSY_TIMEOUT_SECONDS})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" below open transactions, not the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A write takes the lock at the start, so a read-then-write can never interleave with
        # another process's write (no "database is locked" half-way through a commit). Reads
        # stay deferred: under WAL they never wait for a writer.
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Store:  # the SQLite adapter of ReturnsRepository
    """One SQLite store file. Cheap to create; holds an engine (a connection pool), no data."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.engine = _sqlite_engine(self.path)
        self._writer = self.engine.execution_options(sqlite_immediate=True)

    @classmethod
    def in_folder(cls, data_dir: Path | str) -> Store:
        folder = Path(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        return cls(folder / STORE_FILE_NAME)

    @classmethod
    def at_url(cls, database_url: str) -> Store:
        """A store at a `sqlite:///PATH` URL (other databases: their own adapters)."""
        prefix = "sqlite:///"
        if not database_url.startswith(prefix):
            raise ValueError(f"DATABASE_URL {database_url.split(':')[0]}:... is not supported "
                             "by the SQLite adapter: give sqlite:///PATH")
        path = Path(database_url[len(prefix):])
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(path)

    def dispose(self) -> None:
        self.engine.dispose()

    # --- creation and seeding --------------------------------------------------------------------

    def ensure_created(self, seed: Callable[[], Sequence[NewBatch]] = lambda: ()) -> None:
        """Create the tables if missing and, when there are no batches yet, commit the seed
        batches (the embedded sample) in the same transaction."""
        with self._writer.begin() as conn:
            _metadata.create_all(conn)
            conn.execute(text("INSERT OR IGNORE INTO store_meta (key, value) "
                              "VALUES ('revision', 0)"))
            if conn.execute(select(func.count()).select_from(batches_table)).scalar():
                return
            for batch in seed():
                self._insert_batch(conn, batch, compare(empty_frame(batch.kind), batch.rows,
                                                        batch.kind))
            _bump_revision(conn)

    # --- reading ---------------------------------------------------------------------------------

    def revision(self) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(select(meta_table.c.value).where(
                meta_table.c.key == "revision")).scalar()
            conn.rollback()
        return int(value or 0)

    def current(self, kind: str, matching: pd.DataFrame | None = None) -> pd.DataFrame:
        """The current rows of a kind: for each key, the row of the newest active batch. With
        `matching`, only (at least) the rows of the series `matching` has (KPI and area, action,
        KPI and comparator; with only some of those columns, every series that matches them), so checking a small upload reads a small part of a large store."""
        with self.engine.connect() as conn:
            frame = self._current(conn, kind, matching)
            conn.rollback()
        return frame

    def _current(self, conn: Connection, kind: str, matching: pd.DataFrame | None = None
                 ) -> pd.DataFrame:
        spec, table = KIND_SPECS[kind], ROW_TABLES[kind]
        query = (select(table)
                 .join(batches_table, batches_table.c.id == table.c.batch_id)
                 .where(batches_table.c.status == ACTIVE))
        for column in _series_columns(kind) if matching is not None else ():
            if column not in matching:  # fewer columns: more series (a KPI's every area)
                continue
            values = pd.unique(matching[column])
            if len(values) <= _MOST_FILTERED:
                query = query.where(table.c[column].in_([str(v) for v in values]))
        rows = conn.execute(
            query.order_by(table.c.batch_id, table.c.id)).mappings().all()
        frame = frame_of(rows, kind)
        if frame.empty:
            return frame
        frame = frame.drop_duplicates(list(spec.key), keep="last")
        return frame.reset_index(drop=True)

    def stored_names(self, kind: str, column: str) -> list[str]:
        """Each distinct text of `column` (an area, a comparator) in the active batches, in the
        order first stored: the spellings a new upload is matched against."""
        table = ROW_TABLES[kind]
        with self.engine.connect() as conn:
            names = conn.execute(
                select(table.c[column])
                .join(batches_table, batches_table.c.id == table.c.batch_id)
                .where(batches_table.c.status == ACTIVE)
                .group_by(table.c[column]).order_by(func.min(table.c.id))).scalars().all()
            conn.rollback()
        return list(names)

    def current_snapshot(self) -> tuple[int, dict[str, pd.DataFrame], bool]:
        """The revision, every kind's current rows and whether any active batch is sample,
        read in one transaction so they agree with each other."""
        with self.engine.connect() as conn:
            revision = conn.execute(select(meta_table.c.value).where(
                meta_table.c.key == "revision")).scalar()
            frames = {kind: self._current(conn, kind) for kind in KINDS}
            is_sample = bool(conn.execute(select(func.count()).select_from(batches_table).where(
                batches_table.c.status == ACTIVE, batches_table.c.is_sample)).scalar())
            conn.rollback()
        return int(revision or 0), frames, is_sample

    def batches(self) -> list[Batch]:
        """Every batch, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(batches_table).order_by(batches_table.c.id.desc())
                                ).mappings().all()
            conn.rollback()
        return [Batch(**row) for row in rows]

    def batch(self, batch_id: int) -> Batch | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(batches_table).where(batches_table.c.id == batch_id)
                               ).mappings().first()
            conn.rollback()
        return Batch(**row) if row else None

    def batch_rows(self, batch_id: int) -> pd.DataFrame:
        batch = self.batch(batch_id)
        if batch is None:
            raise KeyError(batch_id)
        table = ROW_TABLES[batch.kind]
        with self.engine.connect() as conn:
            rows = conn.execute(select(table).where(table.c.batch_id == batch_id)
                                .order_by(table.c.id)).mappings().all()
            conn.rollback()
        return frame_of(rows, batch.kind)[list(KIND_SPECS[batch.kind].columns)]

    def events(self) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(events_table).order_by(events_table.c.id)).mappings().all()
            conn.rollback()
        return [dict(row) for row in rows]

    def active_batch_with_hash(self, kind: str, content_sha256: str) -> int | None:
        with self.engine.connect() as conn:
            found = self._identical(conn, kind, content_sha256)
            conn.rollback()
        return found

    @staticmethod
    def _identical(conn: Connection, kind: str, content_sha256: str) -> int | None:
        return conn.execute(select(batches_table.c.id).where(
            batches_table.c.kind == kind, batches_table.c.sha256 == content_sha256,
            batches_table.c.status == ACTIVE).order_by(batches_table.c.id.desc())).scalar()

    def preview(self, kind: str, rows: pd.DataFrame) -> Preview:
        return compare(self.current(kind), rows, kind)

    # --- writing ---------------------------------------------------------------------------------

    def commit(self, batch: NewBatch, _before_commit: Callable[[], None] | None = None
               ) -> CommitResult:
        """Store a batch in one transaction, unless an active batch has the same content or it
        changes nothing (then nothing is written). `_before_commit` is for fault tests: it runs
        inside the open transaction, after every row is written."""
        with self._writer.begin() as conn:
            # Compared inside the write lock: what another process committed a moment ago counts.
            preview = compare(self._current(conn, batch.kind, batch.rows), batch.rows,
                              batch.kind)
            identical = self._identical(conn, batch.kind, batch.content_sha256)
            if identical is not None or not preview.changes_anything:
                return CommitResult(identical, False, identical, preview)
            batch_id = self._insert_batch(conn, batch, preview)
            _bump_revision(conn)
            if _before_commit is not None:
                _before_commit()
        return CommitResult(batch_id, True, None, preview)

    def _insert_batch(self, conn: Connection, batch: NewBatch, preview: Preview) -> int:
        if batch.kind not in KIND_SPECS:
            raise ValueError(f"unknown kind of batch: {batch.kind}")
        now = _now()
        batch_id = conn.execute(batches_table.insert().values(
            kind=batch.kind, file_name=batch.file_name, sha256=batch.content_sha256,
            who=batch.who, created_at=now, is_sample=batch.is_sample, status=ACTIVE,
            rows_total=len(batch.rows), rows_new=len(preview.new),
            rows_revised=len(preview.revised), rows_unchanged=len(preview.unchanged))
        ).inserted_primary_key[0]
        rows = _db_rows(batch.rows, batch.kind, batch_id)
        if rows:
            conn.execute(ROW_TABLES[batch.kind].insert(), rows)
        conn.execute(events_table.insert().values(batch_id=batch_id, event="commit",
                                                  who=batch.who, at=now))
        return batch_id

    def undo(self, batch_id: int, who: str) -> bool:
        """Mark a batch rolled back; False when it is not active (nothing changes)."""
        return self._set_status(batch_id, ACTIVE, ROLLED_BACK, "undo", who)

    def redo(self, batch_id: int, who: str) -> bool:
        """Make a rolled-back batch active again; False when it is not rolled back."""
        return self._set_status(batch_id, ROLLED_BACK, ACTIVE, "redo", who)

    def _set_status(self, batch_id: int, was: str, becomes: str, event_name: str,
                    who: str) -> bool:
        with self._writer.begin() as conn:
            changed = conn.execute(update(batches_table).where(
                batches_table.c.id == batch_id, batches_table.c.status == was
            ).values(status=becomes)).rowcount
            if not changed:
                return False
            conn.execute(events_table.insert().values(batch_id=batch_id, event=event_name,
                                                      who=who, at=_now()))
            _bump_revision(conn)
        return True

    def integrity_problems(self) -> list[str]:
        """What is wrong with the file, if anything: SQLite's own check and rows whose batch
        is missing. Empty when the store is consistent."""
        problems = []
        with self.engine.connect() as conn:
            result = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
            if result != "ok":
                problems.append(str(result))
            for table in ROW_TABLES.values():
                orphans = conn.execute(select(func.count()).select_from(table).where(
                    ~table.c.batch_id.in_(select(batches_table.c.id)))).scalar()
                if orphans:
                    problems.append(f"{orphans} rows in {table.name} without a batch")
            conn.rollback()
        return problems


def _bump_revision(conn: Connection) -> None:
    conn.execute(update(meta_table).where(meta_table.c.key == "revision")
                 .values(value=meta_table.c.value + 1))
