"""The cell rules of KPI values (docs/rules.md#kpi-values): KPI refs, periods, numbers as
spreadsheet users write them, percentages, numerators and denominators. The KPI values kind
(`domain/ingest/kinds/kpi_values.py`) declares its columns with these, and the comparators kind
reuses them, so a comparator's period and value read exactly as a return's would.

`read_returns` reads a file of KPI values (long layout) with the generic reader; `plain_rows`
finds the rows these rules pass without a word by whole columns, so only the others are read one
by one (issue 10: a 20,000-row file).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from domain.ingest.cells import ref_cell
from domain.ingest.csvtext import SOURCE_ROW, Source, year_failure
from domain.rules.failures import Failure, failure
from domain.rules.periods import (QUARTER, HALF, PeriodError, ReportingPeriod, YearOutOfRange,
                                  kind_for_frequency, parse_period, period_for_frequency,
                                  period_of_kind_containing)
from domain.rules.plan import Kpi, Plan, format_number

WHOLE_AUTHORITY = ""

# "within 0.05 rounding": a value given to one decimal place still agrees with its fraction. The
# extra hair keeps 24.05 against 24.0 from failing on binary rounding.
_RATIO_TOLERANCE = 0.05 + 1e-9

_PLAIN_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
# Commas only as thousands separators in groups of three: "1,5" is refused rather than read as
# 15, because in a European file it means 1.5.
_GROUPED_NUMBER = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"
# re.ASCII: \d is 0-9 only; Arabic-Indic or fullwidth digits get their own failure.
_NUMBER = re.compile(rf"(?P<number>{_GROUPED_NUMBER}|{_PLAIN_NUMBER})(?P<percent>\s*%)?",
                     re.ASCII)
# The largest figure read: beyond 15 digits a float no longer holds every whole number exactly,
# no children's services figure comes near it, and 100 x it is still finite.
MAX_NUMBER = 1e15

_KIND_WORDS = {QUARTER: "quarter", HALF: "half-year"}
_HOW_OFTEN = {"quarterly": "quarterly", "6-monthly": "every six months", "annual": "annually"}


def read_returns(source: Source, plan: Plan):
    """Read and check a returns CSV (path, bytes or open file) against the plan's KPIs: a
    `KindRead` with the valid rows as a typed table and one `Failure` per problem."""
    # Imported here: the KPI values kind is declared with this module's cell rules.
    from domain.ingest.kinds.kpi_values import KIND
    from domain.ingest.kinds.reader import read_kind

    return read_kind(KIND, source, plan)


# --- cells ---------------------------------------------------------------------------------------

def kpi_cell(text: str, kpis_by_key: Mapping[str, Kpi], row: int, column: str) -> Kpi | Failure:
    """The plan's KPI for a ref written in any case; the table keeps the plan's spelling."""
    return ref_cell(text, kpis_by_key, row, column, code="unknown_kpi", plural="KPIs")


def period_cell(text: str, kpi: Kpi | None, row: int, column: str
                ) -> ReportingPeriod | Failure:
    """The period in any accepted spelling, as the period of the KPI's reporting frequency
    (a quarter-end date for an annual KPI becomes its financial year)."""
    if not text:
        return failure("blank_cell", row, column, text)
    kind = kind_for_frequency(kpi.frequency) if kpi else QUARTER
    try:
        period = parse_period(text)
    except YearOutOfRange as error:
        return year_failure(error, row, column, text)
    except PeriodError as error:
        return failure("bad_period", row, column, text,
                       reason=_with_example(error.reason, _example_period(kind)))
    if kpi is None:
        return period
    try:
        return period_for_frequency(period, kpi.frequency)
    except PeriodError:
        example = period_of_kind_containing(period.end, kind).label
        return failure("frequency_mismatch", row, column, text, kpi_ref=kpi.ref,
                       how_often=_HOW_OFTEN.get(kpi.frequency, kpi.frequency),
                       kind=_KIND_WORDS.get(kind, "financial year"),
                       example=example)


def _example_period(kind: str) -> str:
    return {QUARTER: "2016/17 Q3", HALF: "2016/17 H1"}.get(kind, "2016/17")


def _with_example(reason: str, example: str) -> str:
    # Some of parse_period's reasons already say what to write; the rest get an example.
    if "write" in reason.casefold():
        return reason
    return f"{reason}. Write a period such as {example}"


_DECIMAL_COMMA_NUMBER = re.compile(
    r"(?P<number>[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d*)?|[+-]?,\d+)(?P<percent>\s*%)?",
    re.ASCII)


def _from_decimal_comma(text: str) -> str | None:
    """"1.234,5" or "85,5" (a file separated by ";") as "1234.5"; None when not a number."""
    match = _DECIMAL_COMMA_NUMBER.fullmatch(text)
    if match is None:
        return None
    number = match["number"].replace(".", "").replace(",", ".")
    return number + (match["percent"] or "")


def parse_number(text: str, allow_percent: bool = False, decimal_comma: bool = False
                 ) -> float | None:
    """A number as a spreadsheet user writes it ("1,234", "25.3", "85%"; with
    `decimal_comma`, "1.234,5" and "85,5"), or None."""
    if decimal_comma:
        converted = _from_decimal_comma(text)
        text = converted if converted is not None else text
    match = _NUMBER.fullmatch(text)
    if match is None or (match["percent"] and not allow_percent):
        return None
    return float(match["number"].replace(",", ""))


def number_or_failure(text: str, row: int, column: str, example: str,
                      allow_percent: bool = False, decimal_comma: bool = False
                      ) -> float | Failure:
    """A finite figure written with the digits 0-9, or the failure saying what is wrong."""
    number = parse_number(text, allow_percent=allow_percent, decimal_comma=decimal_comma)
    if number is None:
        other_digits = "".join(ch for ch in text if ch.isdigit() and not ch.isascii())
        if other_digits:
            return failure("non_ascii_digits", row, column, text, digits=other_digits,
                           example=example)
        return failure("not_a_number", row, column, text, example=example)
    if not math.isfinite(number) or abs(number) >= MAX_NUMBER:
        return failure("number_too_large", row, column, text, limit=f"{MAX_NUMBER:,.0f}")
    return number


def _number_example(kpi: Kpi | None) -> str:
    if kpi is None:
        return "25.3"
    target = f"{kpi.target:g}"
    return f"{target} or {target}%" if kpi.unit == "percent" else target


def value_cell(text: str, kpi: Kpi | None, row: int, column: str,
               decimal_comma: bool = False) -> float | Failure:
    if not text:
        return failure("blank_cell", row, column, text)
    # Without a known KPI a "%" is let through, so an unknown ref is the only failure reported.
    is_percent = kpi is None or kpi.unit == "percent"
    number = number_or_failure(text, row, column, _number_example(kpi), is_percent,
                               decimal_comma)
    if kpi is None or isinstance(number, Failure):
        return number
    if kpi.unit == "percent" and not 0 <= number <= 100:
        return failure("percent_out_of_range", row, column, text, kpi_ref=kpi.ref)
    if number < 0:
        return failure("negative_value", row, column, text)
    return number


def percent_reading(value: float, text: str, kpi: Kpi, numerator: float, denominator: float,
                    row: int, column: str) -> tuple[float, list[Failure]]:
    """A percentage KPI's value written below 1 without "%" ("0.85") is a fraction, as Excel
    writes a cell formatted as a percentage: 85%. A numerator and denominator settle it;
    otherwise it is read as the fraction with a warning, since 0.85% is possible."""
    if kpi.unit != "percent" or "%" in text or not 0 < value < 1:
        return value, []
    if not (math.isnan(numerator) or math.isnan(denominator)):
        as_percent = 100 * numerator / denominator
        if abs(as_percent - value) <= _RATIO_TOLERANCE:
            return value, []
        return value * 100, []
    as_fraction = _short(value * 100)
    return value * 100, [failure("ambiguous_percent", row, column, text, kpi_ref=kpi.ref,
                                 as_fraction=as_fraction)]


def count_cell(text: str, row: int, column: str, is_denominator: bool = False,
               decimal_comma: bool = False) -> float | Failure:
    """A numerator or denominator: optional (NaN when blank), a count, so never negative.
    Checked finite here, before any ratio is worked out from it (NaN fails no comparison)."""
    if not text:
        return math.nan
    number = number_or_failure(text, row, column, "12 or 1,234", decimal_comma=decimal_comma)
    if isinstance(number, Failure):
        return number
    if number < 0:
        return failure("negative_value", row, column, text)
    if is_denominator and number == 0:
        return failure("zero_denominator", row, column, text)
    return number


def _short(number: float) -> str:
    return format_number(number, 2).rstrip("0").rstrip(".")


def ratio_failures(value: float, numerator: float, denominator: float, kpi: Kpi,
                   text: Mapping[str, str], row: int, header) -> list[Failure]:
    """When both numerator and denominator are given, the value must agree with them.

    A KPI counted out of a fixed number (16: homes out of 7) has the count as its value, so the
    value must equal the numerator and the denominator must be the plan's.
    """
    if math.isnan(numerator) or math.isnan(denominator):
        return []
    if kpi.denominator:
        if abs(denominator - kpi.denominator) > _RATIO_TOLERANCE:
            return [failure("numerator_denominator_mismatch", row, header("denominator"),
                            text["denominator"],
                            rule=f"KPI {kpi.ref}, which counts out of {kpi.denominator:g}")]
        expected = numerator
        rule = f"the numerator {text['numerator']} (KPI {kpi.ref} counts out of " \
               f"{kpi.denominator:g})"
    elif kpi.unit == "percent":
        expected = 100 * numerator / denominator
        rule = f"100 x {text['numerator']} / {text['denominator']} = {_short(expected)}"
    else:
        expected = numerator / denominator
        rule = f"{text['numerator']} / {text['denominator']} = {_short(expected)}"
    if abs(value - expected) > _RATIO_TOLERANCE:
        return [failure("numerator_denominator_mismatch", row, header("value"), text["value"],
                        rule=rule)]
    return []


# --- whole columns -------------------------------------------------------------------------------
#
# Most rows of a real file are plainly right: a known KPI, a period of its frequency, plain numbers
# in range that agree with each other. `plain_rows` finds those by whole-column operations and
# gives them as the table would hold them; every other row (anything a cell rule above would
# refuse, warn about or read in a less plain way) is left to the row-by-row check, which names
# each problem. Both give the same table and failures (tests/unit/test_returns_vectorised.py).

# A number as plain digits with at most one point and a sign (what `_PLAIN_NUMBER` reads);
# everything else a person may write ("85%", "1,234", "25,3", "1e5", a blank) goes to the
# row-by-row check, which reads or refuses it.
_PLAIN_DECIMAL = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$"
_PLAIN_INTEGER = r"^[+-]?[0-9]+$"  # in a file with decimal commas, "1.234" means 1234


def plain_numbers(texts: pd.Series, decimal_comma: bool = False) -> np.ndarray:
    """Each cell's number when it is written as plain digits and is within `MAX_NUMBER` (what
    `number_or_failure` gives it without a failure), NaN for any other cell."""
    numbers = np.full(len(texts), np.nan)
    filled = (texts != "").to_numpy(dtype=bool)
    if not filled.any():
        return numbers
    cells = pa.array(texts[filled].to_numpy(dtype=object), type=pa.string())
    plain = pc.match_substring_regex(cells, _PLAIN_INTEGER if decimal_comma else _PLAIN_DECIMAL)
    try:
        read = pc.cast(pc.if_else(plain, cells, None), pa.float64())
    except pa.ArrowInvalid:  # never expected for plain digits: leave them all to the row check
        return numbers
    read = read.to_numpy(zero_copy_only=False)
    with np.errstate(invalid="ignore"):
        numbers[filled] = np.where(np.abs(read) < MAX_NUMBER, read, np.nan)
    return numbers


class _Distinct:
    """A column read once per distinct text (or pair of codes): `spread` gives each row the
    reading of its text. A code of -1 has no reading."""

    def __init__(self, codes: np.ndarray, readings: list):
        self.codes, self.readings = codes, readings

    @classmethod
    def of(cls, texts: pd.Series, read) -> _Distinct:
        codes, distinct = pd.factorize(texts)
        return cls(codes, [read(text) for text in distinct])

    def spread(self, get, missing, dtype: str):
        """`get(reading)` for each row (`missing` where there is no reading) as a numpy array
        of `dtype`, or pandas' text array for "str"; the value appended last answers -1."""
        values = [missing if r is None else get(r) for r in self.readings] + [missing]
        if dtype == "str":
            return pd.array(values, dtype="str").take(self.codes)
        return np.array(values, dtype=dtype)[self.codes]


