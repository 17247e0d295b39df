"""The cell rules of action progress reports (docs/rules.md#action-progress): action refs, dates
and RAG statuses. The action progress kind (`domain/ingest/kinds/action_progress.py`) declares its
columns with these.

`read_progress` reads a file of action progress with the generic reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from domain.ingest.csvtext import Source, year_failure
from domain.ingest.cells import ref_cell
from domain.rules.failures import Failure, failure
from domain.rules.periods import YearOutOfRange, check_year, date_fields
from domain.rules.plan import Action, Plan

# What a lead officer may report; NO DATA is what the dashboard shows when nothing is reported.
REPORTED_STATUSES = ("RED", "AMBER", "GREEN", "BLUE")


def read_progress(source: Source, plan: Plan):
    """Read and check an action progress CSV (path, bytes or open file) against the plan: a
    `KindRead` with the valid rows as a typed table and one `Failure` per problem."""
    # Imported here: the action progress kind is declared with this module's cell rules.
    from domain.ingest.kinds.action_progress import KIND
    from domain.ingest.kinds.reader import read_kind

    return read_kind(KIND, source, plan)


# --- cells ---------------------------------------------------------------------------------------

def action_cell(text: str, actions_by_key: Mapping[str, Action], row: int, column: str
                ) -> Action | Failure:
    """The plan's action for a ref written in any case; the table keeps the plan's spelling."""
    return ref_cell(text, actions_by_key, row, column, code="unknown_action", plural="actions")


def parse_date(text: str) -> date | None:
    """A date written 2016-12-31 or 31/12/2016 (day first, as in the UK), or None. The year is
    written in full: a progress date is a day, not a period, so 31/12/16 is not guessed at.
    Raises `YearOutOfRange` for a year outside the years periods are read in."""
    fields = date_fields(text)
    if fields is None or len(fields[3]) != 4:
        return None
    year, month, day, _ = fields
    check_year(year, text)
    try:
        return date(year, month, day)
    except ValueError:  # 31/02/2016: the shape is right but the day does not exist
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
