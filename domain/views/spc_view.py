"""SPC for a plan KPI: its XmR chart data and the sentence that is the chart's text alternative."""

from __future__ import annotations

from collections.abc import Sequence

from domain.rules.periods import HALF, QUARTER, YEAR, ReportingPeriod, following
from domain.rules.plan import Kpi
from domain.rules.rag import IMPROVING, UNCHANGED, WORSENING, KpiStatus, Observation
from domain.rules.spc import MIN_POINTS, RULES, Variation, XmR, xmr

_KIND_WORDS = {QUARTER: "quarter", HALF: "half-year", YEAR: "year"}


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


def _since(previous: ReportingPeriod, latest: ReportingPeriod) -> str:
    """What a movement is measured against: "since last quarter" when the value before is
    the period just before, else the period it is ("since 2016/17 Q2")."""
    if previous.kind == latest.kind and following(previous) == latest:
        return f"since last {_KIND_WORDS[latest.kind]}"
    return f"since {previous.label}"


def direction_words(kpi: Kpi, status: KpiStatus, result: XmR) -> str | None:
    """The tile's direction of travel with what it is based on ("Worsening since last quarter").

    The direction compares two values only; SPC judges the latest point against the whole run.
    When SPC has enough points and the two disagree, SPC's wording leads, so a tile never says
    "Worsening" beside "special cause: improving", nor calls noise a change: "No significant
    change (common cause): up since last quarter". None with fewer than two values."""
    if status.direction is None or status.previous is None or status.period is None:
        return None
    since = _since(status.previous.period, status.period)
    moved = ("unchanged" if status.direction == UNCHANGED
             else "up" if status.value > status.previous.value else "down")
    plain = f"{status.direction.capitalize()} {since}"
    variation = result.variation if result.enough_points else None
    if variation is None or variation is Variation.NEITHER or status.direction == UNCHANGED:
        return plain
    if variation is Variation.COMMON:
        return f"No significant change (common cause): {moved} {since}"
    spc_direction = IMPROVING if variation is Variation.IMPROVING else WORSENING
    if spc_direction == status.direction:
        return plain
    return f"{variation.value}; {moved} {since}"
