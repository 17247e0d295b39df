"""The store: every accepted upload as a batch in SQLite (through SQLAlchemy), the truth the
dashboard reads.

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

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd
from sqlalchemy import (Boolean, Column, Float, ForeignKey, Integer, MetaData, String, Table,
                        Text, create_engine, event, func, select, text, update)
from sqlalchemy.engine import Connection, Engine

from domain.csvtext import key_codes

KPI_VALUES = "kpi values"
ACTION_PROGRESS = "action progress"
COMPARATORS = "comparators"
KINDS = (KPI_VALUES, ACTION_PROGRESS, COMPARATORS)

ACTIVE = "active"
ROLLED_BACK = "rolled back"

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


def _period_columns() -> list[Column]:
    return [Column("period", String(16), nullable=False),
            Column("period_kind", String(8), nullable=False),
            Column("period_start", String(10), nullable=False),
            Column("period_end", String(10), nullable=False)]


def _rows_table(name: str, *columns: Column) -> Table:
    return Table(name, _metadata,
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


@dataclass(frozen=True)
class KindSpec:
    """How one kind of batch is stored and compared."""

    table: Table
    key: tuple[str, ...]  # what a row reports on
    compared: tuple[str, ...]  # what it says: a row with the same key and these is unchanged
    dtypes: Mapping[str, str]  # the frame the readers produce and the dataset reads

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.dtypes)


_DATE_COLUMNS = ("period_start", "period_end", "as_at")

KIND_SPECS: Mapping[str, KindSpec] = MappingProxyType({
    KPI_VALUES: KindSpec(
        kpi_values_table, ("kpi_ref", "period", "area"),
        ("value", "numerator", "denominator", "comment"),
        MappingProxyType({
            "kpi_ref": "str", "period": "str", "period_kind": "str",
            "period_start": "datetime64[ns]", "period_end": "datetime64[ns]",
            "value": "float64", "numerator": "float64", "denominator": "float64",
            "area": "str", "comment": "str", "source_row": "int64"})),
    ACTION_PROGRESS: KindSpec(
        progress_table, ("action_ref", "as_at"), ("status", "comment"),
        MappingProxyType({
            "action_ref": "str", "as_at": "datetime64[ns]", "status": "str", "comment": "str",
            "source_row": "int64"})),
    COMPARATORS: KindSpec(
        comparators_table, ("kpi_ref", "period", "comparator"), ("value",),
        MappingProxyType({
            "kpi_ref": "str", "period": "str", "period_kind": "str",
            "period_start": "datetime64[ns]", "period_end": "datetime64[ns]",
            "comparator": "str", "value": "float64", "source_row": "int64"})),
})


@dataclass(frozen=True)
class NewBatch:
    """A validated upload waiting to be committed: `rows` has the kind's columns."""

    kind: str
    file_name: str
    content_sha256: str
    who: str
    rows: pd.DataFrame
    is_sample: bool = False


@dataclass(frozen=True)
class Batch:
    id: int
    kind: str
    file_name: str
    sha256: str
    who: str
    created_at: str
    is_sample: bool
    status: str
    rows_total: int
    rows_new: int
    rows_revised: int
    rows_unchanged: int

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE


@dataclass(frozen=True)
class Preview:
    """What a batch would do to the current values. `revised` has `old_<column>` beside each
    compared column."""

    new: pd.DataFrame
    revised: pd.DataFrame
    unchanged: pd.DataFrame

    @property
    def changes_anything(self) -> bool:
        return bool(len(self.new) or len(self.revised))


@dataclass(frozen=True)
class CommitResult:
    batch_id: int | None  # the new batch, or the identical active batch; None: nothing stored
    committed: bool
    identical_to: int | None  # an active batch with the same content, when recognised
    preview: Preview


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --- frames <-> rows -----------------------------------------------------------------------------

def empty_frame(kind: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.array([], dtype=d) for c, d in KIND_SPECS[kind].dtypes.items()})


def _to_db(value, column: str):
    if column in _DATE_COLUMNS:
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


def _frame(records: Sequence[Mapping], kind: str) -> pd.DataFrame:
    if not records:
        return empty_frame(kind)
    return _typed(pd.DataFrame.from_records([dict(r) for r in records]), kind)


