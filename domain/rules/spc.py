"""Statistical process control, the NHS "Making Data Count" way
(docs/rules.md#statistical-process-control).

An XmR chart: the mean of the values, the moving ranges between neighbours, and process limits at
mean +/- 2.66 x the mean moving range (2.66 = 3 / 1.128, so the limits sit at about 3 sigma).
Four special-cause rules, each a small named unit over the values and the limits:

- a point outside the process limits;
- a shift: 7 or more points in a row on one side of the mean (a point on the mean breaks it);
- a trend: 7 or more points in a row each higher (or each lower) than the last (a tie breaks it);
- two of three points in a row beyond 2 sigma on the same side of the mean.

The variation icon says whether the latest point is common or special cause, and whether special
cause is improving or concerning given the KPI's polarity. The assurance icon compares the target
with the limits, only while the latest point is common cause. Both need MIN_POINTS values: with
fewer, the limits are too unsteady to mean anything, so no icon is given rather than a
misleading one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

LIMIT_FACTOR = 2.66
RUN_LENGTH = 7
MIN_POINTS = 12
HIGH, LOW = "high", "low"


@dataclass(frozen=True)
class Limits:
    mean: float
    mean_moving_range: float
    upper: float
    lower: float

    @property
    def sigma(self) -> float:
        return (self.upper - self.mean) / 3

    @property
    def upper_two_sigma(self) -> float:
        return self.mean + 2 * self.sigma

    @property
    def lower_two_sigma(self) -> float:
        return self.mean - 2 * self.sigma


def moving_ranges(values: Sequence[float]) -> list[float]:
    """|x[i] - x[i-1]| for each point after the first."""
    return [abs(b - a) for a, b in zip(values, values[1:])]


def process_limits(values: Sequence[float]) -> Limits | None:
    """Mean and process limits; None for fewer than two values (no moving range)."""
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    ranges = moving_ranges(values)
    mean_range = sum(ranges) / len(ranges)
    return Limits(mean=mean, mean_moving_range=mean_range,
                  upper=mean + LIMIT_FACTOR * mean_range, lower=mean - LIMIT_FACTOR * mean_range)


# --- special-cause rules: each returns {index: HIGH or LOW} for the points it flags --------------

Flags = dict[int, str]


def outside_limits(values: Sequence[float], limits: Limits) -> Flags:
    flags: Flags = {}
    for index, value in enumerate(values):
        if value > limits.upper:
            flags[index] = HIGH
        elif value < limits.lower:
            flags[index] = LOW
    return flags


def _runs(keys: Sequence[str | None]) -> list[tuple[int, int, str]]:
    """(first, last, key) for each run of equal non-None keys."""
    runs, start = [], 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            if keys[start] is not None:
                runs.append((start, index - 1, keys[start]))
            start = index
    return runs


def shift(values: Sequence[float], limits: Limits) -> Flags:
    """7 or more in a row above (or below) the mean; a point exactly on the mean breaks the run."""
    sides = [HIGH if v > limits.mean else LOW if v < limits.mean else None for v in values]
    return {index: side for first, last, side in _runs(sides)
            if last - first + 1 >= RUN_LENGTH for index in range(first, last + 1)}


def trend(values: Sequence[float], limits: Limits) -> Flags:
    """7 or more points each rising (or each falling) from the one before; a tie breaks it."""
    steps = [HIGH if b > a else LOW if b < a else None for a, b in zip(values, values[1:])]
    flags: Flags = {}
    for first, last, direction in _runs(steps):
        # steps first..last join points first..last+1
        if last - first + 2 >= RUN_LENGTH:
            flags.update({index: direction for index in range(first, last + 2)})
    return flags


def two_of_three_beyond_two_sigma(values: Sequence[float], limits: Limits) -> Flags:
    """In any three points in a row, two or more beyond 2 sigma on the same side: those points."""
    sides = [HIGH if v > limits.upper_two_sigma else LOW if v < limits.lower_two_sigma else None
             for v in values]
    flags: Flags = {}
    for start in range(len(values) - 2):
        window = range(start, start + 3)
        for side in (HIGH, LOW):
            beyond = [index for index in window if sides[index] == side]
            if len(beyond) >= 2:
                flags.update({index: side for index in beyond})
    return flags


@dataclass(frozen=True)
class Rule:
    code: str
    label: str  # names the rule in a chart legend and in the text alternative
    check: Callable[[Sequence[float], Limits], Flags]


RULES = (
    Rule("outside_limits", "Point outside the process limits", outside_limits),
    Rule("shift", f"{RUN_LENGTH} or more points in a row on one side of the mean", shift),
    Rule("trend", f"{RUN_LENGTH} or more points in a row rising or falling", trend),
    Rule("two_of_three", "2 of 3 points beyond 2 sigma on one side",
         two_of_three_beyond_two_sigma),
)


# --- icons -----------------------------------------------------------------------------------------

class Variation(str, Enum):
    COMMON = "Common cause"
    IMPROVING = "Special cause: improving"
    CONCERNING = "Special cause: concerning"
    NEITHER = "Special cause: neither improving nor concerning"


class Assurance(str, Enum):
    PASSES = "Consistently passes the target"
    FAILS = "Consistently fails the target"
    HIT_AND_MISS = "Hit and miss: the target lies inside the process limits"


@dataclass(frozen=True)
class XmR:
    values: tuple[float, ...]
    limits: Limits | None
    flags: dict[str, Flags]  # rule code -> flagged points
    variation: Variation | None  # None: too few points to say
    assurance: Assurance | None  # None: too few points, or no target

    @property
    def enough_points(self) -> bool:
        return len(self.values) >= MIN_POINTS


def variation_of_latest(flags: dict[str, Flags], count: int,
                        higher_is_better: bool | None) -> Variation:
    latest = count - 1
    sides = {rule_flags[latest] for rule_flags in flags.values() if latest in rule_flags}
    if not sides:
        return Variation.COMMON
    if len(sides) > 1 or higher_is_better is None:
        return Variation.NEITHER
    good_side = HIGH if higher_is_better else LOW
    return Variation.IMPROVING if sides == {good_side} else Variation.CONCERNING


def assurance(limits: Limits, target: float, higher_is_better: bool) -> Assurance:
    """Target beyond the limits on the bad side (every point in the process meets it): passes;
    beyond on the good side (no point meets it): fails; between the limits: hit and miss."""
    if higher_is_better:
        if target <= limits.lower:
            return Assurance.PASSES
        if target > limits.upper:
            return Assurance.FAILS
    else:
        if target >= limits.upper:
            return Assurance.PASSES
        if target < limits.lower:
            return Assurance.FAILS
    return Assurance.HIT_AND_MISS


def xmr(values: Sequence[float], target: float | None = None,
        higher_is_better: bool | None = None) -> XmR:
    values = tuple(float(v) for v in values)
    limits = process_limits(values)
    if limits is None:
        return XmR(values, None, {}, None, None)
    flags = {rule.code: rule.check(values, limits) for rule in RULES}
    enough = len(values) >= MIN_POINTS
    variation = variation_of_latest(flags, len(values), higher_is_better) if enough else None
    # Limits describe a process only while it is stable: with special cause at the latest point
    # (a shift or trend under way) "consistently fails" could sit beside a value that meets the
    # target, so no assurance is given until the process settles (or the limits are rebased).
    assured = (variation is Variation.COMMON and target is not None
               and higher_is_better is not None)
    return XmR(values=values, limits=limits, flags=flags, variation=variation,
               assurance=assurance(limits, target, higher_is_better) if assured else None)
