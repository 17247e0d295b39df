"""Opening the store a database URL names, and the dataset the pages read, built from it:
`StoreDatasetSource` rebuilds it when the store's revision (or the plan register) changes, so
every worker process sees a commit on its next request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from domain.rules.dataset import Dataset
from domain.ingest.register import load_plan
from domain.ingest.kinds import upload_kind
from domain.ingest.progress import read_progress
from domain.ingest.returns import read_returns
from domain.store.postgres import PostgresStore
from domain.store.ratings import SqlBoardRatings
from domain.store.repository import (ACTION_PROGRESS, COMPARATORS, KPI_VALUES, NewBatch,
                                     BoardRatingsRepository, ReturnsRepository,
                                     StoreNewerThanCode, StoreUnavailable, sha256_of)
from domain.store.sql import database_url, first_line, shown
from domain.store.sqlite import STORE_FILE_NAME, Store

SAMPLE_WHO = "sample data (embedded)"


def sample_batches(plan, returns_path: Path, progress_path: Path) -> list[NewBatch]:
    """The embedded sample returns and action progress as the store's first batches."""
    returns_bytes = Path(returns_path).read_bytes()
    progress_bytes = Path(progress_path).read_bytes()
    return [
        NewBatch(KPI_VALUES, Path(returns_path).name, sha256_of(returns_bytes), SAMPLE_WHO,
                 read_returns(returns_bytes, plan).table, is_sample=True),
        NewBatch(ACTION_PROGRESS, Path(progress_path).name, sha256_of(progress_bytes),
                 SAMPLE_WHO, read_progress(progress_bytes, plan).table, is_sample=True),
    ]


def current_table(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """A kind's current rows in its declared columns and order, with the batch each row came
    from (`batch_id`), so a page or the API can say where a value was uploaded."""
    declared = upload_kind(kind)
    batch_ids = (frame["batch_id"] if "batch_id" in frame.columns
                 else pd.Series(dtype="int64", index=frame.index))
    table = frame[list(declared.column_names)].assign(batch_id=batch_ids.astype("int64"))
    if declared.sort_by:
        table = table.sort_values(list(declared.sort_by), kind="stable")
    return table.reset_index(drop=True)


def dataset_from_store(plan_dir: Path, store: ReturnsRepository,
                       plan_and_findings: tuple | None = None) -> tuple[int, Dataset]:
    plan, findings = plan_and_findings or load_plan(plan_dir)
    revision, frames, is_sample = store.current_snapshot()
    return revision, Dataset.build(plan, findings, current_table(frames[KPI_VALUES], KPI_VALUES),
                                   current_table(frames[ACTION_PROGRESS], ACTION_PROGRESS),
                                   is_sample,
                                   comparators=current_table(frames[COMPARATORS], COMPARATORS))


class StoreDatasetSource:
    """Gives the current Dataset from the store, rebuilding it when the store's revision or the
    plan register's files change. The cache lives on one worker's app object; the store is the
    truth."""

    def __init__(self, plan_dir: Path, store: ReturnsRepository):
        self.plan_dir = Path(plan_dir)
        self.store = store
        self._lock = threading.Lock()
        self._cached: tuple[tuple, Dataset] | None = None
        # The plan register changes far less often than the store: every commit makes every
        # worker rebuild its dataset, and reading and checking the plan again is a third of that.
        self._plan: tuple[tuple, tuple] | None = None

    def current(self) -> Dataset:
        signature = (self.store.revision(), files_signature((self.plan_dir,)))
        with self._lock:
            if self._cached is None or self._cached[0] != signature:
                if self._plan is None or self._plan[0] != signature[1]:
                    plan, findings = load_plan(self.plan_dir)
                    self._plan = (signature[1], (plan, tuple(findings)))
                revision, dataset = dataset_from_store(self.plan_dir, self.store,
                                                       self._plan[1])
                # Keyed by the revision the snapshot was read at, so a commit that lands
                # between the two reads is picked up on the next request.
                self._cached = ((revision, signature[1]), dataset)
            return self._cached[1]

    def keep_fresh(self, every_seconds: float) -> threading.Event:
        """Check the store every `every_seconds` on a background thread and rebuild when it
        moved, so the first request after a commit finds the dataset already built instead of
        building it (about 0.2 s of CPU). Requests still check the revision themselves, so none
        ever sees an older dataset; this only moves the work off their path. Set the returned
        event to stop. Errors are left to the requests, which report them."""
        stop = threading.Event()

        def refresh() -> None:
            while not stop.wait(every_seconds):
                try:
                    self.current()
                except Exception:  # noqa: BLE001 (the next request meets it and says so)
                    pass

        threading.Thread(target=refresh, name="dataset-refresh", daemon=True).start()
        return stop


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir).resolve() / STORE_FILE_NAME}"


