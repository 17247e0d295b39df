"""`/plans` handlers (issue 13), as plain functions over the store: check a dropped plan file,
import it, make a plan current, undo or redo a plan's batch, each as the signed-in user (its
callbacks in pages/plans.py need Permission.MANAGE). A file is checked again on the server when
it is imported (never trusted from the first check)."""

from __future__ import annotations

from datetime import date

from dash import html

from components import ids

from callbacks.upload import decode_contents
from components import plans as view
from components.plan_switcher import PlanChoice, plan_switcher
from domain.ingest.plan_import import PlanImportCheck, check_plan_import
from domain.store.plan_repository import PLAN_BATCH_KINDS
from domain.store.source import UnknownPlan
from runtime.changes import import_plan, make_plan_current, undo_or_redo
from runtime.context import (current_catalogue, current_store, requested_plan_id,
                             requested_plan_text)

ACTION_ID = ids.PLANS_ACTION_MESSAGE


def check_contents(contents: str | None, file_name: str | None) -> PlanImportCheck | None:
    content = decode_contents(contents)
    if content is None:
        return None
    return check_plan_import(content, file_name, current_catalogue().known(), date.today())


def report_view(contents: str | None, file_name: str | None) -> tuple[list, bool]:
    """The report and preview of a dropped plan file, and whether Import stays disabled."""
    check = check_contents(contents, file_name)
    if check is None:
        return [], True
    blocks = [view.report(check)]
    if check.ok:
        blocks.append(view.preview(check))
    return blocks, not check.ok or check.identical_to is not None


def import_view(contents: str | None, file_name: str | None) -> tuple[html.P, bool]:
    """The result of Import (as the signed-in user), and whether the plans changed."""
    check = check_contents(contents, file_name)
    if check is None:
        return view.message("Choose a file first.", ok=False, message_id=ids.PLANS_MESSAGE), False
    result = import_plan(check)
    if result is None:
        return view.message(f"The file has {check.error_count} errors, so nothing was "
                            "imported. Fix them and upload it again.", ok=False,
                            message_id=ids.PLANS_MESSAGE), False
    if not result.committed:
        return view.message(f"This plan is identical to plan {result.plan_id}: nothing "
                            "changed.", ok=True, message_id=ids.PLANS_MESSAGE), False
    what = (f"a revised version of plan {result.plan_id}" if result.is_revision
            else f"plan {result.plan_id}")
    return view.message(f"Imported as {what} (batch {result.batch_id}).", ok=True,
                        message_id=ids.PLANS_MESSAGE), True


def make_current_view(plan_id: int) -> tuple[html.P, bool]:
    """Make a plan current (as the signed-in user); the message and whether the plans changed."""
    try:
        batch_id = make_plan_current(plan_id)
    except KeyError:
        return view.message(f"There is no plan {plan_id}.", ok=False,
                            message_id=ACTION_ID), False
    if batch_id is None:
        return view.message(f"Plan {plan_id} is already the current plan.", ok=True,
                            message_id=ACTION_ID), False
    return view.message(f"Plan {plan_id} is now the current plan: every page shows it unless "
                        "another is chosen.", ok=True, message_id=ACTION_ID), True


def batch_action_view(action: str, batch_id: int) -> tuple[html.P, bool]:
    """Undo or redo a plan's batch (as the signed-in user); the message and whether the plans
    changed."""
    batch = current_store().batch(batch_id)
    if batch is None or batch.kind not in PLAN_BATCH_KINDS or action not in ("undo", "redo"):
        return view.message(f"There is no plan batch {batch_id}.", ok=False,
                            message_id=ACTION_ID), False
    done, _ = undo_or_redo(action, batch_id)
    if not done:
        why = ("it is the last plan's, and the dashboard always shows a plan"
               if action == "undo" and batch.is_active else
               f"it was already {'rolled back' if action == 'undo' else 'active'}")
        return view.message(f"Batch {batch_id} was not changed: {why}.", ok=False,
                            message_id=ACTION_ID), False
    what = ("rolled back: what it brought is gone from the plans" if action == "undo"
            else "active again")
    return view.message(f"Batch {batch_id} is {what}.", ok=True, message_id=ACTION_ID), True


def plans_view() -> html.Div:
    return view.plans_table(current_catalogue().plans)


def history_view() -> html.Div:
    return view.history_table([b for b in current_store().batches()
                               if b.kind in PLAN_BATCH_KINDS])


def switcher_view():
    """The header's plan switcher for this request: the plan asked for (`?plan=`), else the
    current plan, and a note when the plan asked for does not exist."""
    catalogue = current_catalogue()
    unknown = None
    try:
        chosen = catalogue.plan(requested_plan_id()) if catalogue.plans else None
    except UnknownPlan:
        unknown, chosen = requested_plan_text(), catalogue.current
    choices = [PlanChoice(e.plan_id, e.plan.title, e.plan.years, e.is_current)
               for e in catalogue.plans]
    return plan_switcher(choices, chosen.plan_id if chosen else None, unknown)
