"""KPI returns in the long layout, one value per row (DESIGN section 5):

    kpi_ref,period,value,numerator,denominator,area,comment
    19a,2016/17 Q2,25.3,,,,
    17a,2016/17 Q2,64,,,South,

`read_returns` gives the rows that pass every check as a typed table, and one `Failure` per
problem. A row with any error is left out of the table; warnings (an exact repeat) keep it.
Reading the file's text is `csvtext`'s job; this module only says what the cells must mean.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from domain.csvtext import (SOURCE_ROW, CheckedRow, Source, TextTable, check_each_row,
                            keep_each_key_once, read_text_table)
from domain.failures import Failure, closest_ref, failure, has_errors
from domain.periods import (QUARTER, HALF, PeriodError, ReportingPeriod, kind_for_frequency,
                            parse_period, period_for_frequency, period_of_kind_containing)
from domain.plan import Kpi, Plan

REQUIRED_COLUMNS = ("kpi_ref", "period", "value")
OPTIONAL_COLUMNS = ("numerator", "denominator", "area", "comment")

RETURNS_COLUMNS = ("kpi_ref", "period", "period_kind", "period_start", "period_end", "value",
                   "numerator", "denominator", "area", "comment", "source_row")
RETURNS_DTYPES: Mapping[str, str] = MappingProxyType({
    "kpi_ref": "str", "period": "str", "period_kind": "str",
    "period_start": "datetime64[ns]", "period_end": "datetime64[ns]",
    "value": "float64", "numerator": "float64", "denominator": "float64",
    "area": "str", "comment": "str", "source_row": "int64",
})

WHOLE_AUTHORITY = ""

# "within 0.05 rounding": a value given to one decimal place still agrees with its fraction. The
# extra hair keeps 24.05 against 24.0 from failing on binary rounding.
_RATIO_TOLERANCE = 0.05 + 1e-9

_PLAIN_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
# Commas only as thousands separators in groups of three: "1,5" is refused rather than read as
# 15, because in a European file it means 1.5.
_GROUPED_NUMBER = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"
_NUMBER = re.compile(rf"(?P<number>{_GROUPED_NUMBER}|{_PLAIN_NUMBER})(?P<percent>\s*%)?")

_KIND_WORDS = {QUARTER: "quarter", HALF: "half-year"}
_HOW_OFTEN = {"quarterly": "quarterly", "6-monthly": "every six months", "annual": "annually"}


@dataclass(frozen=True)
class ReturnsRead:
    table: pd.DataFrame  # only the valid rows, RETURNS_COLUMNS with RETURNS_DTYPES
    failures: tuple[Failure, ...]

    @property
    def ok(self) -> bool:
        return not has_errors(self.failures)


def empty_returns_table() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in
                         RETURNS_DTYPES.items()})


def read_returns(source: Source, plan: Plan) -> ReturnsRead:
    """Read and check a returns CSV (path, bytes or open file) against the plan's KPIs."""
    text_table, file_failures = read_text_table(source, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    if text_table is None:
        return ReturnsRead(empty_returns_table(), file_failures)
    return validate_returns(text_table, plan)


def validate_returns(text_table: TextTable, plan: Plan) -> ReturnsRead:
    """Check every row of a returns table; a layout other than the long CSV (wide, XLSX) can
    reach here once it is turned into a `TextTable`.

    Rows that are plainly right (a known KPI, a period of its frequency, plain numbers in range
    that agree with each other) are found by whole-column operations (`clean_rows`); every
    other row goes through `check_return_row`, which names each problem. Both give the same
    table and failures (tests/unit/test_returns_vectorised.py)."""
    kpis_by_key = {kpi.ref.casefold(): kpi for kpi in plan.kpis}
    cells = text_table.cells
    clean = clean_rows(cells, kpis_by_key, text_table.decimal_comma)
    checked, failures = check_each_row(
        cells.drop(index=clean.index),
        lambda row_cells: check_return_row(row_cells, text_table, kpis_by_key))
    rows = pd.concat([clean, _checked_frame(checked)], ignore_index=True) if checked else clean
    keep, repeats = keep_each_key_once(rows, _KEY, ("value", "numerator", "denominator"),
                                       _VALUE_TEXT, _describe_key, text_table.header("value"))
    failures = sorted(failures + repeats, key=lambda f: (f.row or 0))
    return ReturnsRead(_sorted_table(rows, keep), tuple(failures))


def _sorted_table(rows: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """The kept rows as the returns table, in its order (KPI, area, period end), taken once."""
    kept = np.flatnonzero(keep)
    if not len(kept):
        return empty_returns_table()
    ranks = [pd.factorize(rows[column].iloc[kept], sort=True)[0] for column in ("kpi_ref", "area")]
    ends = rows["period_end"].to_numpy(dtype="datetime64[ns]")[kept]
    order = kept[np.lexsort((ends, ranks[1], ranks[0]))]  # stable: the last key sorts first
    table = rows[list(RETURNS_COLUMNS)].iloc[order].reset_index(drop=True)
    if [str(dtype) for dtype in table.dtypes] != list(RETURNS_DTYPES.values()):
        table = table.astype(dict(RETURNS_DTYPES))
    return table


_KEY = ("kpi_ref", "period", "area")
_VALUE_TEXT = "value_as_written"


def _checked_frame(checked: Sequence[CheckedRow]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records([row.record for row in checked],
                                      columns=list(RETURNS_COLUMNS))
    frame[_VALUE_TEXT] = pd.Series([row.shown_value for row in checked], dtype="str")
    return frame.astype(dict(RETURNS_DTYPES))


def returns_table(records: list[Mapping] | pd.DataFrame) -> pd.DataFrame:
    if len(records) == 0:
        return empty_returns_table()
    frame = (records[list(RETURNS_COLUMNS)] if isinstance(records, pd.DataFrame) else
             pd.DataFrame.from_records(records, columns=list(RETURNS_COLUMNS)))
    if [str(dtype) for dtype in frame.dtypes] != list(RETURNS_DTYPES.values()):
        frame = frame.astype(dict(RETURNS_DTYPES))
    frame = frame.sort_values(["kpi_ref", "area", "period_end"], kind="stable")
    return frame.reset_index(drop=True)


def _describe_key(row: CheckedRow) -> str:
    kpi_ref, period_label, area = row.key
    where = "(whole authority)" if area == WHOLE_AUTHORITY else f"in {area}"
    return f"KPI {kpi_ref} for {period_label} {where}"


# --- whole columns -------------------------------------------------------------------------------

# A number as plain digits with at most one point and a sign; everything else a person may write
# ("85%", "1,234", "25,3", a blank) goes to the row-by-row check, which reads or refuses it.
_PLAIN_DECIMAL = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$"
_PLAIN_INTEGER = r"^[+-]?[0-9]+$"  # in a file with decimal commas, "1.234" means 1234


def plain_numbers(texts: pd.Series, decimal_comma: bool = False,
                  filled: np.ndarray | None = None) -> np.ndarray:
    """Each cell's number when it is written as plain digits (what `parse_number` would give),
    NaN for any other cell; `filled` (which cells are not blank) when known."""
    numbers = np.full(len(texts), np.nan)
    filled = (texts != "").to_numpy() if filled is None else filled
    if not filled.any():
        return numbers
    cells = pa.array(texts[filled])
    plain = pc.match_substring_regex(cells, _PLAIN_INTEGER if decimal_comma else _PLAIN_DECIMAL)
    try:
        read = pc.cast(pc.if_else(plain, cells, None), pa.float64())
    except pa.ArrowInvalid:  # e.g. more digits than a float holds: leave them to the row check
        return numbers
    numbers[filled] = read.to_numpy(zero_copy_only=False)
    return numbers


class _Distinct:
    """A column read once per distinct text: `spread` gives each row its text's reading."""

    def __init__(self, codes: np.ndarray, readings: list):
        self.codes, self.readings = codes, readings  # code -1: no reading

    @classmethod
    def of(cls, texts: pd.Series, read) -> _Distinct:
        codes, distinct = pd.factorize(texts)
        return cls(codes, [read(text) for text in distinct])

    def spread(self, get, missing, dtype: str):
        """`get(reading)` for each row (`missing` where the reading is None) as a numpy array of
        `dtype`, or pandas' text array for "str"; the last value answers code -1."""
        values = [missing if r is None else get(r) for r in self.readings] + [missing]
        if dtype == "str":  # taken from a few texts by arrow, with no Python string per row
            return pd.array(values, dtype="str").take(self.codes)
        return np.array(values, dtype=dtype)[self.codes]


def clean_rows(cells: pd.DataFrame, kpis_by_key: Mapping[str, Kpi], decimal_comma: bool
               ) -> pd.DataFrame:
    """The rows `check_return_row` would pass without a failure or a warning, typed as the
    returns table (plus the value as written), found by whole-column operations. It only has
    to recognise plainly right rows: anything else is left to the row-by-row check."""
    kpi = _Distinct.of(cells["kpi_ref"], lambda text: kpis_by_key.get(text.casefold()))
    known = kpi.spread(lambda k: True, False, "bool")
    is_percent = kpi.spread(lambda k: k.unit == "percent", False, "bool")
    fixed_denominator = kpi.spread(lambda k: k.denominator or np.nan, np.nan, "float64")
    # A period is read once per distinct spelling and frequency (a few hundred pairs at most).
    spelling_codes, spellings = pd.factorize(cells["period"])
    frequencies = [None, *sorted({k.frequency for k in kpis_by_key.values()})]
    frequency_codes = kpi.spread(lambda k: frequencies.index(k.frequency), 0, "int64")
    pair_codes, pairs = pd.factorize(spelling_codes.astype(np.int64) * len(frequencies)
                                     + frequency_codes)
    period = _Distinct(pair_codes, [
        _period_of(spellings[pair // len(frequencies)], frequencies[pair % len(frequencies)])
        for pair in pairs])
    has_period = period.spread(lambda p: True, False, "bool")

    has_numerator = (cells["numerator"] != "").to_numpy()
    has_denominator = (cells["denominator"] != "").to_numpy()
    value = plain_numbers(cells["value"], decimal_comma)
    numerator = plain_numbers(cells["numerator"], decimal_comma, has_numerator)
    denominator = plain_numbers(cells["denominator"], decimal_comma, has_denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
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
    clean = known & has_period & ~np.isnan(value) & in_range & counts_fine & agrees
    rows = cells[clean]
    area = _Distinct.of(rows["area"], lambda text: " ".join(text.split()))
    return pd.DataFrame({
        "kpi_ref": kpi.spread(lambda k: k.ref, "", "str")[clean],
        "period": period.spread(lambda p: p.label, "", "str")[clean],
        "period_kind": period.spread(lambda p: p.kind, "", "str")[clean],
        "period_start": period.spread(lambda p: p.start, None, "datetime64[ns]")[clean],
        "period_end": period.spread(lambda p: p.end, None, "datetime64[ns]")[clean],
        "value": value[clean], "numerator": np.where(has_numerator, numerator, np.nan)[clean],
        "denominator": np.where(has_denominator, denominator, np.nan)[clean],
        "area": area.spread(lambda text: text, "", "str"), "comment": rows["comment"].array,
        SOURCE_ROW: rows[SOURCE_ROW].to_numpy(), _VALUE_TEXT: rows["value"].array,
    }, index=rows.index)


def _period_of(text: str, frequency: str | None) -> ReportingPeriod | None:
    """The period a cell names for a KPI of that frequency, or None (a blank, a spelling
    `parse_period` refuses, a frequency it does not fit): those rows are checked one by one."""
    if not text or not frequency:
        return None
    try:
        return period_for_frequency(parse_period(text), frequency)
    except PeriodError:
        return None


# --- one row -------------------------------------------------------------------------------------

def check_return_row(cells: Mapping[str, object], text_table: TextTable,
                     kpis_by_key: Mapping[str, Kpi]) -> tuple[CheckedRow | None, list[Failure]]:
    """The checked row, or None and why not. Every cell is checked even after one fails, so a
    person sees all of a row's problems at once."""
    row = int(cells[SOURCE_ROW])
    text = {column: str(cells[column]) for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    header = text_table.header

    kpi = kpi_cell(text["kpi_ref"], kpis_by_key, row, header("kpi_ref"))
    known_kpi = kpi if isinstance(kpi, Kpi) else None
    period = period_cell(text["period"], known_kpi, row, header("period"))
    comma = text_table.decimal_comma
    value = value_cell(text["value"], known_kpi, row, header("value"), comma)
    numerator = count_cell(text["numerator"], row, header("numerator"), decimal_comma=comma)
    denominator = count_cell(text["denominator"], row, header("denominator"),
                             is_denominator=True, decimal_comma=comma)
    failures = [cell for cell in (kpi, period, value, numerator, denominator)
                if isinstance(cell, Failure)]
    if failures:
        return None, failures
    value, warnings = percent_reading(value, text["value"], kpi, numerator, denominator, row,
                                      header("value"))
    failures = ratio_failures(value, numerator, denominator, kpi, text, row, header)
    if failures:
        return None, failures

    area = " ".join(text["area"].split())
    record = {
        "kpi_ref": kpi.ref, "period": period.label, "period_kind": period.kind,
        "period_start": pd.Timestamp(period.start), "period_end": pd.Timestamp(period.end),
        "value": value, "numerator": numerator, "denominator": denominator,
        "area": area, "comment": text["comment"], SOURCE_ROW: row,
    }
    # NaN != NaN, so blanks are compared as None when deciding whether two rows are repeats.
    content = tuple(None if math.isnan(x) else x for x in (value, numerator, denominator))
    return CheckedRow(row, (kpi.ref, period.label, area), content, text["value"], record), \
        warnings


# --- cells ---------------------------------------------------------------------------------------

def kpi_cell(text: str, kpis_by_key: Mapping[str, Kpi], row: int, column: str) -> Kpi | Failure:
    """The plan's KPI for a ref written in any case; the table keeps the plan's spelling."""
    if not text:
        return failure("blank_cell", row, column, text)
    kpi = kpis_by_key.get(text.casefold())
    if kpi is not None:
        return kpi
    refs = [kpi.ref for kpi in kpis_by_key.values()]
    return failure("unknown_kpi", row, column, text,
                   example=closest_ref(text, refs, "none: the plan lists no KPIs"))


def period_cell(text: str, kpi: Kpi | None, row: int, column: str
                ) -> ReportingPeriod | Failure:
    """The period in any accepted spelling, as the period of the KPI's reporting frequency
    (a quarter-end date for an annual KPI becomes its financial year)."""
    if not text:
        return failure("blank_cell", row, column, text)
    kind = kind_for_frequency(kpi.frequency) if kpi else QUARTER
    try:
        period = parse_period(text)
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
    r"(?P<number>[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d*)?|[+-]?,\d+)(?P<percent>\s*%)?")


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
    number = parse_number(text, allow_percent=is_percent, decimal_comma=decimal_comma)
    if number is None:
        return failure("not_a_number", row, column, text, example=_number_example(kpi))
    if kpi is None:
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
    """A numerator or denominator: optional (NaN when blank), a count, so never negative."""
    if not text:
        return math.nan
    number = parse_number(text, decimal_comma=decimal_comma)
    if number is None:
        return failure("not_a_number", row, column, text, example="12 or 1,234")
    if number < 0:
        return failure("negative_value", row, column, text)
    if is_denominator and number == 0:
        return failure("zero_denominator", row, column, text)
    return number


def _short(number: float) -> str:
    return f"{number:,.2f}".rstrip("0").rstrip(".")


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
