"""Faults across processes, on SQLite and PostgreSQL: a process killed in the middle of a commit
leaves the store as it was, two processes committing at once both land, one after the other,
never a mix, and the same file committed twice at once is stored once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
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
    print("CHECKED", flush=True)
    if {gated!r}:
        sys.stdin.readline()  # commit only when told

    def pause():
        print("IN-TRANSACTION", flush=True)
        if {hold!r}:
            sys.stdin.readline()  # keep the transaction open until told (or killed)

    print("COMMITTING", flush=True)
    result = commit_upload(check, {name!r}, store, _before_commit=pause)
    print("COMMITTED" if result.committed else "IDENTICAL", result.batch_id, flush=True)
""")


@pytest.fixture
def store(settings):
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


def start_worker(settings, content: bytes, name: str, hold=False, gated=False):
    script = WORKER.format(root=str(ROOT), url=settings.store_url, plan_dir=str(settings.plan_dir),
                           content=content, name=name, hold=hold, gated=gated)
    return subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(worker, line: str) -> None:
    for said in worker.stdout:
        if said.strip() == line:
            return
    pytest.fail(f"the worker ended before {line}: {worker.stderr.read()}")


def tell(worker) -> None:
    worker.stdin.write("go\n")
    worker.stdin.flush()


def commit_while_another_holds_the_lock(settings, first_file, second_file):
    """The first worker writes its batch and holds its transaction open; the second, its file
    already checked against the store as it was, then commits; then the first finishes. Their
    outputs, first then second."""
    first = start_worker(settings, *first_file, hold=True)
    second = start_worker(settings, *second_file, gated=True)
    wait_for(first, "IN-TRANSACTION")
    wait_for(second, "CHECKED")
    tell(second)
    wait_for(second, "COMMITTING")
    # Give the second a moment to reach the lock (when it is slower, the test is only weaker).
    time.sleep(0.5)
    tell(first)
    out_first, err_first = first.communicate(timeout=60)
    out_second, err_second = second.communicate(timeout=60)
    assert first.returncode == 0, err_first
    assert second.returncode == 0, err_second
    return out_first.split(), out_second.split()


def value_of(store, ref, period):
    frame = store.current(KPI_VALUES)
    return float(frame[(frame.kpi_ref == ref) & (frame.period == period)
                       & (frame.area == "")].value.iloc[0])


def test_killing_a_process_in_the_middle_of_a_commit_leaves_the_store_as_it_was(store,
                                                                                 settings):
    before = (store.revision(), [b.id for b in store.batches()], value_of(store, "19a",
                                                                          "2016/17 Q2"))
    worker = start_worker(settings, b"kpi_ref,period,value\n19a,2016/17 Q2,12.5\n"
                          b"17a,2016/17 Q2,61\n", "killed.csv", hold=True)
    try:
        wait_for(worker, "IN-TRANSACTION")
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
    rerun = start_worker(settings, b"kpi_ref,period,value\n19a,2016/17 Q2,12.5\n", "after.csv")
    out, err = rerun.communicate(timeout=60)
    assert "COMMITTED" in out, err
    assert value_of(store_for_url(settings.store_url), "19a", "2016/17 Q2") == 12.5


def test_two_processes_committing_at_once_both_land_in_turn(store, settings):
    revision = store.revision()
    first, second = commit_while_another_holds_the_lock(
        settings, (b"kpi_ref,period,value\n19a,2016/17 Q2,11\n17a,2016/17 Q2,61\n", "first.csv"),
        (b"kpi_ref,period,value\n19a,2016/17 Q2,11\n17b,2016/17 Q2,101\n", "second.csv"))
    assert first[-2] == second[-2] == "COMMITTED"

    fresh = store_for_url(settings.store_url)
    assert fresh.revision() == revision + 2
    newest, older = fresh.batches()[:2]
    assert (older.file_name, newest.file_name) == ("first.csv", "second.csv")
    # Never a mix: each batch has exactly its own rows, and the later one is current.
    assert sorted(fresh.batch_rows(older.id).kpi_ref) == ["17a", "19a"]
    assert sorted(fresh.batch_rows(newest.id).kpi_ref) == ["17b", "19a"]
    assert value_of(fresh, "19a", "2016/17 Q2") == 11
    assert value_of(fresh, "17a", "2016/17 Q2") == 61
    # The second compared itself with the store after the first had landed: its 19a, the
    # first's value, is unchanged (against the sample it would have been a revision).
    assert (newest.rows_unchanged, newest.rows_revised) == (1, 1)
    assert fresh.integrity_problems() == []


def test_the_same_file_committed_by_two_processes_at_once_is_stored_once(store, settings):
    count = len(store.batches())
    same = (b"kpi_ref,period,value\n19a,2016/17 Q2,11\n", "same.csv")
    first, second = commit_while_another_holds_the_lock(settings, same, same)
    # The second checked the file before the first committed; only the writer lock makes it
    # see, when its turn comes, that an identical batch is now active.
    assert first[-2] == "COMMITTED" and second[-2:] == ["IDENTICAL", first[-1]]
    assert len(store_for_url(settings.store_url).batches()) == count + 1
