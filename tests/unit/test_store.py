"""The store: commit, undo, redo, identical re-upload, the newest-active-batch rule, and the
dataset built from it, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest

from domain.ingest.returns import read_returns
from domain.store.sqlite import (ACTION_PROGRESS, KPI_VALUES, ROLLED_BACK, NewBatch,
                          sha256_of)
from domain.store.plan_repository import PLAN_IMPORT
from domain.store.source import StoreDatasetSource, open_store, store_for_url

pytestmark = pytest.mark.both_databases

HEADER = b"kpi_ref,period,value,numerator,denominator,area,comment\n"


@pytest.fixture
def store(settings):
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


def batch(dataset, body: bytes, who="Test Officer", name="upload.csv") -> NewBatch:
    content = HEADER + body
    read = read_returns(content, dataset.plan)
    assert read.ok, read.failures
    return NewBatch(KPI_VALUES, name, sha256_of(content), who, read.table)


def current_value(store, ref, period, area=""):
    frame = store.current(KPI_VALUES)
    match = frame[(frame.kpi_ref == ref) & (frame.period == period) & (frame.area == area)]
    return None if match.empty else float(match.value.iloc[0])


def test_first_run_seeds_the_sample_as_its_first_batches_then_the_shipped_plan(store, dataset):
    batches = store.batches()
    assert [b.kind for b in batches] == [PLAN_IMPORT, ACTION_PROGRESS, KPI_VALUES]
    assert all(b.is_sample and b.is_active for b in batches[1:])
    assert not batches[0].is_sample and batches[0].is_active
    current = store.current(KPI_VALUES)
    assert len(current) == len(dataset.returns)
    assert len(store.current(ACTION_PROGRESS)) == len(dataset.progress)


def test_opening_again_does_not_seed_twice(store, settings):
    again = open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                       settings.progress_path)
    assert len(again.batches()) == len(store.batches()) == 3
    assert len(again.stored_plans()) == 1


def test_the_dataset_from_the_store_matches_the_sample_files(store, dataset, settings):
    from_store = StoreDatasetSource(settings.plan_dir, store).current()
    assert from_store.is_sample
    columns = ["kpi_ref", "period", "area", "value"]
    pd.testing.assert_frame_equal(
        from_store.returns[columns].sort_values(columns).reset_index(drop=True),
        dataset.returns[columns].sort_values(columns).reset_index(drop=True))
    asat = dataset.latest_quarter()
    assert {r: s.status for r, s in from_store.kpi_statuses(asat).items()} == \
        {r: s.status for r, s in dataset.kpi_statuses(asat).items()}


def test_commit_revises_a_value_and_undo_brings_the_old_one_back(store, dataset):
    old = current_value(store, "19a", "2016/17 Q2")
    assert old is not None and old != 12.5
    result = store.commit(batch(dataset, b"19a,2016/17 Q2,12.5,,,,\n19a,2030/31 Q1,1,,,,\n"))
    assert result.committed and len(result.preview.revised) == 1 and len(result.preview.new) == 1
    assert result.preview.revised.old_value.iloc[0] == old
    assert current_value(store, "19a", "2016/17 Q2") == 12.5
    revision = store.revision()

    assert store.undo(result.batch_id, "Undoer")
    assert store.revision() == revision + 1
    assert current_value(store, "19a", "2016/17 Q2") == old
    assert current_value(store, "19a", "2030/31 Q1") is None
    assert store.batch(result.batch_id).status == ROLLED_BACK
    assert not store.undo(result.batch_id, "Undoer"), "undoing twice changes nothing"

    assert store.redo(result.batch_id, "Redoer")
    assert current_value(store, "19a", "2016/17 Q2") == 12.5
    assert [e["event"] for e in store.events()][-3:] == ["commit", "undo", "redo"]


def test_the_newest_active_batch_wins(store, dataset):
    first = store.commit(batch(dataset, b"19a,2016/17 Q2,11,,,,\n", name="a.csv"))
    second = store.commit(batch(dataset, b"19a,2016/17 Q2,22,,,,\n", name="b.csv"))
    assert current_value(store, "19a", "2016/17 Q2") == 22
    store.undo(first.batch_id, "x")
    assert current_value(store, "19a", "2016/17 Q2") == 22, "an older batch's undo hides nothing"
    store.redo(first.batch_id, "x")
    store.undo(second.batch_id, "x")
    assert current_value(store, "19a", "2016/17 Q2") == 11


def test_an_identical_re_upload_changes_nothing(store, dataset):
    upload = batch(dataset, b"19a,2016/17 Q2,12.5,,,,\n")
    first = store.commit(upload)
    revision, count = store.revision(), len(store.batches())
    again = store.commit(upload)
    assert not again.committed and again.identical_to == first.batch_id
    assert store.revision() == revision and len(store.batches()) == count


def test_a_file_that_changes_nothing_is_not_a_batch(store, dataset):
    row = dataset.returns.iloc[0]
    body = f"{row.kpi_ref},{row.period},{row.value},,,,\n".encode()
    result = store.commit(batch(dataset, body))
    assert not result.committed and result.batch_id is None
    assert len(result.preview.unchanged) == 1
    assert len(store.batches()) == 3  # the sample returns and progress, the shipped plan


def test_nothing_is_ever_deleted(store, dataset):
    result = store.commit(batch(dataset, b"19a,2016/17 Q2,12.5,,,,\n"))
    store.undo(result.batch_id, "x")
    assert len(store.batch_rows(result.batch_id)) == 1
    assert store.integrity_problems() == []


def test_a_failure_inside_a_commit_leaves_the_store_as_it_was(store, dataset):
    revision, count = store.revision(), len(store.batches())

    def fail():
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        store.commit(batch(dataset, b"19a,2016/17 Q2,12.5,,,,\n"), _before_commit=fail)
    assert store.revision() == revision and len(store.batches()) == count
    assert current_value(store, "19a", "2016/17 Q2") != 12.5
    assert store.integrity_problems() == []


def test_a_second_source_sees_a_commit_on_its_next_request(store, dataset, settings):
    other_process = StoreDatasetSource(settings.plan_dir, store_for_url(settings.store_url))
    before = other_process.current()
    store.commit(batch(dataset, b"19a,2016/17 Q2,12.5,,,,\n"))
    after = other_process.current()
    assert after is not before
    values = {o.period.label: o.value for o in after.observations("19a")}
    assert values["2016/17 Q2"] == 12.5


def test_is_sample_follows_the_active_sample_batches(store, settings):
    source = StoreDatasetSource(settings.plan_dir, store)
    assert source.current().is_sample
    for b in store.batches():
        store.undo(b.id, "x")
    assert not source.current().is_sample


def test_a_commit_rebuilds_the_dataset_but_reads_the_plan_only_when_it_changes(
        store, dataset, settings, monkeypatch):
    """Every commit moves the revision and every worker rebuilds its dataset; the stored plan
    is read from its register and checked only when a new version of it is stored."""
    from dataclasses import replace
    from datetime import date

    import domain.store.source as source_module
    from domain.ingest.register import register_from_folder, register_sha256
    from domain.store.plan_repository import NewPlanVersion

    reads, checks = [], []
    real_read, real_check = source_module.plan_from_register, source_module.check_plan
    monkeypatch.setattr(source_module, "plan_from_register",
                        lambda register: reads.append(1) or real_read(register))
    monkeypatch.setattr(source_module, "check_plan",
                        lambda plan: checks.append(1) or real_check(plan))
    source = StoreDatasetSource(settings.plan_dir, store)
    first = source.current()
    store.commit(batch(dataset, b"19a,2016/17 Q2,12.5,,,,\n"))
    second = source.current()
    assert second is not first and (len(reads), len(checks)) == (1, 1)
    # A revised version of the plan (in force from October): read and checked once.
    register = register_from_folder(settings.plan_dir)
    revised = {**register, "plan": replace(
        register["plan"], rows=(*register["plan"].rows, ("in_force_from", "2016-10-01")))}
    plan = real_read(revised)[0]
    store.import_plan(NewPlanVersion(plan.identity, revised, register_sha256(revised),
                                     date(2016, 10, 1), "revised.xlsx", "0" * 64, "Test"))
    assert source.current() is not second and (len(reads), len(checks)) == (2, 2)


def test_a_worker_kept_fresh_has_rebuilt_before_its_next_request(store, dataset, settings,
                                                                  monkeypatch):
    import time

    import domain.store.source as source_module

    source = StoreDatasetSource(settings.plan_dir, store)
    source.current()
    builds = []
    real_build = source_module.dataset_from_store
    monkeypatch.setattr(source_module, "dataset_from_store",
                        lambda *args: builds.append(args) or real_build(*args))
    stop = source.keep_fresh(0.05)
    try:
        other_worker = store_for_url(settings.store_url)
        other_worker.commit(batch(dataset, b"19a,2016/17 Q2,12.5,,,,\n"))
        deadline = time.monotonic() + 60  # a bound on waiting, not a timing assertion
        while not builds and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(builds) == 1, "the background thread rebuilt once"
        values = {o.period.label: o.value for o in source.current().observations("19a")}
        assert values["2016/17 Q2"] == 12.5 and len(builds) == 1, "the request built nothing"
    finally:
        stop.set()
