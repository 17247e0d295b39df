"""Hostile and careless files (issue 17): extreme numbers, control and look-alike characters,
files built to exhaust the reader. Each is refused with a failure row naming where and what, or
read as a person would expect; none raises."""

from __future__ import annotations

import math

import pytest

from domain.store.source import open_store
from domain.ingest.upload import check_upload, commit_upload

H = "kpi_ref,period,value,numerator,denominator,area,comment\n"


@pytest.fixture
def store(settings):
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


@pytest.fixture
def plan(settings):
    from domain.ingest.register import load_plan

    return load_plan(settings.plan_dir)[0]


def check(text: str | bytes, plan, store, name="upload.csv"):
    content = text.encode("utf-8") if isinstance(text, str) else text
    return check_upload(content, name, plan, store)


def codes(result) -> list[tuple[int | None, str | None, str]]:
    return [(f.row, f.column, f.code) for f in result.failures]


# --- numbers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("column, row", [
    ("value", "15,2016/17 Q3,{n},,,,"),
    ("numerator", "19a,2016/17 Q3,25,{n},100,,"),
    ("denominator", "19a,2016/17 Q3,25,25,{n},,"),
])
def test_a_400_digit_number_is_refused_not_stored_as_infinity(plan, store, column, row):
    result = check(H + row.format(n="9" * 400) + "\n", plan, store)
    assert codes(result) == [(2, column, "number_too_large")]
    assert not result.ok and result.rows.empty


def test_infinite_numerator_and_denominator_never_reach_the_ratio(plan, store):
    result = check(H + f"19a,2016/17 Q3,25,{'9' * 400},{'9' * 400},,\n", plan, store)
    assert [c for _, _, c in codes(result)] == ["number_too_large", "number_too_large"]


@pytest.mark.parametrize("text, digits", [
    ("\u0662\u0665", "\u0662\u0665"),  # Arabic-Indic 25
    ("\uff12\uff15", "\uff12\uff15"),  # fullwidth 25
    ("2\u0665.3", "\u0665"),
])
def test_digits_other_than_0_to_9_are_refused_by_name(plan, store, text, digits):
    result = check(H + f"19a,2016/17 Q3,{text},,,,\n", plan, store)
    (failure,) = result.failures
    assert (failure.row, failure.column, failure.code) == (2, "value", "non_ascii_digits")
    assert digits in failure.message and "0 to 9" in failure.message


def test_the_largest_figure_below_the_limit_is_read(plan, store):
    result = check(H + "15,2016/17 Q3,999999999999999,,,,\n", plan, store)
    assert result.ok and result.rows["value"].tolist() == [999999999999999.0]


def test_api_kpis_never_emits_infinity_even_for_an_old_stored_value(app, client):
    """A store written before values were checked finite may hold one: the API says null."""
    import json

    from domain.ingest.returns import read_returns
    from domain.store.repository import KPI_VALUES, NewBatch

    store = app.server.config["RETURNS_STORE"]
    plan = app.server.config["DATASET_SOURCE"].current().plan
    rows = read_returns(b"kpi_ref,period,value\n15,2016/17 Q3,25\n", plan).table
    rows["value"] = math.inf
    store.commit(NewBatch(KPI_VALUES, "old.csv", "0" * 64, "before issue 17", rows))

    text = client.get("/api/kpis?asat=2016/17 Q3").get_data(as_text=True)
    body = json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert next(k for k in body["kpis"] if k["ref"] == "15")["value"] is None


# --- text cells ---------------------------------------------------------------------------------

@pytest.mark.parametrize("character", ["\x01", "\x1b", "\x7f", "\x85", "\x9f", "\x0b"])
def test_a_control_character_is_refused_naming_row_column_and_character(plan, store, character):
    result = check(H + "19a,2016/17 Q3,25,,,,fine\n"
                   f"19a,2016/17 Q2,25,,,,bad{character}comment\n", plan, store)
    (failure,) = result.failures
    assert (failure.row, failure.column, failure.code) == (3, "comment", "control_character")
    assert f"U+{ord(character):04X}" in failure.message and "Row 3" in failure.message
    assert character not in failure.value  # shown by its code point, not hidden
    assert not result.ok


