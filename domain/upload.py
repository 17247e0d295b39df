"""One uploaded file, from its bytes to a report, a preview and (when it passes) a commit.

`check_upload` never raises for anything in the file: every problem comes back as a `Failure`
row. It recognises the kind of file by its columns (KPI values, long or wide; action progress;
comparators), reads CSV in any of the encodings and separators Excel writes, or the first sheet
of an .xlsx workbook, validates it against the plan, adds the checks that need the store (a
value far from the previous one) and the upload's as-at date (nothing for a period that has not
ended), and previews what a commit would change. `commit_upload` stores it as one batch, only
when there is no error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from domain.comparator_returns import REQUIRED_COLUMNS as COMPARATOR_COLUMNS
from domain.comparator_returns import validate_comparators
from domain.csvtext import (DELIMITERS, HEADER_SEARCH_ROWS, SOURCE_ROW, UnreadableSource,
                            cell_grid, grid_from_records, grid_records, grid_text_table,
                            header_index, key_codes, numbered_records, source_text)
from domain.failures import Failure, errors, failure, has_errors
from domain.plan import Plan
from domain.progress import OPTIONAL_COLUMNS as PROGRESS_OPTIONAL
from domain.progress import REQUIRED_COLUMNS as PROGRESS_COLUMNS
from domain.progress import validate_progress
from domain.returns import OPTIONAL_COLUMNS as RETURNS_OPTIONAL
from domain.returns import REQUIRED_COLUMNS as RETURNS_COLUMNS
from domain.returns import validate_returns
from domain.store import (ACTION_PROGRESS, COMPARATORS, KIND_SPECS, KPI_VALUES, CommitResult,
                          NewBatch, Preview, Store, compare, empty_frame, sha256_of)
from domain.wide import wide_header_index, wide_to_long
from domain.workbook import TooManyRows, UnsafeWorkbook, workbook_records

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_ROWS = 20_000
# A value more than this fraction away from the previous one is worth a second look.
FAR_FROM_PREVIOUS = 0.5
_ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class Layout:
    """A kind of file, the columns that recognise it and how its rows are checked."""

    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    validate: Callable


# Comparators first: their columns include the long returns' columns.
LAYOUTS = (
    Layout(COMPARATORS, COMPARATOR_COLUMNS, (), validate_comparators),
    Layout(KPI_VALUES, RETURNS_COLUMNS, RETURNS_OPTIONAL, validate_returns),
    Layout(ACTION_PROGRESS, PROGRESS_COLUMNS, PROGRESS_OPTIONAL, validate_progress),
)
_EXPECTED = ("kpi_ref, period, value (KPI values, or kpi_ref and one column per period); "
             "action_ref, as_at, status (action progress); or kpi_ref, period, comparator, "
             "value (comparators)")


@dataclass(frozen=True)
class UploadCheck:
    file_name: str
    content_sha256: str
    size: int
    kind: str | None  # None when the file was not recognised
    layout: str  # "long", "wide", or "" when not recognised
    rows: pd.DataFrame  # the valid rows, in the kind's columns
    failures: tuple[Failure, ...]
    preview: Preview | None
    identical_to: int | None = None  # an active batch with exactly this content
    content: bytes = field(default=b"", repr=False)

    @property
    def ok(self) -> bool:
        """Nothing blocks a commit (warnings allow it)."""
        return self.kind is not None and not has_errors(self.failures)

    @property
    def error_count(self) -> int:
        return len(errors(self.failures))


def safe_file_name(name: str | None) -> str:
    """A name to record and show: the last path part, printable characters only, at most 120.
    It is only ever shown as text and stored as a value; no path is built from it."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in text if ch.isprintable()).strip()
    return text[:120] or "upload"


# --- bytes to records ----------------------------------------------------------------------------

def _file_failure(code: str, **extra) -> tuple[Failure, ...]:
    return (failure(code, None, None, "", **extra),)


def _recognise(head: Sequence[tuple[int, list[str]]]):
    """(layout, "long"/"wide") for the first layout whose header is in the first records."""
    for layout in LAYOUTS:
        if header_index(head, layout.required) is not None:
            return layout, "long"
    if wide_header_index(head) is not None:
        return LAYOUTS[1], "wide"
    return None, ""


def _long_grid(grid: pd.DataFrame, shape: str) -> pd.DataFrame:
    if shape != "wide":
        return grid
    records = grid_records(grid)
    return grid_from_records(wide_to_long(records, wide_header_index(records)))


