"""UK financial-year reporting periods: quarters, half-years and years.

A council's year runs April to March: 2016/17 Q1 is April-June 2016, H1 is April-September, and the
year 2016/17 ends on 31 March 2017. Periods are identified by the calendar year in which their
financial year starts (2016 for 2016/17) and compare by end date, then by start date.

`parse_period` accepts the spellings performance officers type (docs/rules.md#spellings) and
raises `PeriodError` naming the text for anything else. Years are read from 1990 to 2100
(`FIRST_YEAR`, `LAST_YEAR`) wherever a period or date is parsed (files, URLs, API parameters): a
year outside them raises `YearOutOfRange`, a `PeriodError`, so no far-off year can reach date
arithmetic.
Digits are ASCII only (an Arabic-Indic or fullwidth "2016" is not read as a year).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

QUARTER = "quarter"
HALF = "half"
YEAR = "year"

# Reporting frequencies as the plan document writes them, and the period kind each reports in.
FREQUENCY_KINDS = {"quarterly": QUARTER, "6-monthly": HALF, "annual": YEAR}

# Month names as people write them ("dec", "december", "sept"), lower case, to month numbers.
MONTH_NUMBERS: Mapping[str, int] = MappingProxyType({
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if name},
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if name},
    "sept": 9,
})

# The years a period or date may be written with: wide enough for any plan and its history,
# narrow enough that every period's dates (and the periods around it) exist.
FIRST_YEAR = 1990
LAST_YEAR = 2100


class PeriodError(ValueError):
    """A period text that cannot be read; `str()` names the text and says what to write instead."""

    def __init__(self, text: str, reason: str):
        self.text = text
        self.reason = reason
        super().__init__(f"'{text}' is not a reporting period: {reason}")


class YearOutOfRange(PeriodError):
    """A period or date written with a year outside FIRST_YEAR to LAST_YEAR."""

    def __init__(self, text: str, year: int):
        self.year = year
        super().__init__(text, f"the year {year} is outside the years this dashboard reads "
                               f"({FIRST_YEAR} to {LAST_YEAR}); check the year")


def check_year(year: int, text: str) -> int:
    """`year` when it is from FIRST_YEAR to LAST_YEAR; raises `YearOutOfRange` naming `text`."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise YearOutOfRange(text, year)
    return year