def sqlite_file_of(url: str) -> Path | None:
    """The file of a SQLite store URL; None for another database."""
    parsed = database_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" else None


def store_for_url(url: str) -> ReturnsRepository:
    """The adapter for the database `url` names, not yet connected (BadDatabaseUrl when the URL
    is not one the app can use)."""
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        return Store(parsed.database)
    return PostgresStore(parsed)


def open_store(url: str, plan_dir: Path, returns_path: Path, progress_path: Path
               ) -> ReturnsRepository:
    """The store at `url`, its schema brought to this code's version and, on first run, seeded
    with the sample. StoreUnavailable says what failed when the database cannot be used;
    StoreNewerThanCode when a later release has upgraded it."""
    store = store_for_url(url)
    try:
        if (sqlite_file := sqlite_file_of(url)) is not None:
            sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        store.ensure_created(lambda: sample_batches(load_plan(plan_dir)[0], returns_path,
                                                    progress_path))
    except StoreNewerThanCode:
        store.dispose()
        raise
    except (SQLAlchemyError, OSError) as error:  # the driver's words for what failed
        store.dispose()
        raise StoreUnavailable(f"{shown(database_url(url))}: {first_line(error)}") from error
    return store


class DeferredStore:
    """The store, opened on first use rather than when the app is built, so a worker whose
    database is down still starts, answers /readyz with the reason, and connects once the
    database is back (trying again at most every `retry_seconds`). Every ReturnsRepository call
    goes through to the open store, or raises StoreUnavailable naming `setting` and what failed.
    """

    def __init__(self, opener: Callable[[], ReturnsRepository], setting: str,
                 retry_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic):
        self._opener = opener
        self.setting = setting
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._store: ReturnsRepository | None = None
        self._failure: tuple[float, str] | None = None

    def open(self) -> ReturnsRepository:
        with self._lock:
            if self._store is not None:
                return self._store
            if self._failure and self._clock() - self._failure[0] < self._retry_seconds:
                raise StoreUnavailable(self._failure[1])
            try:
                self._store = self._opener()
            except StoreUnavailable as error:
                self._failure = (self._clock(), f"{self.setting}: {error}")
                raise StoreUnavailable(self._failure[1]) from error
            self._failure = None
            return self._store

    @property
    def last_failure(self) -> str | None:
        return self._failure[1] if self._failure else None

    def __getattr__(self, name: str):
        # Only names this class does not have reach here: the repository's operations.
        return getattr(self.open(), name)


def readiness(store: DeferredStore, source: StoreDatasetSource) -> str | None:
    """Why the app cannot serve its pages now (the database does not answer, or the plan and
    its data do not load), or None when it can."""
    try:
        opened = store.open()
    except StoreUnavailable as error:
        return f"database: {error}"  # names the setting already
    try:
        opened.revision()
    except Exception as error:  # the database stopped answering since it was opened
        return f"database: {store.setting}: {first_line(error)}"
    try:
        dataset = source.current()
    except Exception as error:
        return f"plan: {first_line(error)}"
    if not dataset.plan.kpis:
        return "plan: the plan register has no KPIs"
    return None


def files_signature(paths: tuple[Path, ...]) -> tuple:
    """Name, modification time and size of each file (or each CSV in a folder): changes when
    any of them is edited, so a cached Dataset knows to reload."""
    out = []
    for path in paths:
        for file in sorted(path.glob("*.csv")) if path.is_dir() else [path]:
            stat = file.stat() if file.exists() else None
            out.append((str(file), stat.st_mtime_ns if stat else None,
                        stat.st_size if stat else None))
    return tuple(out)


def open_ratings(store: ReturnsRepository) -> BoardRatingsRepository:
    """The board's outcome ratings, in the same database as the returns store."""
    return SqlBoardRatings(lambda: store.engine)
