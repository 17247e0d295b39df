"""RAG status, and its reason in words, for KPIs and actions as at any reporting period.

The rules are docs/rules.md#rag-status-of-a-kpi and docs/rules.md#rag-status-of-an-action.
Everything here is a pure function of its arguments: the caller passes the KPI or action, its
values or progress reports and the "as at" period, and gets back a frozen status that carries the
colour, the words that explain it and the figures behind it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from types import MappingProxyType

from domain.rules.periods import ReportingPeriod, latest_due
from domain.rules.plan import Action, Kpi, format_number, round_half_up

IMPROVING = "improving"
WORSENING = "worsening"
UNCHANGED = "unchanged"

# Comparisons at the tolerance edge and on the trajectory use a hair of slack so that a value a
# person typed as exactly the edge (14.25 against 95% of 15) is not lost to binary rounding.
_RELATIVE_SLACK = 1e-9


class Rag(str, Enum):
    RED = "RED"
    AMBER = "AMBER"
    GREEN = "GREEN"
    BLUE = "BLUE"
    NO_DATA = "NO DATA"

    def __str__(self) -> str:
        # The word people read, whatever Python version formats str-mixin enums.
        return self.value

    @property
    def display(self) -> StatusDisplay:
        return STATUS_DISPLAY[self]


@dataclass(frozen=True)
class StatusDisplay:
    """How a status shows, so colour is never the only signal (WCAG 2.2 1.4.1)."""

    word: str
    description: str
    icon: str  # the name of the shape `symbol` draws, in words ("cross", "star")
    symbol: str  # the character drawn for the shape


STATUS_ORDER: tuple[Rag, ...] = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.NO_DATA)

# Read-only, so no caller can change what another worker's statuses look like.
STATUS_DISPLAY: Mapping[Rag, StatusDisplay] = MappingProxyType({
    Rag.RED: StatusDisplay("RED", "Not met, or timescale slipped", "cross", "\u2715"),
    Rag.AMBER: StatusDisplay("AMBER", "On track, not yet complete", "triangle", "\u25B2"),
    Rag.GREEN: StatusDisplay("GREEN", "Completed, or performance on target", "tick", "\u2713"),
    Rag.BLUE: StatusDisplay("BLUE", "Completed: target achieved by its due date", "star",
                            "\u2605"),
    Rag.NO_DATA: StatusDisplay("NO DATA", "No value or progress reported; not a judgement of "
                               "performance", "dash", "\u2013"),
})


# --- KPIs ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Observation:
    period: ReportingPeriod
    value: float


@dataclass(frozen=True)
class KpiStatus:
    status: Rag
    reason: str
    value: float | None
    period: ReportingPeriod | None
    return_overdue: bool
    expected_period: ReportingPeriod  # latest period of the KPI's frequency ended by the as-at end
    direction: str | None  # "improving" | "worsening" | "unchanged"; None with fewer than 2 values
    previous: Observation | None
    baseline: Observation | None
    trajectory: float | None  # the trajectory's value at the end of the latest value's period


def _month(day: date) -> str:
    return day.strftime("%b %Y")


def _day(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


def _at_least(value: float, bound: float) -> bool:
    return value >= bound or math.isclose(value, bound, rel_tol=_RELATIVE_SLACK)


def _at_most(value: float, bound: float) -> bool:
    return value <= bound or math.isclose(value, bound, rel_tol=_RELATIVE_SLACK)


def _as_good_as(kpi: Kpi, value: float, bound: float) -> bool:
    """True when `value` is on `bound` or on its better side, per the KPI's polarity."""
    return _at_least(value, bound) if kpi.higher_is_better else _at_most(value, bound)


def _known_by(observations: Sequence[Observation], day: date) -> list[Observation]:
    """Values whose period ended by `day`, oldest first: what the board knew on that day."""
    return sorted((o for o in observations if o.period.end <= day), key=lambda o: o.period)


