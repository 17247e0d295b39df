"""The actions page's questions: every action's status as at a period, overdue first."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from domain.rules.dataset import (Dataset, QuarterReturns, asat_with_fallback, newer_partial,
                            partial_note)
from domain.rules.periods import ReportingPeriod
from domain.rules.plan import Action, Theme
from domain.rules.rag import STATUS_ORDER, ActionStatus, Rag


@dataclass(frozen=True)
class ActionRow:
    action: Action
    theme: Theme
    status: ActionStatus


@dataclass(frozen=True)
class ActionsView:
    asat: ReportingPeriod
    asat_error: str | None
    rows: tuple[ActionRow, ...]
    counts: dict[Rag, int]
    total: int
    partial_note: str | None = None  # the as-at quarter's returns are still arriving
    newer_partial: QuarterReturns | None = None  # offered one click away


def ref_key(ref: str) -> tuple:
    """Sort `1.2.10` after `1.2.9`."""
    return tuple(int(part) if part.isdigit() else part for part in ref.split("."))


def _overdue_first(row: ActionRow) -> tuple:
    return (not row.status.timescale_slipped, STATUS_ORDER.index(row.status.status),
            row.action.due_date or date.max, ref_key(row.action.ref))


def actions_view(dataset: Dataset, asat_text: str | None = None, themes: tuple[str, ...] = (),
                 leads: tuple[str, ...] = (), statuses: tuple[str, ...] = ()) -> ActionsView:
    asat, asat_error = asat_with_fallback(dataset, asat_text)
    status_of = dataset.action_statuses(asat)
    plan = dataset.plan
    in_scope = [ActionRow(a, plan.theme(a.theme), status_of[a.ref]) for a in plan.actions
                if (not themes or str(a.theme) in themes)
                and (not leads or set(leads) & set(a.leads))]
    counts = Counter(row.status.status for row in in_scope)
    shown = [row for row in in_scope if not statuses or row.status.status.value in statuses]
    return ActionsView(asat=asat, asat_error=asat_error,
                       rows=tuple(sorted(shown, key=_overdue_first)),
                       counts={s: counts.get(s, 0) for s in STATUS_ORDER},
                       total=len(plan.actions), partial_note=partial_note(dataset, asat),
                       newer_partial=newer_partial(dataset, asat))
