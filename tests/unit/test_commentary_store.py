"""Issue 14's store on SQLite and PostgreSQL: a commentary edit is a batch whose every version
`kind_history` gives back with its author (undone ones marked), and sign-offs are kept in
order with the newest batch at the time."""

from __future__ import annotations

import pytest

from domain.ingest.kinds import KPI_COMMENTARY
from domain.ingest.records import check_record
from domain.ingest.register import load_plan
from domain.ingest.upload import commit_upload
from domain.store.source import open_signoffs, open_store

pytestmark = pytest.mark.both_databases


@pytest.fixture
def store(settings):
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


def write(store, plan, who: str, text: str):
    cells = {"kpi_ref": "19a", "period": "2016/17 Q4", "commentary": text}
    check = check_record(KPI_COMMENTARY, cells, plan, store, "test", who, text)
    assert check.ok, check.failures
    return commit_upload(check, who, store)


def test_every_edit_is_kept_with_its_author_and_undo_is_marked(store, settings):
    plan = load_plan(settings.plan_dir)[0]
    first = write(store, plan, "Ann", "First")
    second = write(store, plan, "Ben", "Second")
    assert first.committed and second.committed
    store.undo(second.batch_id, "Ann")
    history = store.kind_history(KPI_COMMENTARY, {"kpi_ref": "19a", "period": "2016/17 Q4"})
    assert list(history["commentary"]) == ["First", "Second"]
    assert list(history["who"]) == ["Ann", "Ben"]
    assert list(history["batch_status"]) == ["active", "rolled back"]
    current = store.current(KPI_COMMENTARY)
    assert list(current["commentary"]) == ["First"]
    assert store.kind_history(KPI_COMMENTARY, {"kpi_ref": "17a"}).empty


def test_sign_offs_are_kept_in_order(store):
    signoffs = open_signoffs(store)
    signoffs.sign_off("2016/17 Q3", "Ada", 2)
    signoffs.sign_off("2016/17 Q4", "Ada", 5)
    kept = signoffs.signoffs()
    assert [(s.period, s.last_batch_id) for s in kept] == [("2016/17 Q3", 2), ("2016/17 Q4", 5)]