def read_upload_records(content: bytes):
    """(layout, grid of long records, layout name, decimal comma) or the whole-file failures.

    The layout is recognised from the first records under each separator in turn; only the
    file's own separator reads the whole file."""
    if content.startswith(_ZIP_SIGNATURE):
        try:
            records = workbook_records(content, MAX_UPLOAD_ROWS)
        except UnsafeWorkbook as error:
            return _file_failure("unsafe_workbook", reason=error.reason)
        except TooManyRows as error:
            return _file_failure("too_many_rows", count=f"more than {error.count - 1:,}",
                                 limit=f"{MAX_UPLOAD_ROWS:,}")
        layout, shape = _recognise(records[:HEADER_SEARCH_ROWS])
        return layout, _long_grid(grid_from_records(records), shape), shape, False
    try:
        text = source_text(content)
    except UnreadableSource as error:
        return _file_failure("unreadable_file", reason=error.reason)
    for delimiter in DELIMITERS:
        try:
            layout, shape = _recognise(numbered_records(text, delimiter, HEADER_SEARCH_ROWS))
            if layout is not None:
                return layout, _long_grid(cell_grid(text, delimiter), shape), shape, \
                    delimiter == ";"
        except UnreadableSource:
            continue
    # Nothing recognised: the file is unreadable when the first separator cannot read it.
    try:
        numbered_records(text, DELIMITERS[0])
    except UnreadableSource as error:
        return _file_failure("unreadable_file", reason=error.reason)
    return None, grid_from_records([]), "", False


def extra_cell_failures(grid: pd.DataFrame, required: Sequence[str]) -> list[Failure]:
    """A filled cell beyond the header's width means the row's cells have shifted (usually an
    unquoted decimal comma in a comma-separated file), so no cell of it can be trusted."""
    start = header_index(grid_records(grid.iloc[:HEADER_SEARCH_ROWS]), required)
    if start is None:
        return []
    header = list(grid.iloc[start])
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    beyond = grid.iloc[start + 1:, width:]
    filled = beyond != ""
    found = []
    for row_number, cells in beyond[filled.any(axis=1)].iterrows():
        found.append(failure("extra_cells", int(row_number), None,
                             next(cell for cell in cells if cell)))
    return found


# --- checks that need more than the file ---------------------------------------------------------

def _date_column(kind: str) -> str:
    return "as_at" if kind == ACTION_PROGRESS else "period_end"


def after_asat_failures(rows: pd.DataFrame, kind: str, asat: date, column: str
                        ) -> list[Failure]:
    """A value for a period that ends after the upload's as-at date cannot have been measured."""
    dates = _date_column(kind)
    late = rows[rows[dates] > pd.Timestamp(asat)]
    label = "as_at" if kind == ACTION_PROGRESS else "period"
    return [failure("period_after_asat", int(row[SOURCE_ROW]), column,
                    row[label] if kind != ACTION_PROGRESS else f"{row['as_at']:%d/%m/%Y}",
                    period_end=f"{row[dates]:%d/%m/%Y}", asat=f"{asat:%d/%m/%Y}")
            for row in late.to_dict("records")]


