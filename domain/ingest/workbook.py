"""An uploaded Excel workbook's sheets as numbered text records, read safely.

An .xlsx file is a zip of XML. Before openpyxl sees it we check the archive (how many entries,
how large unpacked, how hard compressed) so a "zip bomb" is refused without being unpacked;
openpyxl reads the XML through defusedxml (installed beside it), which refuses entity-expansion
"XML bombs". The workbook is opened read-only and with cached values (no formulas are run).
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time

MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_ENTRIES = 500


class UnsafeWorkbook(Exception):
    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class TooManyRows(Exception):
    def __init__(self, count: int):
        self.count = count
        super().__init__(count)


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


def _open_book(content: bytes):
    check_archive(content)
    import openpyxl  # imported here: only uploads of workbooks need it

    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file; all mean the same
        raise UnsafeWorkbook(_reason(error)) from None


def _sheet_records(sheet, max_rows: int) -> list[tuple[int, list[str]]]:
    records = []
    for row_number, row in enumerate(sheet.iter_rows(), start=1):
        if row_number > max_rows + 50:  # data rows plus room for notes above the header
            raise TooManyRows(row_number)
        cells = [cell_text(cell.value, getattr(cell, "number_format", None)) for cell in row]
        if any(cells):
            records.append((row_number, cells))
    return records


def _read_book(content: bytes, read):
    book = _open_book(content)
    try:
        return read(book)
    except (TooManyRows, UnsafeWorkbook):
        raise
    except Exception as error:
        raise UnsafeWorkbook(_reason(error)) from None
    finally:
        book.close()


def workbook_records(content: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    """The first sheet's non-blank rows as (row number, cell texts); raises `UnsafeWorkbook`
    or `TooManyRows`."""
    return _read_book(content, lambda book: _sheet_records(book.worksheets[0], max_rows)
                      if book.worksheets else [])


def workbook_sheets(content: bytes, max_rows: int) -> dict[str, list[tuple[int, list[str]]]]:
    """Every sheet's non-blank rows by the sheet's name as written (a plan import reads one
    sheet per register file); raises `UnsafeWorkbook` or `TooManyRows`."""
    return _read_book(content, lambda book: {sheet.title: _sheet_records(sheet, max_rows)
                                             for sheet in book.worksheets})
