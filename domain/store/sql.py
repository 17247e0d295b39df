"""The returns store in portable SQL through SQLAlchemy Core: the tables and every operation of
`ReturnsRepository` (repository.py says what a batch is and how the current value is chosen).

A database's adapter subclasses `SqlStore` with only what differs between databases: how the
engine connects, how a write transaction takes the store's one writer lock (`_lock_for_writing`)
and the database's own consistency check. Everything else here is plain SQLAlchemy Core that
SQLite and PostgreSQL both run: no dialect's SQL outside those hooks.

- Every change is one write transaction holding the writer lock, so writers from any number of
  processes and servers take turns, and each compares its upload with what the one before it
  committed. A process killed half-way leaves the store as it was (the database rolls back).
- The schema belongs to Alembic (`migrate.py`, `migrations/`): `ensure_created` brings it to the
  current revision, under the writer lock, before seeding. A table added to `metadata` needs a
  revision too; a test compares the migrated schema with `metadata` on both databases.
- `revision()` counts changes; a worker process reloads its dataset when it moves.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone

import pandas as pd
from sqlalchemy import (Boolean, Column, Float, ForeignKey, Integer, MetaData, String, Table,
                        Text, func, select, update)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError

from domain.store import migrate
from domain.store.plan_tables import PlanStoreMixin, define_plan_tables
from domain.store.repository import (ACTIVE, DATE_COLUMNS, KIND_SPECS, KINDS, KPI_VALUES,
                                     ACTION_PROGRESS, COMPARATORS, KPI_COMMENTARY, ROLLED_BACK,
                                     Batch,
                                     BadDatabaseUrl, CommitResult, NewBatch, Preview,
                                     StoreUnavailable, compare, empty_frame, frame_of)

metadata = MetaData()

batches_table = Table(
    "batches", metadata,
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
    "batch_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False),
    Column("event", String(16), nullable=False),  # commit, undo, redo
    Column("who", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

meta_table = Table(
    "store_meta", metadata,
    Column("key", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)


# The plans' tables (issue 13), beside the batches they belong to: see plan_tables.py.
PLAN_TABLES = define_plan_tables(metadata, batches_table, events_table, meta_table)


def _period_columns() -> list[Column]:
    return [Column("period", String(16), nullable=False),
            Column("period_kind", String(8), nullable=False),
            Column("period_start", String(10), nullable=False),
            Column("period_end", String(10), nullable=False)]


def _rows_table(name: str, *columns: Column) -> Table:
    return Table(name, metadata,
                 Column("id", Integer, primary_key=True, autoincrement=True),
                 Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False,
                        index=True),
                 *columns,
                 Column("source_row", Integer, nullable=False))


kpi_values_table = _rows_table(
    "kpi_values", Column("kpi_ref", String(16), nullable=False), *_period_columns(),
    Column("value", Float, nullable=False), Column("numerator", Float),
    Column("denominator", Float), Column("area", Text, nullable=False),
    Column("comment", Text, nullable=False))

progress_table = _rows_table(
    "action_progress", Column("action_ref", String(16), nullable=False),
    Column("as_at", String(10), nullable=False), Column("status", String(8), nullable=False),
    Column("comment", Text, nullable=False))

comparators_table = _rows_table(
    "comparator_values", Column("kpi_ref", String(16), nullable=False), *_period_columns(),
    Column("comparator", Text, nullable=False), Column("value", Float, nullable=False))


# Issue 14: a KPI's commentary for a period (revision 0004); "by" is by_date (SQL reserves BY).
commentary_table = _rows_table(
    "kpi_commentary", Column("kpi_ref", String(16), nullable=False), *_period_columns(),
    Column("commentary", Text, nullable=False), Column("next_steps", Text, nullable=False),
    Column("by_date", String(10), nullable=False))


ROW_TABLES: Mapping[str, Table] = {KPI_VALUES: kpi_values_table, ACTION_PROGRESS: progress_table,
                                   COMPARATORS: comparators_table,
                                   KPI_COMMENTARY: commentary_table}

# Above this many distinct KPIs, areas or actions, a filter costs more SQL parameters than
# reading every current row.
_MOST_FILTERED = 500


def _series_columns(kind: str) -> tuple[str, ...]:
    """What names one series of a kind: its key without the period or date."""
    return tuple(c for c in KIND_SPECS[kind].key if c not in ("period", "as_at"))

SUPPORTED_URLS = "sqlite:////path/to/returns.sqlite or postgresql+psycopg://user:password@host/db"


def database_url(text: str | URL) -> URL:
    """`text` as a SQLAlchemy URL, or BadDatabaseUrl saying what is wrong with it. The plain
    `postgresql://` and `postgres://` spellings mean psycopg 3, the driver the app installs."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise BadDatabaseUrl(f"{_hide_password(str(text))!r} is not a database URL: expected "
                             f"{SUPPORTED_URLS}") from None
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        if not url.database or url.database == ":memory:":
            raise BadDatabaseUrl(f"{str(text)!r} names no file: SQLite needs one that every "
                                 f"worker opens, e.g. sqlite:////srv/dashboard/returns.sqlite")
        return url.set(drivername="sqlite")
    raise BadDatabaseUrl(f"{url.drivername} is not supported: expected {SUPPORTED_URLS}")


