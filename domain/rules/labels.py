"""Reading the labels the plan document writes: due months and targets.

The plan register keeps each label as written ("Mar -17", "4 / 7") beside a normalised field
(2017-03-31; target 4 of 7). These functions say what a label means, so the integrity rules can
check that the two agree and a person correcting the CSV by hand can see which one is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.rules.periods import MONTH_NUMBERS, MONTH_YEAR, full_year, month_end

# School measures give a bare year ("2017"): results and absence are reported for the academic
# year, which ends on 31 August (docs/rules.md#due-labels-and-target-labels).
ACADEMIC_YEAR_END_MONTH = 8

_BARE_YEAR = re.compile(r"^(?P<year>\d{4})$")
# Labels that give a reporting rhythm rather than a date ("Report quarterly").
_NO_DATE = re.compile(r"^(report\b.*|ongoing)?$", re.IGNORECASE)

_PERCENT = re.compile(r"^(?P<number>\d+(?:\.\d+)?)\s*%$")
_OUT_OF = re.compile(r"^(?P<number>\d+(?:\.\d+)?)\s*/\s*(?P<denominator>\d+(?:\.\d+)?)$")
_NUMBER = re.compile(r"^(?P<number>\d+(?:\.\d+)?)$")


class LabelError(ValueError):
    """A label that cannot be read; `str()` names the text and the spellings that can."""

    def __init__(self, text: str, expected: str):
        self.text = text
        super().__init__(f"'{text}' cannot be read: expected {expected}")


def parse_due_label(label: str) -> date | None:
    """The date a due label means: the end of the month it names ("Mar-17", "Mar -17",
    "Dec 2016"), the end of the academic year for a bare year ("2017" -> 2017-08-31), or None
    for a label that gives no date ("Report quarterly", blank). Raises `LabelError` otherwise."""
    text = label.strip()
    if _NO_DATE.match(text):
        return None
    if match := _BARE_YEAR.match(text):
        return month_end(int(match["year"]), ACADEMIC_YEAR_END_MONTH)
    match = MONTH_YEAR.fullmatch(text)
    month = MONTH_NUMBERS.get(match["month"].lower()) if match else None
    if month is None:
        raise LabelError(label, "a month and year such as 'Mar-17' or 'Dec 2016', a bare "
                                "academic year such as '2017', or 'Report quarterly'")
    return month_end(full_year(match["y"]), month)


@dataclass(frozen=True)
class TargetReading:
    """What a target label says: "80%" is 80 percent, "4 / 7" is 4 out of 7, "439" is 439."""

    target: float
    is_percent: bool
    denominator: float | None

    def describe(self) -> str:
        if self.is_percent:
            return f"{self.target:g} percent"
        if self.denominator is not None:
            return f"{self.target:g} out of {self.denominator:g}"
        return f"the number {self.target:g}"


def parse_target_label(label: str) -> TargetReading:
    text = label.strip()
    if match := _PERCENT.match(text):
        return TargetReading(float(match["number"]), is_percent=True, denominator=None)
    if match := _OUT_OF.match(text):
        return TargetReading(float(match["number"]), is_percent=False,
                             denominator=float(match["denominator"]))
    if match := _NUMBER.match(text):
        return TargetReading(float(match["number"]), is_percent=False, denominator=None)
    raise LabelError(label, "a percentage such as '80%', a count out of a total such as "
                            "'4 / 7', or a number such as '439'")
