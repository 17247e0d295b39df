"""Reading KPI returns (long layout): good files become a typed table, and every problem is one
failure naming its row, column and the text as written."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pandas as pd
import pytest

from domain.rules.failures import ERROR, WARNING
from domain.rules.plan import Action, Kpi, Plan
from domain.ingest.kinds.kpi_values import KIND as KPI_VALUES_KIND
from domain.ingest.kinds.reader import empty_table
from domain.ingest.returns import parse_number, read_returns
from reader_checks import assert_dtypes, only_failure

# The table every KPI values reader gives, whatever the file's layout.
RETURNS_DTYPES = {
    "kpi_ref": "str", "period": "str", "period_kind": "str",
    "period_start": "datetime64[ns]", "period_end": "datetime64[ns]",
    "value": "float64", "numerator": "float64", "denominator": "float64",
    "area": "str", "comment": "str", "source_row": "int64",
}

HEADER = "kpi_ref,period,value,numerator,denominator,area,comment\n"


def make_kpi(ref: str, frequency: str, unit: str, target: float, polarity: str = "higher",
             denominator: float | None = None) -> Kpi:
    return Kpi(ref=ref, theme=1, measure=f"measure {ref}", responsible_officer="Head of Service",
               frequency=frequency, target_label=str(target), target=target, unit=unit,
               denominator=denominator, polarity=polarity, due_label="Mar-17",
               due_date=date(2017, 3, 31))


PLAN = Plan(
    title="Tiny plan", authority="Somewhere", version="1", start_date=date(2016, 4, 1),
    end_date=date(2017, 3, 31), baseline_date=date(2016, 3, 31), themes=(),
    kpis=(make_kpi("19a", "quarterly", "percent", 15, polarity="lower"),
          make_kpi("9a", "annual", "percent", 60),
          make_kpi("15", "quarterly", "children", 439),
          make_kpi("16", "quarterly", "homes", 4, denominator=7)),
    actions=(Action(ref="1.2.4", theme=1, heading_ref="1.2", heading="Heading",
                    description="Do it", kpi_refs_label="19a", kpi_refs=("19a",),
                    due_label="Dec 2016", due_date=date(2016, 12, 31), leads=("Lead",)),),
)


def read(text: str):
    return read_returns(text.encode("utf-8"), PLAN)


def assert_returns_dtypes(table: pd.DataFrame):
    assert_dtypes(table, RETURNS_DTYPES)


# --- good files ----------------------------------------------------------------------------------

def test_a_tidy_file_gives_a_typed_table():
    result = read(HEADER + "19a,2016/17 Q3,25.3,,,,first return\n")
    assert result.ok and result.failures == ()
    assert_returns_dtypes(result.table)
    row = result.table.iloc[0]
    assert row["kpi_ref"] == "19a"
    assert row["period"] == "2016/17 Q3" and row["period_kind"] == "quarter"
    assert row["period_start"] == pd.Timestamp("2016-10-01")
    assert row["period_end"] == pd.Timestamp("2016-12-31")
    assert row["value"] == 25.3
    assert np.isnan(row["numerator"]) and np.isnan(row["denominator"])
    assert row["area"] == "" and row["comment"] == "first return"
    assert row["source_row"] == 2


def test_a_file_saved_from_excel_reads_the_same():
    text = ("\ufeffKPI Ref, Period ,VALUE,Numerator,DENOMINATOR, Area ,Comment,,\r\n"
            " 19A ,2016/17 Q3,85%,,,,,,\r\n"
            "15,Q3 2016/17,\"1,234\",,,  East   Central ,,,\r\n"
            "19a,2016/17 Q2,24,12,50,,,,\r\n"
            "16,31/12/2016,4,4,7,,,,\r\n"
            "9a,2017-03-31,61.5 %,,,,,,\r\n"
            ",,,,,,,,\r\n")
    result = read(text)
    assert result.ok, result.failures
    assert_returns_dtypes(result.table)
    table = result.table.set_index(["kpi_ref", "period"])
    assert table.loc[("19a", "2016/17 Q3"), "value"] == 85
    assert table.loc[("15", "2016/17 Q3"), "value"] == 1234
    assert table.loc[("15", "2016/17 Q3"), "area"] == "East Central"
    assert table.loc[("19a", "2016/17 Q2"), ["numerator", "denominator"]].tolist() == [12, 50]
    assert table.loc[("16", "2016/17 Q3"), "value"] == 4
    # A quarter-end date for an annual KPI is that financial year.
    assert table.loc[("9a", "2016/17"), "period_kind"] == "year"
    assert table.loc[("9a", "2016/17"), "period_end"] == pd.Timestamp("2017-03-31")


@pytest.mark.parametrize("make_source", [
    lambda text: text.encode("utf-8-sig"),
    lambda text: io.BytesIO(text.encode("utf-8")),
    lambda text: io.StringIO("\ufeff" + text),
], ids=["bytes with BOM", "binary file", "text file"])
def test_bytes_and_open_files_are_read_alike(make_source):
    result = read_returns(make_source(HEADER + "19a,2016/17 Q3,25.3,,,,\n"), PLAN)
    assert result.ok and result.table["value"].tolist() == [25.3]


def test_a_path_is_read(tmp_path):
    path = tmp_path / "returns.csv"
    path.write_bytes((HEADER + "19a,2016/17 Q3,25.3,,,,\n").encode("utf-8-sig"))
    for source in (path, str(path)):
        assert read_returns(source, PLAN).table["value"].tolist() == [25.3]


def test_only_the_required_columns_are_needed_and_others_are_ignored():
    result = read("Value,Notes,Period,KPI_REF\n25.3,ignored,2016/17 Q3,19a\n")
    assert result.ok
    assert result.table.loc[0, "area"] == "" and result.table.loc[0, "comment"] == ""
    assert np.isnan(result.table.loc[0, "numerator"])


def test_area_rows_are_breakdowns_beside_the_whole_authority():
    result = read(HEADER + "15,2016/17 Q3,400,,,,\n15,2016/17 Q3,150,,,South,\n"
                  "15,2016/17 Q3,250,,,North,\n")
    assert result.ok
    assert result.table["area"].tolist() == ["", "North", "South"]


def test_the_table_is_sorted_by_kpi_area_and_period_end():
    result = read(HEADER + "19a,2016/17 Q3,20,,,,\n15,2016/17 Q2,3,,,,\n19a,2016/17 Q1,22,,,,\n")
    assert result.table[["kpi_ref", "period"]].values.tolist() == [
        ["15", "2016/17 Q2"], ["19a", "2016/17 Q1"], ["19a", "2016/17 Q3"]]
    assert result.table.index.tolist() == [0, 1, 2]


def test_valid_rows_are_kept_when_others_fail():
    result = read(HEADER + "20z,2016/17 Q3,1,,,,\n19a,2016/17 Q3,25,,,,\n")
    assert not result.ok
    assert result.table["source_row"].tolist() == [3]


def test_a_value_matching_its_fraction_to_within_rounding_passes():
    result = read(HEADER + "19a,2016/17 Q3,33.3,1,3,,\n15,2016/17 Q3,2.5,5,2,,\n")
    assert result.ok, result.failures


@pytest.mark.parametrize("text, allow_percent, expected", [
    ("25.3", False, 25.3), ("1,234", False, 1234.0), ("1,234,567.5", False, 1234567.5),
    ("85%", True, 85.0), ("85 %", True, 85.0), ("-2", False, -2.0), (".5", False, 0.5),
    ("85%", False, None), ("1,5", False, None), ("12,34", False, None), ("nan", False, None),
    ("inf", False, None), ("1e3", False, None), ("", False, None), ("£5", False, None),
])
def test_parse_number_accepts_what_spreadsheets_write_and_nothing_else(text, allow_percent,
                                                                       expected):
    assert parse_number(text, allow_percent) == expected


# --- one failure per problem ---------------------------------------------------------------------

@pytest.mark.parametrize("line, code, column, value", [
    ("20z,2016/17 Q3,10,,,,", "unknown_kpi", "kpi_ref", "20z"),
    ("19a,2016/17 Q5,10,,,,", "bad_period", "period", "2016/17 Q5"),
    ("19a,Spring,10,,,,", "bad_period", "period", "Spring"),
    ("9a,2016/17 Q3,85,,,,", "frequency_mismatch", "period", "2016/17 Q3"),
    ("19a,2016/17,10,,,,", "frequency_mismatch", "period", "2016/17"),
    ("19a,2016/17 Q3,ten,,,,", "not_a_number", "value", "ten"),
    ("15,2016/17 Q3,85%,,,,", "not_a_number", "value", "85%"),
    ("15,2016/17 Q3,\"1,5\",,,,", "not_a_number", "value", "1,5"),
    ("19a,2016/17 Q3,10,a few,5,,", "not_a_number", "numerator", "a few"),
    ("19a,2016/17 Q3,100.5,,,,", "percent_out_of_range", "value", "100.5"),
    ("19a,2016/17 Q3,-1%,,,,", "percent_out_of_range", "value", "-1%"),
    ("15,2016/17 Q3,-3,,,,", "negative_value", "value", "-3"),
    ("15,2016/17 Q3,3,-1,2,,", "negative_value", "numerator", "-1"),
    ("15,2016/17 Q3,3,3,0,,", "zero_denominator", "denominator", "0"),
    ("19a,2016/17 Q3,20,12,50,,", "numerator_denominator_mismatch", "value", "20"),
    ("15,2016/17 Q3,3,12,3,,", "numerator_denominator_mismatch", "value", "3"),
    ("16,2016/17 Q3,5,4,7,,", "numerator_denominator_mismatch", "value", "5"),
    ("16,2016/17 Q3,4,4,8,,", "numerator_denominator_mismatch", "denominator", "8"),
    (",2016/17 Q3,3,,,,", "blank_cell", "kpi_ref", ""),
    ("19a,,3,,,,", "blank_cell", "period", ""),
])
def test_each_problem_is_one_failure_with_row_column_and_value(line, code, column, value):
    result = read(HEADER + "19a,2016/17 Q1,20,,,,\n" + line + "\n")
    failure = only_failure(result)
    assert (failure.row, failure.column, failure.code, failure.value) == (3, column, code, value)
    assert failure.severity == ERROR and not result.ok
    assert result.table["source_row"].tolist() == [2]  # the good row is still read


def test_messages_name_the_fix():
    result = read(HEADER + "20z,2016/17 Q3,1,,,,\n19a,2016/17 Q5,1,,,,\n9a,2016/17 Q3,85,,,,\n")
    messages = [f.message for f in result.failures]
    assert messages == [
        "KPI '20z' is not in the plan: use one of the plan's KPI refs, such as 19a.",
        "'2016/17 Q5' is not a reporting period: quarters are numbered Q1 to Q4. Write a "
        "period such as 2016/17 Q3.",
        "KPI 9a is reported annually, so '2016/17 Q3' does not fit: write the financial year "
        "it belongs to, such as 2016/17.",
    ]


def test_a_failure_names_the_column_as_the_file_writes_it():
    failure = only_failure(read("KPI Ref,Period,Value\n20z,2016/17 Q3,1\n"))
    assert failure.column == "KPI Ref"


def test_every_problem_in_a_row_is_reported_at_once():
    result = read(HEADER + "19a,2016/17 Q9,lots,,,,\n")
    assert [(f.row, f.code) for f in result.failures] == [(2, "bad_period"),
                                                          (2, "not_a_number")]


# --- duplicates ----------------------------------------------------------------------------------

def test_an_exact_repeat_is_a_warning_and_kept_once():
    result = read(HEADER + "19a,2016/17 Q3,25,,,,\n19a,2016/17 Q3,25.0,,,,\n")
    failure = only_failure(result)
    assert (failure.row, failure.code, failure.severity) == (3, "duplicate_row", WARNING)
    assert result.ok
    assert result.table["source_row"].tolist() == [2]


def test_the_same_key_with_different_values_refuses_both_rows():
    result = read(HEADER + "19a,2016/17 Q3,25,,,,\n15,2016/17 Q3,3,,,,\n"
                  "19A,31/12/2016,26,,,,\n")
    assert [(f.row, f.code, f.column, f.value) for f in result.failures] == [
        (2, "duplicate_conflict", "value", "25"), (4, "duplicate_conflict", "value", "26")]
    assert "rows 2 and 4" in result.failures[0].message
    assert result.table["kpi_ref"].tolist() == ["15"]


def test_the_same_period_in_different_areas_is_not_a_duplicate():
    result = read(HEADER + "19a,2016/17 Q3,25,,,,\n19a,2016/17 Q3,26,,,South,\n")
    assert result.ok and result.failures == () and len(result.table) == 2


# --- the file as a whole -------------------------------------------------------------------------

def test_row_numbers_count_blank_lines_and_multi_line_cells():
    text = ("\n"                                  # row 1: blank
            + HEADER                              # row 2: header
            + "19a,2016/17 Q3,25,,,,\"two\nlines\"\n"  # row 3, one record over two lines
            + "\n\n"                              # rows 4 and 5: blank
            + "20z,2016/17 Q3,1,,,,\n")           # row 6
    result = read(text)
    assert only_failure(result).row == 6
    assert result.table["source_row"].tolist() == [3]
    assert result.table.loc[0, "comment"] == "two\nlines"


def test_missing_required_columns_are_each_a_failure_on_the_header_row():
    result = read("kpi,period,amount\n19a,2016/17 Q3,25\n")
    assert [(f.row, f.column, f.code) for f in result.failures] == [
        (1, "kpi_ref", "missing_column"), (1, "value", "missing_column")]
    assert "Add a column headed kpi_ref" in result.failures[0].message
    assert result.table.empty


def test_a_column_written_twice_is_a_failure():
    failure = only_failure(read("kpi_ref,period,value,Value\n19a,2016/17 Q3,25,26\n"))
    assert (failure.code, failure.row, failure.column) == ("duplicate_column", 1, "value")


@pytest.mark.parametrize("source, code", [
    (b"", "empty_file"),
    (b"\n\n  \n", "empty_file"),
    (b",,,\n,,,\n", "empty_file"),
    (HEADER.encode(), "empty_file"),
    (b"\x00\xff", "unreadable_file"),
    (b"\x00\x00\x00", "unreadable_file"),
    (b"PK\x03\x04\x14\x00\x06\x00", "unreadable_file"),
    (bytes(range(256)), "unreadable_file"),
    (b"\"unterminated,quote\n", "missing_column"),
    (b"just some words", "missing_column"),
], ids=repr)
def test_garbage_is_a_failure_never_an_exception(source, code):
    result = read_returns(source, PLAN)
    assert not result.ok
    assert result.failures[0].code == code
    assert_returns_dtypes(result.table)
    assert result.table.empty


def test_a_missing_file_is_a_failure(tmp_path):
    result = read_returns(tmp_path / "nowhere.csv", PLAN)
    failure = only_failure(result)
    assert (failure.code, failure.row, failure.column) == ("unreadable_file", None, None)
    assert "nowhere.csv" in failure.message


def test_a_file_with_no_valid_rows_gives_an_empty_typed_table():
    result = read(HEADER + "20z,2016/17 Q3,1,,,,\n")
    assert result.table.empty
    assert_returns_dtypes(result.table)


def test_empty_returns_table_has_the_columns_and_dtypes():
    assert_returns_dtypes(empty_table(KPI_VALUES_KIND))