def shown(url: URL) -> str:
    """The URL for messages and logs: never the password."""
    return url.render_as_string(hide_password=True)


def _hide_password(text: str) -> str:
    head, at, tail = text.rpartition("@")
    if not at or "://" not in head:
        return text
    scheme, _, credentials = head.partition("://")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{tail}" if ":" in credentials else text


def first_line(error: Exception) -> str:
    """The driver's own words for what failed, without SQLAlchemy's SQL and links."""
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


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


class SqlStore(PlanStoreMixin):  # ReturnsRepository and PlanRepository
    """One store in one database. Cheap to create; holds engines (connection pools), no data.
    `engine` reads, `writer` (the same pool, with the adapter's write options) writes."""

    _plan_tables = PLAN_TABLES

    def __init__(self, url: URL, engine: Engine, writer: Engine):
        self.url = url
        self.engine = engine
        self.writer = writer

    def __repr__(self) -> str:
        return f"{type(self).__name__}({shown(self.url)!r})"

    def dispose(self) -> None:
        self.engine.dispose()

    # --- the adapter's hooks ---------------------------------------------------------------------

    def _lock_for_writing(self, conn: Connection) -> None:
        """Take the store's one writer lock for the rest of this transaction."""
        raise NotImplementedError

    def _database_problems(self, conn: Connection) -> list[str]:
        """What the database's own consistency check finds (none when it has none)."""
        return []

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._unavailable_as_such(), self.writer.begin() as conn:
            self._lock_for_writing(conn)
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        # Every read is one transaction that ends in a rollback: it writes nothing, and on
        # PostgreSQL it sees one snapshot (REPEATABLE READ) from its first statement.
        with self._unavailable_as_such(), self.engine.connect() as conn:
            try:
                yield conn
            finally:
                conn.rollback()

    @contextmanager
    def _unavailable_as_such(self) -> Iterator[None]:
        """The database going away (server down, connection lost, a lock not granted in time)
        is StoreUnavailable, which the app answers with 503; other errors pass unchanged."""
        try:
            yield
        except (OperationalError, InterfaceError) as error:
            raise StoreUnavailable(f"{shown(self.url)}: {first_line(error)}") from error

    # --- creation, migration and seeding ---------------------------------------------------------

    def ensure_created(self, seed: Callable[[], Sequence[NewBatch]] = lambda: ()) -> None:
        """Bring the schema to the current revision and, when there are no batches yet, commit
        the seed batches (the embedded sample): one transaction under the writer lock, so any
        number of workers may start at once. Raises StoreNewerThanCode for a store that a later
        release has migrated."""
        with self._write() as conn:
            migrate.upgrade(conn)
            if conn.execute(select(func.count()).select_from(batches_table)).scalar():
                return
            for batch in seed():
                self._insert_batch(conn, batch, compare(empty_frame(batch.kind), batch.rows,
                                                        batch.kind))
            _bump_revision(conn)

    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at (None before the first migration)."""
        with self._read() as conn:
            return migrate.current_revision(conn)

    # --- reading ---------------------------------------------------------------------------------

    def revision(self) -> int:
        with self._read() as conn:
            return _revision(conn)

    def current(self, kind: str, matching: pd.DataFrame | None = None) -> pd.DataFrame:
        """The current rows of a kind: for each key, the row of the newest active batch. With
        `matching`, only (at least) the rows of the series `matching` has (KPI and area, action,
        KPI and comparator; with only some of those columns, every series that matches them),
        so checking a small upload reads a small part of a large store."""
        with self._read() as conn:
            return self._current(conn, kind, matching)

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
        rows = conn.execute(query.order_by(table.c.batch_id, table.c.id)).mappings().all()
        frame = frame_of(rows, kind)
        if frame.empty:
            return frame
        frame = frame.drop_duplicates(list(spec.key), keep="last")
        return frame.reset_index(drop=True)

    def stored_names(self, kind: str, column: str) -> list[str]:
        """Each distinct text of `column` (an area, a comparator) in the active batches, in the
        order first stored: the spellings a new upload is matched against."""
        table = ROW_TABLES[kind]
        with self._read() as conn:
            names = conn.execute(
                select(table.c[column])
                .join(batches_table, batches_table.c.id == table.c.batch_id)
                .where(batches_table.c.status == ACTIVE)
                .group_by(table.c[column]).order_by(func.min(table.c.id))).scalars().all()
        return list(names)

    def current_snapshot(self) -> tuple[int, dict[str, pd.DataFrame], bool]:
        """The revision, every kind's current rows and whether any active batch is sample,
        read in one transaction so they agree with each other."""
        with self._read() as conn:
            revision = _revision(conn)
            frames = {kind: self._current(conn, kind) for kind in KINDS}
            is_sample = bool(conn.execute(select(func.count()).select_from(batches_table).where(
                batches_table.c.status == ACTIVE, batches_table.c.is_sample)).scalar())
        return revision, frames, is_sample

    def batches(self) -> list[Batch]:
        """Every batch, newest first."""
        with self._read() as conn:
            rows = conn.execute(select(batches_table).order_by(batches_table.c.id.desc())
                                ).mappings().all()
        return [Batch(**row) for row in rows]

    def batch(self, batch_id: int) -> Batch | None:
        with self._read() as conn:
            row = conn.execute(select(batches_table).where(batches_table.c.id == batch_id)
                               ).mappings().first()
        return Batch(**row) if row else None

    def batch_rows(self, batch_id: int) -> pd.DataFrame:
        batch = self.batch(batch_id)
        if batch is None:
            raise KeyError(batch_id)
        table = ROW_TABLES[batch.kind]
        with self._read() as conn:
            rows = conn.execute(select(table).where(table.c.batch_id == batch_id)
                                .order_by(table.c.id)).mappings().all()
        return frame_of(rows, batch.kind)[list(KIND_SPECS[batch.kind].columns)]

    def kind_history(self, kind: str, where: Mapping[str, str]) -> pd.DataFrame:
        """Every row of a kind ever stored whose columns equal `where` (a KPI and period's
        commentary, say), oldest first, each with its batch's `who`, `created_at` and `status`
        (a rolled-back edit is kept and says so)."""
        table = ROW_TABLES[kind]
        # The batch's status is labelled: action progress has a status column of its own.
        query = (select(table, batches_table.c.who, batches_table.c.created_at,
                        batches_table.c.status.label("batch_status"))
                 .join(batches_table, batches_table.c.id == table.c.batch_id))
        for column, value in where.items():
            query = query.where(table.c[column] == value)
        with self._read() as conn:
            rows = conn.execute(query.order_by(table.c.batch_id, table.c.id)).mappings().all()
        if not rows:
            return frame_of([], kind).assign(batch_id=pd.Series(dtype="int64"),
                                             who=pd.Series(dtype=str),
                                             created_at=pd.Series(dtype=str),
                                             batch_status=pd.Series(dtype=str))
        return frame_of(rows, kind)

    def events(self) -> list[dict]:
        with self._read() as conn:
            rows = conn.execute(select(events_table).order_by(events_table.c.id)).mappings().all()
        return [dict(row) for row in rows]

    def active_batch_with_hash(self, kind: str, content_sha256: str) -> int | None:
        with self._read() as conn:
            return self._identical(conn, kind, content_sha256)

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
        with self._write() as conn:
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
        with self._write() as conn:
            if becomes == ROLLED_BACK and not self._may_roll_back(conn, batch_id):
                return False
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
        """What is wrong with the store, if anything: the database's own check and rows whose
        batch is missing. Empty when the store is consistent."""
        with self._read() as conn:
            problems = self._database_problems(conn)
            for table in ROW_TABLES.values():
                orphans = conn.execute(select(func.count()).select_from(table).where(
                    ~table.c.batch_id.in_(select(batches_table.c.id)))).scalar()
                if orphans:
                    problems.append(f"{orphans} rows in {table.name} without a batch")
        return problems


def _revision(conn: Connection) -> int:
    value = conn.execute(select(meta_table.c.value).where(meta_table.c.key == "revision")
                         ).scalar()
    return int(value or 0)


def _bump_revision(conn: Connection) -> None:
    conn.execute(update(meta_table).where(meta_table.c.key == "revision")
                 .values(value=meta_table.c.value + 1))


def unavailable_as_such(cls):
    """Every method of `cls` answers the database going away (server down, connection lost) with
    StoreUnavailable, which the app answers with 503, as the returns store does."""
    def wrapped(method):
        @functools.wraps(method)
        def call(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except (OperationalError, InterfaceError) as error:
                raise StoreUnavailable(first_line(error)) from error
        return call

    for name, member in list(vars(cls).items()):
        if callable(member) and not name.startswith("__") and not isinstance(
                member, (classmethod, staticmethod, property)):
            setattr(cls, name, wrapped(member))
    return cls
