"""A CSV file's cells as text, with the spreadsheet row number of each line: the part of reading
a returns or progress file that knows nothing about KPIs or actions.

Reading is three steps, each its own function so that later work can widen one without touching
the others: the source to text (`source_text`: encodings), the text to numbered records
(`numbered_records`: separators, notes above the header), and the records to a `TextTable` of the
columns a reader asked for (`read_text_table`). Validation of what the cells mean lives with each
reader (`returns.py`, `progress.py`).

Cells are never converted here: every cell stays the text as written (stripped), so nothing is
silently coerced, and a failure can quote exactly what the person typed. The reading rules:
docs/rules.md#reading-the-file.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import IO, TypeVar, Union

import numpy as np
import pandas as pd

from domain.rules.failures import Failure, failure, listed
from domain.rules.periods import FIRST_YEAR, LAST_YEAR, YearOutOfRange

# A path, the file's bytes, or an open file (text or binary).
Source = Union[str, os.PathLike, bytes, bytearray, memoryview, IO[str], IO[bytes]]

SOURCE_ROW = "source_row"

_BYTE_ORDER_MARK = "\ufeff"

# C0 and C1 control characters and DEL, except the tab and line breaks a spreadsheet cell can
# hold: invisible, they break every workbook export (XML cannot carry them), so a cell holding
# one is refused, naming it.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_PATTERN = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"  # the same, as escapes
# Zero-width and bidirectional formatting characters (and the soft hyphen): invisible, they
# would make "South" and "South" with a zero-width space two areas, or reverse how a name
# reads. They are removed, and text is normalised to NFC so a composed and a decomposed "Café"
# are one spelling.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u2069\ufeff]")
_ZIP_SIGNATURE = b"PK\x03\x04"  # an .xlsx workbook is a zip archive


class UnreadableSource(Exception):
    """The source cannot be turned into CSV text; `reason` says why, in words for a person."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class ReadBudget:
    """How much of a file is read, enforced record by record while reading (before any frame is
    built), so a small file cannot make the server hold gigabytes: data rows (reading stops a
    little after, to allow notes and a header), cells in a row (trailing blank cells are not
    counted), cells in the file and characters in a cell."""

    rows: int = 20_000
    columns: int = 200
    cells: int = 200_000
    characters: int = 5_000

    @property
    def records(self) -> int:
        """The most non-blank records read: the data rows, a header and notes above it."""
        return self.rows + 1 + _HEADER_SEARCH_ROWS


READ_BUDGET = ReadBudget()


class OverBudget(UnreadableSource):
    """A file that goes beyond its `ReadBudget`; `failure()` is the whole-file failure row."""

    def __init__(self, code: str, row: int | None = None, **extra: object):
        self.code, self.row, self.extra = code, row, extra
        super().__init__(self.failure().message)

    def failure(self) -> Failure:
        return failure(self.code, self.row, None, "", **self.extra)


def year_failure(error: YearOutOfRange, row: int | None, column: str | None, text: str
                 ) -> Failure:
    """The failure for a period or date cell whose year is outside the years read."""
    return failure("year_out_of_range", row, column, text, year=error.year, first=FIRST_YEAR,
                   last=LAST_YEAR)


def column_letters(position: int) -> str:
    """A 1-based column position as a spreadsheet names it: 1 is A, 27 is AA."""
    letters = ""
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def check_width(row_number: int, width: int, budget: ReadBudget) -> None:
    if width > budget.columns:
        raise OverBudget(code="too_many_columns", row=row_number, count=f"{width:,}",
                         limit=f"{budget.columns:,}")


def check_record(row_number: int, cells: Sequence[str], cells_so_far: int,
                 budget: ReadBudget) -> None:
    """Raise `OverBudget` when one more record (its cells already without trailing blanks)
    goes beyond `budget`; shared by CSV files and workbooks."""
    check_width(row_number, len(cells), budget)
    if cells_so_far + len(cells) > budget.cells:
        raise OverBudget(code="too_many_cells", row=row_number, limit=f"{budget.cells:,}")
    if not cells or max(map(len, cells)) <= budget.characters:  # one C call for the usual row
        return
    for position, cell in enumerate(cells, start=1):
        if len(cell) > budget.characters:
            raise OverBudget(code="cell_too_long", row=row_number, where=column_letters(position),
                             length=f"{len(cell):,}", limit=f"{budget.characters:,}")


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

