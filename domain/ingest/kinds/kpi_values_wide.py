"""The wide layout, as performance spreadsheets are kept: one row per KPI, one column per period.

    kpi_ref,measure,2016/17 Q1,2016/17 Q2,2016/17 Q3
    19a,Re-referrals,24.1,25.3,

Turned into long records (`kpi_ref, period, value, area`) so the long layout's checks apply to
every cell; a blank cell is no value, not an error. Columns whose header is not a period (a
measure name, a target) are ignored. A layout of the KPI values kind (`kpi_values.py`), not a
kind of its own: it is stored as KPI values.
"""

from __future__ import annotations

from collections.abc import Sequence

from domain.ingest.csvtext import normalise_header
from domain.ingest.kinds.declaration import Layout
from domain.ingest.kinds.kpi_values import KIND as KPI_VALUES_KIND
from domain.rules.periods import PeriodError, YearOutOfRange, parse_period

LONG_HEADER = ["kpi_ref", "period", "value", "area"]
_HEADER_SEARCH_ROWS = 20


def _is_period(text: str) -> bool:
    try:
        parse_period(text)
    except YearOutOfRange:
        return True  # a period all the same: its values are refused with the year named
    except (PeriodError, ValueError):
        return False
    return True


def wide_header_index(records: Sequence[tuple[int, list[str]]]) -> int | None:
    """The header of a wide file: a kpi_ref column, no period column, and period headers."""
    for index, (_, cells) in enumerate(records[:_HEADER_SEARCH_ROWS]):
        names = [normalise_header(cell) for cell in cells]
        if "kpi_ref" in names and "period" not in names and any(map(_is_period, cells)):
            return index
    return None


def wide_to_long(records: Sequence[tuple[int, list[str]]], index: int,
                 max_values: int | None = None) -> list[tuple[int, list[str]]]:
    """Long records (a header, then one per non-blank period cell) from a wide file whose
    header is `records[index]`. Each value keeps its spreadsheet row number. With `max_values`,
    it stops after one value more than that (enough to know the file has too many), so a small
    wide file cannot expand into millions of records."""
    header_row, header = records[index]
    names = [normalise_header(cell) for cell in header]
    kpi_at = names.index("kpi_ref")
    area_at = names.index("area") if "area" in names else None
    period_columns = [(i, text) for i, text in enumerate(header) if _is_period(text)]
    long = [(header_row, list(LONG_HEADER))]
    for row_number, cells in records[index + 1:]:
        def cell(i, _cells=cells):
            return _cells[i] if i is not None and i < len(_cells) else ""
        for column, period in period_columns:
            if cell(column):
                long.append((row_number, [cell(kpi_at), period, cell(column), cell(area_at)]))
                if max_values is not None and len(long) > max_values + 1:
                    return long
    return long


LAYOUT = Layout(
    name="wide", kind=KPI_VALUES_KIND,
    help="KPI values, wide: kpi_ref and one column per period (2016/17 Q1 ...).",
    expected="kpi_ref and one column per period",
    find_header=wide_header_index, to_long=wide_to_long)
