"""Reading action progress reports: the same reading rules as the returns, with action refs,
dates and RAG statuses checked."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest

from domain.rules.failures import ERROR, WARNING
from domain.rules.plan import Action, Plan
from domain.ingest.kinds.action_progress import KIND as ACTION_PROGRESS_KIND
from domain.ingest.kinds.reader import empty_table
from domain.ingest.progress import parse_date, read_progress
from reader_checks import assert_dtypes, only_failure

# The table every action progress reader gives.
PROGRESS_DTYPES = {"action_ref": "str", "as_at": "datetime64[ns]", "status": "str",
                   "comment": "str", "source_row": "int64"}

HEADER = "action_ref,as_at,status,comment\n"


def make_action(ref: str, due: date | None) -> Action:
    return Action(ref=ref, theme=int(ref[0]), heading_ref=ref.rsplit(".", 1)[0],
                  heading="Heading", description=f"Action {ref}", kpi_refs_label="",
                  kpi_refs=(), due_label="", due_date=due, leads=("Lead",))


PLAN = Plan(
    title="Tiny plan", authority="Somewhere", version="1", start_date=date(2016, 4, 1),
    end_date=date(2017, 3, 31), baseline_date=date(2016, 3, 31), themes=(), kpis=(),
    actions=(make_action("1.2.4", date(2016, 12, 31)), make_action("6.1.4", None)),
)


def read(text: str):
    return read_progress(text.encode("utf-8"), PLAN)


def assert_progress_dtypes(table: pd.DataFrame):
    assert_dtypes(table, PROGRESS_DTYPES)


def test_a_tidy_file_gives_a_typed_table():
    result = read(HEADER + "1.2.4,2016-12-31,GREEN,Audit done\n")
    assert result.ok and result.failures == ()
    assert_progress_dtypes(result.table)
    assert result.table.to_dict("records") == [{
        "action_ref": "1.2.4", "as_at": pd.Timestamp("2016-12-31"), "status": "GREEN",
        "comment": "Audit done", "source_row": 2}]


def test_a_file_saved_from_excel_reads_the_same():
    text = ("\ufeffAction Ref, AS AT ,Status,,\r\n"
            "6.1.4,30/09/2016 00:00, amber ,,\r\n"
            "\r\n"
            "1.2.4,1/10/2016,Blue,,\r\n")
    result = read(text)
    assert result.ok, result.failures
    assert_progress_dtypes(result.table)
    assert result.table[["action_ref", "status", "source_row"]].values.tolist() == [
        ["1.2.4", "BLUE", 4], ["6.1.4", "AMBER", 2]]
    assert result.table["as_at"].tolist() == [pd.Timestamp("2016-10-01"),
                                              pd.Timestamp("2016-09-30")]
    assert result.table["comment"].tolist() == ["", ""]


def test_an_open_text_file_is_read():
    result = read_progress(io.StringIO(HEADER + "1.2.4,31/12/2016,red,\n"), PLAN)
    assert result.table["status"].tolist() == ["RED"]


@pytest.mark.parametrize("text, expected", [
    ("2016-12-31", date(2016, 12, 31)), ("31/12/2016", date(2016, 12, 31)),
    ("1/4/2016", date(2016, 4, 1)), ("31.12.2016", date(2016, 12, 31)),
    ("2016-12-31 00:00:00", date(2016, 12, 31)),
    ("31/02/2016", None), ("12/31/2016", None), ("Dec 2016", None), ("31/12/16", None),
    ("", None),
])
def test_parse_date_reads_iso_and_uk_dates_only(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("line, code, column, value", [
    ("9.9.9,2016-12-31,GREEN,", "unknown_action", "action_ref", "9.9.9"),
    ("1.2.4,31/02/2016,GREEN,", "bad_date", "as_at", "31/02/2016"),
    ("1.2.4,Christmas,GREEN,", "bad_date", "as_at", "Christmas"),
    ("1.2.4,2016-12-31,Purple,", "bad_status", "status", "Purple"),
    ("1.2.4,2016-12-31,NO DATA,", "bad_status", "status", "NO DATA"),
    (",2016-12-31,GREEN,", "blank_cell", "action_ref", ""),
    ("1.2.4,,GREEN,", "blank_cell", "as_at", ""),
    ("1.2.4,2016-12-31,,", "blank_cell", "status", ""),
])
def test_each_problem_is_one_failure_with_row_column_and_value(line, code, column, value):
    result = read(HEADER + "6.1.4,2016-09-30,AMBER,\n" + line + "\n")
    failure = only_failure(result)
    assert (failure.row, failure.column, failure.code, failure.value) == (3, column, code, value)
    assert failure.severity == ERROR and not result.ok
    assert result.table["source_row"].tolist() == [2]


def test_messages_name_the_fix():
    result = read(HEADER + "1.2.5,2016-12-31,Purple,\n1.2.4,31/02/2016,RED,\n")
    assert [f.message for f in result.failures] == [
        "Action '1.2.5' is not in the plan: use one of the plan's action refs, such as 1.2.4.",
        "'Purple' is not a RAG status: write RED, AMBER, GREEN or BLUE.",
        "'31/02/2016' is not a date: write the date as 31/12/2016 or 2016-12-31.",
    ]
    assert [f.row for f in result.failures] == [2, 2, 3]


def test_an_exact_repeat_is_kept_once_and_a_conflict_refuses_both():
    result = read(HEADER + "1.2.4,2016-12-31,GREEN,\n1.2.4,31/12/2016,green,again\n"
                  "6.1.4,2016-12-31,RED,\n6.1.4,2016-12-31,AMBER,\n")
    assert [(f.row, f.code, f.severity) for f in result.failures] == [
        (3, "duplicate_row", WARNING), (4, "duplicate_conflict", ERROR),
        (5, "duplicate_conflict", ERROR)]
    assert result.table["source_row"].tolist() == [2]


def test_missing_columns_are_failures_on_the_header_row():
    result = read("action,date,status\n1.2.4,2016-12-31,GREEN\n")
    assert [(f.row, f.column, f.code) for f in result.failures] == [
        (1, "action_ref", "missing_column"), (1, "as_at", "missing_column")]
    assert_progress_dtypes(result.table)


@pytest.mark.parametrize("source", [b"", b"\x00\xff", HEADER.encode(), b"\n\n",
                                    b"PK\x03\x04", b"a,b,c\n1,2,3\n"], ids=repr)
def test_garbage_is_a_failure_never_an_exception(source):
    result = read_progress(source, PLAN)
    assert not result.ok and result.failures
    assert result.table.empty
    assert_progress_dtypes(result.table)


def test_empty_progress_table_has_the_columns_and_dtypes():
    assert_progress_dtypes(empty_table(ACTION_PROGRESS_KIND))