def far_from_previous_failures(rows: pd.DataFrame, current: pd.DataFrame, column: str
                               ) -> list[Failure]:
    """Warn when a KPI value differs from the one before it (same KPI and area, the latest
    earlier period, in the store or in this file) by more than half of it.

    One sorted search of the file's rows in the history (a value in the file replaces the
    store's for the same period), so the cost grows with the rows, not with their square."""
    history = pd.concat([current[_HISTORY], rows[_HISTORY]], ignore_index=True)
    series = key_codes([history], ["kpi_ref", "area"])[0]
    period_codes, periods = pd.factorize(history["period"], use_na_sentinel=False)
    entries = series * len(periods) + period_codes  # a KPI, area and period
    # The file's row for a period replaces the store's: keep the last of each entry.
    kept = np.sort(len(history) - 1 - np.unique(entries[::-1], return_index=True)[1])
    ends = history["period_end"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    # Series, then period end (a date, as days from 1970 moved past zero), as one number.
    position = series * 1_000_000 + ends + 500_000
    order = kept[np.argsort(position[kept], kind="stable")]
    incoming = np.arange(len(current), len(history))
    # The last history entry of the same series ending strictly before each row's period.
    candidate = order[np.maximum(
        np.searchsorted(position[order], position[incoming], side="left") - 1, 0)]
    has_previous = (series[candidate] == series[incoming]) & (ends[candidate] < ends[incoming])
    value = history["value"].to_numpy(dtype=float)
    previous = np.where(has_previous, value[candidate], np.nan)
    with np.errstate(invalid="ignore"):
        far = ~np.isnan(previous) & (previous != 0) & (
            np.abs(value[incoming] - previous) > FAR_FROM_PREVIOUS * np.abs(previous))
    periods, refs = history["period"].to_numpy(), history["kpi_ref"].to_numpy()
    source_rows = rows[SOURCE_ROW].to_numpy()
    return [failure("far_from_previous", int(source_rows[i]), column,
                    f"{value[incoming[i]]:g}", kpi_ref=refs[incoming[i]],
                    previous=f"{previous[i]:g}", previous_period=periods[candidate[i]])
            for i in np.flatnonzero(far)]


_HISTORY = ["kpi_ref", "area", "period", "period_end", "value"]


# --- the whole check -----------------------------------------------------------------------------

def check_upload(content: bytes, file_name: str | None, plan: Plan, store: Store,
                 asat: date | None = None) -> UploadCheck:
    """The report and preview for an uploaded file; never raises for what the file holds."""
    asat = asat or date.today()
    name = safe_file_name(file_name)
    digest = sha256_of(content)

    def refused(failures, kind=None, shape="") -> UploadCheck:
        rows = empty_frame(kind or KPI_VALUES)
        return UploadCheck(name, digest, len(content), kind, shape, rows, tuple(failures), None,
                           content=content)

    if len(content) > MAX_UPLOAD_BYTES:
        return refused(_file_failure("file_too_large", size=f"{len(content):,} bytes",
                                     limit=f"{MAX_UPLOAD_BYTES:,} bytes"))
    read = read_upload_records(content)
    if isinstance(read[0], Failure):
        return refused(read)
    layout, records, shape, decimal_comma = read
    if layout is None:
        if not content.strip():
            return refused(_file_failure("empty_file", expected=_EXPECTED))
        return refused(_file_failure("unknown_layout", expected=_EXPECTED))
    if len(records) > MAX_UPLOAD_ROWS + 1:
        return refused(_file_failure("too_many_rows", count=f"{len(records) - 1:,}",
                                     limit=f"{MAX_UPLOAD_ROWS:,}"), layout.kind, shape)
    text_table, file_failures = grid_text_table(records, layout.required, layout.optional,
                                                decimal_comma)
    if text_table is None:
        return refused(file_failures, layout.kind, shape)
    result = layout.validate(text_table, plan)
    rows = result.table
    failures = list(result.failures)
    if shape == "long":
        failures += extra_cell_failures(records, layout.required)
    date_header = text_table.header("as_at" if layout.kind == ACTION_PROGRESS else "period")
    failures += after_asat_failures(rows, layout.kind, asat, date_header)
    current = store.current(layout.kind)
    if layout.kind == KPI_VALUES:
        failures += far_from_previous_failures(rows, current, text_table.header("value"))
    failures.sort(key=lambda f: (f.row or 0))
    preview = compare(current, rows, layout.kind)
    identical = store.active_batch_with_hash(layout.kind, digest)
    return UploadCheck(name, digest, len(content), layout.kind, shape,
                       rows[list(KIND_SPECS[layout.kind].columns)], tuple(failures), preview,
                       identical, content=content)


def commit_upload(check: UploadCheck, who: str, store: Store, _before_commit=None
                  ) -> CommitResult | None:
    """Store a checked upload as one batch; None (nothing stored) when it has errors."""
    if not check.ok:
        return None
    batch = NewBatch(check.kind, check.file_name, check.content_sha256, who.strip(), check.rows)
    return store.commit(batch, _before_commit=_before_commit)


# --- the template --------------------------------------------------------------------------------

def template_csv(plan: Plan) -> str:
    """A returns template: the long layout's header and one example row per KPI (blank values
    to fill in), for the latest quarter's spelling."""
    header = ",".join(RETURNS_COLUMNS + RETURNS_OPTIONAL)
    lines = [header]
    for kpi in plan.kpis:
        example = {"quarterly": "2017/18 Q1", "6-monthly": "2017/18 H1"}.get(kpi.frequency,
                                                                              "2017/18")
        lines.append(f"{kpi.ref},{example},,,,,")
    return "\n".join(lines) + "\n"
