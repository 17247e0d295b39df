"""The cell rules of KPI commentary (docs/rules.md#kpi-commentary): the text a contributor
writes about a KPI for a period, what happens next and by when. The commentary kind
(`domain/ingest/kinds/kpi_commentary.py`) declares its columns with these.
"""

from __future__ import annotations

from domain.ingest.progress import date_cell
from domain.rules.failures import Failure, failure

# Long enough for a paragraph a board reads; short enough to fit on the exception report.
MAX_COMMENTARY_CHARACTERS = 4000


def commentary_cell(text: str, row: int, column: str) -> str | Failure:
    """The commentary itself: required, at most MAX_COMMENTARY_CHARACTERS, kept as written
    (line breaks too) apart from spaces around it."""
    text = text.strip()
    if not text:
        return failure("blank_cell", row, column, text)
    return _within_limit(text, row, column)


def next_steps_cell(text: str, row: int, column: str) -> str | Failure:
    """Optional; the same limit as the commentary."""
    return _within_limit(text.strip(), row, column)


def _within_limit(text: str, row: int, column: str) -> str | Failure:
    if len(text) > MAX_COMMENTARY_CHARACTERS:
        return failure("text_too_long", row, column, text[:40] + "...", length=f"{len(text):,}",
                       limit=f"{MAX_COMMENTARY_CHARACTERS:,}")
    return text


def by_cell(text: str, row: int, column: str) -> str | Failure:
    """Optional date the next steps are due by, kept as ISO text ("" when none): a date read
    as an action progress date is (31/12/2016 or 2016-12-31)."""
    if not text.strip():
        return ""
    day = date_cell(text.strip(), row, column)
    return day if isinstance(day, Failure) else day.isoformat()
