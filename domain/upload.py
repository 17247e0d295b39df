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

import pandas as pd

from domain.comparator_returns import REQUIRED_COLUMNS as COMPARATOR_COLUMNS
from domain.comparator_returns import validate_comparators
from domain.csvtext import (DELIMITERS, SOURCE_ROW, OverBudget, ReadBudget, UnreadableSource,
                            first_spellings, header_index, numbered_records,
                            records_text_table, source_text)
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
from domain.workbook import UnsafeWorkbook, workbook_records

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_ROWS = 20_000
# What one upload may make the reader hold, enforced while reading (domain.csvtext.ReadBudget).
UPLOAD_BUDGET = ReadBudget(rows=MAX_UPLOAD_ROWS, columns=200, cells=200_000, characters=5_000)
# A value more than this fraction away from the previous one is worth a second look.
FAR_FROM_PREVIOUS = 0.5
_ZIP_SIGNATURE = b"PK\x03\x04"
# An OLE2 compound file: Excel 97-2003's .xls, or a password-protected .xlsx.
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS_CSV = ("open it in Excel, choose File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)' "
                "and upload that file")


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


# The longest name kept for who uploaded, undid or redid a batch (the form's field allows it).
MAX_WHO_CHARS = 80


def clean_who(who: str | None) -> str:
    """Who did it, as stored: NFC, printable characters only, spaces collapsed."""
    text = unicodedata.normalize("NFC", str(who or ""))
    return " ".join("".join(ch for ch in text if ch.isprintable()).split())


def who_problem(who: str | None) -> str | None:
    """Why a name cannot be recorded as who did it, in words; None when it can."""
    name = clean_who(who)
    if not name:
        return "Type your name, so the history shows who did it."
    if len(name) > MAX_WHO_CHARS:
        return (f"The name is {len(name):,} characters and at most {MAX_WHO_CHARS} are kept: "
                "shorten it.")
    return None


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


def _recognise(records: Sequence[tuple[int, list[str]]]):
    """(layout, long records, "long"/"wide") for the first layout whose header is found."""
    for layout in LAYOUTS:
        if header_index(records, layout.required) is not None:
            return layout, list(records), "long"
    index = wide_header_index(records)
    if index is not None:
        # One value more than a file may hold is enough to refuse it as too many rows.
        return LAYOUTS[1], wide_to_long(records, index, MAX_UPLOAD_ROWS), "wide"
    return None, list(records), ""


