"""Action progress reports: `action_ref, as_at, status, comment` (DESIGN section 5).

`read_progress` gives the rows that pass every check as a typed table, and one `Failure` per
problem, on the same reading rules as the KPI returns (`csvtext`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

import pandas as pd

from domain.csvtext import (SOURCE_ROW, CheckedRow, Source, TextTable, check_rows,
                            read_text_table)
from domain.failures import Failure, closest_ref, failure, has_errors, year_failure
from domain.periods import YearOutOfRange, check_year
from domain.plan import Action, Plan

REQUIRED_COLUMNS = ("action_ref", "as_at", "status")
OPTIONAL_COLUMNS = ("comment",)

PROGRESS_COLUMNS = ("action_ref", "as_at", "status", "comment", "source_row")
PROGRESS_DTYPES: Mapping[str, str] = MappingProxyType({
    "action_ref": "str", "as_at": "datetime64[ns]", "status": "str", "comment": "str",
    "source_row": "int64",
})

# What a lead officer may report; NO DATA is what the dashboard shows when nothing is reported.
REPORTED_STATUSES = ("RED", "AMBER", "GREEN", "BLUE")

# Excel often saves a date cell with a midnight time; that time carries no meaning here.
_MIDNIGHT = r"(?:[ T]00:00(?::00)?)?"
# re.ASCII: only the digits 0-9 make a date.
_ISO_DATE = re.compile(rf"(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_MIDNIGHT}", re.ASCII)
_UK_DATE = re.compile(rf"(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-](?P<y>\d{{4}}){_MIDNIGHT}",
                      re.ASCII)


@dataclass(frozen=True)
class ProgressRead:
    table: pd.DataFrame  # only the valid rows, PROGRESS_COLUMNS with PROGRESS_DTYPES
    failures: tuple[Failure, ...]

    @property
    def ok(self) -> bool:
        return not has_errors(self.failures)


def empty_progress_table() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=dtype) for column, dtype in
                         PROGRESS_DTYPES.items()})


def read_progress(source: Source, plan: Plan) -> ProgressRead:
    """Read and check an action progress CSV (path, bytes or open file) against the plan."""
    text_table, file_failures = read_text_table(source, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    if text_table is None:
        return ProgressRead(empty_progress_table(), file_failures)
    return validate_progress(text_table, plan)


def validate_progress(text_table: TextTable, plan: Plan) -> ProgressRead:
    actions_by_key = {action.ref.casefold(): action for action in plan.actions}
    # Two different statuses for one action on one date would make "the latest status" a guess.
    records, failures = check_rows(
        text_table, lambda cells: check_progress_row(cells, text_table, actions_by_key),
        _describe_key, "status")
    return ProgressRead(progress_table(records), tuple(failures))


def progress_table(records: list[Mapping]) -> pd.DataFrame:
    if not records:
        return empty_progress_table()
    frame = pd.DataFrame.from_records(records, columns=list(PROGRESS_COLUMNS))
    frame = frame.astype(dict(PROGRESS_DTYPES))
    frame = frame.sort_values(["action_ref", "as_at"], kind="stable")
    return frame.reset_index(drop=True)


def _describe_key(row: CheckedRow) -> str:
    action_ref, as_at = row.key
    return f"Action {action_ref} as at {as_at:%d/%m/%Y}"


# --- one row -------------------------------------------------------------------------------------

def check_progress_row(cells: Mapping[str, object], text_table: TextTable,
                       actions_by_key: Mapping[str, Action]
                       ) -> tuple[CheckedRow | None, list[Failure]]:
    row = int(cells[SOURCE_ROW])
    text = {column: str(cells[column]) for column in REQUIRED_COLUMNS + OPTIONAL_COLUMNS}
    header = text_table.header

    action = action_cell(text["action_ref"], actions_by_key, row, header("action_ref"))
    as_at = date_cell(text["as_at"], row, header("as_at"))
    status = status_cell(text["status"], row, header("status"))
    failures = [cell for cell in (action, as_at, status) if isinstance(cell, Failure)]
    if failures:
        return None, failures
    record = {"action_ref": action.ref, "as_at": pd.Timestamp(as_at), "status": status,
              "comment": text["comment"], SOURCE_ROW: row}
    return CheckedRow(row, (action.ref, as_at), status, text["status"], record), []


# --- cells ---------------------------------------------------------------------------------------

def action_cell(text: str, actions_by_key: Mapping[str, Action], row: int, column: str
                ) -> Action | Failure:
    if not text:
        return failure("blank_cell", row, column, text)
    action = actions_by_key.get(text.casefold())
    if action is not None:
        return action
    refs = [action.ref for action in actions_by_key.values()]
    return failure("unknown_action", row, column, text,
                   example=closest_ref(text, refs, "none: the plan lists no actions"))


def parse_date(text: str) -> date | None:
    """A date written 2016-12-31 or 31/12/2016 (day first, as in the UK), or None; raises
    `YearOutOfRange` for a year outside the years periods are read in."""
    for pattern in (_ISO_DATE, _UK_DATE):
        match = pattern.fullmatch(text)
        if match:
            check_year(int(match["y"]), text)
            try:
                return date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:  # 31/02/2016: the shape is right but the day does not exist
                return None
    return None


def date_cell(text: str, row: int, column: str) -> date | Failure:
    if not text:
        return failure("blank_cell", row, column, text)
    try:
        day = parse_date(text)
    except YearOutOfRange as error:
        return year_failure(error, row, column, text)
    return day if day is not None else failure("bad_date", row, column, text)



def status_cell(text: str, row: int, column: str) -> str | Failure:
    if not text:
        return failure("blank_cell", row, column, text)
    status = text.upper()
    return status if status in REPORTED_STATUSES else failure("bad_status", row, column, text)
