"""What an upload kind declares, once: the columns of its file and of its table, how each cell
is read (with the failure codes it can give), the checks across a row, the key, what a
revision compares, the help text and the preview's columns.

Everything else reads the declaration: the generic reader (`reader.py`), the recognition of an
uploaded file (`domain/ingest/upload.py`), the store's kinds and tables
(`domain/store/repository.py`, `domain/store/sqlite.py`), the upload page and its preview
(`components/upload.py`), the template and the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from domain.ingest.csvtext import SOURCE_ROW, TextTable, header_index
from domain.rules.failures import FAILURE_TEMPLATES, Failure, FailureType
from domain.rules.plan import Plan

# A file's records: (spreadsheet row number, cells as text).
Records = Sequence[tuple[int, list[str]]]

# The checks the generic reader and the upload run for every kind: a control character in any
# cell and a key given twice (the reader), and a period or date after the upload's as-at date
# (domain/ingest/upload.py).
EVERY_KIND_CODES = ("control_character", "duplicate_row", "duplicate_conflict",
                    "period_after_asat")
# The check against the stored values a kind may ask for (domain/ingest/upload.py).
FAR_FROM_PREVIOUS_CODE = "far_from_previous"

DATETIME = "datetime64[ns]"


@dataclass(frozen=True)
class Column:
    """A column of the kind's table: what the reader gives and the store keeps."""

    name: str
    dtype: str  # pandas dtype: "str", "float64", "int64" or DATETIME
    nullable: bool = False  # may be blank (NaN); only numbers may
    note: bool = False  # free text beside what the row says: repeats and revisions ignore it


SOURCE_ROW_COLUMN = Column(SOURCE_ROW, "int64")


@dataclass
class RowAt:
    """One row while it is read: where it is, its cells as written and the cells read so far
    (None where a cell failed), for the cell readers and the row checks."""

    row: int
    text: Mapping[str, str]
    table: TextTable
    lookup: Mapping[str, object]  # what the kind finds refs in (e.g. the plan's KPIs by ref)
    cells: dict[str, object] = field(default_factory=dict)

    def header(self, column: str) -> str:
        """The column's header as written in the file, to name it in a failure."""
        return self.table.header(column)

    @property
    def decimal_comma(self) -> bool:
        return self.table.decimal_comma


# A cell reader: (text as written, the column's header as written, the row) -> value or Failure.
CellReader = Callable[[str, str, RowAt], object]


def _as_written(value: object, name: str) -> Mapping[str, object]:
    return {name: value}


@dataclass(frozen=True)
class FileColumn:
    """A column of the file: its header name, whether it must be there, how a cell is read and
    the failure codes reading it can give, and the table columns the value fills."""

    name: str
    required: bool
    read: CellReader | None = None  # None: the text as written
    codes: tuple[str, ...] = ()
    # The value read -> the table's cells; by default the value under the column's own name.
    into: Callable[[object], Mapping[str, object]] | None = None

    def table_cells(self, value: object) -> Mapping[str, object]:
        return self.into(value) if self.into else _as_written(value, self.name)


@dataclass(frozen=True)
class RowCheck:
    """A check across a row's cells, run once every cell was read without an error. `run`
    gives the row's cells (changed, when the check settles a value) and its failures."""

    run: Callable[[dict[str, object], RowAt], tuple[dict[str, object], list[Failure]]]
    codes: tuple[str, ...]


