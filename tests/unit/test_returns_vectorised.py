"""The fast paths give exactly what the row-by-row code gives.

Returns are checked by whole columns (`clean_rows`) with every other row going through
`check_return_row`; files are read by pandas' C parser (`cell_grid`) with the csv module where
it could disagree. Both are compared here with the plain row-by-row code on awkward input, so
a fast path can never change a message, a row number or a value."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings, strategies as st

from domain.csvtext import (SOURCE_ROW, TextTable, UnreadableSource, cell_grid, check_rows,
                            grid_records, numbered_records)
from domain.returns import (OPTIONAL_COLUMNS, REQUIRED_COLUMNS, _describe_key, check_return_row,
                            clean_rows, returns_table, validate_returns)
from test_returns import PLAN  # the tiny plan of the returns tests (tests/unit on sys.path)

COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
CELLS = {
    "kpi_ref": ["19a", "19A", "9a", "15", "16", "zz", "", " 9a"],
    "period": ["2016/17 Q2", "Q3 2016-17", "31/12/2016", "2016/17", "2015/16 Q4", "bad", "",
               "2016/17 H1", "2016/17 Q2\x1fquarterly"],
    "value": ["25.3", "25.30", "85%", "0.85", "1,234", "1.234,5", "-3", "-0", "", "n/a", "0",
              "100", "101", "4", "7", ".5", "5.", "+2", "1e5", "\u0663", "4" * 400, "0.05"],
    "numerator": ["", "", "4", "0", "-1", "x", "3", "1,000", "5,5"],
    "denominator": ["", "", "7", "0", "-0", "20", "1.234"],
    "area": ["", "North", " North ", "North  East", "A\xa0B"],
    "comment": ["", "ok", "=1+1"],
}
ROW = st.fixed_dictionaries({column: st.sampled_from(values) for column, values in CELLS.items()})


def text_table(rows: list[dict], decimal_comma: bool) -> TextTable:
    cells = pd.DataFrame({column: pd.Series([row[column] for row in rows], dtype="str")
                          for column in COLUMNS})
    cells[SOURCE_ROW] = pd.Series(range(2, len(rows) + 2), dtype="int64")
    return TextTable(cells, {column: column.upper() for column in COLUMNS}, 1, decimal_comma)


def row_by_row(table: TextTable):
    kpis_by_key = {kpi.ref.casefold(): kpi for kpi in PLAN.kpis}
    records, failures = check_rows(
        table, lambda cells: check_return_row(cells, table, kpis_by_key), _describe_key, "value")
    return returns_table(records), tuple(failures)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(ROW, max_size=12).flatmap(
    # repeats: some rows copied, so exact repeats and conflicts both occur
    lambda rows: st.lists(st.sampled_from(rows), max_size=4).map(lambda extra: rows + extra)
    if rows else st.just(rows)),
    decimal_comma=st.booleans())
def test_whole_column_checks_match_the_row_by_row_check(rows, decimal_comma):
    table = text_table(rows, decimal_comma)
    expected_table, expected_failures = row_by_row(table)
    result = validate_returns(table, PLAN)
    assert result.failures == expected_failures
    pd.testing.assert_frame_equal(result.table, expected_table)


def test_clean_rows_take_only_plainly_right_rows():
    rows = [dict(zip(COLUMNS, cells)) for cells in (
        ("19a", "2016/17 Q2", "25.3", "", "", "", ""),  # clean
        ("19a", "2016/17 Q2", "0.85", "", "", "", ""),  # a fraction? the row check decides
        ("16", "2016/17 Q2", "4", "4", "7", "North", ""),  # counts out of the plan's 7
        ("16", "2016/17 Q2", "4", "4", "8", "South", ""),  # a denominator that is not 7
        ("9a", "2016/17 Q2", "60", "", "", "", ""),  # a quarter for an annual KPI
    )]
    kpis_by_key = {kpi.ref.casefold(): kpi for kpi in PLAN.kpis}
    clean = clean_rows(text_table(rows, False).cells, kpis_by_key, False)
    assert list(clean[SOURCE_ROW]) == [2, 4]
    assert clean["area"].tolist() == ["", "North"] and math.isnan(clean["numerator"].iloc[0])


# --- reading -------------------------------------------------------------------------------------

TEXT = st.lists(st.sampled_from([",", ";", "\t", '"', '""', "\n", "\r", "\r\n", " ", "a", "1",
                                 "\xa0", "\x1c", "\u3000", "x y", "'", "=", "NaN", "\x0b",
                                 "\x85", "\u2028"]), max_size=40).map("".join)


def trimmed(records):
    """Records without trailing blank cells (a grid pads every record to the widest)."""
    out = []
    for row, cells in records:
        cells = list(cells)
        while cells and cells[-1] == "":
            cells.pop()
        out.append((row, cells))
    return out


def outcome(read):
    try:
        return trimmed(read())
    except UnreadableSource as error:
        return error.reason


@settings(max_examples=400, deadline=None)
@given(text=TEXT, delimiter=st.sampled_from([",", ";", "\t"]))
def test_the_grid_holds_the_records_the_csv_module_reads(text, delimiter):
    assert outcome(lambda: grid_records(cell_grid(text, delimiter))) == \
        outcome(lambda: numbered_records(text, delimiter))


def test_a_cell_over_the_csv_size_limit_is_still_refused():
    text = "kpi_ref,period,value\n19a," + "x" * 200_000 + ",1\n"
    assert outcome(lambda: cell_grid(text)) == outcome(lambda: numbered_records(text))
    assert "field larger than field limit" in outcome(lambda: cell_grid(text))
