"""The upload kinds are declared once (domain/ingest/kinds/), and everything reads the
declaration: the codes each cell reader and row check can give are the ones it declares (found
in the code), every kind has a test for each of its codes (the corpus or an example below), and
recognition, the store's kinds and tables, the upload page and the template follow it."""

from __future__ import annotations

import ast
import csv
import dataclasses
import inspect
import textwrap
from datetime import date
from pathlib import Path

import pytest

from domain.ingest.csvtext import check_rows
from domain.ingest.kinds import (OTHER_LAYOUTS, UPLOAD_KINDS, expected_columns, layouts,
                                 recognition_order, upload_kind)
from domain.ingest.kinds.declaration import EVERY_KIND_CODES, FAR_FROM_PREVIOUS_CODE
from domain.ingest.upload import (after_asat_failures, check_upload, far_from_previous_failures,
                                  template_csv)
from domain.rules.failures import FAILURE_TEMPLATES
from domain.store.source import open_store

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
MANIFEST = list(csv.DictReader((CORPUS / "manifest.csv").open(encoding="utf-8")))
ASAT = date(2017, 6, 30)

PROGRESS = "action_ref,as_at,status,comment\n"
COMPARATORS = "kpi_ref,period,comparator,value\n"
COMMENTARY = "kpi_ref,period,commentary,next_steps,by\n"

# A tiny file for each (kind, code) the corpus (tests/corpus/manifest.csv) does not show.
EXAMPLES = {
    ("action progress", "blank_cell"): PROGRESS + "1.1.1,,GREEN,\n",
    ("action progress", "duplicate_row"): PROGRESS + "1.1.1,31/12/2016,GREEN,\n" * 2,
    ("action progress", "duplicate_conflict"):
        PROGRESS + "1.1.1,31/12/2016,GREEN,\n1.1.1,2016-12-31,RED,\n",
    ("action progress", "period_after_asat"): PROGRESS + "1.1.1,31/12/2017,GREEN,\n",
    ("action progress", "control_character"): PROGRESS + "1.1.1,31/12/2016,GREEN,done\x01\n",
    ("comparators", "blank_cell"): COMPARATORS + "19a,,England,22.3\n",
    ("comparators", "unknown_kpi"): COMPARATORS + "99z,2016/17 Q4,England,22.3\n",
    ("comparators", "bad_period"): COMPARATORS + "19a,2016/17 Q5,England,22.3\n",
    ("comparators", "frequency_mismatch"): COMPARATORS + "9a,2016/17 Q2,England,23\n",
    ("comparators", "not_a_number"): COMPARATORS + "19a,2016/17 Q4,England,n/a\n",
    ("comparators", "non_ascii_digits"): COMPARATORS + "19a,2016/17 Q4,England,\u0662\u0662\n",
    ("comparators", "number_too_large"): COMPARATORS + "19a,2016/17 Q4,England," + "9" * 400 + "\n",
    ("comparators", "year_out_of_range"): COMPARATORS + "19a,9999/00 Q4,England,22.3\n",
    ("comparators", "control_character"): COMPARATORS + "19a,2016/17 Q4,Eng\x1bland,22.3\n",
    ("comparators", "percent_out_of_range"): COMPARATORS + "19a,2016/17 Q4,England,120\n",
    ("comparators", "negative_value"): COMPARATORS + "17a,2016/17 Q4,England,-3\n",
    ("comparators", "ambiguous_percent"): COMPARATORS + "19a,2016/17 Q4,England,0.223\n",
    ("comparators", "duplicate_row"): COMPARATORS + "19a,2016/17 Q4,England,22.3\n" * 2,
    ("comparators", "duplicate_conflict"):
        COMPARATORS + "19a,2016/17 Q4,England,22.3\n19a,2016/17 Q4,ENGLAND,21\n",
    ("comparators", "period_after_asat"): COMPARATORS + "19a,2017/18 Q2,England,22.3\n",
    ("kpi commentary", "blank_cell"): COMMENTARY + "19a,2016/17 Q4,,,\n",
    ("kpi commentary", "unknown_kpi"): COMMENTARY + "99z,2016/17 Q4,Staffing,,\n",
    ("kpi commentary", "bad_period"): COMMENTARY + "19a,2016/17 Q5,Staffing,,\n",
    ("kpi commentary", "year_out_of_range"): COMMENTARY + "19a,2016/17 Q4,Staffing,,31/12/2999\n",
    ("kpi commentary", "frequency_mismatch"): COMMENTARY + "9a,2016/17 Q2,Staffing,,\n",
    ("kpi commentary", "text_too_long"): COMMENTARY + "19a,2016/17 Q4," + "x" * 4001 + ",,\n",
    ("kpi commentary", "bad_date"): COMMENTARY + "19a,2016/17 Q4,Staffing,Recruit,next June\n",
    ("kpi commentary", "control_character"): COMMENTARY + "19a,2016/17 Q4,Staff\x01ing,,\n",
    ("kpi commentary", "duplicate_row"): COMMENTARY + "19a,2016/17 Q4,Staffing,,\n" * 2,
    ("kpi commentary", "duplicate_conflict"):
        COMMENTARY + "19a,2016/17 Q4,Staffing,,\n19a,Q4 2016/17,Agency cover,,\n",
    ("kpi commentary", "period_after_asat"): COMMENTARY + "19a,2017/18 Q2,Staffing,,\n",
}


