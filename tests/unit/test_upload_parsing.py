"""What awkward files are read as (values, periods, kinds), and property tests: no input makes
the upload check raise; it always answers with a report."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from domain.store.source import open_store
from domain.ingest.upload import check_upload, safe_file_name
from domain.ingest.workbook import cell_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def module_store(tmp_path_factory):
    from app import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("var"))
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


@pytest.fixture(scope="module")
def plan():
    from app import Settings
    from domain.ingest.register import load_plan

    return load_plan(Settings().plan_dir)[0]


def values(file_name, plan, store):
    check = check_upload((CORPUS / file_name).read_bytes(), file_name, plan, store)
    assert check.ok, check.failures
    return {(r.kpi_ref, r.period): r.value for r in check.rows.itertuples()}


@pytest.mark.parametrize("file_name, expected", [
    ("semicolon_decimal_comma.csv", {("19a", "2016/17 Q2"): 25.3, ("15", "2016/17 Q2"): 1004}),
    ("long_with_formats.xlsx", {("19a", "2016/17 Q2"): 25.3, ("17a", "2016/17 Q2"): 66}),
    ("wide_layout.csv", {("19a", "2016/17 Q1"): 25, ("19a", "2016/17 Q2"): 25.3,
                         ("17a", "2016/17 Q2"): 66, ("17a", "2016/17 Q3"): 66.3}),
    ("fraction_percent.csv", {("19a", "2016/17 Q2"): 25.3}),
    ("percent_forms.csv", {("19a", "2016/17 Q1"): 25, ("19a", "2016/17 Q2"): 25.3,
                           ("19b", "2016/17 Q2"): 20}),
    ("period_spellings.csv", {("19a", "2016/17 Q1"): 25, ("19a", "2016/17 Q2"): 25.3,
                              ("19a", "2016/17 Q3"): 26, ("19a", "2016/17 Q4"): 24,
                              ("9a", "2016/17"): 23.1}),
])
def test_awkward_files_read_as_a_person_means(file_name, expected, plan, module_store):
    got = values(file_name, plan, module_store)
    assert got == pytest.approx(expected)


def test_windows_1252_comment_is_decoded(plan, module_store):
    check = check_upload((CORPUS / "windows_1252.csv").read_bytes(), "w.csv", plan,
                         module_store)
    assert check.rows.comment.iloc[0] == "Révisé: £0 cost – agreed"


def test_failures_name_the_spreadsheet_row(plan, module_store):
    check = check_upload((CORPUS / "notes_above_header.csv").read_bytes().replace(
        b"25.3", b"lots"), "n.csv", plan, module_store)
    (failure,) = check.failures
    assert (failure.row, failure.column, failure.code) == (5, "value", "not_a_number")


@pytest.mark.parametrize("name, shown", [
    ("../../etc/passwd", "passwd"), ("C:\\Users\\pat\\returns.csv", "returns.csv"),
    ("a\x00b\nc.csv", "abc.csv"), ("", "upload")])
def test_file_names_are_reduced_to_a_safe_text(name, shown):
    assert safe_file_name(name) == shown


def test_cell_text_writes_cells_as_typed():
    assert cell_text(0.853, "0.0%") == "85.3%"
    assert cell_text(66.0) == "66"
    assert cell_text(None) == ""


_CELLS = st.sampled_from(["19a", "17a", "9a", "2016/17 Q2", "Q3 2016-17", "31/12/2016", "85%",
                          "0.85", "1,234", "1.234,5", "-3", "", " ", "n/a", "\"", ";", "RED",
                          "1.1.1", "England", "kpi_ref", "period", "value", "as_at"])
_ROWS = st.lists(st.lists(_CELLS, max_size=7), max_size=8)


@hyp_settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_ROWS, separator=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_no_csv_made_of_likely_cells_raises(rows, separator, encoding, plan, module_store):
    text = "\n".join(separator.join(row) for row in rows)
    check = check_upload(text.encode(encoding, errors="replace"), "p.csv", plan, module_store)
    assert check.ok or check.failures


@hyp_settings(max_examples=150, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=2000))
def test_no_bytes_at_all_make_the_check_raise(content, plan, module_store):
    for prefix in (b"", b"kpi_ref,period,value\n", b"PK\x03\x04"):
        check = check_upload(prefix + content, "b.csv", plan, module_store)
        assert check.ok or check.failures


@pytest.mark.parametrize("file_name, reason", [
    ("xml_bomb.xlsx", "declares entities"), ("zip_bomb.xlsx", "unpacks to"),
    ("fake.xlsx", "damaged")])
def test_unsafe_workbooks_are_refused_for_the_right_reason(file_name, reason):
    from domain.ingest.csvtext import ReadBudget
    from domain.ingest.workbook import UnsafeWorkbook, workbook_records

    with pytest.raises(UnsafeWorkbook) as refused:
        workbook_records((CORPUS / file_name).read_bytes(), ReadBudget(rows=100))
    assert reason in refused.value.reason
