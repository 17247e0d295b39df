"""The whole-column reading of KPI values gives exactly what the row-by-row reading gives.

The KPI values kind finds its plainly right rows by whole columns (`returns.plain_rows`) and
reads only the others one by one (`reader.check_row`); repeats are resolved only among repeated
keys. Here both are compared with the reading as it was before (every row through `check_row`,
every row through `resolve_duplicates`, copied below) on awkward cells, so the fast path can
never change a message, a row number, a value or the table's order."""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from domain.ingest.csvtext import (SOURCE_ROW, TextTable, clean_text_table, resolve_duplicates,
                                   visible_controls)
from domain.ingest.kinds.comparators import KIND as COMPARATORS_KIND
from domain.ingest.kinds.kpi_values import KIND
from domain.ingest.kinds.reader import check_row, validate_kind
from domain.ingest.returns import MAX_NUMBER, parse_number, plain_numbers, plain_rows
from domain.rules.failures import failure
from test_returns import PLAN  # the tiny plan of the returns tests (tests/unit on sys.path)

COLUMNS = KIND.required + KIND.optional
CELLS = {
    "kpi_ref": ["19a", "19A", "9a", "15", "16", "zz", "", " 9a", "19z"],
    "period": ["2016/17 Q2", "Q3 2016-17", "31/12/2016", "2016/17", "2015/16 Q4", "bad", "",
               "2016/17 H1", "9999/00 Q4", "1989/90 Q1", "2016/17 Q2\x1fquarterly"],
    "value": ["25.3", "25.30", "25", "85%", "0.85", "1,234", "1.234,5", "25,3", "1.234", "-3",
              "-0", "", "n/a", "0", "100", "101", "4", "7", ".5", "5.", "+2", "1e5",
              "\u0663", "4" * 400, "1" * 16, "9" * 15, "0.05", "3\x01", "2\u200b5"],
    "numerator": ["", "", "1", "4", "0", "-1", "x", "3", "1,000", "5,5", "1" * 16],
    "denominator": ["", "", "4", "7", "0", "-0", "20", "1.234", "0.0000001"],
    "area": ["", "North", "north", " North ", "NORTH", "North  East", "A\xa0B", "Nor\u200bth",
             "So\u0301uth", "Só uth"],
    "comment": ["", "ok", "=1+1", "late\x1b"],
}
ROW = st.fixed_dictionaries({column: st.sampled_from(values) for column, values in CELLS.items()})


def text_table(rows: list[dict], same_row: list[bool], decimal_comma: bool) -> TextTable:
    """The cells of `rows`; a row marked `same_row` shares the row number of the one before
    (the wide layout gives each value of a row its row number)."""
    numbers, number = [], 1
    for index, repeat in enumerate(same_row[:len(rows)] + [False] * len(rows)):
        if index == len(rows):
            break
        number += 0 if repeat and index else 1
        numbers.append(number)
    cells = pd.DataFrame({column: pd.Series([row[column] for row in rows], dtype="str")
                          for column in COLUMNS})
    cells[SOURCE_ROW] = pd.Series(numbers, dtype="int64")
    return TextTable(cells, {column: column.upper() for column in COLUMNS}, 1, decimal_comma)


# --- the reading before issue 10, kept as it was ------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u2069\ufeff]")


def clean_before(text_table: TextTable):
    cells = text_table.cells
    columns = [column for column in cells.columns if column != SOURCE_ROW]
    failures = []
    refused = pd.Series(False, index=cells.index)
    cleaned = {}
    for column in columns:
        text = cells[column]
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


def _first_spellings_before(values: pd.Series) -> pd.Series:
    first: dict[str, str] = {}
    for text in pd.unique(values):
        first.setdefault(str(text).casefold(), text)
    return values.map(lambda text: first[str(text).casefold()]).astype(values.dtype)


def _kind_table_before(kind, records) -> pd.DataFrame:
    if not records:
        return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in kind.dtypes.items()})
    frame = pd.DataFrame.from_records(records, columns=list(kind.column_names))
    frame = frame.astype(dict(kind.dtypes))
    if kind.sort_by:
        frame = frame.sort_values(list(kind.sort_by), kind="stable")
    return frame.reset_index(drop=True)


def row_by_row(kind, table: TextTable):
    lookup = kind.lookup(PLAN)
    cleaned, failures = clean_before(table)
    checked = []
    for cells in cleaned.cells.to_dict("records"):
        row, row_failures = check_row(kind, cells, table, lookup)
        failures += row_failures
        if row is not None:
            checked.append(row)
    kept, repeats = resolve_duplicates(
        checked, lambda row: kind.describe({c: row.record[c] for c in kind.key}),
        table.header(kind.duplicate_column))
    failures += repeats
    failures.sort(key=lambda f: (f.row or 0))
    records = [row.record for row in kept]
    for column in kind.case_insensitive_key:
        spellings = _first_spellings_before(pd.Series([r[column] for r in records], dtype="str"))
        records = [{**record, column: name} for record, name in zip(records, spellings)]
    return _kind_table_before(kind, records), tuple(failures)