# --- codes found in the code -----------------------------------------------------------------

def failure_codes_in(function, seen: set | None = None) -> set[str]:
    """The codes `function` can give: every `failure("code", ...)` in its source, every code a
    call hands on by keyword (`ref_cell(..., code="unknown_kpi")`), and the same in the
    domain.ingest functions it calls, followed by name."""
    seen = set() if seen is None else seen
    if function in seen:
        return set()
    seen.add(function)
    codes = set()
    for node in ast.walk(ast.parse(textwrap.dedent(inspect.getsource(function)))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        codes.update(keyword.value.value for keyword in node.keywords
                     if keyword.arg == "code" and isinstance(keyword.value, ast.Constant))
        if node.func.id == "failure" and node.args and isinstance(node.args[0], ast.Constant):
            codes.add(node.args[0].value)
            continue
        called = function.__globals__.get(node.func.id)
        if inspect.isfunction(called) and called.__module__.startswith("domain.ingest"):
            codes |= failure_codes_in(called, seen)
    return codes


def kind_ids(kind) -> str:
    return kind.name


@pytest.mark.parametrize("kind", UPLOAD_KINDS, ids=kind_ids)
def test_the_cell_readers_declare_every_code_they_can_give(kind):
    # Read from the source, a reader may seem to give more than it can (count_cell gives
    # zero_denominator only for a denominator), so each column's codes must be found in its
    # reader, and every code found in the kind's readers must be declared by one of them.
    found = set()
    for column in kind.file_columns:
        in_reader = failure_codes_in(column.read) if column.read else set()
        assert set(column.codes) <= in_reader, f"{kind.name}: column {column.name}"
        found |= in_reader
    assert found == {code for column in kind.file_columns for code in column.codes}


@pytest.mark.parametrize("kind", UPLOAD_KINDS, ids=kind_ids)
def test_each_row_check_declares_exactly_the_codes_it_can_give(kind):
    for check in kind.row_checks:
        assert set(check.codes) == failure_codes_in(check.run), check.run.__name__


def test_the_checks_every_kind_gets_are_the_ones_the_reader_and_the_upload_run():
    assert set(EVERY_KIND_CODES) == \
        failure_codes_in(check_rows) | failure_codes_in(after_asat_failures)
    assert failure_codes_in(far_from_previous_failures) == {FAR_FROM_PREVIOUS_CODE}


def test_the_code_finder_follows_calls_into_the_ingest_code():
    from domain.ingest.returns import value_cell

    assert failure_codes_in(value_cell) == {"blank_cell", "not_a_number", "non_ascii_digits",
                                            "number_too_large", "percent_out_of_range",
                                            "negative_value"}


@pytest.mark.parametrize("kind", UPLOAD_KINDS, ids=kind_ids)
def test_every_code_of_a_kind_has_a_message_template(kind):
    assert set(kind.failure_types) == set(kind.codes)
    for code, failure_type in kind.failure_types.items():
        assert failure_type is FAILURE_TEMPLATES[code] and failure_type.template


# --- the meta-test: a test for each code of each kind ----------------------------------------

def codes_with_a_test() -> set[tuple[str, str]]:
    """(kind, code) pairs some test shows: a corpus file, or an example here."""
    in_corpus = {(row["kind"], code) for row in MANIFEST if row["kind"]
                 for code in row["codes"].split()}
    return in_corpus | set(EXAMPLES)


def untested_codes(kinds, tested: set[tuple[str, str]]) -> set[tuple[str, str]]:
    return {(kind.name, code) for kind in kinds for code in kind.codes} - tested


def test_every_kind_has_a_test_for_each_of_its_failure_codes():
    assert untested_codes(UPLOAD_KINDS, codes_with_a_test()) == set()


def test_the_meta_test_catches_a_kind_with_an_untested_code():
    kind = upload_kind("comparators")
    column = dataclasses.replace(kind.file_columns[2], codes=("bad_comparator", "bad_status"))
    widened = dataclasses.replace(kind, file_columns=(*kind.file_columns[:2], column,
                                                      *kind.file_columns[3:]))
    assert untested_codes([widened], codes_with_a_test()) == {("comparators", "bad_status")}


def test_no_example_is_for_a_code_its_kind_does_not_declare():
    declared = {(kind.name, code) for kind in UPLOAD_KINDS for code in kind.codes}
    assert set(EXAMPLES) <= declared


@pytest.fixture(scope="module")
def module_store(tmp_path_factory):
    from app import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("var"))
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


