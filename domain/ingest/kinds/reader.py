"""One reader for every upload kind, driven by its declaration: the file's text to a
`TextTable` (`csvtext`), each row's cells read and checked, repeats resolved, and the rows that
pass as a typed table. A row with any error is left out of the table; warnings keep it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from domain.ingest.csvtext import (SOURCE_ROW, CheckedRow, PlainRows, Source, TextTable,
                                   check_rows, first_spellings, read_text_table)
from domain.ingest.kinds.declaration import RowAt, UploadKind
from domain.rules.failures import Failure, failure, has_errors
from domain.rules.plan import Plan


@dataclass(frozen=True)
class KindRead:
    table: pd.DataFrame  # only the valid rows, in the kind's columns and dtypes
    failures: tuple[Failure, ...]

    @property
    def ok(self) -> bool:
        return not has_errors(self.failures)


def empty_table(kind: UploadKind) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in kind.dtypes.items()})


def kind_table(kind: UploadKind, records: list[Mapping] | pd.DataFrame) -> pd.DataFrame:
    """The kind's table of checked records, typed and in the kind's order."""
    if len(records) == 0:
        return empty_table(kind)
    frame = (records[list(kind.column_names)] if isinstance(records, pd.DataFrame)
             else pd.DataFrame.from_records(records, columns=list(kind.column_names)))
    frame = frame.astype(dict(kind.dtypes))
    if kind.sort_by:
        frame = frame.sort_values(list(kind.sort_by), kind="stable")
    return frame.reset_index(drop=True)


def read_kind(kind: UploadKind, source: Source, plan: Plan) -> KindRead:
    """Read and check a CSV file (path, bytes or open file) of one kind against the plan."""
    text_table, file_failures = read_text_table(source, kind.required, kind.optional)
    if text_table is None:
        return KindRead(empty_table(kind), file_failures)
    return validate_kind(kind, text_table, plan)


def validate_kind(kind: UploadKind, text_table: TextTable, plan: Plan) -> KindRead:
    """Check every row of a table of the kind's columns (from a CSV file, a workbook or the
    wide layout). A kind that declares `plain_rows` has its plainly right rows found by whole
    columns; only the others are read one by one (`check_row`), with the same result."""
    lookup = kind.lookup(plan)
    rows, failures = check_rows(
        text_table, lambda cells: check_row(kind, cells, text_table, lookup),
        lambda row: kind.describe({c: row.record[c] for c in kind.key}), kind.duplicate_column,
        kind.column_names, _plain_rows(kind, lookup))
    if len(rows):
        for column in kind.case_insensitive_key:  # "south" after "South" is the same area
            rows[column] = first_spellings(rows[column].astype("str"))
    return KindRead(kind_table(kind, rows), tuple(failures))


def _plain_rows(kind: UploadKind, lookup: Mapping[str, object]):
    """The kind's whole-column reader as `check_rows` calls it, or None."""
    if kind.plain_rows is None:
        return None

    def found(text_table: TextTable) -> PlainRows:
        records = kind.plain_rows(text_table.cells, lookup, text_table.decimal_comma)
        keys = pd.DataFrame({column: records[column].str.casefold()
                             if column in kind.case_insensitive_key else records[column]
                             for column in kind.key}, index=records.index)
        shown = text_table.cells[kind.duplicate_column]

        def checked(label) -> CheckedRow:
            record = records.loc[label].to_dict()
            return checked_row(kind, record, shown[label])

        return PlainRows(records, keys, checked)

    return found


def check_row(kind: UploadKind, cells: Mapping[str, object], text_table: TextTable,
              lookup: Mapping[str, object]) -> tuple[CheckedRow | None, list[Failure]]:
    """The checked row, or None and why not. Every cell is read even after one fails, so a
    person sees all of a row's problems at once."""
    at = RowAt(int(cells[SOURCE_ROW]), {c.name: str(cells[c.name]) for c in kind.file_columns},
               text_table, lookup)
    if kind.skipped_when_blank and not at.text[kind.skipped_when_blank]:
        # A template row left for later: skipped with a note, not refused with the file.
        return None, [failure("blank_value_skipped", at.row,
                              at.header(kind.skipped_when_blank), "")]
    failures: list[Failure] = []
    for column in kind.file_columns:
        text = at.text[column.name]
        value = column.read(text, at.header(column.name), at) if column.read else text
        if isinstance(value, Failure):
            failures.append(value)
            value = None
        at.cells[column.name] = value
    if failures:
        return None, failures
    read = dict(at.cells)
    for check in kind.row_checks:
        read, found = check.run(read, at)
        failures += found
    if has_errors(failures):
        return None, failures
    record = {name: value for column in kind.file_columns
              for name, value in column.table_cells(read[column.name]).items()}
    record[SOURCE_ROW] = at.row
    return checked_row(kind, record, at.text[kind.duplicate_column]), failures


def checked_row(kind: UploadKind, record: Mapping[str, object], shown: str) -> CheckedRow:
    """A row that passed its checks, with its key and content for finding repeats; `shown`
    is the duplicate column's cell as written."""
    return CheckedRow(int(record[SOURCE_ROW]), _key(kind, record), _content(kind, record),
                      shown, record)


def _key(kind: UploadKind, record: Mapping[str, object]) -> tuple:
    return tuple(str(record[c]).casefold() if c in kind.case_insensitive_key else record[c]
                 for c in kind.key)


def _content(kind: UploadKind, record: Mapping[str, object]) -> tuple:
    # NaN != NaN, so blanks are compared as None when deciding whether two rows are repeats.
    return tuple(None if isinstance(record[c], float) and math.isnan(record[c]) else record[c]
                 for c in kind.content)