# --- the comparisons -----------------------------------------------------------------------------

def with_repeats(rows):
    """Some rows copied (and some of those copies changed a little), so exact repeats and
    conflicts both occur."""
    if not rows:
        return st.just(rows)
    return st.lists(st.tuples(st.sampled_from(rows), st.sampled_from([None, "value", "area"])),
                    max_size=5).map(lambda extra: rows + [
                        row if change is None else
                        {**row, change: {"value": "26", "area": "NORTH"}[change]}
                        for row, change in extra])


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(ROW, max_size=12).flatmap(with_repeats),
       same_row=st.lists(st.booleans(), max_size=20), decimal_comma=st.booleans())
def test_whole_columns_give_what_the_row_by_row_reading_gave(rows, same_row, decimal_comma):
    table = text_table(rows, same_row, decimal_comma)
    expected_table, expected_failures = row_by_row(KIND, table)
    result = validate_kind(KIND, table, PLAN)
    assert result.failures == expected_failures
    pd.testing.assert_frame_equal(result.table, expected_table)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(ROW, max_size=12).flatmap(with_repeats),
       same_row=st.lists(st.booleans(), max_size=20))
def test_a_kind_read_row_by_row_gives_what_it_gave(rows, same_row):
    """Comparators have no whole-column reader: the reader's new bookkeeping changes nothing."""
    rows = [{**row, "comparator": row["area"] or "England"} for row in rows]
    cells = pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype="str")
                          for c in COMPARATORS_KIND.required})
    numbers = text_table(rows, same_row, False).cells[SOURCE_ROW]
    cells[SOURCE_ROW] = numbers
    table = TextTable(cells, {c: c for c in COMPARATORS_KIND.required}, 1)
    expected_table, expected_failures = row_by_row(COMPARATORS_KIND, table)
    result = validate_kind(COMPARATORS_KIND, table, PLAN)
    assert result.failures == expected_failures
    pd.testing.assert_frame_equal(result.table, expected_table)


def test_plain_rows_take_only_plainly_right_rows():
    rows = [dict(zip(COLUMNS, cells)) for cells in (
        ("19a", "2016/17 Q2", "25.3", "", "", "", ""),  # plain
        ("19a", "2016/17 Q2", "0.85", "", "", "", ""),  # a fraction? the row check decides
        ("16", "2016/17 Q2", "4", "4", "7", "North", ""),  # counts out of the plan's 7
        ("16", "2016/17 Q2", "4", "4", "8", "South", ""),  # a denominator that is not 7
        ("9a", "2016/17 Q2", "60", "", "", "", ""),  # a quarter for an annual KPI
        ("15", "2016/17 Q2", "1" * 16, "", "", "", ""),  # too large: the row check says so
        ("15", "2016/17 Q2", "", "", "", "", ""),  # blank: skipped with a note
    )]
    plain = plain_rows(text_table(rows, [], False).cells, KIND.lookup(PLAN), False)
    assert list(plain[SOURCE_ROW]) == [2, 4]
    assert plain["area"].tolist() == ["", "North"] and math.isnan(plain["numerator"].iloc[0])
    assert list(plain.columns) == list(KIND.column_names)


@settings(max_examples=300, deadline=None)
@given(text=st.from_regex(r"[+-]?[0-9]{0,20}(\.[0-9]{0,20})?", fullmatch=True)
       | st.floats(allow_nan=False).map(str), decimal_comma=st.booleans())
def test_plain_numbers_read_as_parse_number_reads(text, decimal_comma):
    (read,) = plain_numbers(pd.Series([text], dtype="str"), decimal_comma)
    expected = parse_number(text, decimal_comma=decimal_comma)
    if math.isnan(read):  # left to the row check, which reads or refuses it
        return
    assert expected is not None and abs(expected) < MAX_NUMBER
    assert read == expected and np.signbit(read) == (math.copysign(1, expected) < 0)


CLEANING_TEXT = st.lists(st.sampled_from(["a", "B", " ", "\t", "1", ",", "\x01", "\x1b", "\x7f",
                                          "\x85", "\x9f", "\xa0", "\u200b", "\u202e",
                                          "\ufeff", "e\u0301", "\u00e9", "\u3000", "\n"]),
                         max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(columns=st.lists(st.lists(CLEANING_TEXT, min_size=3, max_size=3), min_size=1,
                        max_size=3))
def test_cleaning_gives_what_it_gave(columns):
    """ASCII columns skip the per-cell replacements, which cannot change them."""
    cells = pd.DataFrame({f"c{i}": pd.Series(texts, dtype="str")
                          for i, texts in enumerate(columns)})
    cells[SOURCE_ROW] = pd.Series([2, 3, 4], dtype="int64")
    table = TextTable(cells, {}, 1)
    expected, expected_failures = clean_before(table)
    cleaned, found = clean_text_table(table)
    assert found == expected_failures
    pd.testing.assert_frame_equal(cleaned.cells, expected.cells)
