"""Plain-English sentences about a KPI's values: the text alternative for its charts."""

from __future__ import annotations

from collections.abc import Sequence

from domain.rules.plan import Kpi
from domain.rules.rag import Observation


def _movement(first: float, last: float) -> str:
    if last > first:
        return "rose"
    if last < first:
        return "fell"
    return "stayed"


def trend_sentence(kpi: Kpi, observations: Sequence[Observation], subject: str = "") -> str:
    """E.g. "Repeat referrals fell from 27.1% in 2014/15 Q1 to 23.1% in 2017/18 Q2, meeting the
    24% target due Mar 2017."  `observations` are in period order."""
    subject = subject or f"KPI {kpi.ref}"
    target = f"the {kpi.target_label} target due {kpi.due_date:%b %Y}"
    if not observations:
        return f"{subject} has no values yet; {target}."
    first, last = observations[0], observations[-1]
    verdict = "meeting" if kpi.meets(last.value) else "missing"
    if len(observations) == 1:
        return (f"{subject} was {kpi.format_value(last.value)} in {last.period.label}, "
                f"{verdict} {target}.")
    movement = _movement(first.value, last.value)
    if movement == "stayed":
        middle = f"stayed at {kpi.format_value(last.value)} from {first.period.label} to " \
                 f"{last.period.label}"
    else:
        middle = (f"{movement} from {kpi.format_value(first.value)} in {first.period.label} "
                  f"to {kpi.format_value(last.value)} in {last.period.label}")
    return f"{subject} {middle}, {verdict} {target}."