def _typed(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The kind's columns first, in its dtypes (dates from their ISO text), then any others."""
    spec = KIND_SPECS[kind]
    if frame.empty:
        if all(str(frame.dtypes.get(c)) == d for c, d in spec.dtypes.items()):
            return frame[list(spec.columns)].iloc[:0].reset_index(drop=True)  # quicker to make
        return empty_frame(kind)
    extra = [c for c in frame.columns if c not in spec.dtypes]
    frame = frame[list(spec.columns) + extra]  # a new frame (copy-on-write): safe to change
    for column, dtype in spec.dtypes.items():
        if str(frame[column].dtype) == dtype:
            continue
        if dtype == "float64":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif dtype.startswith("datetime"):
            frame[column] = pd.to_datetime(frame[column]).astype(dtype)
        else:
            frame[column] = frame[column].astype(dtype)
    return frame.reset_index(drop=True)


def _same(new: pd.Series, old: pd.Series, is_number: bool) -> np.ndarray:
    """Row by row: both blank, or both given and equal (numbers to within 1e-9)."""
    blank_new, blank_old = new.isna().to_numpy(), old.isna().to_numpy()
    if is_number:
        with np.errstate(invalid="ignore"):
            equal = np.abs(new.to_numpy(dtype=float) - old.to_numpy(dtype=float)) < 1e-9
    else:
        equal = (new.reset_index(drop=True) == old.reset_index(drop=True)).to_numpy(
            dtype=bool, na_value=False)
    return (blank_new & blank_old) | (~blank_new & ~blank_old & equal)


def compare(current: pd.DataFrame, incoming: pd.DataFrame, kind: str) -> Preview:
    """Split incoming rows into new keys, revisions of a current value and unchanged ones: one
    lookup of every row's key (dates compared as days), not a search per row."""
    spec = KIND_SPECS[kind]
    current_keys, incoming_keys = key_codes([current, incoming], spec.key)
    # Where each key is in `current` (the last row of a key wins), -1 where it is not.
    position = np.full(len(current) + len(incoming), -1, dtype=np.int64)
    last = len(current) - 1 - np.unique(current_keys[::-1], return_index=True)[1]
    position[current_keys[last]] = last
    found = position[incoming_keys]
    is_new = found < 0
    # Only rows whose key is stored are compared with the stored row.
    matched = np.flatnonzero(~is_new)
    stored, arriving = current.iloc[found[matched]], incoming.iloc[matched]
    same_matched = np.ones(len(matched), dtype=bool)
    for column in spec.compared:
        same_matched &= _same(arriving[column], stored[column],
                              spec.dtypes[column] == "float64")
    same = np.zeros(len(incoming), dtype=bool)
    same[matched] = same_matched
    changed = matched[~same_matched]
    revised = incoming.iloc[changed].reset_index(drop=True)
    for column in [*spec.compared, "batch_id"]:
        revised[f"old_{column}"] = (stored[column].iloc[~same_matched].reset_index(drop=True)
                                    if column in current else None)
    return Preview(_typed(_rows_where(incoming, is_new), kind), _typed(revised, kind),
                   _typed(_rows_where(incoming, same), kind))


def _rows_where(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    return frame if mask.all() else frame[mask]  # every row: no copy (usually all new)


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


class Store:
    """One SQLite store file. Cheap to create; holds an engine (a connection pool) and, per
    kind, the current rows as of the last revision read (read again when it moves)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.engine = _sqlite_engine(self.path)
        self._writer = self.engine.execution_options(sqlite_immediate=True)
        self._current_rows: dict[str, tuple[int, pd.DataFrame]] = {}

    @classmethod
    def in_folder(cls, data_dir: Path | str) -> Store:
        folder = Path(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        return cls(folder / STORE_FILE_NAME)

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

    def current(self, kind: str) -> pd.DataFrame:
        """The current rows of a kind: for each key, the row of the newest active batch. Read
        from the file only when the revision has moved since the last read (every upload
        check compares with them)."""
        with self.engine.connect() as conn:
            revision = conn.execute(select(meta_table.c.value).where(
                meta_table.c.key == "revision")).scalar()
            kept = self._current_rows.get(kind)
            if kept is None or kept[0] != revision:
                kept = (revision, self._current(conn, kind))  # the same snapshot as the revision
                self._current_rows[kind] = kept
            conn.rollback()
        return kept[1].copy(deep=False)  # copy-on-write: a caller's change stays its own

    def _current(self, conn: Connection, kind: str) -> pd.DataFrame:
        spec = KIND_SPECS[kind]
        result = conn.execute(
            select(spec.table).join(batches_table, batches_table.c.id == spec.table.c.batch_id)
            .where(batches_table.c.status == ACTIVE)
            .order_by(spec.table.c.batch_id, spec.table.c.id))
        frame = _typed(pd.DataFrame.from_records(result.all(), columns=list(result.keys())),
                       kind)
        if frame.empty:
            return frame
        frame = frame.drop_duplicates(list(spec.key), keep="last")
        return frame.reset_index(drop=True)

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
        table = KIND_SPECS[batch.kind].table
        with self.engine.connect() as conn:
            rows = conn.execute(select(table).where(table.c.batch_id == batch_id)
                                .order_by(table.c.id)).mappings().all()
            conn.rollback()
        return _frame(rows, batch.kind)[list(KIND_SPECS[batch.kind].columns)]

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
            preview = compare(self._current(conn, batch.kind), batch.rows, batch.kind)
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
            conn.execute(KIND_SPECS[batch.kind].table.insert(), rows)
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
            for spec in KIND_SPECS.values():
                orphans = conn.execute(select(func.count()).select_from(spec.table).where(
                    ~spec.table.c.batch_id.in_(select(batches_table.c.id)))).scalar()
                if orphans:
                    problems.append(f"{orphans} rows in {spec.table.name} without a batch")
            conn.rollback()
        return problems


def _bump_revision(conn: Connection) -> None:
    conn.execute(update(meta_table).where(meta_table.c.key == "revision")
                 .values(value=meta_table.c.value + 1))
