"""`/plans` handlers (issue 13), as plain functions over the store: check a dropped plan file,
import it, make a plan current, undo or redo a plan's batch. Each that changes the plans is
admin-only: it asks `role_refusal(ADMIN)` first (`# role: admin`). A file is checked again on
the server when it is imported (never trusted from the first check)."""

from __future__ import annotations

from datetime import date

from dash import html

from callbacks.upload import decode_contents
from components import plans as view
from components.plan_switcher import PlanChoice, plan_switcher
from domain.ingest.plan_import import PlanImportCheck, check_plan_import
from domain.store.plan_repository import PLAN_BATCH_KINDS
from domain.store.source import UnknownPlan, commit_plan_import
from runtime.context import (current_catalogue, current_plans, current_store,
                             requested_plan_id, requested_plan_text)
from runtime.permissions import ADMIN, role_refusal, signed_in_name

ACTION_ID = "plans-action-message"
WHO_MISSING = ("Type your name in 'Your name' before you {action}, so the history shows who "
               "did.")


def _who(typed: str | None) -> str:
    return (signed_in_name() or typed or "").strip()


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


# role: admin
def import_view(contents: str | None, file_name: str | None, who: str | None
                ) -> tuple[html.P, bool]:
    """The result of Import, and whether the plans changed."""
    refusal = role_refusal(ADMIN)
    if refusal is not None:
        return view.message(refusal, ok=False, message_id="plans-message"), False
    who = _who(who)
    if not who:
        return view.message(WHO_MISSING.format(action="import"), ok=False,
                            message_id="plans-message"), False
    check = check_contents(contents, file_name)
    if check is None:
        return view.message("Choose a file first.", ok=False, message_id="plans-message"), False
    result = commit_plan_import(check, who, current_plans())
    if result is None:
        return view.message(f"The file has {check.error_count} errors, so nothing was "
                            "imported. Fix them and upload it again.", ok=False,
                            message_id="plans-message"), False
    if not result.committed:
        return view.message(f"This plan is identical to plan {result.plan_id}: nothing "
                            "changed.", ok=True, message_id="plans-message"), False
    what = (f"a revised version of plan {result.plan_id}" if result.is_revision
            else f"plan {result.plan_id}")
    return view.message(f"Imported as {what} (batch {result.batch_id}).", ok=True,
                        message_id="plans-message"), True


# role: admin
def make_current_view(plan_id: int, who: str | None) -> tuple[html.P, bool]:
    """Make a plan current; the message and whether the plans changed."""
    refusal = role_refusal(ADMIN)
    if refusal is not None:
        return view.message(refusal, ok=False, message_id=ACTION_ID), False
    who = _who(who)
    if not who:
        return view.message(WHO_MISSING.format(action="make a plan current"), ok=False,
                            message_id=ACTION_ID), False
    try:
        batch_id = current_plans().make_current(plan_id, who)
    except KeyError:
        return view.message(f"There is no plan {plan_id}.", ok=False,
                            message_id=ACTION_ID), False
    if batch_id is None:
        return view.message(f"Plan {plan_id} is already the current plan.", ok=True,
                            message_id=ACTION_ID), False
    return view.message(f"Plan {plan_id} is now the current plan: every page shows it unless "
                        "another is chosen.", ok=True, message_id=ACTION_ID), True


# role: admin
def batch_action_view(action: str, batch_id: int, who: str | None) -> tuple[html.P, bool]:
    """Undo or redo a plan's batch; the message and whether the plans changed."""
    refusal = role_refusal(ADMIN)
    if refusal is not None:
        return view.message(refusal, ok=False, message_id=ACTION_ID), False
    who = _who(who)
    if not who:
        return view.message(WHO_MISSING.format(action=action), ok=False,
                            message_id=ACTION_ID), False
    store = current_store()
    batch = store.batch(batch_id)
    if batch is None or batch.kind not in PLAN_BATCH_KINDS:
        return view.message(f"There is no plan batch {batch_id}.", ok=False,
                            message_id=ACTION_ID), False
    done = store.undo(batch_id, who) if action == "undo" else store.redo(batch_id, who)
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