def baseline_of(observations: Sequence[Observation], baseline_date: date) -> Observation | None:
    """The latest value whose period ends on or before the plan's baseline date."""
    known = _known_by(observations, baseline_date)
    return known[-1] if known else None


def trajectory_value(kpi: Kpi, baseline: Observation, on: date) -> float:
    """The straight line from the baseline (at its period's end) to the target at the due date.

    Before the baseline it stays at the baseline value and after the due date at the target, so
    the line is defined on any day, even when the due date is not after the baseline.
    """
    start = baseline.period.end
    if on >= kpi.due_date:
        return kpi.target
    if on <= start:
        return baseline.value
    progress = (on - start).days / (kpi.due_date - start).days
    return baseline.value + (kpi.target - baseline.value) * progress


def within_tolerance(kpi: Kpi, value: float) -> bool:
    """Near enough the target to count as AMBER: within `kpi.tolerance` (a fraction) of it."""
    if kpi.higher_is_better:
        return _at_least(value, kpi.target * (1 - kpi.tolerance))
    return _at_most(value, kpi.target * (1 + kpi.tolerance))


def _direction(kpi: Kpi, previous: Observation | None, latest: Observation) -> str | None:
    if previous is None:
        return None
    if math.isclose(latest.value, previous.value, rel_tol=_RELATIVE_SLACK):
        return UNCHANGED
    went_up = latest.value > previous.value
    return IMPROVING if went_up == kpi.higher_is_better else WORSENING


def _tolerance_words(kpi: Kpi) -> str:
    return f"{round_half_up(kpi.tolerance * 100, 2).normalize():f}%"


def _trajectory_words(kpi: Kpi, value: float, trajectory: float) -> str:
    shown = kpi.format_value(trajectory)
    if shown == kpi.format_value(value) and not math.isclose(value, trajectory,
                                                             rel_tol=_RELATIVE_SLACK):
        # One decimal would hide why 70% is behind a trajectory of "70%": show two.
        precise = format_number(trajectory, 2)
        shown = f"{precise}%" if kpi.unit == "percent" else precise
    return f"the trajectory of {shown}"


def _judge(kpi: Kpi, latest: Observation, asat: ReportingPeriod,
           trajectory: float | None) -> tuple[Rag, str]:
    """Rules 2 and 3 of docs/rules.md#the-rules-in-order: the colour and the sentence saying why.

    `trajectory` is None when there is no trajectory to judge against (no baseline, or the latest
    value is the baseline itself and so shows no progress yet).
    """
    value = kpi.format_value(latest.value)
    target = f"the {kpi.target_label} target due {_month(kpi.due_date)}"
    stem = f"{value} at {latest.period.label}"
    if asat.end >= kpi.due_date:
        if kpi.meets(latest.value):
            return Rag.BLUE, f"{stem} meets {target}: achieved."
        return Rag.RED, f"{stem} misses {target}."
    if kpi.meets(latest.value):
        return Rag.GREEN, f"{stem} meets {target}."

    near_target = within_tolerance(kpi, latest.value)
    on_track = trajectory is not None and _as_good_as(kpi, latest.value, trajectory)
    why: list[str] = []
    if near_target:
        why.append(f"within {_tolerance_words(kpi)} of the target")
    if on_track:
        exactly = math.isclose(latest.value, trajectory, rel_tol=_RELATIVE_SLACK)
        where = "on" if exactly else "ahead of"
        why.append(f"{where} {_trajectory_words(kpi, latest.value, trajectory)}")
    if why:
        return Rag.AMBER, f"{stem} misses {target} but is {' and '.join(why)}."

    shortfalls: list[str] = []
    if kpi.tolerance > 0:
        side = "below" if kpi.higher_is_better else "above"
        shortfalls.append(f"more than {_tolerance_words(kpi)} {side} it")
    if trajectory is not None:
        shortfalls.append(f"behind {_trajectory_words(kpi, latest.value, trajectory)}")
    detail = f", {' and '.join(shortfalls)}" if shortfalls else ""
    return Rag.RED, f"{stem} misses {target}{detail}."