def test_tabs_and_line_breaks_in_a_comment_are_kept(plan, store):
    result = check(H + '19a,2016/17 Q3,25,,,,"two\nlines\tand a tab"\n', plan, store)
    assert result.ok and result.rows["comment"].tolist() == ["two\nlines\tand a tab"]


def test_a_control_character_in_progress_and_comparators_is_refused_too(plan, store):
    progress = check("action_ref,as_at,status,comment\n1.1.1,31/12/2016,RED,a\x02b\n", plan,
                     store)
    comparators = check("kpi_ref,period,comparator,value\n19a,2016/17 Q4,Eng\x03land,22\n",
                        plan, store)
    assert codes(progress) == [(2, "comment", "control_character")]
    assert codes(comparators) == [(2, "comparator", "control_character")]


@pytest.mark.parametrize("written", [
    "South\u200b", "\u200bSouth", "south", "SOUTH", "So\u00adu\u200dth", "\u202eSouth\u202c",
    "South\ufeff",
])
def test_look_alike_areas_are_the_area_already_stored(plan, store, written):
    result = check(H + f"17a,2016/17 Q3,70,,,{written},\n", plan, store)
    assert result.ok, result.failures
    assert result.rows["area"].tolist() == ["South"]
    assert len(result.preview.revised) == 1 and result.preview.new.empty


def test_nfc_and_nfd_spellings_are_one_area_spelled_as_first_written(plan, store):
    nfc, nfd = "Caf\u00e9", "Cafe\u0301"
    result = check(H + f"17a,2016/17 Q2,70,,,{nfd},\n17a,2016/17 Q3,71,,,{nfc},\n"
                   "17a,2016/17 Q4,72,,,CAF\u00c9,\n", plan, store)
    assert result.ok, result.failures
    assert result.rows["area"].tolist() == [nfc, nfc, nfc]
    commit_upload(result, "Tester", store)
    again = check(H + "17a,2017/18 Q1,73,,,caf\u00e9,\n", plan, store)
    assert again.rows["area"].tolist() == [nfc] and len(again.preview.new) == 1


def test_one_value_for_south_and_south_in_a_file_is_a_conflict_not_two_areas(plan, store):
    result = check(H + "17a,2016/17 Q3,70,,,South,\n17a,2016/17 Q3,75,,,south,\n", plan, store)
    assert [c for _, _, c in codes(result)] == ["duplicate_conflict", "duplicate_conflict"]


def test_look_alike_comparators_are_one_comparator(plan, store):
    first = check("kpi_ref,period,comparator,value\n19a,2016/17 Q4,England,22\n", plan, store)
    commit_upload(first, "Tester", store)
    second = check("kpi_ref,period,comparator,value\n19a,2016/17 Q4,ENGLAND\u200b,23\n", plan,
                   store)
    assert second.rows["comparator"].tolist() == ["England"]
    assert len(second.preview.revised) == 1


@pytest.mark.parametrize("path", ["/export/returns.xlsx", "/export/dataset.xlsx",
                                  "/export/progress.xlsx", "/export/returns.csv",
                                  "/export/kpi/17a.xlsx"])
def test_a_stored_control_character_cannot_break_an_export(app, client, path):
    """Uploads refuse them now, but a store written before could hold one."""
    import io

    import openpyxl

    from domain.ingest.progress import read_progress
    from domain.ingest.returns import read_returns
    from domain.store.repository import ACTION_PROGRESS, KPI_VALUES, NewBatch

    store = app.server.config["RETURNS_STORE"]
    plan = app.server.config["DATASET_SOURCE"].current().plan
    returns = read_returns(b"kpi_ref,period,value,area,comment\n"
                           b"17a,2016/17 Q3,70,North,x\n", plan).table
    returns["comment"] = "a\x01b\x1f=c"
    returns["area"] = "No\x02rth"
    progress = read_progress(b"action_ref,as_at,status,comment\n1.1.1,31/12/2016,RED,x\n",
                             plan).table
    progress["comment"] = "\x0b=HYPERLINK()"
    store.commit(NewBatch(KPI_VALUES, "old.csv", "1" * 64, "before issue 17", returns))
    store.commit(NewBatch(ACTION_PROGRESS, "old2.csv", "2" * 64, "before issue 17", progress))

    response = client.get(path)
    assert response.status_code == 200
    if path.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(response.data))
        cells = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                 for c in row if isinstance(c, str)]
        assert not any(c.startswith("=") for c in cells)  # cleaned, then still escaped
        expected = {"/export/returns.xlsx": {"ab=c", "North"},
                    "/export/progress.xlsx": {"'=HYPERLINK()"},
                    "/export/dataset.xlsx": {"ab=c", "North", "'=HYPERLINK()"}}
        assert expected.get(path, set()) <= set(cells)


