"""`/actions/<ref>` (issue 14): the page's view, and saving a progress report typed there
(checked as an uploaded row of action progress is, stored through runtime.changes as a batch
of the signed-in person, so it can be undone like any upload)."""

from __future__ import annotations

from components.action_page import history_table
from components.commentary import saved_message
from domain.ingest.kinds import ACTION_PROGRESS
from domain.rules.failures import errors
from domain.views.action_page import ActionPageView, action_page_view, progress_entries
from runtime.changes import commit_record
from runtime.context import current_dataset, current_store


def history_frame(action_ref: str):
    return current_store().kind_history(ACTION_PROGRESS, {"action_ref": action_ref})


def page_view(ref: str, asat: str | None) -> ActionPageView | None:
    dataset = current_dataset()
    action = dataset.plan.action(ref)
    if action is None:
        return None
    return action_page_view(dataset, action.ref, asat, history_frame(action.ref))


def save_progress(action_ref: str, status: str | None, comment: str | None,
                  as_at: str | None) -> tuple:
    """(the message, the history's new contents or None to leave it)."""
    cells = {"action_ref": action_ref or "", "status": status or "", "comment": comment or "",
             "as_at": as_at or ""}
    check, result = commit_record(ACTION_PROGRESS, cells,
                                  f"progress on action {action_ref} (page)")
    if result is None:
        return saved_message(" ".join(f.message for f in errors(check.failures)), False), None
    if not result.committed:
        return saved_message("it says what the current report for that date says.", False), None
    return (saved_message(f"progress on {action_ref} (batch {result.batch_id}).", True),
            history_table(progress_entries(history_frame(action_ref))))