# A physical line with its ending, as csv.reader wants with newline="" (a quoted cell may span
# lines). Lines are sliced from the text one at a time, never all held at once.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str):
    return (match.group() for match in _LINE.finditer(text))


def numbered_records(text: str, delimiter: str = ",", budget: ReadBudget = READ_BUDGET
                     ) -> list[tuple[int, list[str]]]:
    """Each non-blank record with the row number a spreadsheet shows for it (the first record is
    row 1), its cells stripped of surrounding spaces and without trailing blank cells.

    Counting records, not physical lines, keeps the numbers right when a quoted cell spans lines
    (a spreadsheet shows it as one row) and when blank lines are skipped. Raises `OverBudget`
    as soon as the file goes beyond `budget`, and `UnreadableSource` for text that is not CSV.
    """
    reader = csv.reader(_lines(text), delimiter=delimiter)
    records = []
    cells_read = 0
    try:
        for row_number, cells in enumerate(reader, start=1):
            width = len(cells)
            while width and not cells[width - 1].strip():
                width -= 1
            if not width:
                continue
            check_width(row_number, width, budget)  # before copying a row of millions of cells
            stripped = list(map(str.strip, cells[:width]))
            check_record(row_number, stripped, cells_read, budget)
            if len(records) >= budget.records:
                raise OverBudget(code="too_many_rows", row=None, count=f"more than {budget.rows:,}",
                                 limit=f"{budget.rows:,}")
            cells_read += width
            records.append((row_number, stripped))
    except csv.Error as error:
        raise UnreadableSource(f"line {reader.line_num}: {error}") from None
    return records


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


def _cells_frame(data_records: Sequence[tuple[int, list[str]]], positions: Mapping[str, int],
                 wanted: Sequence[str]) -> pd.DataFrame:
    # The records turned into columns in one go (a short record's missing cells are "").
    by_position = list(itertools.zip_longest(*[cells for _, cells in data_records],
                                             fillvalue=""))
    columns = {}
    for column in wanted:
        index = positions.get(column)
        columns[column] = pd.Series(
            by_position[index] if index is not None and index < len(by_position)
            else [""] * len(data_records), dtype="str")
    columns[SOURCE_ROW] = pd.Series([row for row, _ in data_records], dtype="int64")
    return pd.DataFrame(columns)


# Files from a spreadsheet may carry a title, notes or a blank line above the header.
_HEADER_SEARCH_ROWS = 20
DELIMITERS = (",", ";", "\t")


def header_index(records: Sequence[tuple[int, list[str]]], required: Sequence[str]) -> int | None:
    """Where the header is: the first of the first rows that names every required column."""
    for index, (_, cells) in enumerate(records[:_HEADER_SEARCH_ROWS]):
        names = {normalise_header(cell) for cell in cells}
        if set(required) <= names:
            return index
    return None


Found = TypeVar("Found")


def sniff_records(text: str, recognise: Callable[[list[tuple[int, list[str]]]], Found | None],
                  budget: ReadBudget = READ_BUDGET
                  ) -> tuple[list[tuple[int, list[str]]], str, Found | None]:
    """The records, the delimiter and what `recognise` found in them, for the first delimiter
    (`,`, `;`, tab) under which it finds anything; else the comma's records and None, so a
    reader reports what is missing. Raises `UnreadableSource` when not even commas read, and
    `OverBudget` when the commas' records go beyond `budget` (another separator may fit it)."""
    for delimiter in DELIMITERS:
        try:
            records = numbered_records(text, delimiter, budget)
        except UnreadableSource:  # OverBudget too
            continue
        found = recognise(records)
        if found is not None:
            return records, delimiter, found
    return numbered_records(text, ",", budget), ",", None


def read_text_table(source: Source, required: Sequence[str], optional: Sequence[str] = ()
                    ) -> tuple[TextTable | None, tuple[Failure, ...]]:
    """The file's wanted columns as text, or `None` and the whole-file failures that stop it.

    The separator is `,`, `;` or tab, whichever finds the header. The header is the first row
    (of the first 20) naming every required column, or else the first non-blank row; rows above
    it are notes. Columns not wanted (and blank trailing columns) are ignored; header names are
    case-, space- and underscore-insensitive.
    """
    try:
        records, delimiter, _ = sniff_records(source_text(source),
                                              lambda found: header_index(found, required))
    except OverBudget as error:
        return None, (error.failure(),)
    except UnreadableSource as error:
        return None, (failure("unreadable_file", None, None, "", reason=error.reason),)
    return records_text_table(records, required, optional, decimal_comma=delimiter == ";")