# --- read budgets: enforced while reading, before any frame -------------------------------------

def sheet(rows_xml: str, dimension: str | None = None) -> bytes:
    """A real workbook whose first sheet's XML holds `rows_xml`."""
    from scripts.make_upload_corpus import replace_sheet

    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return replace_sheet(
        ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         f'{declared}<sheetData>{rows_xml}</sheetData></worksheet>').encode())


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


LONG_SHEET_ROWS = (
    f'<row r="1">{text_cell("A1", "kpi_ref")}{text_cell("B1", "period")}'
    f'{text_cell("C1", "value")}</row>'
    f'<row r="2">{text_cell("A2", "17a")}{text_cell("B2", "2016/17 Q2")}'
    '<c r="C2"><v>61</v></c></row>')


def test_a_row_with_more_filled_cells_than_the_budget_is_refused_by_row(plan, store):
    result = check(H + "17a,2016/17 Q2,60,,,,ok\n" + ",".join(["x"] * 201) + "\n", plan, store)
    assert codes(result) == [(3, None, "too_many_columns")]
    assert "201" in result.failures[0].message and "200" in result.failures[0].message


def test_trailing_blank_cells_do_not_count_as_columns(plan, store):
    result = check(H.rstrip("\n") + "," * 500 + "\n17a,2016/17 Q2,60,,,," + "," * 500 + "\n",
                   plan, store)
    assert result.ok, result.failures


def test_reading_stops_at_the_cell_budget():
    from domain.ingest.csvtext import OverBudget, ReadBudget, numbered_records

    with pytest.raises(OverBudget) as raised:
        numbered_records("a,b,c\n" * 10, ",", ReadBudget(cells=20))
    assert raised.value.failure().code == "too_many_cells"
    assert raised.value.row == 7  # the record that went over: 7 x 3 > 20


def test_a_file_over_the_cell_budget_is_refused_whole(plan, store):
    from domain.ingest.upload import UPLOAD_BUDGET

    row = ",".join(["1"] * 100) + "\n"
    rows = UPLOAD_BUDGET.cells // 100 + 1
    result = check(H + row * rows, plan, store)
    assert [c for _, _, c in codes(result)] == ["too_many_cells"]


def test_a_cell_longer_than_the_budget_is_refused_naming_row_and_column(plan, store):
    result = check(H + "17a,2016/17 Q2,60,,,," + "x" * 5_001 + "\n", plan, store)
    (failure,) = result.failures
    assert (failure.row, failure.code) == (2, "cell_too_long")
    assert "column G" in failure.message and "5,001" in failure.message


def test_reading_stops_after_the_row_budget_without_reading_the_rest():
    from domain.ingest.csvtext import OverBudget, ReadBudget, numbered_records

    budget = ReadBudget(rows=100)
    with pytest.raises(OverBudget) as raised:
        numbered_records("a\n" * 10_000, ",", budget)
    assert raised.value.failure().code == "too_many_rows"
    assert "more than 100" in raised.value.failure().message


def test_the_wide_layout_stops_one_value_after_the_limit():
    from domain.ingest.kinds.kpi_values_wide import wide_to_long

    records = [(1, ["kpi_ref", *["2016/17 Q1"] * 100])] + \
        [(r, ["17a", *["1"] * 100]) for r in range(2, 1_002)]
    assert len(wide_to_long(records, 0)) == 100_001
    assert len(wide_to_long(records, 0, max_values=500)) == 502  # header + 501 values


