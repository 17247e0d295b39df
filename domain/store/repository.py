"""The store's interface: what the app asks of a returns store, whatever database is behind it.

- A batch is every accepted upload: file name, sha256, who, when, kind, row counts and status
  (active or rolled back). Its rows are kept for ever: nothing is deleted or updated in place.
- The current value of a key (KPI, period, area for values; action and date for progress; KPI,
  period and comparator for comparators) is the one from the newest *active* batch that has it.
  Undo marks a batch rolled back, so the values it replaced come back; redo makes it active again.
- `revision()` counts changes; a worker process rebuilds its dataset when it moves.

Validation and the pages talk to `ReturnsRepository`; `domain/store/sql.py` implements it in
portable SQL, with an adapter per database (`sqlite.py`, `postgres.py`). This module holds no SQL.
The rules in words: docs/rules.md#commit-undo-and-redo.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Protocol

import numpy as np
import pandas as pd

# The kinds are declared once, each in its module (domain/ingest/kinds/); their names are
# re-exported here for the store's users.
from domain.ingest.kinds import (ACTION_PROGRESS, COMPARATORS, KPI_COMMENTARY, KPI_VALUES,
                                 UPLOAD_KINDS)
from domain.rules.outcomes import BoardRating
from domain.rules.signoff import PeriodSignoff

KINDS = tuple(kind.name for kind in UPLOAD_KINDS)

ACTIVE = "active"
ROLLED_BACK = "rolled back"


@dataclass(frozen=True)
class KindSpec:
    """How one kind of batch is stored and compared, from its declaration
    (domain/ingest/kinds/)."""

    key: tuple[str, ...]  # what a row reports on
    compared: tuple[str, ...]  # what it says: a row with the same key and these is unchanged
    dtypes: Mapping[str, str]  # the frame the readers produce and the dataset reads
    table: str  # the name its rows are stored under
    nullable: tuple[str, ...] = ()  # columns that may be blank

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.dtypes)


KIND_SPECS: Mapping[str, KindSpec] = MappingProxyType({
    kind.name: KindSpec(kind.key, kind.compared, kind.dtypes, kind.store_table, kind.nullable)
    for kind in UPLOAD_KINDS})

DATE_COLUMNS = tuple(dict.fromkeys(name for spec in KIND_SPECS.values()
                                   for name, dtype in spec.dtypes.items()
                                   if dtype.startswith("datetime")))


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


class StoreUnavailable(Exception):
    """The store cannot be reached or opened; the message names the setting and what failed."""


class BadDatabaseUrl(StoreUnavailable):
    """The database URL is not one the app can use; the message says why."""


class StoreNewerThanCode(Exception):
    """The store was migrated by a later release than this code: refusing to touch it."""

    def __init__(self, store_version: str, code_version: str):
        super().__init__(
            f"The store's schema is at version {store_version}, newer than this code's "
            f"{code_version}: a later release has upgraded it. Run that release (or restore a "
            f"backup taken before the upgrade); this one refuses to start.")
        self.store_version = store_version
        self.code_version = code_version


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()



# --- frames <-> rows -----------------------------------------------------------------------------

def empty_frame(kind: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in KIND_SPECS[kind].dtypes.items()})


def frame_of(records: Sequence[Mapping], kind: str) -> pd.DataFrame:
    spec = KIND_SPECS[kind]
    if not records:
        return empty_frame(kind)
    frame = pd.DataFrame.from_records([dict(r) for r in records])
    extra = [c for c in frame.columns if c not in spec.dtypes]
    frame = frame[list(spec.columns) + extra]
    for column, dtype in spec.dtypes.items():
        if dtype == "float64":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif dtype.startswith("datetime"):
            frame[column] = pd.to_datetime(frame[column]).astype(dtype)
        else:
            frame[column] = frame[column].astype(dtype)
    return frame.reset_index(drop=True)


def typed_frame(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """What `frame_of` makes of a frame's rows, without a dict per row: the kind's columns
    first, in its dtypes, then any others; an empty frame is the kind's empty frame."""
    spec = KIND_SPECS[kind]
    if frame.empty:
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