def records_text_table(records: Sequence[tuple[int, list[str]]], required: Sequence[str],
                       optional: Sequence[str] = (), decimal_comma: bool = False
                       ) -> tuple[TextTable | None, tuple[Failure, ...]]:
    """Numbered records (from a CSV file or a worksheet) as a `TextTable`."""
    wanted = tuple(required) + tuple(optional)
    expected = ", ".join(wanted)
    if not records:
        return None, (failure("empty_file", None, None, "", expected=expected),)
    start = header_index(records, required) or 0
    header_row, header_cells = records[start]
    positions, failures = _column_positions(header_cells, wanted, header_row)
    failures += _missing_columns(positions, required, expected, header_row)
    if failures:
        return None, tuple(failures)
    data_records = records[start + 1:]
    if not data_records:
        return None, (failure("empty_file", None, None, "", expected=expected),)
    headers = MappingProxyType({column: header_cells[index]
                                for column, index in positions.items()})
    return TextTable(_cells_frame(data_records, positions, wanted), headers, header_row,
                     decimal_comma), ()


# --- text as stored ------------------------------------------------------------------------------

def visible_controls(text: str) -> str:
    """`text` with each control character shown by its code point, e.g. "a[U+0001]b"."""
    return _CONTROL.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def clean_text_table(text_table: TextTable) -> tuple[TextTable, list[Failure]]:
    """Every cell in NFC without invisible formatting characters; a row with a control character
    in any cell is dropped with one failure per such cell (row, column and the character)."""
    cells = text_table.cells
    columns = [column for column in cells.columns if column != SOURCE_ROW]
    failures: list[Failure] = []
    refused = pd.Series(False, index=cells.index)
    cleaned = {}
    for column in columns:
        text = cells[column]
        if text.empty or text.str.isascii().all():
            # No invisible formatting character is ASCII, and ASCII is already NFC: only a
            # control character can be found (by Arrow's regex engine, not a call per cell).
            has_control = text.str.contains(_CONTROL_PATTERN, regex=True)
            if not has_control.any():
                cleaned[column] = text.str.strip()
                continue
        has_control = text.str.contains(_CONTROL)
        for row, value in zip(cells.loc[has_control, SOURCE_ROW], text[has_control]):
            character = _CONTROL.search(value).group()
            failures.append(failure("control_character", int(row), text_table.header(column),
                                    visible_controls(value),
                                    character=f"U+{ord(character):04X}"))
        refused |= has_control
        cleaned[column] = (text.str.replace(_INVISIBLE, "", regex=True)
                           .str.normalize("NFC").str.strip())
    cleaned[SOURCE_ROW] = cells[SOURCE_ROW]
    kept = pd.DataFrame(cleaned, columns=list(cells.columns))[~refused]
    return replace(text_table, cells=kept.reset_index(drop=True)), failures


def first_spellings(values: pd.Series, known: Iterable[str] = ()) -> pd.Series:
    """Each text as it was first spelled, matching case-insensitively: in `known` (what is
    stored already) when there, else its first spelling in `values`. "south" after "South" is
    the same area, not a new one."""
    first: dict[str, str] = {}
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    for text in (*known, *distinct):
        first.setdefault(str(text).casefold(), text)
    # Looked up once per distinct text, not once per row.
    spelled = pd.array([first[str(text).casefold()] for text in distinct], dtype=values.dtype)
    return pd.Series(spelled.take(codes), index=values.index, name=values.name)


# --- rows reported more than once ----------------------------------------------------------------

@dataclass(frozen=True)
class CheckedRow:
    """A row that passed its own checks, with what identifies it and what it says."""

    source_row: int
    key: Hashable  # what the row reports on, e.g. (kpi_ref, period, area)
    content: Hashable  # what it says about it: rows with the same key and content are repeats
    shown_value: str  # the value as written, to quote in a failure
    record: Mapping  # the parsed row, for the output table


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
            rows_text = listed([str(row.source_row) for row in group])
            values_text = listed(list(dict.fromkeys(row.shown_value for row in group)))
            failures += [failure("duplicate_conflict", row.source_row, value_column,
                                 row.shown_value, what=describe(row), rows=rows_text,
                                 values=values_text) for row in group]
            continue
        first = group[0]
        kept.append(first)
        failures += [failure("duplicate_row", row.source_row, None, row.shown_value,
                             first_row=first.source_row) for row in group[1:]]
    return kept, failures


