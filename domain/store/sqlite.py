"""The SQLite adapter of the returns store: `SqlStore` (sql.py, every operation in portable SQL)
on one SQLite file, plus the online backup and restore of that file.

- Every write transaction opens with BEGIN IMMEDIATE, which takes SQLite's one write lock at the
  start: two processes writing at once take turns (the second waits up to `busy_timeout`), and a
  read-then-write never interleaves with another process's write. Reads stay deferred: under WAL
  they never wait for a writer and see one snapshot for their whole transaction.
- A process killed half-way leaves the store as it was (SQLite's journal rolls the half-written
  transaction back), and the lock dies with it.
- `backup` copies a live store with SQLite's online backup API (a consistent snapshot, even while
  another process commits); `restore` puts a copy back, refusing a file that is not a store.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine

# Names callers imported from here before the SQL moved to sql.py, still importable from here.
from domain.store.repository import (ACTION_PROGRESS, ACTIVE, COMPARATORS, KINDS,  # noqa: F401
                                     KPI_VALUES, ROLLED_BACK, Batch, CommitResult, NewBatch,
                                     Preview, sha256_of)
from domain.store.sql import (ROW_TABLES, SqlStore, batches_table, events_table,  # noqa: F401
                              meta_table, metadata)
from domain.store.sql import metadata as _metadata  # noqa: F401

STORE_FILE_NAME = "returns.sqlite"
_BUSY_TIMEOUT_SECONDS = 30
# The tables every store of this app has had since its first release.
_STORE_TABLES = {"batches", "batch_events", "store_meta", "kpi_values"}


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
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Store(SqlStore):  # the SQLite adapter of ReturnsRepository
    """One SQLite store file."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        engine = _sqlite_engine(self.path)
        super().__init__(URL.create("sqlite", database=str(self.path)), engine,
                         engine.execution_options(sqlite_immediate=True))

    @classmethod
    def in_folder(cls, data_dir: Path | str) -> Store:
        folder = Path(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        return cls(folder / STORE_FILE_NAME)

    def _lock_for_writing(self, conn: Connection) -> None:
        pass  # the writer engine's transactions begin IMMEDIATE, which is the lock

    def _database_problems(self, conn: Connection) -> list[str]:
        result = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
        return [] if result == "ok" else [str(result)]


# --- backup and restore --------------------------------------------------------------------------

class NotAStore(ValueError):
    """The file is not a store of this app; the message says why."""


def store_problem(path: Path) -> str | None:
    """Why `path` is not a readable store of this app, or None when it is one."""
    path = Path(path)
    if not path.is_file():
        return f"{path} does not exist"
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            tables = {name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not _STORE_TABLES <= tables:
                return (f"{path} is a SQLite database but not a store of this app (it has no "
                        f"{', '.join(sorted(_STORE_TABLES - tables))} table)")
            check = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        return f"{path} is not a SQLite database ({error})"
    return None if check == "ok" else f"{path} is damaged: {check}"


def backup(store_path: Path, target: Path) -> None:
    """Copy the live store at `store_path` to `target`: one consistent snapshot, even while
    other processes commit (they are neither stopped nor seen half-way). Written beside the
    target and renamed into place, so `target` is never a partial copy."""
    problem = store_problem(store_path)
    if problem:
        raise NotAStore(problem)
    target = Path(target)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(store_path, timeout=_BUSY_TIMEOUT_SECONDS)) as source, \
                closing(sqlite3.connect(partial)) as copy:
            source.backup(copy)  # all pages in one step: one read transaction, one snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def restore(backup_file: Path, store_path: Path) -> Store:
    """Put the copy at `backup_file` back as the store at `store_path`, upgrading its schema if
    it is from an earlier release. Refuses (NotAStore, or StoreNewerThanCode) a file that is not
    a store of this app, leaving the live store as it was. Running workers see the restored
    store on their next request: its revision is moved past the live one's."""
    problem = store_problem(backup_file)
    if problem:
        raise NotAStore(problem)
    store_path = Path(store_path)
    staged = store_path.with_name(f".{store_path.name}.restoring")
    staged.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(backup_file)) as source, \
                closing(sqlite3.connect(staged)) as copy:
            source.backup(copy)
        staged_store = Store(staged)
        staged_store.ensure_created()  # migrations only: a backup always has its batches
        live_revision = Store(store_path).revision() if store_path.exists() else 0
        with staged_store.writer.begin() as conn:
            conn.execute(meta_table.update().where(meta_table.c.key == "revision").values(
                value=max(live_revision, _revision_of(conn)) + 1))
        staged_store.dispose()
        if store_path.exists():
            with closing(sqlite3.connect(staged)) as source, \
                    closing(sqlite3.connect(store_path, timeout=_BUSY_TIMEOUT_SECONDS)) as live:
                source.backup(live)  # page by page in one write transaction of the live store
        else:
            with closing(sqlite3.connect(staged)) as connection:
                connection.execute("PRAGMA journal_mode=DELETE")
            os.replace(staged, store_path)
    finally:
        for leftover in (staged, Path(f"{staged}-wal"), Path(f"{staged}-shm")):
            leftover.unlink(missing_ok=True)
    return Store(store_path)


def _revision_of(conn: Connection) -> int:
    return int(conn.execute(meta_table.select().with_only_columns(meta_table.c.value).where(
        meta_table.c.key == "revision")).scalar() or 0)
