"""SPC for a plan KPI: its XmR chart data and the sentence that is the chart's text alternative."""

from __future__ import annotations

from collections.abc import Sequence

from domain.rules.plan import Kpi
from domain.rules.rag import Observation
from domain.rules.spc import MIN_POINTS, RULES, XmR, xmr


def kpi_xmr(kpi: Kpi, observations: Sequence[Observation]) -> XmR:
    return xmr([o.value for o in observations], kpi.target, kpi.higher_is_better)


def xmr_sentence(kpi: Kpi, observations: Sequence[Observation], result: XmR) -> str:
    """E.g. "Mean 23.1%, process limits 18.0% to 28.2% over 14 values. 2017/18 Q1, 2017/18 Q2:
    7 or more points in a row on one side of the mean. Latest point: Common cause. Hit and miss."
    """
    if result.limits is None:
        return f"KPI {kpi.ref} has too few values for process limits (at least 2 are needed)."
    limits = result.limits
    parts = [f"Mean {kpi.format_value(limits.mean)}, process limits "
             f"{kpi.format_value(limits.lower)} to {kpi.format_value(limits.upper)} over "
             f"{len(result.values)} values."]
    for rule in RULES:
        flagged = sorted(result.flags.get(rule.code, {}))
        if flagged:
            periods = ", ".join(observations[i].period.label for i in flagged)
            parts.append(f"{rule.label}: {periods}.")
    if not any(result.flags.values()):
        parts.append("No point breaks a special-cause rule.")
    if result.enough_points:
        parts.append(f"Latest point: {result.variation.value}.")
        if result.assurance is not None:
            parts.append(f"{result.assurance.value}.")
        else:
            parts.append("No assurance icon while the latest point shows special cause: the "
                         "limits do not yet describe the current process.")
    else:
        parts.append(f"With fewer than {MIN_POINTS} values the limits are provisional, so no "
                     "variation or assurance icon is given.")
    return " ".join(parts)