@dataclass(frozen=True)
class PlainRows:
    """The rows `check_rows`' `check_row` would pass with no failure and no warning, found by
    whole-column operations (a kind's reader of plainly right rows)."""

    records: pd.DataFrame  # what each CheckedRow.record would hold, indexed like the cells
    keys: pd.DataFrame  # each row's CheckedRow.key, one column per part, indexed alike
    checked: Callable[[Hashable], CheckedRow]  # the CheckedRow of the row with that label


def check_each_row(cells: pd.DataFrame, check_row
                   ) -> tuple[list[tuple[Hashable, CheckedRow]], list[Failure]]:
    """`check_row(cells) -> (CheckedRow | None, failures)` on every row, in file order: each
    row that passes with its label in `cells`, and every failure."""
    checked: list[tuple[Hashable, CheckedRow]] = []
    failures: list[Failure] = []
    for label, row_cells in zip(cells.index, cells.to_dict("records")):
        row, row_failures = check_row(row_cells)
        failures += row_failures
        if row is not None:
            checked.append((label, row))
    return checked, failures


def repeated_keys(keys: pd.DataFrame) -> np.ndarray:
    """Which rows of `keys` (one column per part of a key, compared as Python compares them)
    share their key with another row: one integer per key, never a tuple per row."""
    codes = np.zeros(len(keys), dtype=np.int64)
    for column in keys.columns:
        column_codes, distinct = pd.factorize(keys[column].to_numpy(dtype=object))
        codes, _ = pd.factorize(codes * (len(distinct) + 1) + column_codes + 1)
    return np.bincount(codes, minlength=1)[codes] > 1


def check_rows(text_table: TextTable, check_row, describe_key, duplicate_column: str,
               columns: Sequence[str], plain_rows: Callable[[TextTable], PlainRows] | None = None
               ) -> tuple[pd.DataFrame, list[Failure]]:
    """Clean every cell (`clean_text_table`: control characters refused, NFC, no invisible
    characters), check every row with `check_row(cells) -> (CheckedRow | None, failures)`,
    drop repeated keys (`resolve_duplicates`), and give the kept rows' records (`columns`, as
    read, in file order) with every failure in file order. One loop for every upload kind.

    With `plain_rows`, the rows it finds plainly right by whole columns skip `check_row`, and
    only the rows whose key is repeated go through `resolve_duplicates`: the same records and
    failures without a Python call per row (issue 10)."""
    text_table, failures = clean_text_table(text_table)
    cells = text_table.cells
    plain = plain_rows(text_table) if plain_rows is not None else None
    checked, row_failures = check_each_row(
        cells if plain is None else cells.drop(index=plain.records.index), check_row)
    failures += row_failures
    by_label = dict(checked)
    # Every row that passed, in file order, with its key.
    keys = pd.DataFrame([row.key for _, row in checked], index=list(by_label), dtype=object)
    if plain is not None and len(plain.records):
        plain_keys = plain.keys.set_axis(range(plain.keys.shape[1]), axis=1)
        keys = pd.concat([plain_keys, keys]) if checked else plain_keys
    keys = keys.sort_index(kind="stable")
    repeated = repeated_keys(keys)
    candidates = [(label, by_label[label] if label in by_label else plain.checked(label))
                  for label in keys.index[repeated]]
    kept, duplicate_failures = resolve_duplicates([row for _, row in candidates], describe_key,
                                                  text_table.header(duplicate_column))
    failures += duplicate_failures
    failures.sort(key=lambda f: (f.row or 0))
    kept_rows = {id(row) for row in kept}
    dropped = {label for label, row in candidates if id(row) not in kept_rows}
    return _kept_records(columns, plain, checked, dropped), failures


def _kept_records(columns: Sequence[str], plain: PlainRows | None,
                  checked: Sequence[tuple[Hashable, CheckedRow]], dropped: set
                  ) -> pd.DataFrame:
    """The records of the rows kept, plain and checked alike, in file order."""
    parts = []
    if plain is not None and len(plain.records):
        parts.append(plain.records.loc[~plain.records.index.isin(list(dropped)),
                                       list(columns)])
    kept = [(label, row) for label, row in checked if label not in dropped]
    if kept:
        parts.append(pd.DataFrame.from_records([row.record for _, row in kept],
                                               columns=list(columns))
                     .set_axis([label for label, _ in kept]))
    if not parts:
        return pd.DataFrame(columns=list(columns))
    records = pd.concat(parts).sort_index(kind="stable") if len(parts) > 1 else parts[0]
    return records.reset_index(drop=True)
