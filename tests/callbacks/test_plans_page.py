"""The /plans handlers and the plan switcher called directly, inside a request of a fresh app
(issue 13)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from callbacks import plans as handlers
from dash_tree import find, texts
from layout_tree import text

CORPUS = Path(__file__).resolve().parents[1] / "plan_corpus"


def data_url(name: str) -> str:
    return ("data:application/octet-stream;base64,"
            + base64.b64encode((CORPUS / name).read_bytes()).decode())


NEXT_YEAR = data_url("next_year.xlsx")


@pytest.fixture
def admin_headers(token_for):
    """Signed in as an admin (an admin's token named "Pat"): the history records that name."""
    return {"Authorization": f"Bearer {token_for('admin', 'Pat')}"}


@pytest.fixture
def store(app, admin_headers):
    with app.server.test_request_context("/plans", headers=admin_headers):
        yield app.server.config["RETURNS_STORE"]


def test_a_bad_plan_lists_each_failure_with_its_sheet_and_keeps_import_disabled(store):
    blocks, disabled = handlers.report_view(data_url("missing_outcome.xlsx"), "bad.xlsx")
    assert disabled is True
    rows = texts(find(blocks[0], "plans-errors"))
    assert ["themes", "4", "outcome", "3", "missing_outcome"] == rows[
        rows.index("themes"):rows.index("themes") + 5]
    assert find(blocks[0], "plans-verdict").children.startswith("1 errors")


def test_a_good_plan_is_previewed_against_the_current_plan(store):
    blocks, disabled = handlers.report_view(NEXT_YEAR, "next.xlsx")
    assert disabled is False
    preview = blocks[1]
    assert "1 added, 1 removed" in text(find(preview, "plans-preview-counts"))
    assert "24% by Mar-17 \u2192 20% by Mar-17" in texts(find(preview, "plans-targets"))
    assert "Compared with the current plan" in text(find(preview, "plans-compared-with"))
    assert "measure_changed" in texts(find(blocks[0], "plans-warnings"))


def test_import_stores_the_plan_once_as_the_signed_in_admin(store):
    message, changed = handlers.import_view(NEXT_YEAR, "next.xlsx")
    assert changed and "Imported as plan 2" in text(message)
    assert store.batches()[0].who == "Pat"
    message, changed = handlers.import_view(NEXT_YEAR, "next.xlsx")
    assert not changed and "identical to plan 2" in text(message)
    assert "Make current: plan 2 (2017-18)" in str(handlers.plans_view())


def test_an_identical_plan_is_previewed_as_changing_nothing(store, app):
    blocks, disabled = handlers.report_view(data_url("shipped_plan.xlsx"), "plan.xlsx")
    assert disabled is True  # nothing to import
    assert "identical to plan 1" in text(find(blocks[1], "plans-identical"))


def test_a_refused_import_stores_nothing(store):
    revision = store.revision()
    message, changed = handlers.import_view(data_url("bad_target.xlsx"), "bad.xlsx")
    assert not changed and "1 errors" in text(message)
    assert store.revision() == revision


def test_make_current_then_undo_and_redo_from_the_history(store):
    handlers.import_view(NEXT_YEAR, "next.xlsx")
    message, changed = handlers.make_current_view(2)
    assert changed and store.current_plan_id() == 2
    newest = store.batches()[0]
    assert newest.kind == "current plan"
    assert f"Undo batch {newest.id}" in str(handlers.history_view())
    message, changed = handlers.batch_action_view("undo", newest.id)
    assert changed and store.current_plan_id() == 1
    message, changed = handlers.batch_action_view("redo", newest.id)
    assert changed and store.current_plan_id() == 2


def test_the_last_plan_cannot_be_rolled_back(store):
    shipped = next(b for b in store.batches() if b.kind == "plan import")
    message, changed = handlers.batch_action_view("undo", shipped.id)
    assert not changed and "last plan" in text(message)


def test_a_returns_batch_is_not_undone_here(store):
    returns = next(b for b in store.batches() if b.kind == "kpi values")
    message, changed = handlers.batch_action_view("undo", returns.id)
    assert not changed and store.batch(returns.id).is_active


def test_the_switcher_shows_the_chosen_plan_and_links_to_each(app, admin_headers):
    with app.server.test_request_context("/plans", headers=admin_headers):
        handlers.import_view(NEXT_YEAR, "next.xlsx")
    with app.server.test_request_context("/actions?plan=2"):
        switcher = handlers.switcher_view()
    summary = text(find(switcher, "plan-switcher-summary"))
    assert "2017 - 2018" in summary and "(2017-18)" in summary and "not the current" in summary
    link = find(switcher, "plan-switcher-1")
    assert link.href == "?plan=1" and "current plan" in link.children


def test_a_dash_request_takes_the_plan_from_the_page_it_came_from(app, admin_headers):
    with app.server.test_request_context("/plans", headers=admin_headers):
        handlers.import_view(NEXT_YEAR, "next.xlsx")
    with app.server.test_request_context(
            "/_dash-update-component", method="POST",
            headers={"Referer": "http://localhost/kpi/20?plan=2&asat=2016-17Q4"}):
        from runtime.context import current_dataset

        assert current_dataset().plan.kpi("20") is not None


def test_a_plan_that_does_not_exist_shows_the_current_one_and_says_so(app):
    with app.server.test_request_context("/?plan=9"):
        from runtime.context import current_dataset

        switcher = handlers.switcher_view()
        assert current_dataset().plan.kpi("19c") is not None  # the shipped, current plan
    assert "There is no plan '9'" in text(find(switcher, "plan-switcher-unknown"))
