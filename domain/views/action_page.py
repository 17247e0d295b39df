"""`/actions/<ref>` as plain values (issue 14): one action's description, leads, due date, the
KPIs it cites, its status as at a period, and every progress report with who made it and when
(the store's rows come in as a frame; nothing here reads the store)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from domain.rules.dataset import Dataset, asat_with_fallback
from domain.rules.periods import ReportingPeriod
from domain.rules.plan import Action, Kpi, Theme
from domain.rules.rag import ActionStatus

# The API's field for each progress column (a refusal names what the caller sent).
PROGRESS_FIELDS = {"action_ref": "action_ref", "as_at": "as_at", "status": "status",
                   "comment": "comment"}
EXAMPLE_PROGRESS = '{"status": "AMBER", "comment": "...", "as_at": "2017-03-31"}'


@dataclass(frozen=True)
class ProgressEntry:
    as_at: str  # "31/03/2017"
    status: str
    comment: str
    written_by: str
    written_at: str  # ISO 8601 UTC
    batch_id: int
    undone: bool


@dataclass(frozen=True)
class ActionPageView:
    action: Action
    theme: Theme
    asat: ReportingPeriod
    asat_error: str | None
    status: ActionStatus
    kpis: tuple[Kpi, ...]  # the plan's KPIs it cites
    history: tuple[ProgressEntry, ...]  # newest first


def progress_entries(frame: pd.DataFrame) -> tuple[ProgressEntry, ...]:
    """Every progress report of an action (`kind_history`), newest report date first."""
    if not frame.empty:
        frame = frame.sort_values(["as_at", "batch_id"], kind="stable")
    entries = [ProgressEntry(f"{pd.Timestamp(row['as_at']):%d/%m/%Y}", row["status"],
                             row["comment"], row["who"], row["created_at"], int(row["batch_id"]),
                             row["batch_status"] != "active")
               for row in frame.to_dict("records")]
    return tuple(reversed(entries))


def action_page_view(dataset: Dataset, ref: str, asat_text: str | None,
                     history: pd.DataFrame) -> ActionPageView | None:
    """None when the plan has no such action."""
    action = dataset.plan.action(ref)
    if action is None:
        return None
    asat, asat_error = asat_with_fallback(dataset, asat_text)
    at = dataset.at(asat)
    status = at.action_statuses(asat)[action.ref]
    kpis = tuple(k for k in (dataset.plan.kpi(r) for r in action.kpi_refs) if k is not None)
    return ActionPageView(action, dataset.plan.theme(action.theme), asat, asat_error, status,
                          kpis, progress_entries(history))


def progress_cells(ref: str, body) -> tuple[dict[str, str] | None, tuple[str, str] | None]:
    """The one-row file's cells a `POST /api/actions/<ref>/progress` body asks for, or the
    first problem with its shape as (field, message)."""
    if not isinstance(body, dict):
        return None, ("body", f"Send a JSON object: {EXAMPLE_PROGRESS}.")
    cells = {"action_ref": ref}
    for field in ("status", "comment", "as_at"):
        value = body.get(field)
        value = "" if value is None else value
        if not isinstance(value, str):
            return None, (field, f"{field} must be text, e.g. {EXAMPLE_PROGRESS}.")
        cells[field] = value
    return cells, None
