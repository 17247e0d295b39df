"""Faults across processes: a process killed in the middle of a commit leaves the store as it
was, and two processes committing at once both land, one after the other, never a mix."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from domain.store.sqlite import KPI_VALUES
from domain.store.source import open_store, store_for_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.both_databases

WORKER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from domain.ingest.register import load_plan
    from domain.store.source import store_for_url
    from domain.ingest.upload import check_upload, commit_upload

    store = store_for_url({url!r})
    plan = load_plan({plan_dir!r})[0]
    check = check_upload({content!r}, {name!r}, plan, store)
    assert check.ok, check.failures

    def pause():
        print("IN-TRANSACTION", flush=True)
        time.sleep({pause})

    result = commit_upload(check, {name!r}, store, _before_commit=pause)
    print("COMMITTED", result.batch_id, flush=True)
""")


@pytest.fixture
def store(settings):
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


def start_worker(store, settings, content: bytes, name: str, pause: float):
    script = WORKER.format(root=str(ROOT), url=settings.store_url, plan_dir=str(settings.plan_dir),
                           content=content, name=name, pause=pause)
    return subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def value_of(store, ref, period):
    frame = store.current(KPI_VALUES)
    return float(frame[(frame.kpi_ref == ref) & (frame.period == period)
                       & (frame.area == "")].value.iloc[0])


def test_killing_a_process_in_the_middle_of_a_commit_leaves_the_store_as_it_was(store,
                                                                                 settings):
    before = (store.revision(), [b.id for b in store.batches()], value_of(store, "19a",
                                                                          "2016/17 Q2"))
    worker = start_worker(store, settings, b"kpi_ref,period,value\n19a,2016/17 Q2,12.5\n"
                          b"17a,2016/17 Q2,61\n", "killed.csv", pause=60)
    try:
        assert worker.stdout.readline().strip() == "IN-TRANSACTION", worker.stderr.read()
        # The rows are written but not committed: other readers still see the old store.
        assert value_of(store_for_url(settings.store_url), "19a", "2016/17 Q2") == before[2]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    fresh = store_for_url(settings.store_url)  # as a new process would open it
    assert (fresh.revision(), [b.id for b in fresh.batches()],
            value_of(fresh, "19a", "2016/17 Q2")) == before
    assert fresh.integrity_problems() == []
    # The lock died with the process: the next commit goes through.
    rerun = start_worker(store, settings, b"kpi_ref,period,value\n19a,2016/17 Q2,12.5\n",
                         "after.csv", pause=0)
    out, err = rerun.communicate(timeout=60)
    assert "COMMITTED" in out, err
    assert value_of(store_for_url(settings.store_url), "19a", "2016/17 Q2") == 12.5


def test_two_processes_committing_at_once_both_land_in_turn(store, settings):
    revision = store.revision()
    first = start_worker(store, settings, b"kpi_ref,period,value\n19a,2016/17 Q2,11\n"
                         b"17a,2016/17 Q2,61\n", "first.csv", pause=1.5)
    assert first.stdout.readline().strip() == "IN-TRANSACTION", first.stderr.read()
    # The second starts while the first holds the write lock, so it must wait its turn.
    second = start_worker(store, settings, b"kpi_ref,period,value\n19a,2016/17 Q2,22\n"
                          b"17b,2016/17 Q2,101\n", "second.csv", pause=0)
    out_first, err_first = first.communicate(timeout=60)
    out_second, err_second = second.communicate(timeout=60)
    assert "COMMITTED" in out_first, err_first
    assert "COMMITTED" in out_second, err_second

    fresh = store_for_url(settings.store_url)
    assert fresh.revision() == revision + 2
    newest, older = fresh.batches()[:2]
    assert (older.file_name, newest.file_name) == ("first.csv", "second.csv")
    # Never a mix: each batch has exactly its own rows, and the later one is current.
    assert sorted(fresh.batch_rows(older.id).kpi_ref) == ["17a", "19a"]
    assert sorted(fresh.batch_rows(newest.id).kpi_ref) == ["17b", "19a"]
    assert value_of(fresh, "19a", "2016/17 Q2") == 22
    assert value_of(fresh, "17a", "2016/17 Q2") == 61
    # The second compared itself with the store after the first had landed.
    assert newest.rows_revised == 2 and fresh.integrity_problems() == []
