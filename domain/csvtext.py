"""A CSV file's cells as text, with the spreadsheet row number of each line: the part of reading
a returns or progress file that knows nothing about KPIs or actions.

Reading is three steps, each its own function so that later work can widen one without touching
the others: the source to text (`source_text`: encodings), the text to numbered records
(`numbered_records`: separators, notes above the header), and the records to a `TextTable` of the
columns a reader asked for (`read_text_table`). Validation of what the cells mean lives with each
reader (`returns.py`, `progress.py`).

Cells are never converted here: every cell stays the text as written (stripped), so nothing is
silently coerced, and a failure can quote exactly what the person typed.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import IO, Union

import numpy as np
import pandas as pd

from domain.failures import Failure, failure

# A path, the file's bytes, or an open file (text or binary).
Source = Union[str, os.PathLike, bytes, bytearray, memoryview, IO[str], IO[bytes]]

SOURCE_ROW = "source_row"

_BYTE_ORDER_MARK = "\ufeff"
_ZIP_SIGNATURE = b"PK\x03\x04"  # an .xlsx workbook is a zip archive


class UnreadableSource(Exception):
    """The source cannot be turned into CSV text; `reason` says why, in words for a person."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


# --- source to text ------------------------------------------------------------------------------

def source_content(source: Source) -> bytes | str:
    """The raw content of a path, bytes or open file; raises `UnreadableSource`."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        try:
            return Path(source).read_bytes()
        except (OSError, ValueError) as error:  # ValueError: a path with a NUL in it
            reason = getattr(error, "strerror", None) or "it cannot be opened"
            raise UnreadableSource(f"{reason}: {Path(source).name}") from None
    try:
        return source.read()
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UnreadableSource(_decode_reason(error)) from None


def decode_bytes(data: bytes) -> str:
    """Text from a file's bytes: UTF-8 with or without Excel's byte order mark, else
    Windows-1252 (what Excel's plain "CSV (Comma delimited)" writes on a UK PC).
    """
    if data.startswith(_ZIP_SIGNATURE):
        raise UnreadableSource("it is an Excel workbook or other zip file, not a CSV file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise UnreadableSource(_decode_reason(utf8_error)) from None


def _decode_reason(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return f"it is not UTF-8 text: byte {error.start + 1} cannot be read"
    return str(error) or type(error).__name__


def source_text(source: Source) -> str:
    """The text of a source, without a byte order mark; raises `UnreadableSource`."""
    content = source_content(source)
    text = decode_bytes(content) if isinstance(content, bytes) else str(content)
    text = text.removeprefix(_BYTE_ORDER_MARK)
    # A NUL never appears in a CSV saved from a spreadsheet; it means a binary file.
    if "\x00" in text:
        raise UnreadableSource("it contains binary data, so it is not a CSV file")
    return text


# --- text to numbered records --------------------------------------------------------------------

def numbered_records(text: str, delimiter: str = ",", limit: int | None = None
                     ) -> list[tuple[int, list[str]]]:
    """Each non-blank record with the row number a spreadsheet shows for it (the first record is
    row 1), its cells stripped of surrounding spaces; the first `limit` of them when given.

    Counting records, not physical lines, keeps the numbers right when a quoted cell spans lines
    (a spreadsheet shows it as one row) and when blank lines are skipped.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        for row_number, cells in enumerate(reader, start=1):
            stripped = [cell.strip() for cell in cells]
            if any(stripped):
                records.append((row_number, stripped))
                if limit is not None and len(records) >= limit:
                    break
    except csv.Error as error:
        raise UnreadableSource(f"line {reader.line_num}: {error}") from None
    return records


# --- records as a grid: one text column per position, indexed by row number ---------------------
#
# A 20,000-row file is a list of 20,000 Python lists when read by `numbered_records`; as a grid
# it is read by pandas' C parser and every later step works on whole columns. The grid holds
# exactly the records `numbered_records` gives (a test compares the two on awkward text), padded
# with "" to the widest record.

# What Python's str.strip() removes, so the vectorised strip removes exactly the same.
_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
               "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def grid_from_records(records: Sequence[tuple[int, list[str]]]) -> pd.DataFrame:
    """Numbered records (from `numbered_records` or a worksheet) as a grid."""
    width = max((len(cells) for _, cells in records), default=0)
    rows = [cells + [""] * (width - len(cells)) for _, cells in records]
    grid = pd.DataFrame(rows, columns=range(width), dtype="str") if rows else pd.DataFrame(
        columns=range(width), dtype="str")
    grid.index = pd.Index([row for row, _ in records], dtype="int64")
    return grid


def grid_records(grid: pd.DataFrame) -> list[tuple[int, list[str]]]:
    """A grid's rows as numbered records (trailing blank cells included)."""
    return [(int(row), list(cells)) for row, *cells in grid.itertuples(name=None)]


def cell_grid(text: str, delimiter: str = ",") -> pd.DataFrame:
    """`numbered_records(text, delimiter)` as a grid; raises `UnreadableSource` as it does."""
    grid = _parsed_grid(text, delimiter)
    return grid if grid is not None else grid_from_records(numbered_records(text, delimiter))


def _parsed_grid(text: str, delimiter: str) -> pd.DataFrame | None:
    """The grid read by pandas' C parser, or None where it might not give the cells the csv
    module gives (a parser error, a quoted cell spanning lines that makes a record wider than
    any line, a cell over csv's size limit): the caller then reads it with the csv module."""
    if not text:
        return None
    raw = _read_cells(text, delimiter, None)  # as wide as the first record: the usual case
    if raw is None:
        # The widest line bounds the widest record, unless a quoted cell spans lines; then
        # pandas finds more cells than names and raises, and the csv module reads it.
        width = max(line.count(delimiter) for line in text.split("\n")) + 1
        raw = _read_cells(text, delimiter, range(width))
        if raw is None:
            return None
    width = raw.shape[1]
    if len(text) > csv.field_size_limit() and any(
            raw[column].str.len().max() > csv.field_size_limit() for column in raw):
        return None
    cells = {column: raw[column].str.strip(_WHITESPACE) for column in raw}
    filled = np.logical_or.reduce([(column != "").to_numpy() for column in cells.values()])
    grid = pd.DataFrame(cells, columns=range(width))
    grid.index = pd.RangeIndex(1, len(grid) + 1)  # the record numbers
    return grid if filled.all() else grid[filled]


def _read_cells(text: str, delimiter: str, names: range | None) -> pd.DataFrame | None:
    """Every record's cells as text (missing cells ""), or None on any parser complaint."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # pandas warns where it would drop cells
            raw = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, names=names,
                              index_col=False, dtype="str", na_filter=False,
                              skip_blank_lines=False, engine="c", quotechar='"',
                              doublequote=True)
    except (ValueError, Warning, pd.errors.ParserError):
        return None
    raw.columns = range(raw.shape[1])
    return raw


# --- records to a table of named text columns ----------------------------------------------------

def normalise_header(name: str) -> str:
    """`KPI Ref`, ` kpi-ref `, `KPI_REF` all become `kpi_ref`."""
    return re.sub(r"[\s_\-]+", "_", name.strip().casefold()).strip("_")


@dataclass(frozen=True)
class TextTable:
    """The wanted columns of a CSV file, every cell as stripped text, plus `source_row`.

    `cells` has one `str` column per wanted column (blank when the file lacks an optional one)
    and `source_row` (int64). `headers` maps each wanted column to its header as written, so a
    failure names the column the way the person sees it.
    """

    cells: pd.DataFrame
    headers: Mapping[str, str]
    header_row: int
    # A file separated by ";" writes 85,5 for 85.5 (a European or Excel-in-Europe export).
    decimal_comma: bool = False

    def header(self, column: str) -> str:
        return self.headers.get(column, column)


def _column_positions(header_cells: Sequence[str], wanted: Sequence[str], header_row: int
                      ) -> tuple[dict[str, int], list[Failure]]:
    """Where each wanted column is in the header row; a wanted name written twice is a failure,
    because reading either copy could be the wrong one."""
    positions: dict[str, list[int]] = {}
    for index, written in enumerate(header_cells):
        name = normalise_header(written)
        if name in wanted:
            positions.setdefault(name, []).append(index)
    failures = [
        failure("duplicate_column", header_row, column, header_cells[indexes[0]],
                headers=" and ".join(f"'{header_cells[i]}'" for i in indexes))
        for column, indexes in positions.items() if len(indexes) > 1]
    return {column: indexes[0] for column, indexes in positions.items()}, failures


def _missing_columns(positions: Mapping[str, int], required: Sequence[str],
                     expected: str, header_row: int) -> list[Failure]:
    return [failure("missing_column", header_row, column, "", expected=expected)
            for column in required if column not in positions]


def _cells_frame(data: pd.DataFrame, positions: Mapping[str, int], wanted: Sequence[str]
                 ) -> pd.DataFrame:
    """The wanted columns of a grid's data rows ("" for an optional column the file lacks)."""
    frame = pd.DataFrame({column: data[positions[column]] if column in positions else ""
                          for column in wanted}, index=data.index, columns=list(wanted))
    frame = frame.astype("str")
    frame[SOURCE_ROW] = data.index.to_numpy(dtype="int64")
    return frame.reset_index(drop=True)


# Files from a spreadsheet may carry a title, notes or a blank line above the header.
HEADER_SEARCH_ROWS = 20
DELIMITERS = (",", ";", "\t")


def header_index(records: Sequence[tuple[int, list[str]]], required: Sequence[str]) -> int | None:
    """Where the header is: the first of the first rows that names every required column."""
    for index, (_, cells) in enumerate(records[:HEADER_SEARCH_ROWS]):
        names = {normalise_header(cell) for cell in cells}
        if set(required) <= names:
            return index
    return None


def sniff_grid(text: str, required: Sequence[str]) -> tuple[pd.DataFrame, str]:
    """The grid and the delimiter under which a header naming every required column is found
    (comma first); comma when none is, so the missing columns are reported. The header is
    looked for in the first records; only the file's delimiter reads the whole file."""
    for delimiter in DELIMITERS:
        try:
            head = numbered_records(text, delimiter, limit=HEADER_SEARCH_ROWS)
            if header_index(head, required) is not None:
                return cell_grid(text, delimiter), delimiter
        except UnreadableSource:
            continue
    return cell_grid(text), ","


def read_text_table(source: Source, required: Sequence[str], optional: Sequence[str] = ()
                    ) -> tuple[TextTable | None, tuple[Failure, ...]]:
    """The file's wanted columns as text, or `None` and the whole-file failures that stop it.

    The separator is `,`, `;` or tab, whichever finds the header. The header is the first row
    (of the first 20) naming every required column, or else the first non-blank row; rows above
    it are notes. Columns not wanted (and blank trailing columns) are ignored; header names are
    case-, space- and underscore-insensitive.
    """
    try:
        grid, delimiter = sniff_grid(source_text(source), required)
    except UnreadableSource as error:
        return None, (failure("unreadable_file", None, None, "", reason=error.reason),)
    return grid_text_table(grid, required, optional, decimal_comma=delimiter == ";")


def grid_text_table(grid: pd.DataFrame, required: Sequence[str], optional: Sequence[str] = (),
                    decimal_comma: bool = False
                    ) -> tuple[TextTable | None, tuple[Failure, ...]]:
    """A grid of numbered records (from a CSV file or a worksheet) as a `TextTable`."""
    wanted = tuple(required) + tuple(optional)
    expected = ", ".join(wanted)
    if grid.empty:
        return None, (failure("empty_file", None, None, "", expected=expected),)
    start = header_index(grid_records(grid.iloc[:HEADER_SEARCH_ROWS]), required) or 0
    header_row, header_cells = int(grid.index[start]), list(grid.iloc[start])
    positions, failures = _column_positions(header_cells, wanted, header_row)
    failures += _missing_columns(positions, required, expected, header_row)
    if failures:
        return None, tuple(failures)
    data = grid.iloc[start + 1:]
    if data.empty:
        return None, (failure("empty_file", None, None, "", expected=expected),)
    headers = MappingProxyType({column: header_cells[index]
                                for column, index in positions.items()})
    return TextTable(_cells_frame(data, positions, wanted), headers, header_row,
                     decimal_comma), ()


# --- keys of rows -------------------------------------------------------------------------------

def key_codes(frames: Sequence[pd.DataFrame], columns: Sequence[str]) -> list[np.ndarray]:
    """One integer per row of each frame for its values in `columns`: equal values, equal
    integers, across the frames (datetime columns compared as days). Joins and repeats then
    work on one integer column instead of several text ones."""
    sizes = [len(frame) for frame in frames]
    codes = np.zeros(sum(sizes), dtype=np.int64)
    for column in columns:
        values = pd.concat([_key_column(frame[column]) for frame in frames],
                           ignore_index=True)
        column_codes, distinct = pd.factorize(values, use_na_sentinel=False)
        codes, _ = pd.factorize(codes * len(distinct) + column_codes)
    return np.split(codes, np.cumsum(sizes)[:-1])


def _key_column(values: pd.Series) -> pd.Series:
    """A key column as compared: dates as days (a stored date and a parsed one may differ in
    their time of day)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.normalize().reset_index(drop=True)
    return values.reset_index(drop=True)


# --- rows reported more than once ----------------------------------------------------------------

@dataclass(frozen=True)
class CheckedRow:
    """A row that passed its own checks, with what identifies it and what it says."""

    source_row: int
    key: Hashable  # what the row reports on, e.g. (kpi_ref, period, area)
    content: Hashable  # what it says about it: rows with the same key and content are repeats
    shown_value: str  # the value as written, to quote in a failure
    record: Mapping  # the parsed row, for the output table


def _listed(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def resolve_duplicates(rows: Iterable[CheckedRow], describe: Callable[[CheckedRow], str],
                       value_column: str) -> tuple[list[CheckedRow], list[Failure]]:
    """Keep each key once. Exact repeats are kept once with a warning on each repeat; rows with
    the same key but different content are all refused, since we cannot know which is right."""
    groups: dict[Hashable, list[CheckedRow]] = {}
    for row in rows:
        groups.setdefault(row.key, []).append(row)
    kept: list[CheckedRow] = []
    failures: list[Failure] = []
    for group in groups.values():
        if len({row.content for row in group}) > 1:
            rows_text = _listed([str(row.source_row) for row in group])
            values_text = _listed(list(dict.fromkeys(row.shown_value for row in group)))
            failures += [failure("duplicate_conflict", row.source_row, value_column,
                                 row.shown_value, what=describe(row), rows=rows_text,
                                 values=values_text) for row in group]
            continue
        first = group[0]
        kept.append(first)
        failures += [failure("duplicate_row", row.source_row, None, row.shown_value,
                             first_row=first.source_row) for row in group[1:]]
    return kept, failures


def check_each_row(cells: pd.DataFrame, check_row) -> tuple[list[CheckedRow], list[Failure]]:
    """`check_row(cells) -> (CheckedRow | None, failures)` on every row, in file order."""
    checked: list[CheckedRow] = []
    failures: list[Failure] = []
    for row_cells in cells.to_dict("records"):
        row, row_failures = check_row(row_cells)
        failures += row_failures
        if row is not None:
            checked.append(row)
    return checked, failures


def check_rows(text_table: TextTable, check_row, describe_key, duplicate_column: str
               ) -> tuple[list[Mapping], list[Failure]]:
    """Check every row of a table with `check_row(cells) -> (CheckedRow | None, failures)`,
    drop repeated keys (`resolve_duplicates`), and give the kept rows' records with every
    failure in file order. One loop for progress and comparator files; KPI values check
    whole columns first (`returns.validate_returns`)."""
    checked, failures = check_each_row(text_table.cells, check_row)
    kept, duplicate_failures = resolve_duplicates(checked, describe_key,
                                                  text_table.header(duplicate_column))
    failures += duplicate_failures
    failures.sort(key=lambda f: (f.row or 0))
    return [row.record for row in kept], failures


def keep_each_key_once(rows: pd.DataFrame, key: Sequence[str], content: Sequence[str],
                       shown: str, describe_key, value_column: str
                       ) -> tuple[np.ndarray, list[Failure]]:
    """`resolve_duplicates` on a frame of checked rows: which rows to keep, and the failures.
    Only the rows whose key is repeated go through it, one by one, in file order; `shown` is
    the column of the value as written."""
    codes = key_codes([rows], key)[0]
    repeated = np.bincount(codes, minlength=1)[codes] > 1
    if not repeated.any():
        return np.ones(len(rows), dtype=bool), []
    candidates = [
        CheckedRow(int(row[SOURCE_ROW]), tuple(row[c] for c in key),
                   tuple(None if _is_blank(row[c]) else row[c] for c in content),
                   row[shown], row)
        for row in rows[repeated].sort_values(SOURCE_ROW).to_dict("records")]
    kept, failures = resolve_duplicates(candidates, describe_key, value_column)
    keep = ~repeated | rows[SOURCE_ROW].isin([row.source_row for row in kept]).to_numpy()
    return keep, failures


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)  # NaN