@dataclass(frozen=True)
class UploadKind:
    """One kind of upload, as its module declares it (see domain/ingest/kinds/README)."""

    name: str  # the store's name for it, shown in the history: "kpi values"
    title: str  # in a sentence: "KPI values", "action progress"
    file_columns: tuple[FileColumn, ...]
    columns: tuple[Column, ...]  # the table, in order; source_row is added last
    key: tuple[str, ...]  # what a row reports on: a key once per file and per current value
    compared: tuple[str, ...]  # what it says: the same key and these is unchanged
    lookup: Callable[[Plan], Mapping[str, object]]  # refs in any case -> the plan's items
    describe: Callable[[Mapping[str, object]], str]  # a key in words, for duplicate_conflict
    duplicate_column: str  # the file column a conflicting repeat is reported in
    dated_by: str  # the file column that must have ended by the upload's as-at date
    ends_on: str  # the table column holding that date
    shown: tuple[str, ...]  # the preview's and the history's columns
    store_table: str  # the name the store keeps its rows under
    row_checks: tuple[RowCheck, ...] = ()
    sort_by: tuple[str, ...] = ()  # the table's order; () keeps the file's
    # Names a person types, one name in any case: "England" and "england" are one comparator.
    # The file's first spelling is kept, or the store's when it holds the name already.
    case_insensitive_key: tuple[str, ...] = ()
    warns_far_from_previous: bool = False  # warn when a value is far from the stored one
    # A row whose cell in this column is blank (a template row not filled in) is skipped with a
    # `blank_value_skipped` note rather than refused; "" when a blank is an error like any other.
    skipped_when_blank: str = ""
    # The rows the row-by-row reading passes with no failure and no warning, found by whole
    # columns: (cleaned cells, `lookup`'s result, decimal comma) -> their records (the table's
    # columns as the cell readers give them), indexed like the cells. Only the other rows are
    # read one by one; both ways give the same table and failures (a property test per kind:
    # tests/unit/test_returns_vectorised.py). None: every row is read one by one.
    plain_rows: Callable[[pd.DataFrame, Mapping[str, object], bool], pd.DataFrame] | None = None

    # --- the file ---------------------------------------------------------------------------

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.file_columns if c.required)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.file_columns if not c.required)

    # --- the table --------------------------------------------------------------------------

    @property
    def table_columns(self) -> tuple[Column, ...]:
        return (*self.columns, SOURCE_ROW_COLUMN)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table_columns)

    @property
    def dtypes(self) -> Mapping[str, str]:
        return MappingProxyType({c.name: c.dtype for c in self.table_columns})

    @property
    def nullable(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table_columns if c.nullable)

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table_columns if c.note)

    @property
    def content(self) -> tuple[str, ...]:
        """What a row says, beside its notes: two rows with the same key and content repeat
        each other, and a revision shows these changing."""
        return tuple(c for c in self.compared if c not in self.notes) or self.compared

    # --- the failures -----------------------------------------------------------------------

    @property
    def codes(self) -> tuple[str, ...]:
        """Every failure code a row of this kind can give, each with a test (the kinds
        meta-test in tests/unit/test_upload_kinds.py)."""
        found = [code for column in self.file_columns for code in column.codes]
        found += [code for check in self.row_checks for code in check.codes]
        found += EVERY_KIND_CODES
        found += [FAR_FROM_PREVIOUS_CODE] if self.warns_far_from_previous else []
        return tuple(dict.fromkeys(found))

    @property
    def failure_types(self) -> Mapping[str, FailureType]:
        """Each code with its message template and severity."""
        return MappingProxyType({code: FAILURE_TEMPLATES[code] for code in self.codes})

    # --- the upload page --------------------------------------------------------------------

    @property
    def columns_in_words(self) -> str:
        words = ", ".join(self.required)
        return words + (f", and optionally {', '.join(self.optional)}" if self.optional else "")


@dataclass(frozen=True)
class Layout:
    """A way a kind is written in a file, recognised by its header. The long layout is the
    kind's own columns; another layout (wide) turns its records into the long layout's."""

    name: str  # "long" or "wide", shown in the report
    kind: UploadKind
    help: str  # one line for the upload page's "Layouts accepted"
    expected: str  # its header in words, for a message about a file no layout recognises
    find_header: Callable[[Records], int | None]
    # (records, header index, the most values wanted) -> long records; it may stop one value
    # past that most, enough to refuse the file as too many rows without building it all.
    to_long: Callable[[Records, int, int], list[tuple[int, list[str]]]] | None = None

    @property
    def is_long(self) -> bool:
        return self.to_long is None


def long_layout(kind: UploadKind, has_other_layouts: bool = False) -> Layout:
    """The layout of a kind's own columns, found by a header naming every required one."""
    title = kind.title[:1].upper() + kind.title[1:] + (", long" if has_other_layouts else "")
    return Layout("long", kind, f"{title}: {kind.columns_in_words}.", ", ".join(kind.required),
                  lambda records: header_index(records, kind.required))
