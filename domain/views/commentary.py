"""KPI commentary as the pages, the reports and the API show it (issue 14,
docs/rules.md#kpi-commentary), as plain values. The store's rows come in as frames (the
dataset's current commentary, a KPI's history with each edit's batch); nothing here reads the
store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from domain.rules.dataset import Dataset
from domain.rules.periods import (ReportingPeriod, kind_for_frequency, period_of_kind_containing,
                                  previous)
from domain.rules.plan import Kpi

NO_COMMENTARY = "No commentary yet"

# The API's field for each of the kind's file columns: a refusal names the field the caller
# sent, not the column of the one-row file it was checked as.
API_FIELDS: Mapping[str, str] = {"kpi_ref": "kpi_ref", "period": "period", "commentary": "text",
                                 "next_steps": "next_steps", "by": "by"}
EXAMPLE_BODY = ('{"period": "2016/17 Q4", "text": "...", "next_steps": "...", '
                '"by": "2017-06-30"}')


@dataclass(frozen=True)
class BodyProblem:
    field: str
    message: str


@dataclass(frozen=True)
class CommentaryEntry:
    """One edit of a KPI's commentary for a period, as the history lists it."""

    period: str
    text: str
    next_steps: str
    by: str  # ISO date or ""
    written_by: str
    written_at: str  # ISO 8601, UTC
    batch_id: int
    undone: bool  # its batch was rolled back


def commentary_cells(ref: str, body) -> tuple[dict[str, str] | None, BodyProblem | None]:
    """The one-row file's cells a `POST /api/kpis/<ref>/commentary` body asks for, or the
    first problem with its shape (a field that is not text); what the text says is checked
    by the upload's rules."""
    if not isinstance(body, dict):
        return None, BodyProblem("body", f"Send a JSON object: {EXAMPLE_BODY}.")
    cells = {"kpi_ref": ref}
    for field, column in (("period", "period"), ("text", "commentary"),
                          ("next_steps", "next_steps"), ("by", "by")):
        value = body.get(field)
        if value is None:
            value = ""
        if not isinstance(value, str):
            return None, BodyProblem(field, f"{field} must be text, e.g. {EXAMPLE_BODY}.")
        cells[column] = value
    return cells, None


def commentary_record(row: Mapping | None) -> dict | None:
    """A stored commentary row in the API's words; None for none."""
    if row is None:
        return None
    return {"period": row["period"], "text": row["commentary"],
            "next_steps": row["next_steps"] or None, "by": row["by_date"] or None,
            "batch_id": int(row["batch_id"])}


def history_entries(frame: pd.DataFrame) -> tuple[CommentaryEntry, ...]:
    """Every edit of a commentary (`kind_history` of the store), newest first."""
    entries = [CommentaryEntry(row["period"], row["commentary"], row["next_steps"],
                               row["by_date"], row["who"], row["created_at"],
                               int(row["batch_id"]), row["batch_status"] != "active")
               for row in frame.to_dict("records")]
    return tuple(reversed(entries))


def commentary_period(kpi: Kpi, asat: ReportingPeriod) -> ReportingPeriod:
    """The period a commentary "as at" a quarter is about: the latest of the KPI's own periods
    that has ended by the quarter's end (the quarter itself for a quarterly KPI; for an annual
    KPI at Q3, the year before)."""
    period = period_of_kind_containing(asat.end, kind_for_frequency(kpi.frequency))
    return period if period.end <= asat.end else previous(period)


def latest_commentary(dataset: Dataset, kpi: Kpi, asat: ReportingPeriod) -> dict | None:
    """The KPI's current commentary as at a quarter, in the API's words."""
    return commentary_record(dataset.commentary_for(kpi.ref, commentary_period(kpi, asat).label))
