"""Plans as data (issue 13): a plan file to a report, a preview and a stored version; the shipped
plan round-trips through its workbook both ways; every file of the plan corpus gives the codes
its manifest says, and a refused one leaves the store exactly as it was."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from domain.ingest.plan_import import CSV_ZIP, WORKBOOK, check_plan_import
from domain.ingest.register import (load_register, next_year_register, plan_from_register,
                                    register_from_folder)
from domain.rules.failures import FAILURE_TEMPLATES, ERROR
from domain.rules.plan import years_moved_on
from domain.store.plan_repository import CURRENT_PLAN, PLAN_IMPORT, PLAN_REVISION
from domain.store.source import commit_plan_import, open_store, plan_catalogue
from domain.views.exports import register_xlsx_bytes

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "plan_corpus"
MANIFEST = list(csv.DictReader((CORPUS / "manifest.csv").open(encoding="utf-8")))
TODAY = date(2025, 6, 1)


@pytest.fixture
def store(settings):
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


def check(store, content: bytes, name="plan.xlsx", today=TODAY):
    return check_plan_import(content, name, plan_catalogue(store).known(), today)


def snapshot(store):
    return (store.revision(), [(b.id, b.status) for b in store.batches()],
            [(p.plan_id, [v.version_id for v in p.versions]) for p in store.stored_plans()],
            store.current_plan_id())


def sheets_of(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [tuple(c.value for c in row) for row in sheet.iter_rows()]
            for sheet in book.worksheets}


def edited(register, sheet: str, ref_column: str, ref: str, **cells):
    table = register[sheet]
    rows = []
    for row in table.rows:
        record = dict(zip(table.columns, row))
        if record[ref_column] == ref:
            record.update(cells)
        rows.append(tuple(record[c] for c in table.columns))
    return {**register, sheet: dataclasses.replace(table, rows=tuple(rows))}


def with_field(register, name: str, value: str):
    table = register["plan"]
    rows = [row for row in table.rows if row[0] != name] + [(name, value)]
    return {**register, "plan": dataclasses.replace(table, rows=tuple(rows))}


# --- the round trip ------------------------------------------------------------------------------

def test_the_shipped_plan_round_trips_through_its_workbook(settings):
    register = register_from_folder(settings.plan_dir)
    shipped = load_register(settings.plan_dir)
    result = check_plan_import(register_xlsx_bytes(register), "plan.xlsx", [], TODAY)
    assert result.ok and result.file_type == WORKBOOK
    assert result.register == register  # every sheet, column and cell as written
    assert result.plan == shipped  # every field of every theme, KPI and action
    assert (len(result.plan.themes), len(result.plan.actions), len(result.plan.kpis)) == \
        (6, 58, 34)


def test_a_workbook_imported_then_downloaded_is_the_same_workbook(settings, store):
    first = register_xlsx_bytes(register_from_folder(settings.plan_dir))
    imported = check(store, first)
    again = register_xlsx_bytes(imported.register)
    assert sheets_of(again) == sheets_of(first)
    assert list(sheets_of(first)) == ["plan", "themes", "kpis", "actions", "rag_scheme",
                                      "published_measures"]


def test_the_register_as_a_zip_of_csv_files_is_the_same_plan(settings, store):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in settings.plan_dir.glob("*.csv"):
            archive.write(path, f"My plan/{path.name}")
    result = check(store, buffer.getvalue(), "plan.zip")
    assert result.ok and result.file_type == CSV_ZIP
    assert result.plan == load_register(settings.plan_dir)
    assert result.identical_to == 1  # the shipped plan, stored on first run


def test_formula_like_text_survives_the_round_trip(settings):
    register = edited(register_from_folder(settings.plan_dir), "kpis", "ref", "4",
                      note="=1+1 is text here", measure="-5 days, as written")
    result = check_plan_import(register_xlsx_bytes(register), "plan.xlsx", [], TODAY)
    assert result.ok and result.register == register
    assert result.plan.kpi("4").note == "=1+1 is text here"


def test_labels_stand_in_for_blank_targets_due_dates_and_kpi_refs(settings):
    register = edited(register_from_folder(settings.plan_dir), "kpis", "ref", "16",
                      target="", denominator="", due_date="")
    register = edited(register, "actions", "ref", "1.1.2", due_date="", kpi_refs="")
    plan, failures = plan_from_register(register)
    shipped = load_register(settings.plan_dir)
    assert not [f for f in failures if f.severity == ERROR]
    assert plan.kpi("16") == shipped.kpi("16")  # 4 / 7, due Mar -17
    assert plan.action("1.1.2") == shipped.action("1.1.2")  # Dec 2016; KPI ref 1 -> 1a-1e


# --- the store: import, revise, identical, current, undo -----------------------------------------

def test_first_run_imports_the_shipped_plan_as_the_current_plan(store, settings):
    catalogue = plan_catalogue(store)
    assert [(p.plan_id, p.is_current) for p in catalogue.plans] == [(1, True)]
    assert catalogue.current.plan == load_register(settings.plan_dir)
    assert store.batch(3).kind == PLAN_IMPORT


def test_next_years_plan_is_stored_beside_the_shipped_one_without_changing_it(store):
    before = plan_catalogue(store).plan(1)
    result = check(store, (CORPUS / "next_year.xlsx").read_bytes())
    assert result.ok and result.revises is None
    assert {f.code for f in result.failures} == {"plan_integrity", "measure_changed"}
    stored = commit_plan_import(result, "Pat Performance", store)
    assert stored.committed and not stored.is_revision and stored.plan_id == 2
    catalogue = plan_catalogue(store)
    assert [p.plan_id for p in catalogue.plans] == [1, 2]
    assert catalogue.plan(1).plan == before.plan and catalogue.current.plan_id == 1
    nxt = catalogue.plan(2).plan
    assert nxt.kpi("19a").target == 20 and nxt.kpi("20") is not None and nxt.kpi("19c") is None
    assert catalogue.plan(2).imported_by == "Pat Performance"


def test_the_preview_lists_what_changes_against_the_current_plan(store):
    result = check(store, (CORPUS / "next_year.xlsx").read_bytes())
    preview = result.preview
    assert preview.compared_with.plan_id == 1 and not preview.is_revision
    assert [(i.what, i.ref) for i in preview.of("added")] == [("KPI", "20")]
    assert [(i.what, i.ref) for i in preview.of("removed")] == [("KPI", "19c")]
    changed = {(i.what, i.ref): i.fields for i in preview.of("changed")}
    assert ("target_label", "24%", "20%") in changed[("KPI", "19a")]
    assert [(t.ref, t.old, t.new) for t in preview.targets] == [
        ("19a", "24% by Mar-17", "20% by Mar-17")]
    assert ("action", "4.2.1") in changed  # "All" now cites 20, not 19c


def test_a_reworded_measure_is_a_warning_naming_the_other_plan(store):
    result = check(store, (CORPUS / "next_year.xlsx").read_bytes())
    warning = next(f for f in result.failures if f.code == "measure_changed")
    assert (warning.sheet, warning.column) == ("kpis", "measure")
    assert warning.row == 34  # 19b's row on the kpis sheet
    assert "19b" in warning.message and "2016-17" in warning.message


def test_re_importing_an_identical_plan_changes_nothing(store, settings):
    before = snapshot(store)
    result = check(store, register_xlsx_bytes(register_from_folder(settings.plan_dir)))
    assert result.ok and result.identical_to == 1
    stored = commit_plan_import(result, "Pat", store)
    assert not stored.committed and stored.identical and stored.batch_id is None
    assert snapshot(store) == before


def test_a_revised_plan_is_a_new_version_and_keeps_the_earlier_one(store, settings):
    register = edited(register_from_folder(settings.plan_dir), "kpis", "ref", "19a",
                      target_label="20%", target="20")
    register = with_field(register, "in_force_from", "2016-10-01")
    result = check(store, register_xlsx_bytes(register))
    assert result.ok and result.revises == 1 and result.in_force_from == date(2016, 10, 1)
    assert result.preview.is_revision
    assert [(t.ref, t.old, t.new) for t in result.preview.targets] == [
        ("19a", "24% by Mar-17", "20% by Mar-17")]
    stored = commit_plan_import(result, "Board secretary", store)
    assert stored.committed and stored.is_revision
    assert store.batch(stored.batch_id).kind == PLAN_REVISION
    entry = plan_catalogue(store).plan(1)
    assert [v.plan.kpi("19a").target for v in entry.versions] == [24, 20]
    assert [v.in_force_from for v in entry.versions] == [None, date(2016, 10, 1)]


def test_a_revision_without_a_date_is_in_force_from_the_day_of_import(store, settings):
    register = edited(register_from_folder(settings.plan_dir), "kpis", "ref", "19a",
                      target="20", target_label="20%")
    assert check(store, register_xlsx_bytes(register)).in_force_from == TODAY


def test_a_revision_in_force_before_the_version_it_revises_is_refused(store, settings):
    register = edited(register_from_folder(settings.plan_dir), "kpis", "ref", "19a",
                      target="20", target_label="20%")
    commit_plan_import(check(store, register_xlsx_bytes(
        with_field(register, "in_force_from", "2016-10-01"))), "A", store)
    before = snapshot(store)
    again = edited(register, "kpis", "ref", "19a", target="22", target_label="22%")
    result = check(store, register_xlsx_bytes(with_field(again, "in_force_from",
                                                         "2016-09-30")))
    failure = next(f for f in result.failures if f.code == "revision_out_of_order")
    assert not result.ok and (failure.sheet, failure.column, failure.value) == \
        ("plan", "value", "2016-09-30")
    assert commit_plan_import(result, "A", store) is None and snapshot(store) == before


def test_making_a_plan_current_is_a_batch_undo_brings_the_old_one_back(store):
    commit_plan_import(check(store, (CORPUS / "next_year.xlsx").read_bytes()), "A", store)
    batch_id = store.make_current(2, "Admin")
    assert store.batch(batch_id).kind == CURRENT_PLAN and store.current_plan_id() == 2
    assert store.make_current(2, "Admin") is None  # already current: nothing changes
    assert store.undo(batch_id, "Admin") and store.current_plan_id() == 1
    assert store.redo(batch_id, "Admin") and store.current_plan_id() == 2
    with pytest.raises(KeyError):
        store.make_current(99, "Admin")


def test_undoing_an_import_removes_that_plan_but_never_the_last_one(store):
    stored = commit_plan_import(check(store, (CORPUS / "next_year.xlsx").read_bytes()), "A",
                                store)
    store.make_current(2, "Admin")
    assert store.undo(stored.batch_id, "Admin")
    assert [p.plan_id for p in store.stored_plans()] == [1]
    assert store.current_plan_id() == 1  # the choice of a plan that is gone no longer counts
    assert not store.undo(3, "Admin")  # the shipped plan is the only one left
    assert store.batch(3).is_active
    assert store.redo(stored.batch_id, "Admin") and store.current_plan_id() == 2


def test_an_import_that_fails_half_way_stores_nothing(store):
    before = snapshot(store)
    result = check(store, (CORPUS / "next_year.xlsx").read_bytes())

    def crash():
        raise RuntimeError("the process died")

    with pytest.raises(RuntimeError):
        commit_plan_import(result, "A", store, _before_commit=crash)
    assert snapshot(store) == before


# --- next year's plan ----------------------------------------------------------------------------

def test_next_years_workbook_moves_the_years_on_and_leaves_due_dates_blank(settings, store):
    register = next_year_register(register_from_folder(settings.plan_dir))
    fields = dict(register["plan"].rows)
    assert fields["title"].endswith("2017 - 2018") and fields["version"] == ""
    assert (fields["start_date"], fields["end_date"]) == ("2017-04-01", "2018-03-31")
    assert {r["due_date"] for r in register["kpis"].records()} == {""}
    reports = [r for r in register["actions"].records() if r["due_label"]]
    assert {r["due_label"] for r in reports} == {"Report quarterly"}  # no date: kept
    result = check(store, register_xlsx_bytes(register))
    assert not result.ok
    assert {(f.sheet, f.column, f.code) for f in result.failures if f.severity == ERROR} == {
        ("kpis", "due_date", "blank_cell")}


def test_a_filled_in_next_years_workbook_imports_as_a_new_plan(settings, store):
    register = next_year_register(register_from_folder(settings.plan_dir))
    table = register["kpis"]
    at = table.columns.index("due_label")
    rows = tuple(row[:at] + ("Mar-18",) + row[at + 1:] for row in table.rows)
    register = {**register, "kpis": dataclasses.replace(table, rows=rows)}
    result = check(store, register_xlsx_bytes(register))
    assert result.ok and result.revises is None
    assert {k.due_date for k in result.plan.kpis} == {date(2018, 3, 31)}


@pytest.mark.parametrize("title, moved", [
    ("Improvement Plan 2016 - 2017", "Improvement Plan 2017 - 2018"),
    ("Plan 2016-17", "Plan 2017-18"), ("Plan 2016/2017", "Plan 2017/2018"),
    ("Plan 2019", "Plan 2020"), ("Plan 2099-00", "Plan 2100-01"), ("Version 1.3", "Version 1.3"),
])
def test_years_moved_on(title, moved):
    assert years_moved_on(title) == moved


# --- the corpus of plan files --------------------------------------------------------------------

def test_the_corpus_lists_every_file_and_refuses_most():
    listed = {row["file"] for row in MANIFEST}
    assert listed == {p.name for p in CORPUS.iterdir() if p.name != "manifest.csv"}
    assert sum(row["outcome"] == "refused" for row in MANIFEST) >= 25


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["file"])
def test_plan_corpus_file(entry, store):
    before = snapshot(store)
    result = check(store, (CORPUS / entry["file"]).read_bytes(), entry["file"])
    codes = {f.code for f in result.failures}
    assert codes == set(entry["codes"].split()), [f.message for f in result.failures]
    for failure in result.failures:
        assert failure.message.endswith(".") and failure.code in FAILURE_TEMPLATES
        assert failure.row is None or failure.row >= 1
        assert failure.sheet is None or failure.sheet in {
            "plan", "themes", "kpis", "actions", "rag_scheme", "published_measures"}
    if entry["outcome"] == "refused":
        assert not result.ok
        assert commit_plan_import(result, "Corpus", store) is None
        assert snapshot(store) == before
    else:
        assert result.ok


def test_a_row_failure_names_its_sheet_row_and_column(store):
    result = check(store, (CORPUS / "bad_due_date.xlsx").read_bytes())
    (failure,) = result.failures
    assert (failure.sheet, failure.row, failure.column, failure.value) == \
        ("kpis", 2, "due_date", "31/02/2017")


def test_a_file_over_the_limit_is_refused(store):
    from domain.ingest.plan_import import MAX_PLAN_BYTES

    result = check(store, b"PK\x03\x04" + b"\0" * MAX_PLAN_BYTES)
    assert [f.code for f in result.failures] == ["file_too_large"]


# Codes no corpus file can show: they need the store to hold a revision first.
NOT_IN_PLAN_CORPUS = {"revision_out_of_order":
                      "test_a_revision_in_force_before_the_version_it_revises_is_refused"}


def test_every_plan_code_is_shown_by_the_corpus_or_a_named_test():
    from domain.rules.failures import _TYPES

    plan_codes = {t.code for t in _TYPES[[t.code for t in _TYPES].index("not_a_plan_file"):]}
    in_corpus = {code for row in MANIFEST for code in row["codes"].split()}
    assert plan_codes - in_corpus == set(NOT_IN_PLAN_CORPUS)
    for test_name in NOT_IN_PLAN_CORPUS.values():
        assert test_name in globals()