def _looks_utf16(content: bytes) -> bool:
    """UTF-16 text, as Excel's "Unicode Text" writes it: a byte order mark, or (without one) a
    zero byte beside nearly every character at the start (and not between them: a file of
    zeros is binary)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = content[:400]
    half = len(head) // 2
    zeros = sorted((head[0::2].count(0), head[1::2].count(0)))
    return half >= 4 and zeros[1] >= 0.9 * half and zeros[0] <= 0.1 * half


def unsupported_format(content: bytes) -> tuple[Failure, ...]:
    """The failure for a file of a kind the upload cannot read but a person can convert, naming
    what it is and how; empty for anything else."""
    if content.startswith(_OLE2_SIGNATURE):
        return _file_failure("unsupported_format",
                             what="an Excel 97-2003 workbook (.xls) or a password-protected "
                                  "workbook",
                             fix=f"remove any password, then {_SAVE_AS_CSV} (or as 'Excel "
                                 "Workbook (*.xlsx)')")
    if _looks_utf16(content):
        return _file_failure("unsupported_format",
                             what="UTF-16 text, as Excel saves 'Unicode Text (*.txt)'",
                             fix=_SAVE_AS_CSV)
    return ()


def read_upload_records(content: bytes):
    """(layout, records, layout name, decimal comma) or the whole-file failures."""
    unsupported = unsupported_format(content)
    if unsupported:
        return unsupported
    if content.startswith(_ZIP_SIGNATURE):
        try:
            records = workbook_records(content, UPLOAD_BUDGET)
        except UnsafeWorkbook as error:
            return _file_failure("unsafe_workbook", reason=error.reason)
        except OverBudget as error:
            return (error.failure(),)
        layout, records, shape = _recognise(records)
        return layout, records, shape, False
    try:
        text = source_text(content)
    except UnreadableSource as error:
        return _file_failure("unreadable_file", reason=error.reason)
    first = None
    for delimiter in DELIMITERS:
        try:
            records = numbered_records(text, delimiter, UPLOAD_BUDGET)
        except UnreadableSource as error:  # OverBudget too: another separator may fit
            first = first or error
            continue
        layout, long_records, shape = _recognise(records)
        if layout is not None:
            return layout, long_records, shape, delimiter == ";"
        first = first or (records, None)
    if isinstance(first, OverBudget):
        return (first.failure(),)
    if isinstance(first, UnreadableSource):
        return _file_failure("unreadable_file", reason=first.reason)
    return None, [], "", False


def extra_cell_failures(records: Sequence[tuple[int, list[str]]], required: Sequence[str]
                        ) -> list[Failure]:
    """A filled cell beyond the header's width means the row's cells have shifted (usually an
    unquoted decimal comma in a comma-separated file), so no cell of it can be trusted."""
    start = header_index(records, required)
    if start is None:
        return []
    _, header = records[start]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    found = []
    for row_number, cells in records[start + 1:]:
        beyond = [cell for cell in cells[width:] if cell]
        if beyond:
            found.append(failure("extra_cells", row_number, None, beyond[0]))
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
    earlier period, in the store or in this file) by more than half of it."""
    history = pd.concat([current[["kpi_ref", "area", "period", "period_end", "value"]],
                         rows[["kpi_ref", "area", "period", "period_end", "value"]]])
    history = history.drop_duplicates(["kpi_ref", "area", "period"], keep="last")
    found = []
    for row in rows.to_dict("records"):
        earlier = history[(history.kpi_ref == row["kpi_ref"]) & (history.area == row["area"])
                          & (history.period_end < row["period_end"])]
        if earlier.empty:
            continue
        previous = earlier.sort_values("period_end").iloc[-1]
        if previous.value and abs(row["value"] - previous.value) > \
                FAR_FROM_PREVIOUS * abs(previous.value):
            found.append(failure("far_from_previous", int(row[SOURCE_ROW]), column,
                                 f"{row['value']:g}", kpi_ref=row["kpi_ref"],
                                 previous=f"{previous.value:g}",
                                 previous_period=previous.period))
    return found


# Names a person types that the store keys on: "south" is the area "South" already stored.
_NAMED_COLUMNS = {KPI_VALUES: "area", COMPARATORS: "comparator"}


def stored_spellings(rows: pd.DataFrame, store: Store, kind: str) -> pd.DataFrame:
    """`rows` with each area (or comparator) spelled as the store first spelled it, matched
    case-insensitively, so a different case is never a new area or a duplicate export column."""
    column = _NAMED_COLUMNS.get(kind)
    if column is None or rows.empty:
        return rows
    out = rows.copy()
    out[column] = first_spellings(rows[column], store.stored_names(kind, column))
    return out


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
        if not records and not content.strip():
            return refused(_file_failure("empty_file", expected=_EXPECTED))
        return refused(_file_failure("unknown_layout", expected=_EXPECTED))
    if len(records) > MAX_UPLOAD_ROWS + 1:
        # A wide file's values were counted only to one beyond the limit.
        count = f"{len(records) - 1:,}" if shape == "long" else f"more than {MAX_UPLOAD_ROWS:,}"
        return refused(_file_failure("too_many_rows", count=count,
                                     limit=f"{MAX_UPLOAD_ROWS:,}"), layout.kind, shape)
    text_table, file_failures = records_text_table(records, layout.required, layout.optional,
                                                   decimal_comma)
    if text_table is None:
        return refused(file_failures, layout.kind, shape)
    result = layout.validate(text_table, plan)
    rows = stored_spellings(result.table, store, layout.kind)
    # Only the stored series this file touches: a one-row check costs the same against a store
    # of 20 rows or of 200,000.
    current = store.current(layout.kind, matching=rows)
    failures = list(result.failures)
    if shape == "long":
        failures += extra_cell_failures(records, layout.required)
    date_header = text_table.header("as_at" if layout.kind == ACTION_PROGRESS else "period")
    failures += after_asat_failures(rows, layout.kind, asat, date_header)
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
    problem = who_problem(who)
    if problem:  # the callers say so first; this keeps an unchecked name out of the store
        raise ValueError(problem)
    batch = NewBatch(check.kind, check.file_name, check.content_sha256, clean_who(who),
                     check.rows)
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
