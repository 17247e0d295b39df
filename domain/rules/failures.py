"""One validation problem is one row: where it is, what was written, and what to do about it.

Modelled on pandera's failure cases (one row per failing cell) and frictionless's error templates
(a stable code whose message is always built from the same template). A message never comes from
free text at the point of failure: `failure()` only formats a registered template, so every
message for a code reads the same way and names the fix.

To add a code, add one `FailureType` to `_TYPES`; nothing else needs to change. What a failure row
holds and how errors and warnings differ: docs/rules.md#failure-rows.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

ERROR = "error"  # blocks: the row (or the file) is refused
WARNING = "warning"  # allows: the row is kept, but a person should look
SEVERITIES = (ERROR, WARNING)

FAILURE_COLUMNS = ("row", "column", "code", "severity", "value", "message")


@dataclass(frozen=True)
class Failure:
    row: int | None  # the row number a spreadsheet shows for the line; None for the whole file
    column: str | None  # the column as written in the file's header; None for the whole row/file
    code: str  # stable code from FAILURE_TEMPLATES, e.g. "unknown_kpi"
    value: str  # the offending text as written
    message: str  # from the code's template: what is wrong and what to do
    severity: str  # ERROR or WARNING
    sheet: str | None = None  # the workbook's sheet (or the zip's CSV file), for a plan import


@dataclass(frozen=True)
class FailureType:
    code: str
    severity: str
    template: str  # str.format template: {value}, {column}, {row} and the extras it names
    description: str  # one line for a list of the checks (data quality page, upload help)


_TYPES = (
    # --- the file as a whole ---------------------------------------------------------------------
    FailureType(
        "unreadable_file", ERROR,
        "The file could not be read as a CSV file ({reason}). Save it from Excel as "
        "'CSV UTF-8 (Comma delimited)' and upload that file.",
        "The file is not text a CSV reader can read."),
    FailureType(
        "empty_file", ERROR,
        "The file has no rows of data. Put a header row ({expected}) and then one row per "
        "value.",
        "The file is blank or has a header but no data rows."),
    FailureType(
        "missing_column", ERROR,
        "The header row has no '{column}' column. Add a column headed {column}; the header "
        "row can read: {expected}.",
        "A required column is missing from the header row."),
    FailureType(
        "duplicate_column", ERROR,
        "The header row has '{value}' more than once (as {headers}). Keep one column headed "
        "{column} and rename or delete the others.",
        "Two header cells name the same column, so it is unclear which to read."),
    # --- cells -----------------------------------------------------------------------------------
    FailureType(
        "blank_cell", ERROR,
        "Row {row} has no {column}. Fill it in, or delete the row if it is not needed.",
        "A required cell is blank."),
    FailureType(
        "control_character", ERROR,
        "Row {row}'s {column} holds the control character {character}, which cannot be stored "
        "or exported: delete it (it usually comes from text copied out of another system).",
        "A cell holding an invisible control character (other than a tab or a line break)."),
    FailureType(
        "unknown_kpi", ERROR,
        "KPI '{value}' is not in the plan: use one of the plan's KPI refs, such as {example}.",
        "The KPI ref is not one of the plan's KPIs."),
    FailureType(
        "bad_period", ERROR,
        "'{value}' is not a reporting period: {reason}.",
        "The period cannot be read as a quarter, half-year or financial year."),
    FailureType(
        "frequency_mismatch", ERROR,
        "KPI {kpi_ref} is reported {how_often}, so '{value}' does not fit: write the "
        "{kind} it belongs to, such as {example}.",
        "The period is not one the KPI reports for (e.g. a quarter for an annual KPI)."),
    FailureType(
        "not_a_number", ERROR,
        "'{value}' in {column} is not a number: write a number such as {example}.",
        "A value, numerator or denominator is not a number."),
    FailureType(
        "non_ascii_digits", ERROR,
        "'{value}' in {column} is written with digits other than 0 to 9 ({digits}): retype it "
        "with the digits 0 to 9, such as {example}.",
        "A number written in Arabic-Indic, fullwidth or other non-ASCII digits."),
    FailureType(
        "number_too_large", ERROR,
        "'{value}' in {column} is too large to be a figure (figures are below {limit}): check "
        "it; it may be a reference number or several figures run together.",
        "A number that is infinite or beyond 15 digits, which cannot be stored exactly."),
    FailureType(
        "percent_out_of_range", ERROR,
        "{value} is not a percentage from 0 to 100, and KPI {kpi_ref} is a percentage: check "
        "the figure, and write 85% as 85 or 85%.",
        "A percentage KPI's value is below 0 or above 100."),
    FailureType(
        "negative_value", ERROR,
        "{value} in {column} is below zero, and counts, caseloads, numerators and "
        "denominators cannot be: check the figure and write it as zero or more.",
        "A count, caseload, numerator or denominator is negative."),
    FailureType(
        "zero_denominator", ERROR,
        "The {column} is 0, so no value can be worked out from it: write the denominator, or "
        "leave both numerator and denominator blank.",
        "The denominator is zero."),
    FailureType(
        "numerator_denominator_mismatch", ERROR,
        "{value} in {column} does not agree with {rule}: correct the value, the numerator or "
        "the denominator so that they agree.",
        "The value does not match its numerator and denominator (to within 0.05)."),
    FailureType(
        "duplicate_conflict", ERROR,
        "{what} is given on rows {rows} with different values ({values}): keep the one "
        "correct row and delete the others.",
        "The same thing is reported twice with different values; neither row is used."),
    FailureType(
        "duplicate_row", WARNING,
        "Row {row} repeats row {first_row} exactly, so it is used once: delete the repeat to "
        "tidy the file.",
        "An exact repeat of an earlier row; it is kept once."),
    FailureType(
        "unknown_action", ERROR,
        "Action '{value}' is not in the plan: use one of the plan's action refs, such as "
        "{example}.",
        "The action ref is not one of the plan's actions."),
    FailureType(
        "bad_status", ERROR,
        "'{value}' is not a RAG status: write RED, AMBER, GREEN or BLUE.",
        "The status is not RED, AMBER, GREEN or BLUE."),
    # --- published statistics (DfE's Explore Education Statistics and LAIT files) --------------
    FailureType(
        "published_bad_year", ERROR,
        "'{value}' in {column} is not a single year the importer can place ({reason}), so row "
        "{row} is left out of the comparators.",
        "A published row's year is a multi-year range or not a year at all."),
    FailureType(
        "published_bad_value", ERROR,
        "'{value}' in {column} is neither a number nor a suppression code (c, x, z, k, u, -), "
        "so row {row} is left out of the comparators.",
        "A published value is not a number or a known suppression code."),
    FailureType(
        "published_missing_column", ERROR,
        "The published file {file} has no '{column}' column, so {what} cannot be imported from "
        "it: check the mapping in data/plan/published_measures.csv against the file's header.",
        "A published file lacks a column the mapping or the layout needs."),
    FailureType(
        "published_missing_file", ERROR,
        "The published file {value} is not in {folder}, so KPI {kpi_ref} has no {source} "
        "comparators: download it into that folder or correct the mapping.",
        "A file named in the published measures mapping is missing."),
    FailureType(
        "text_too_long", ERROR,
        "Row {row}'s {column} is {length} characters long, more than the {limit} it may hold: "
        "shorten it (a board reads it on one page).",
        "A commentary or next steps text longer than the limit."),
    FailureType(
        "bad_date", ERROR,
        "'{value}' is not a date: write the date as 31/12/2016 or 2016-12-31.",
        "The date cannot be read as day/month/year or year-month-day."),
    # --- uploads (issue 3) -----------------------------------------------------------------------
    FailureType(
        "file_too_large", ERROR,
        "The file is {size} and the largest accepted is {limit}: split it into smaller files, "
        "for example one per quarter.",
        "The uploaded file is larger than the server accepts."),
    FailureType(
        "too_many_rows", ERROR,
        "The file has {count} rows and at most {limit} are accepted in one upload: split it "
        "into smaller files.",
        "The uploaded file has more rows than one upload accepts."),
    FailureType(
        "too_many_columns", ERROR,
        "Row {row} has {count} filled cells and at most {limit} columns are read: delete the "
        "columns the upload does not need, or split the file.",
        "A row wider than the reader accepts (a file built to exhaust the server, or a sheet "
        "with stray cells far to the right)."),
    FailureType(
        "too_many_cells", ERROR,
        "The file has more than {limit} filled cells (reading stopped at row {row}): delete "
        "the columns and sheets the upload does not need, or split it into smaller files.",
        "More filled cells than one upload accepts."),
    FailureType(
        "cell_too_long", ERROR,
        "Row {row}, column {where} holds {length} characters and at most {limit} fit in one "
        "cell: shorten it (or check that a quote mark has not run cells together).",
        "A cell longer than the reader accepts."),
    FailureType(
        "unsafe_workbook", ERROR,
        "The workbook could not be opened safely ({reason}). Open it in Excel, save it as "
        "'CSV UTF-8 (Comma delimited)' and upload that file.",
        "An Excel workbook that is damaged, too large unpacked, or built to exhaust the server."),
    FailureType(
        "unsupported_format", ERROR,
        "The file is {what}, which the upload cannot read: {fix}.",
        "A file of a kind the upload cannot read but Excel can convert (.xls, UTF-16 text)."),
    FailureType(
        "unknown_layout", ERROR,
        "The header row does not match a returns file: it needs the columns {expected}. "
        "Download the template from the upload page and copy your figures into it.",
        "No header row names the columns of KPI values, action progress or comparators."),
    FailureType(
        "ambiguous_percent", WARNING,
        "'{value}' for KPI {kpi_ref} (a percentage) could mean {as_fraction}% or {value}%; it "
        "is read as {as_fraction}%. If you meant {value}%, write it as {value}%.",
        "A percentage written as a number below 1 could be a fraction or a percentage."),
    FailureType(
        "period_after_asat", ERROR,
        "{value} ends on {period_end}, after this upload's as-at date {asat}: a value cannot "
        "be reported for a period that has not ended. Check the period.",
        "The period (or progress date) is after the as-at date of the upload."),
    FailureType(
        "far_from_previous", WARNING,
        "{value} for KPI {kpi_ref} is far from the previous value {previous} ({previous_period})"
        ": check the figure before you commit.",
        "A value that differs from the previous one by more than half of it."),
    FailureType(
        "extra_cells", ERROR,
        "Row {row} has more cells than the header ({value} is beyond the last heading), so "
        "its cells may be in the wrong columns: a comma inside a number (25,3) splits it. "
        "Write 25.3, put the number in quotes, or give the extra column a heading.",
        "A row with filled cells beyond the header's last column."),
    FailureType(
        "year_out_of_range", ERROR,
        "'{value}' is in {year}, outside the years this dashboard reads ({first} to {last}): "
        "check the year.",
        "A period or date whose year is before 1990 or after 2100."),
    FailureType(
        "new_area", WARNING,
        "Area '{value}' is new for KPI {kpi_ref} ({hint}). A new area adds a line to the KPI's "
        "chart and a column to its table, so check the spelling before you commit.",
        "An area the KPI has never had: often a misspelling of a known area."),
    FailureType(
        "blank_value_skipped", WARNING,
        "Row {row} has no value, so it is skipped: fill in the value to report it, or leave it "
        "blank if there is nothing to report yet.",
        "A row whose value is blank (a template row not filled in) is skipped, not stored."),
    FailureType(
        "bad_comparator", ERROR,
        "Row {row} has no comparator: write who the value is for, such as England, "
        "Statistical neighbours or Core cities.",
        "A comparator value without the name of what it compares with."),
    # --- plan imports (issue 13): a workbook or a zip of the register's CSV files -------------
    FailureType(
        "not_a_plan_file", ERROR,
        "The file is {detected}, not a plan: upload an Excel workbook (.xlsx) with the sheets "
        "plan, themes, kpis and actions, or a zip of the register's CSV files (plan.csv, "
        "themes.csv, kpis.csv, actions.csv).",
        "The file's content is not an .xlsx workbook or a zip of CSV files, whatever its name."),
    FailureType(
        "missing_sheet", ERROR,
        "The plan has no '{value}' sheet: add a sheet named {value}, laid out as in a plan "
        "downloaded from the plans page.",
        "A required sheet (plan, themes, kpis, actions) is missing."),
    FailureType(
        "missing_plan_field", ERROR,
        "The plan sheet has no {value}: add a row whose field is {value} and whose value is "
        "{hint}.",
        "The plan sheet lacks its title, authority, start or end date."),
    FailureType(
        "plan_dates_out_of_order", ERROR,
        "The plan ends on {value} but starts on {start}: check start_date and end_date.",
        "The plan's end date is not after its start date."),
    FailureType(
        "duplicate_plan_ref", ERROR,
        "{noun} {value} is on rows {rows} of the {sheet} sheet: each needs its own ref, so that "
        "returns and progress reports name one row. Renumber or delete the repeat.",
        "Two themes, KPIs or actions of an imported plan share a ref."),
    FailureType(
        "bad_target", ERROR,
        "'{value}' in {column} is not a target: write a number such as 80 for 80%, or leave "
        "target blank and write the target in target_label as 80%, 4 / 7 or 439.",
        "A KPI's target cannot be read as a number."),
    FailureType(
        "bad_due_date", ERROR,
        "'{value}' in {column} is not a due date: write a date such as 2018-03-31 or "
        "31/03/2018, or leave due_date blank and write a month such as Mar-18 in due_label.",
        "A KPI's or action's due date cannot be read."),
    FailureType(
        "unknown_kpi_cited", ERROR,
        "Action {action} cites KPI '{value}', which this plan does not define: add it to the "
        "kpis sheet, correct the ref, or cite a lettered group by its number (17 for 17a, 17b "
        "and 17c).",
        "An action cites a KPI ref the imported plan does not define (a group number is fine)."),
    FailureType(
        "missing_outcome", ERROR,
        "Theme {value} has no outcome statement: write the outcome the theme works towards in "
        "its outcome cell.",
        "A theme of an imported plan has no outcome statement."),
    FailureType(
        "unknown_plan_theme", ERROR,
        "'{value}' in {column} is not a theme of this plan (its themes are {known}): use one "
        "of the numbers on the themes sheet.",
        "A KPI or action belongs to a theme the imported plan does not have."),
    FailureType(
        "bad_theme_number", ERROR,
        "'{value}' in {column} is not a theme number: number the themes 1, 2, 3 and so on.",
        "A theme number is not a whole number."),
    FailureType(
        "bad_choice", ERROR,
        "'{value}' in {column} is not one of {choices}: write one of them.",
        "A KPI's frequency, unit or polarity is not one the dashboard knows."),
    FailureType(
        "revision_out_of_order", ERROR,
        "This revision would be in force from {value}, but the version it revises is in force "
        "from {previous}: a revision takes effect after the version before it. Correct "
        "in_force_from on the plan sheet, or leave it blank for the day of the import.",
        "A revised plan's in_force_from is not after the version it revises."),
    FailureType(
        "plan_integrity", WARNING,
        "{finding} (integrity rule {rule}; it does not block the import).",
        "What the plan register's integrity rules find in an imported plan."),
    FailureType(
        "measure_changed", WARNING,
        "KPI {kpi_ref} measured '{previous}' in {plan}; here it measures '{value}'. Its returns "
        "carry over to this plan: check that it still measures the same thing, or give it a "
        "new ref.",
        "A KPI ref whose measure text differs from another plan's."),
)

# Read-only, so no caller can change another caller's messages (the app runs several workers).
FAILURE_TEMPLATES: Mapping[str, FailureType] = MappingProxyType({t.code: t for t in _TYPES})


def failure(code: str, row: int | None, column: str | None, value: object = "",
            sheet: str | None = None, **extra: object) -> Failure:
    """A `Failure` whose message is the code's template filled in (`sheet`: where in a
    workbook, for a plan import).

    Raises `KeyError` for an unregistered code, and for a template field not supplied, so a
    misspelt code or a missing detail fails in tests rather than producing a vague message.
    """
    failure_type = FAILURE_TEMPLATES[code]
    text = "" if value is None else str(value)
    message = failure_type.template.format(value=text, column=column or "", row=row or "",
                                           sheet=sheet or "", **extra)
    return Failure(row=row, column=column, code=code, value=text, message=message,
                   severity=failure_type.severity, sheet=sheet)


def closest_ref(text: str, refs: Sequence[str], none_text: str = "none: the plan lists none"
                ) -> str:
    """The ref most like the one written (19z suggests 19a), for a message's example, so the
    fix is one glance away; the first ref when nothing is close."""
    if not refs:
        return none_text
    return _closest(text.casefold(), tuple(refs))


@functools.lru_cache(maxsize=256)
def _closest(key: str, refs: tuple[str, ...]) -> str:
    # Remembered: a file that misspells a ref usually does so on every row (difflib compares
    # with every ref). A pure function of its arguments, so each worker's copy agrees.
    by_key = {ref.casefold(): ref for ref in refs}
    close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=0.5)
    return by_key[close[0]] if close else refs[0]


# A message lists at most this many rows or values: 20,000 rows giving one value 20,000 ways
# would otherwise make 20,000 messages each naming all 20,000 (gigabytes of text).
MOST_LISTED = 5


def listed(items: Sequence[str]) -> str:
    """Words for a list in a message: `North`, `North and South`, `East, North and South`;
    past MOST_LISTED, `A, B, C, D, E and 12 more`."""
    items = list(items)
    if len(items) > MOST_LISTED:
        return ", ".join(items[:MOST_LISTED]) + f" and {len(items) - MOST_LISTED:,} more"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def has_errors(failures: Iterable[Failure]) -> bool:
    return any(f.severity == ERROR for f in failures)


def errors(failures: Iterable[Failure]) -> tuple[Failure, ...]:
    return tuple(f for f in failures if f.severity == ERROR)


def warnings(failures: Iterable[Failure]) -> tuple[Failure, ...]:
    return tuple(f for f in failures if f.severity == WARNING)


def failures_frame(failures: Iterable[Failure], with_sheet: bool = False) -> pd.DataFrame:
    """One row per failure, in the order given; whole-file failures have an empty row cell.
    `with_sheet` puts the sheet first (a plan import's failures name their sheet).

    `row` is object dtype holding ints and None, so a whole-file failure shows a blank cell in a
    table rather than "<NA>" or "2.0".
    """
    items = list(failures)
    frame = pd.DataFrame({
        "row": pd.Series([f.row for f in items], dtype=object),
        "column": pd.Series([f.column for f in items], dtype="str"),
        "code": pd.Series([f.code for f in items], dtype="str"),
        "severity": pd.Series([f.severity for f in items], dtype="str"),
        "value": pd.Series([f.value for f in items], dtype="str"),
        "message": pd.Series([f.message for f in items], dtype="str"),
    }, columns=list(FAILURE_COLUMNS))
    if with_sheet:
        frame.insert(0, "sheet", pd.Series([f.sheet or "" for f in items], dtype="str"))
    return frame
