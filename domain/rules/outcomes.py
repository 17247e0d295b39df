"""The RAG rating of a theme's outcome as at any period: the one the rule suggests from the theme's
own KPIs and actions, and the one the Improvement Board agreed (recorded in the store).

The rule in words: docs/rules.md#rag-rating-of-a-theme-outcome. Pure functions of their
arguments, like rag.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.rules.periods import ReportingPeriod
from domain.rules.plan import Plan
from domain.rules.rag import ActionStatus, KpiStatus, Rag

# What the board may record: the plan's four descriptors ("NO DATA" is not a judgement).
BOARD_STATUSES: tuple[str, ...] = (Rag.RED.value, Rag.AMBER.value, Rag.GREEN.value,
                                   Rag.BLUE.value)


@dataclass(frozen=True)
class OutcomeSuggestion:
    status: Rag
    reason: str  # starts with the status word: "RED: 3b missed its target due Mar 2017."


@dataclass(frozen=True)
class BoardRating:
    """One rating the board agreed for a theme and period; every change is a new one."""

    theme: int
    period: str  # the quarter's label, "2016/17 Q4"
    status: str  # one of BOARD_STATUSES
    rationale: str
    rated_by: str
    rated_at: str  # ISO 8601, UTC
    id: int | None = None


def join_words(items: Sequence[str]) -> str:
    """"3b", "3b and 12a", "3b, 4a and 12a"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _month(period_day) -> str:
    return period_day.strftime("%b %Y")


def suggest_outcome(plan: Plan, theme: int, kpi_statuses: Mapping[str, KpiStatus],
                    action_statuses: Mapping[str, ActionStatus],
                    asat: ReportingPeriod) -> OutcomeSuggestion:
    """The suggested rating of `theme`'s outcome as at `asat`, with the reason naming what drove it.

    Only the theme's own KPIs (their `theme`) and actions count: a KPI another theme's action
    cites (a cross-theme reference) counts for the theme that owns it, never for the citing one.
    """
    kpis = [k for k in plan.kpis if k.theme == theme]
    actions = [a for a in plan.actions if a.theme == theme]
    kpi_rag = {k.ref: kpi_statuses[k.ref].status for k in kpis}
    action_rag = {a.ref: action_statuses[a.ref].status for a in actions}

    missed = [k for k in kpis if kpi_rag[k.ref] is Rag.RED and asat.end >= k.due_date]
    slipped = [a.ref for a in actions if action_statuses[a.ref].timescale_slipped]
    reported_red = [a.ref for a in actions
                    if action_rag[a.ref] is Rag.RED and a.ref not in slipped]
    if missed or slipped or reported_red:
        return OutcomeSuggestion(Rag.RED, "RED: " + "; ".join(
            _missed_words(missed) + _action_words(slipped, "slipped")
            + _action_words(reported_red, "reported RED")) + ".")

    statuses = list(kpi_rag.values()) + list(action_rag.values())
    counted = f"{_plural(len(kpis), 'KPI')} and {_plural(len(actions), 'action')}"
    if not statuses or all(s is Rag.NO_DATA for s in statuses):
        return OutcomeSuggestion(Rag.NO_DATA, f"NO DATA: none of its {counted} has a value or "
                                              f"progress reported by {asat.label}.")
    if all(s is Rag.BLUE for s in statuses):
        return OutcomeSuggestion(Rag.BLUE, f"BLUE: all {counted} completed.")
    if all(s in (Rag.GREEN, Rag.BLUE) for s in statuses):
        return OutcomeSuggestion(Rag.GREEN, f"GREEN: all {counted} on target or completed.")
    return OutcomeSuggestion(Rag.AMBER, "AMBER: " + "; ".join(
        _amber_words(kpi_rag, action_rag)) + ".")


def _missed_words(missed) -> list[str]:
    by_due: dict = {}
    for kpi in missed:
        by_due.setdefault(kpi.due_date, []).append(kpi.ref)
    return [f"{join_words(refs)} missed {'its target' if len(refs) == 1 else 'targets'} "
            f"due {_month(due)}" for due, refs in sorted(by_due.items())]


def _action_words(refs: list[str], what: str) -> list[str]:
    if not refs:
        return []
    noun = "action" if len(refs) == 1 else "actions"
    return [f"{noun} {join_words(refs)} {what}"]


def _amber_words(kpi_rag: Mapping[str, Rag], action_rag: Mapping[str, Rag]) -> list[str]:
    """What keeps an AMBER theme from GREEN: the KPIs and actions not yet on target or done."""
    behind = [ref for ref, s in kpi_rag.items() if s is Rag.RED]
    amber_kpis = [ref for ref, s in kpi_rag.items() if s is Rag.AMBER]
    amber_actions = [ref for ref, s in action_rag.items() if s is Rag.AMBER]
    no_data = [ref for ref, s in list(kpi_rag.items()) + list(action_rag.items())
               if s is Rag.NO_DATA]
    words = []
    if behind:
        words.append(f"{join_words(behind)} off target but not yet due")
    if amber_kpis:
        words.append(f"{join_words(amber_kpis)} near target or on trajectory")
    if amber_actions:
        words.append(f"{_action_words(amber_actions, 'on track, not complete')[0]}")
    if no_data:
        words.append(f"nothing reported for {join_words(no_data)}")
    return words


def suggest_outcomes(plan: Plan, kpi_statuses: Mapping[str, KpiStatus],
                     action_statuses: Mapping[str, ActionStatus],
                     asat: ReportingPeriod) -> dict[int, OutcomeSuggestion]:
    """Every theme's suggestion as at `asat`, by theme number."""
    return {t.number: suggest_outcome(plan, t.number, kpi_statuses, action_statuses, asat)
            for t in plan.themes}


def board_rating_for(ratings: Sequence[BoardRating], theme: int,
                     period_label: str) -> BoardRating | None:
    """The board's standing rating of `theme` for that quarter: the latest recorded (`ratings`
    in the order they were recorded). A rating is for its own quarter only."""
    found = [r for r in ratings if r.theme == theme and r.period == period_label]
    return found[-1] if found else None


def period_in_plan(plan: Plan, period: ReportingPeriod) -> bool:
    """A board rating's period must overlap the plan's span."""
    return period.end >= plan.start_date and period.start <= plan.end_date