def test_a_wide_file_expanding_beyond_the_row_limit_is_refused(plan, store):
    header = "kpi_ref," + ",".join(["2016/17 Q1"] * 150) + "\n"
    result = check(header + ("17a," + ",".join(["1"] * 150) + "\n") * 150, plan, store)
    assert [c for _, _, c in codes(result)] == ["too_many_rows"]
    assert "more than 20,000" in result.failures[0].message  # counted no further


def test_a_workbook_is_read_to_its_cells_not_its_declared_dimension(plan, store):
    from domain.ingest.workbook import workbook_records

    content = sheet(LONG_SHEET_ROWS, dimension="A1:XFD3")
    records = workbook_records(content)
    assert max(len(cells) for _, cells in records) == 3
    assert check(content, plan, store, "dimension.xlsx").ok


def test_a_workbook_cell_beyond_the_column_budget_is_refused(plan, store):
    far = LONG_SHEET_ROWS + f'<row r="3">{text_cell("A3", "17a")}<c r="IP3"><v>1</v></c></row>'
    result = check(sheet(far), plan, store, "wide.xlsx")
    assert codes(result) == [(3, None, "too_many_columns")]


def test_a_workbook_with_more_cells_than_the_budget_is_refused_before_it_is_parsed(
        plan, store, monkeypatch):
    import openpyxl

    from domain.ingest.csvtext import ReadBudget
    from domain.ingest.workbook import workbook_records

    def parse(*_args, **_kwargs):
        raise AssertionError("openpyxl parsed a workbook over the cell budget")

    monkeypatch.setattr(openpyxl, "load_workbook", parse)
    content = sheet("".join(f"<row><c><v>{i}</v></c><c><v>{i}</v></c></row>" for i in range(60)))
    from domain.ingest.csvtext import OverBudget

    with pytest.raises(OverBudget) as raised:
        workbook_records(content, ReadBudget(cells=100))
    assert raised.value.failure().code == "too_many_cells"


def test_a_workbook_row_numbered_far_beyond_the_limit_is_refused_quickly(plan, store):
    stray = '<row r="1000000000000"><c><v>1</v></c></row>'
    result = check(sheet(LONG_SHEET_ROWS + stray), plan, store, "far.xlsx")
    assert [c for _, _, c in codes(result)] == ["too_many_rows"]


def test_a_workbook_cell_longer_than_the_budget_is_refused(plan, store):
    long = LONG_SHEET_ROWS + f'<row r="3">{text_cell("A3", "x" * 5_001)}</row>'
    result = check(sheet(long), plan, store, "long.xlsx")
    assert codes(result) == [(3, None, "cell_too_long")]


def test_a_conflict_message_names_a_few_rows_not_every_one(plan, store):
    result = check(H + "".join(f"17a,2016/17 Q2,{i},,,,\n" for i in range(300)), plan, store)
    assert {f.code for f in result.failures} == {"duplicate_conflict"}
    assert all(len(f.message) < 400 for f in result.failures)
    assert "and 295 more" in result.failures[0].message


# --- a one-row upload against a large store -----------------------------------------------------

def test_checking_one_row_reads_only_its_series_from_a_large_store(plan, store, monkeypatch):
    """The far-from-previous check and the preview see the KPI and area the file touches, not
    every stored row, so the cost of a one-row check does not grow with the store."""
    import domain.ingest.upload as upload
    from domain.ingest.returns import read_returns
    from domain.store.repository import KPI_VALUES, NewBatch

    lines = "".join(f"17a,{y}/{(y + 1) % 100:02d} Q{q},60,,,Team {t},\n"
                    for t in range(60) for y in range(1995, 2015) for q in (1, 2, 3, 4))
    store.commit(NewBatch(KPI_VALUES, "big.csv", "c" * 64, "Tester",
                          read_returns((H + lines).encode(), plan).table))
    assert len(store.current(KPI_VALUES)) > 4_800
    seen = []
    real = upload.far_from_previous_failures

    def spy(rows, current, column):
        seen.append(len(current))
        return real(rows, current, column)

    monkeypatch.setattr(upload, "far_from_previous_failures", spy)
    result = check(H + "17a,2016/17 Q4,60,,,Team 7,\n", plan, store)
    assert result.ok and seen == [80]  # Team 7's 80 quarters
    assert len(result.preview.new) == 1