def key_codes(frames: Sequence[pd.DataFrame], columns: Sequence[str]) -> list[np.ndarray]:
    """One integer per row of each frame for its values in `columns`: equal keys, equal
    integers, across the frames (dates compared as days: a stored date and a parsed one may
    differ in their time of day). A join then works on one integer column."""
    sizes = [len(frame) for frame in frames]
    codes = np.zeros(sum(sizes), dtype=np.int64)
    for column in columns:
        values = pd.concat([_key_column(frame[column]) for frame in frames], ignore_index=True)
        column_codes, distinct = pd.factorize(values, use_na_sentinel=False)
        codes, _ = pd.factorize(codes * (len(distinct) + 1) + column_codes)
    return np.split(codes, np.cumsum(sizes)[:-1])


def _key_column(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.normalize().reset_index(drop=True)
    if values.name in DATE_COLUMNS:  # dates as text or objects
        return pd.to_datetime(values).dt.normalize().reset_index(drop=True)
    return values.astype(object).reset_index(drop=True)


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
    lookup of every row's key (an integer: `key_codes`), not a search per row."""
    spec = KIND_SPECS[kind]
    current_keys, incoming_keys = key_codes([current, incoming], spec.key)
    # Where each key is in `current` (the last row of a key wins), -1 where it is not.
    position = np.full(len(current) + len(incoming) + 1, -1, dtype=np.int64)
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
    revised = incoming.iloc[matched[~same_matched]].reset_index(drop=True)
    changed_stored = stored.iloc[np.flatnonzero(~same_matched)].reset_index(drop=True)
    for column in [*spec.compared, "batch_id"]:
        revised[f"old_{column}"] = changed_stored[column] if column in current else None
    return Preview(typed_frame(incoming[is_new], kind), typed_frame(revised, kind),
                   typed_frame(incoming[same], kind))


class ReturnsRepository(Protocol):
    """The operations the app uses on a returns store (one adapter per database)."""

    def ensure_created(self, seed: Callable[[], Sequence[NewBatch]] = lambda: ()) -> None: ...
    def schema_revision(self) -> str | None: ...
    def revision(self) -> int: ...
    def current(self, kind: str, matching: pd.DataFrame | None = None) -> pd.DataFrame: ...
    def stored_names(self, kind: str, column: str) -> list[str]: ...
    def current_snapshot(self) -> tuple[int, dict[str, pd.DataFrame], bool]: ...
    def batches(self) -> list[Batch]: ...
    def batch(self, batch_id: int) -> Batch | None: ...
    def batch_rows(self, batch_id: int) -> pd.DataFrame: ...
    def events(self) -> list[dict]: ...
    def active_batch_with_hash(self, kind: str, content_sha256: str) -> int | None: ...
    def preview(self, kind: str, rows: pd.DataFrame) -> Preview: ...
    def commit(self, batch: NewBatch, _before_commit: Callable[[], None] | None = None
               ) -> CommitResult: ...
    def undo(self, batch_id: int, who: str) -> bool: ...
    def redo(self, batch_id: int, who: str) -> bool: ...
    def kind_history(self, kind: str, where: Mapping[str, str]) -> pd.DataFrame: ...
    def integrity_problems(self) -> list[str]: ...
    def dispose(self) -> None: ...


# --- the board's outcome ratings (issue 19) ------------------------------------------------------

class BoardRatingsRepository(Protocol):
    """Where the board's outcome ratings are kept: each recording is a new row, never changed
    (docs/rules.md#the-boards-rating). domain/store/ratings.py is the SQL adapter."""

    def ensure_created(self) -> None: ...
    def record(self, rating: BoardRating) -> BoardRating: ...
    def ratings(self, theme: int | None = None) -> list[BoardRating]: ...


# --- sign-offs of a quarter (issue 14) -----------------------------------------------------------

class SignoffRepository(Protocol):
    """Where the sign-offs of quarters are kept: each is a new row, never changed
    (docs/rules.md#signing-a-period-off). domain/store/signoffs.py is the SQL adapter."""

    def sign_off(self, period: str, who: str, last_batch_id: int) -> PeriodSignoff: ...
    def signoffs(self) -> list[PeriodSignoff]: ...