@dataclass(frozen=True, order=True)
class ReportingPeriod:
    end: date
    start: date
    kind: str

    @property
    def fiscal_year(self) -> int:
        """The calendar year in which this period's financial year starts (2016 for 2016/17)."""
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    @property
    def number(self) -> int:
        """Quarter 1-4, half 1-2, or 1 for a year."""
        months_in = (self.start.month - 4) % 12
        return {QUARTER: months_in // 3 + 1, HALF: months_in // 6 + 1, YEAR: 1}[self.kind]

    @property
    def year_label(self) -> str:
        return f"{self.fiscal_year}/{(self.fiscal_year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        """The display spelling: `2016/17 Q3`, `2016/17 H1` or `2016/17`."""
        suffix = {QUARTER: f" Q{self.number}", HALF: f" H{self.number}", YEAR: ""}[self.kind]
        return self.year_label + suffix

    @property
    def slug(self) -> str:
        """The URL spelling: `2016-17Q3`, `2016-17H1` or `2016-17`."""
        return self.label.replace("/", "-").replace(" ", "")

    def __str__(self) -> str:
        return self.label


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def months_before(day: date, months: int) -> date:
    """The end of the month `months` months before `day`'s month (a negative count: after)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return month_end(year, month + 1)


def _make(fiscal_year: int, first_month_offset: int, months: int, kind: str) -> ReportingPeriod:
    start_month_index = 3 + first_month_offset  # 0-based month index from January of fiscal_year
    start = date(fiscal_year + start_month_index // 12, start_month_index % 12 + 1, 1)
    end_index = start_month_index + months - 1
    end = month_end(fiscal_year + end_index // 12, end_index % 12 + 1)
    return ReportingPeriod(end=end, start=start, kind=kind)


def quarter(fiscal_year: int, number: int) -> ReportingPeriod:
    if not 1 <= number <= 4:
        raise ValueError(f"quarter number {number} is not 1 to 4")
    return _make(fiscal_year, 3 * (number - 1), 3, QUARTER)


def half(fiscal_year: int, number: int) -> ReportingPeriod:
    if number not in (1, 2):
        raise ValueError(f"half-year number {number} is not 1 or 2")
    return _make(fiscal_year, 6 * (number - 1), 6, HALF)


def financial_year(fiscal_year: int) -> ReportingPeriod:
    return _make(fiscal_year, 0, 12, YEAR)


def fiscal_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def quarter_containing(day: date) -> ReportingPeriod:
    return quarter(fiscal_year_of(day), (day.month - 4) % 12 // 3 + 1)


def period_of_kind_containing(day: date, kind: str) -> ReportingPeriod:
    fy = fiscal_year_of(day)
    months_in = (day.month - 4) % 12
    if kind == QUARTER:
        return quarter(fy, months_in // 3 + 1)
    if kind == HALF:
        return half(fy, months_in // 6 + 1)
    return financial_year(fy)


def kind_for_frequency(frequency: str) -> str:
    try:
        return FREQUENCY_KINDS[frequency]
    except KeyError:
        raise ValueError(f"unknown reporting frequency '{frequency}'") from None


def period_for_frequency(period: ReportingPeriod, frequency: str) -> ReportingPeriod:
    """The period of `frequency` that ends when `period` ends.

    A quarter-end date read as Q4 becomes the year for an annual measure; 2016/17 Q3 has no
    6-monthly or annual period ending with it, which is an error naming both.
    """
    kind = kind_for_frequency(frequency)
    if period.kind == kind:
        return period
    candidate = period_of_kind_containing(period.end, kind)
    if _kind_rank(period.kind) > _kind_rank(kind):
        raise PeriodError(period.label, f"a {frequency} measure reports for periods like "
                          f"{candidate.label}, not for the longer period {period.label}")
    if candidate.end != period.end:
        raise PeriodError(period.label, f"a {frequency} measure reports for periods like "
                          f"{candidate.label}, and {period.label} does not end one")
    return candidate


def _kind_rank(kind: str) -> int:
    return {QUARTER: 1, HALF: 2, YEAR: 3}[kind]


def latest_due(asat: ReportingPeriod, frequency: str) -> ReportingPeriod:
    """The latest period of `frequency` that has ended by the end of `asat`."""
    kind = kind_for_frequency(frequency)
    containing = period_of_kind_containing(asat.end, kind)
    if containing.end <= asat.end:
        return containing
    return previous(containing)


def previous(period: ReportingPeriod) -> ReportingPeriod:
    day_before = date.fromordinal(period.start.toordinal() - 1)
    return period_of_kind_containing(day_before, period.kind)


def following(period: ReportingPeriod) -> ReportingPeriod:
    day_after = date.fromordinal(period.end.toordinal() + 1)
    return period_of_kind_containing(day_after, period.kind)


def periods_between(first: ReportingPeriod, last: ReportingPeriod) -> list[ReportingPeriod]:
    """Every period of `first`'s kind from `first` up to and including the one ending by `last`."""
    out: list[ReportingPeriod] = []
    current = first
    while current.end <= last.end:
        out.append(current)
        current = following(current)
    return out


# --- parsing -------------------------------------------------------------------------------------

_FY = r"(?P<y1>\d{4})\s*[/-]\s*(?P<y2>\d{4}|\d{2})"
_PART = r"(?P<part>[QqHh])\s*(?P<n>\d)"
# re.ASCII: \d is 0-9 only, so digits of other scripts never read as a year.
_FY_THEN_PART = re.compile(rf"^(?:fy\s*)?{_FY}\s*{_PART}$", re.IGNORECASE | re.ASCII)
_PART_THEN_FY = re.compile(rf"^{_PART}\s*(?:fy\s*)?{_FY}$", re.IGNORECASE | re.ASCII)
_FY_ONLY = re.compile(rf"^(?:fy\s*)?{_FY}$", re.IGNORECASE | re.ASCII)
# Excel often writes a date cell with a midnight time; that time carries no meaning here.
_MIDNIGHT = r"(?:[ T]00:00(?::00)?)?"
# Dates as officers type them: year first (2016-12-31) or day first, as in the UK (31/12/2016,
# 31-12-16, 31.12.2016). Use with fullmatch.
ISO_DATE = re.compile(rf"(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_MIDNIGHT}", re.ASCII)
UK_DATE = re.compile(
    rf"(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-](?P<y>\d{{4}}|\d{{2}}){_MIDNIGHT}", re.ASCII)
# "Mar-17", "Mar -17", "Dec 2016", "March 2017", "Sep/17": a month name, then a 2- or 4-digit year.
MONTH_YEAR = re.compile(r"(?P<month>[A-Za-z]+)\.?\s*[-/ ]?\s*(?P<y>\d{4}|\d{2})", re.ASCII)


def full_year(text: str) -> int:
    """A 4-digit year, or a 2-digit one in the 2000s."""
    return int(text) if len(text) == 4 else 2000 + int(text)


def date_fields(text: str) -> tuple[int, int, int, str] | None:
    """(year, month, day, the year as written) of text shaped like a date (ISO_DATE or UK_DATE),
    without checking that the day exists; None for any other text."""
    for pattern in (ISO_DATE, UK_DATE):
        if match := pattern.fullmatch(text):
            return full_year(match["y"]), int(match["m"]), int(match["d"]), match["y"]
    return None


def _fiscal_year_from(match: re.Match, text: str) -> int:
    y1 = check_year(int(match.group("y1")), text)
    y2_text = match.group("y2")
    # A two-digit second year is compared modulo 100, so 1999/00 reads as 1999 to 2000.
    follows = (int(y2_text) == y1 + 1 if len(y2_text) == 4
               else int(y2_text) == (y1 + 1) % 100)
    if not follows:
        raise PeriodError(text, f"a financial year runs from one year into the next, like "
                          f"{y1}/{(y1 + 1) % 100:02d}")
    return y1


def _period_ending_on(day: date, text: str) -> ReportingPeriod:
    candidate = quarter_containing(day)
    if candidate.end != day:
        raise PeriodError(text, f"a date must be the last day of a quarter, like "
                          f"{candidate.end.strftime('%d/%m/%Y')} for {candidate.label}")
    return candidate


def _date_or_error(year: int, month: int, day: int, text: str) -> date:
    check_year(year, text)
    try:
        return date(year, month, day)
    except ValueError:
        raise PeriodError(text, "that date does not exist; dates are written day/month/year"
                          ) from None


def parse_period(text: object) -> ReportingPeriod:
    """Read a period in any spelling of docs/rules.md#spellings, or raise `PeriodError` naming it.

    Quarters: `2016/17 Q3`, `2016-17 Q3`, `Q3 2016/17`, a quarter-end date (`2016-12-31`,
    `31/12/2016`) or month (`Dec-16`, `Dec 2016`). Half-years: `2016/17 H1`, `H1 2016/17`.
    Years: `2016/17`, `2016-17`. A bare year such as `2016` is refused as ambiguous.
    """
    raw = "" if text is None else str(text)
    cleaned = " ".join(raw.strip().split())
    if not cleaned:
        raise PeriodError(raw, "it is blank; write a period such as 2016/17 Q3")
    for pattern in (_FY_THEN_PART, _PART_THEN_FY):
        match = pattern.match(cleaned)
        if match:
            fiscal = _fiscal_year_from(match, cleaned)
            number = int(match.group("n"))
            if match.group("part").upper() == "Q":
                if not 1 <= number <= 4:
                    raise PeriodError(cleaned, "quarters are numbered Q1 to Q4")
                return quarter(fiscal, number)
            if number not in (1, 2):
                raise PeriodError(cleaned, "half-years are numbered H1 and H2")
            return half(fiscal, number)
    match = _FY_ONLY.match(cleaned)
    if match:
        return financial_year(_fiscal_year_from(match, cleaned))
    fields = date_fields(cleaned)
    if fields:
        year, month, day, _ = fields
        return _period_ending_on(_date_or_error(year, month, day, cleaned), cleaned)
    match = MONTH_YEAR.fullmatch(cleaned)
    if match and match["month"].lower() in MONTH_NUMBERS:
        month = MONTH_NUMBERS[match["month"].lower()]
        year = check_year(full_year(match["y"]), cleaned)
        candidate = quarter_containing(date(year, month, 1))
        if candidate.end.month != month:
            raise PeriodError(cleaned, f"a month must be the last month of a quarter, like "
                              f"{candidate.end.strftime('%b %Y')} for {candidate.label}")
        return candidate
    if re.fullmatch(r"[0-9]{4}", cleaned):
        year = int(cleaned)
        raise PeriodError(cleaned, f"a bare year could mean {year - 1}/{year % 100:02d} or "
                          f"{year}/{(year + 1) % 100:02d}; write the financial year in full")
    raise PeriodError(cleaned, "write a period such as 2016/17 Q3, Q3 2016/17, 31/12/2016, "
                      "Dec 2016, 2016/17 H1 or 2016/17")