@pytest.mark.parametrize("kind_name, code", sorted(EXAMPLES), ids=lambda v: str(v))
def test_each_example_gives_its_code(kind_name, code, dataset, module_store):
    check = check_upload(EXAMPLES[(kind_name, code)].encode(), "example.csv", dataset.plan,
                         module_store, asat=ASAT)
    assert check.kind == kind_name
    assert code in {f.code for f in check.failures}, [f.message for f in check.failures]
    assert check.ok == (FAILURE_TEMPLATES[code].severity == "warning")


# --- what reads the declarations -------------------------------------------------------------

def test_a_header_of_each_kind_is_recognised_as_that_kind(dataset, module_store):
    rows = {"kpi values": "19a,2016/17 Q4,22\n", "action progress": "1.1.1,31/12/2016,RED\n",
            "comparators": "19a,2016/17 Q4,England,22.3\n",
            "kpi commentary": "19a,2016/17 Q4,Staffing\n"}
    for kind in UPLOAD_KINDS:
        content = (",".join(kind.required) + "\n" + rows[kind.name]).encode()
        check = check_upload(content, "k.csv", dataset.plan, module_store, asat=ASAT)
        assert (check.kind, check.layout, check.failures) == (kind.name, "long", ())


def test_headers_needing_more_columns_are_tried_first():
    order = [(layout.kind.name, layout.name) for layout in recognition_order()]
    assert order.index(("comparators", "long")) < order.index(("kpi values", "long"))
    assert order[-len(OTHER_LAYOUTS):] == [(lay.kind.name, lay.name) for lay in OTHER_LAYOUTS]


def test_a_file_no_layout_recognises_is_told_every_layout():
    assert expected_columns() == (
        "kpi_ref, period, value (KPI values, or kpi_ref and one column per period); "
        "action_ref, as_at, status (action progress); kpi_ref, period, comparator, value "
        "(comparators); or kpi_ref, period, commentary (KPI commentary)")


def test_the_store_kinds_follow_the_declarations():
    from domain.store.repository import DATE_COLUMNS, KIND_SPECS, KINDS

    assert KINDS == ("kpi values", "action progress", "comparators", "kpi commentary")
    for kind in UPLOAD_KINDS:
        spec = KIND_SPECS[kind.name]
        assert (spec.key, spec.compared, dict(spec.dtypes)) == \
            (kind.key, kind.compared, dict(kind.dtypes))
    assert set(DATE_COLUMNS) == {"period_start", "period_end", "as_at"}


def test_the_sql_tables_are_the_declared_columns_and_types():
    """The store's tables are written out in domain/store/sql.py (a migration fixes each
    revision's schema, so a table can not follow a declaration silently); this holds them to the
    declarations: the same columns in order, nullability and kind of type (a ref may be a
    VARCHAR, a value a FLOAT)."""
    from sqlalchemy import Float, Integer, String

    from domain.store.sqlite import ROW_TABLES

    sql_types = {"str": String, "float64": Float, "int64": Integer, "datetime64[ns]": String}
    assert {t.name for t in ROW_TABLES.values()} == {"kpi_values", "action_progress",
                                                     "comparator_values", "kpi_commentary"}
    for kind in UPLOAD_KINDS:
        table = ROW_TABLES[kind.name]
        assert [c.name for c in table.columns] == ["id", "batch_id", *kind.column_names]
        for column in kind.table_columns:
            sql = table.columns[column.name]
            assert isinstance(sql.type, sql_types[column.dtype]), column.name
            assert sql.nullable == column.nullable, column.name
    kpi_values = ROW_TABLES["kpi values"]
    assert kpi_values.columns["numerator"].nullable and not kpi_values.columns["value"].nullable


def test_the_template_has_the_kpi_values_columns(dataset):
    lines = template_csv(dataset).splitlines()
    kind = upload_kind("kpi values")
    # The KPI values columns, then the measure's name to help fill it in (ignored when read).
    assert lines[0].split(",") == [*kind.required, *kind.optional, "measure"]
    assert all(len(line.split(",")) == len(lines[0].split(",")) for line in lines)


def test_the_upload_page_lists_every_layout(app):
    with app.server.test_request_context("/upload"):
        from pages.upload import layout

        page = layout()
    shown = str(page)
    for each in layouts():
        assert each.help in shown
    assert "Action progress: action_ref, as_at, status, and optionally comment." in shown


def test_the_preview_shows_the_declared_columns(dataset, module_store):
    from components.upload import preview

    check = check_upload((COMPARATORS + "19a,2016/17 Q4,England,22.3\n").encode(), "c.csv",
                         dataset.plan, module_store, asat=ASAT)
    table = preview(check.preview, check.kind)
    headers = [cell.children for cell in _find_all(table, "Th")]
    assert headers[:4] == list(upload_kind("comparators").shown)


def _find_all(component, type_name):
    found = [component] if type(component).__name__ == type_name else []
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and hasattr(child, "children"):
            found += _find_all(child, type_name)
    return found
