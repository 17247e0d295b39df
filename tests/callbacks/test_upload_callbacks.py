"""The /upload handlers called directly, inside a request of a fresh app."""

from __future__ import annotations

import base64

import pytest
from dash import html

from callbacks import upload as handlers
from layout_tree import text as text_of

pytestmark = pytest.mark.both_databases


def data_url(content: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(content).decode()


@pytest.fixture
def request_context(app, token_for):
    """Inside a request signed in as an admin (an admin's token named "Pat")."""
    headers = {"Authorization": f"Bearer {token_for('admin', 'Pat')}"}
    with app.server.test_request_context("/upload", headers=headers):
        yield app.server.config["RETURNS_STORE"]


GOOD = data_url(b"kpi_ref,period,value\n19a,2016/17 Q2,12.5\n")


def test_a_good_file_enables_commit_and_previews_the_revision(request_context):
    blocks, disabled = handlers.report_view(GOOD, "q2.csv")
    assert disabled is False
    assert "1 revisions" in text_of(blocks)


def test_a_bad_file_keeps_commit_disabled_and_lists_the_errors(request_context):
    blocks, disabled = handlers.report_view(data_url(b"kpi_ref,period,value\n19z,x,1\n"),
                                            "bad.csv")
    assert disabled is True
    assert "unknown_kpi" in text_of(blocks) and "bad_period" in text_of(blocks)


def test_a_file_name_with_markup_is_shown_as_text(request_context):
    blocks, _ = handlers.report_view(GOOD, "<img src=x onerror=alert(1)>.csv")
    name = blocks[0].children[0].children[1]
    assert isinstance(name, html.P) and name.children[1] == "<img src=x onerror=alert(1)>.csv"


def test_commit_stores_one_batch_under_the_signed_in_name(request_context):
    store = request_context
    count = len(store.batches())
    message, changed = handlers.commit_view(None, "q2.csv")
    assert not changed and len(store.batches()) == count
    message, changed = handlers.commit_view(GOOD, "q2.csv")
    assert changed and "Stored as batch" in text_of(message)
    assert store.batches()[0].who == "Pat"
    message, changed = handlers.commit_view(GOOD, "q2.csv")
    assert not changed and "identical" in text_of(message)
    assert len(store.batches()) == count + 1


def test_commit_of_a_bad_file_stores_nothing(request_context):
    store = request_context
    revision = store.revision()
    message, changed = handlers.commit_view(data_url(b"kpi_ref,period,value\n19a,x,1\n"),
                                            "bad.csv")
    assert not changed and "nothing was stored" in text_of(message)
    assert store.revision() == revision


def test_undo_and_redo_from_the_history(request_context):
    store = request_context
    handlers.commit_view(GOOD, "q2.csv")
    newest = store.batches()[0].id
    message, changed = handlers.batch_action_view("undo", newest)
    assert changed and not store.batch(newest).is_active
    message, changed = handlers.batch_action_view("undo", newest)
    assert not changed
    message, changed = handlers.batch_action_view("redo", newest)
    assert changed and store.batch(newest).is_active
    assert [e["who"] for e in store.events()][-2:] == ["Pat", "Pat"]
    message, changed = handlers.batch_action_view("undo", 9999)
    assert not changed and "no batch 9999" in text_of(message)
    assert "q2.csv" in text_of(handlers.history_view())
    assert "19a" in text_of(handlers.batch_rows_view(newest))


def test_a_plans_batch_is_in_the_history_but_undone_only_on_the_plans_page(request_context):
    store = request_context
    plan_batch = next(b for b in store.batches() if b.kind == "plan import")
    history = handlers.history_view()
    assert "Manage on the plans page" in text_of(history)
    message, changed = handlers.batch_action_view("undo", plan_batch.id)
    assert not changed and "plans page" in text_of(message)
    assert store.batch(plan_batch.id).is_active
    assert "among the uploads" in text_of(handlers.batch_rows_view(plan_batch.id))
