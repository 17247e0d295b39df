"""The dataset the pages read, built from the store: `StoreDatasetSource` rebuilds it when the
store's revision (or the plan register) changes, so every worker process sees a commit on its
next request.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd

from domain.rules.dataset import Dataset
from domain.ingest.register import load_plan
from domain.ingest.kinds import upload_kind
from domain.ingest.progress import read_progress
from domain.ingest.returns import read_returns
from domain.store.repository import (ACTION_PROGRESS, COMPARATORS, KPI_VALUES, NewBatch,
                                     BoardRatingsRepository, ReturnsRepository, sha256_of)
from domain.store.ratings import SqlBoardRatings
from domain.store.sqlite import Store

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


def dataset_from_store(plan_dir: Path, store: ReturnsRepository) -> tuple[int, Dataset]:
    plan, findings = load_plan(plan_dir)
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

    def current(self) -> Dataset:
        signature = (self.store.revision(), files_signature((self.plan_dir,)))
        with self._lock:
            if self._cached is None or self._cached[0] != signature:
                revision, dataset = dataset_from_store(self.plan_dir, self.store)
                # Keyed by the revision the snapshot was read at, so a commit that lands
                # between the two reads is picked up on the next request.
                self._cached = ((revision, signature[1]), dataset)
            return self._cached[1]


def open_store(data_dir: Path, plan_dir: Path, returns_path: Path, progress_path: Path,
               database_url: str | None = None) -> ReturnsRepository:
    """The store in `data_dir` (or at `database_url`), created and seeded with the sample on
    first run."""
    store = Store.at_url(database_url) if database_url else Store.in_folder(data_dir)
    store.ensure_created(lambda: sample_batches(load_plan(plan_dir)[0], returns_path,
                                                progress_path))
    return store


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


def open_ratings(store: Store) -> BoardRatingsRepository:
    """The board's outcome ratings, in the same database as the returns store."""
    ratings = SqlBoardRatings(store.engine)
    ratings.ensure_created()
    return ratings
