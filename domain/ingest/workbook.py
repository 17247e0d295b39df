"""An uploaded Excel workbook's sheets as numbered text records, read safely.

An .xlsx file is a zip of XML. Before openpyxl sees it we check the archive (how many entries,
how large unpacked, how hard compressed) so a "zip bomb" is refused without being unpacked, and
count the cells its XML holds, so a sheet of millions of cells is refused before it is parsed;
openpyxl reads the XML through defusedxml (installed beside it), which refuses entity-expansion
"XML bombs". The workbook is opened read-only and with cached values (no formulas are run), and
read within the `ReadBudget`'s rows and columns, never to the sheet's declared `<dimension>`
(a 60 KB file can claim A1:XFD1048576, and openpyxl pads every row to it).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
import zlib
from datetime import date, datetime, time

from domain.ingest.csvtext import READ_BUDGET, OverBudget, ReadBudget, check_record

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ENTRIES = 500


class UnsafeWorkbook(Exception):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


# A cell (<c ...>) or a shared string (<si>) in any part's XML, with or without a namespace
# prefix; <col> and <c:chart> do not match.
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_SHARED_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def check_archive(content: bytes) -> None:
    """Refuse a zip that is damaged, has too many parts or unpacks too large."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnsafeWorkbook("it is damaged or not an Excel workbook") from None
    if len(entries) > MAX_ENTRIES:
        raise UnsafeWorkbook(f"it has {len(entries)} parts")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnsafeWorkbook(f"it unpacks to {unpacked:,} bytes, more than "
                             f"{MAX_UNPACKED_BYTES:,}")
    for entry in entries:
        if entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1) \
                and entry.file_size > 1024 * 1024:
            raise UnsafeWorkbook(f"its part {entry.filename!r} is compressed suspiciously "
                                 "hard")


def check_cell_count(content: bytes, budget: ReadBudget) -> None:
    """Raise `OverBudget` when the workbook's XML holds more cells (or shared strings) than the
    budget, counted in the raw text before any XML parser builds them: openpyxl parses every
    sheet (and every shared string) once on opening, however little of it is then read. Call
    after `check_archive`, which bounds each part's unpacked size."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    cells = strings = 0
    for entry in archive.infolist():
        if not entry.filename.lower().endswith(".xml"):
            continue
        try:
            text = archive.read(entry)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
                RuntimeError, zlib.error):  # damaged, encrypted or an unknown compression
            raise UnsafeWorkbook("it is damaged or not an Excel workbook") from None
        limit = budget.cells + 1
        cells += sum(1 for _ in itertools.islice(_CELL_TAG.finditer(text), limit))
        strings += sum(1 for _ in itertools.islice(_SHARED_STRING_TAG.finditer(text), limit))
        if cells > budget.cells or strings > budget.cells:
            raise OverBudget(code="too_many_cells", row=None, limit=f"{budget.cells:,}")


def cell_text(value, number_format: str | None = None) -> str:
    """A cell as the text a person would see typed: dates as 2016-12-31, a cell formatted as a
    percentage (0.85 shown as 85%) as "85%", whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        if number_format and "%" in number_format:
            return f"{value * 100:.10g}%"
        return f"{value:.12g}"
    return str(value).strip()


def _reason(error: BaseException) -> str:
    """Why openpyxl gave up, in words; defusedxml's refusals (wrapped by openpyxl) named."""
    from defusedxml import DefusedXmlException

    seen = error
    while seen is not None:
        if isinstance(seen, DefusedXmlException):
            return "its XML declares entities, which could exhaust the server"
        seen = seen.__cause__ or seen.__context__
    return f"it is damaged or not an .xlsx workbook ({type(error).__name__})"


def _bound_row_width(sheet, budget: ReadBudget) -> None:
    """Make the read-only sheet hand over only the cells within the budget's columns, and
    refuse a row with a filled cell beyond them (rather than drop it without a word). Rows are
    then as wide as their own last cell, never padded to a declared or a fixed width. (Wraps
    openpyxl 3.1's ReadOnlyWorksheet._get_row, which receives every parsed cell of a row; the
    tests cover it, so a change in openpyxl shows.)"""
    original = sheet._get_row

    def bounded(row, *args, **kwargs):
        kept = []
        for cell in row:
            if cell["column"] <= budget.columns:
                kept.append(cell)
            elif cell["value"] not in (None, ""):
                raise OverBudget(code="too_many_columns", row=cell["row"],
                                 count=f"at least {cell['column']:,}",
                                 limit=f"{budget.columns:,}")
        return original(kept, *args, **kwargs)

    sheet._get_row = bounded


def _sheet_records(sheet, budget: ReadBudget) -> list[tuple[int, list[str]]]:
    """A sheet's non-blank rows as (row number, cell texts, without trailing blank cells),
    read within the budget."""
    _bound_row_width(sheet, budget)
    sheet.reset_dimensions()  # the declared <dimension> is never trusted
    records = []
    cells_read = 0
    # An explicit last row (one more than the budget allows, to know that there is one);
    # no last column, so each row is as wide as its cells (bounded above).
    rows = sheet.iter_rows(min_row=1, max_row=budget.records + 1, min_col=1)
    for row_number, row in enumerate(rows, start=1):
        if row_number > budget.records:  # the sheet has rows (even formatted blank ones)
            raise OverBudget(code="too_many_rows", row=None, count=f"more than {budget.rows:,}",
                             limit=f"{budget.rows:,}")
        cells = [cell_text(cell.value, getattr(cell, "number_format", None)) for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        check_record(row_number, cells, cells_read, budget)
        cells_read += len(cells)
        records.append((row_number, cells))
    return records


def _read_book(content: bytes, budget: ReadBudget, read):
    """`read(book)` on the workbook, opened only after its archive and cell count are checked;
    raises `UnsafeWorkbook`, or `OverBudget` (rows, columns, cells, characters)."""
    check_archive(content)
    check_cell_count(content, budget)
    import openpyxl  # imported here: only uploads of workbooks need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file; all mean the same
        raise UnsafeWorkbook(_reason(error)) from None
    try:
        return read(book)
    except (OverBudget, UnsafeWorkbook):
        raise
    except Exception as error:
        raise UnsafeWorkbook(_reason(error)) from None
    finally:
        book.close()


def workbook_records(content: bytes, budget: ReadBudget = READ_BUDGET
                     ) -> list[tuple[int, list[str]]]:
    """The first sheet's non-blank rows as (row number, cell texts, without trailing blank
    cells); raises `UnsafeWorkbook`, or `OverBudget` (rows, columns, cells, characters)."""
    return _read_book(content, budget, lambda book: _sheet_records(book.worksheets[0], budget)
                      if book.worksheets else [])


def workbook_sheets(content: bytes, budget: ReadBudget = READ_BUDGET
                    ) -> dict[str, list[tuple[int, list[str]]]]:
    """Every sheet's non-blank rows by the sheet's name as written (a plan import reads one
    sheet per register file), each within the budget; raises `UnsafeWorkbook` or `OverBudget`."""
    return _read_book(content, budget, lambda book: {sheet.title: _sheet_records(sheet, budget)
                                                     for sheet in book.worksheets})