def _period_of(text: str, frequency: str | None) -> ReportingPeriod | None:
    """The period `period_cell` gives a KPI of that frequency, or None where it gives a failure
    (a blank, a spelling `parse_period` refuses, a year out of range, the wrong frequency)."""
    if not text or not frequency:
        return None
    try:
        return period_for_frequency(parse_period(text), frequency)
    except PeriodError:  # YearOutOfRange too
        return None


def plain_rows(cells: pd.DataFrame, kpis_by_key: Mapping[str, Kpi], decimal_comma: bool
               ) -> pd.DataFrame:
    """The rows of a KPI values table's cells (`TextTable.cells`, already cleaned) that the
    row-by-row check passes with no failure and no warning, as the table's records (the kind's
    columns and `source_row`), indexed like `cells`. It need only recognise plainly right rows:
    anything else is left to the row-by-row check."""
    kpi = _Distinct.of(cells["kpi_ref"], lambda text: kpis_by_key.get(text.casefold()))
    known = kpi.spread(lambda k: True, False, "bool")
    is_percent = kpi.spread(lambda k: k.unit == "percent", False, "bool")
    fixed_denominator = kpi.spread(lambda k: float(k.denominator) if k.denominator else np.nan,
                                   np.nan, "float64")
    # A period is read once per distinct spelling and frequency (a few hundred pairs at most).
    spelling_codes, spellings = pd.factorize(cells["period"])
    frequencies = [None, *sorted({k.frequency for k in kpis_by_key.values()})]
    frequency_codes = kpi.spread(lambda k: frequencies.index(k.frequency), 0, "int64")
    pair_codes, pairs = pd.factorize(spelling_codes.astype(np.int64) * len(frequencies)
                                     + frequency_codes)
    period = _Distinct(pair_codes, [
        _period_of(spellings[pair // len(frequencies)], frequencies[pair % len(frequencies)])
        if pair >= 0 else None for pair in pairs])
    has_period = period.spread(lambda p: True, False, "bool")

    has_numerator = (cells["numerator"] != "").to_numpy(dtype=bool)
    has_denominator = (cells["denominator"] != "").to_numpy(dtype=bool)
    value = plain_numbers(cells["value"], decimal_comma)
    numerator = plain_numbers(cells["numerator"], decimal_comma)
    denominator = plain_numbers(cells["denominator"], decimal_comma)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        # A percentage below 1 (0.85) may be a fraction: the row check reads it and may warn.
        in_range = np.where(is_percent, ((value >= 1) & (value <= 100)) | (value == 0),
                            value >= 0)
        counts_fine = ((~has_numerator | (numerator >= 0))
                       & (~has_denominator | (denominator > 0)))
        is_fixed = ~np.isnan(fixed_denominator)
        expected = np.where(is_fixed, numerator,
                            np.where(is_percent, 100 * numerator / denominator,
                                     numerator / denominator))
        agrees = ~(has_numerator & has_denominator) | (
            (np.abs(value - expected) <= _RATIO_TOLERANCE)
            & (~is_fixed | (np.abs(denominator - fixed_denominator) <= _RATIO_TOLERANCE)))
    plain = known & has_period & ~np.isnan(value) & in_range & counts_fine & agrees
    rows = cells[plain]
    area = _Distinct.of(rows["area"], lambda text: " ".join(text.split()))
    return pd.DataFrame({
        "kpi_ref": kpi.spread(lambda k: k.ref, "", "str")[plain],
        "period": period.spread(lambda p: p.label, "", "str")[plain],
        "period_kind": period.spread(lambda p: p.kind, "", "str")[plain],
        "period_start": period.spread(lambda p: p.start, None, "datetime64[ns]")[plain],
        "period_end": period.spread(lambda p: p.end, None, "datetime64[ns]")[plain],
        "value": value[plain], "numerator": np.where(has_numerator, numerator, np.nan)[plain],
        "denominator": np.where(has_denominator, denominator, np.nan)[plain],
        "area": area.spread(lambda text: text, "", "str"), "comment": rows["comment"].array,
        SOURCE_ROW: rows[SOURCE_ROW].to_numpy(dtype="int64"),
    }, index=rows.index)