def kpi_status(kpi: Kpi, observations: Sequence[Observation], asat: ReportingPeriod,
               baseline_date: date) -> KpiStatus:
    """The status of one KPI as at `asat`, from its whole-authority values (in any order).

    Values for periods ending after `asat` are ignored: the board looking back at a quarter sees
    what it knew then. Before the baseline date has passed there is no baseline yet, so no
    trajectory either.
    """
    expected = latest_due(asat, kpi.frequency)
    known = _known_by(observations, asat.end)
    if not known:
        return KpiStatus(
            status=Rag.NO_DATA,
            reason=f"No value reported for a period ending by {asat.label}.",
            value=None, period=None, return_overdue=False, expected_period=expected,
            direction=None, previous=None, baseline=None, trajectory=None)

    latest = known[-1]
    previous = known[-2] if len(known) >= 2 else None
    baseline = baseline_of(known, baseline_date) if asat.end >= baseline_date else None
    trajectory = None if baseline is None else trajectory_value(kpi, baseline, latest.period.end)
    # The baseline is where the trajectory starts, so it cannot be "on track": only a later value
    # shows progress along the line.
    judged_trajectory = (trajectory if baseline is not None
                         and latest.period.end > baseline.period.end else None)
    status, reason = _judge(kpi, latest, asat, judged_trajectory)

    overdue = latest.period.end < expected.end
    if overdue:
        reason += (f" Return overdue: latest value is for {latest.period.label}, "
                   f"{expected.label} expected.")
    return KpiStatus(
        status=status, reason=reason, value=latest.value, period=latest.period,
        return_overdue=overdue, expected_period=expected,
        direction=_direction(kpi, previous, latest), previous=previous, baseline=baseline,
        trajectory=trajectory)


# --- actions -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProgressReport:
    as_at: date
    status: Rag
    comment: str = ""


@dataclass(frozen=True)
class ActionStatus:
    status: Rag
    reason: str
    reported: ProgressReport | None  # the latest report as at the period, if any
    timescale_slipped: bool


_DONE = (Rag.BLUE, Rag.GREEN)


def latest_report(reports: Sequence[ProgressReport], by: date) -> ProgressReport | None:
    """The latest report dated on or before `by`; of two on one day, the later in the list."""
    known = sorted((r for r in reports if r.as_at <= by), key=lambda r: r.as_at)
    return known[-1] if known else None


def _report_words(report: ProgressReport) -> str:
    return f"{report.status.value} on {_day(report.as_at)}"


def action_status(action: Action, reports: Sequence[ProgressReport],
                  asat: ReportingPeriod) -> ActionStatus:
    """The status of one action as at `asat`: its latest report, or RED once its timescale slips.

    An action due in the as-at period's last month has not slipped yet: it is due by that end.
    """
    report = latest_report(reports, asat.end)
    reported_status = report.status if report else None
    due = _month(action.due_date) if action.due_date else None

    slipped = (action.due_date is not None and action.due_date < asat.end
               and reported_status not in _DONE)
    if slipped:
        latest = f"latest report {_report_words(report)}" if report else "no progress reported"
        return ActionStatus(Rag.RED, f"Timescale slipped: due {due}; {latest}.", report, True)

    if report is None:
        when = f"due {due}" if due else f"the plan gives no due date ({action.due_label})"
        return ActionStatus(Rag.NO_DATA, f"No progress reported yet; {when}.", None, False)

    reason = f"Reported {_report_words(report)}"
    reason += f" (due {due})" if due else ""
    comment = report.comment.strip()
    reason += f": {comment}" if comment else "."
    if comment and comment[-1] not in ".!?":
        reason += "."
    return ActionStatus(report.status, reason, report, False)
