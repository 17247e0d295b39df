"""Action progress reports, one status per action and date:

    action_ref,as_at,status,comment
    1.2.4,31/12/2016,GREEN,Audit done

The cells are read by the rules in `domain/ingest/progress.py` (action refs, dates, statuses).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from domain.ingest.kinds.declaration import DATETIME, Column, FileColumn, RowAt, UploadKind
from domain.ingest.progress import action_cell, date_cell, status_cell
from domain.rules.plan import Action, Plan

ACTION_PROGRESS = "action progress"


def actions_by_ref(plan: Plan) -> Mapping[str, Action]:
    return {action.ref.casefold(): action for action in plan.actions}


def _read_action(text: str, column: str, at: RowAt):
    return action_cell(text, at.lookup, at.row, column)


def _read_date(text: str, column: str, at: RowAt):
    return date_cell(text, at.row, column)


def _read_status(text: str, column: str, at: RowAt):
    return status_cell(text, at.row, column)


KIND = UploadKind(
    name=ACTION_PROGRESS,
    title="action progress",
    file_columns=(
        FileColumn("action_ref", True, _read_action, ("blank_cell", "unknown_action"),
                   into=lambda action: {"action_ref": action.ref}),
        FileColumn("as_at", True, _read_date, ("blank_cell", "bad_date", "year_out_of_range"),
                   into=lambda day: {"as_at": pd.Timestamp(day)}),
        FileColumn("status", True, _read_status, ("blank_cell", "bad_status")),
        FileColumn("comment", False),
    ),
    columns=(Column("action_ref", "str"), Column("as_at", DATETIME), Column("status", "str"),
             Column("comment", "str", note=True)),
    key=("action_ref", "as_at"),
    compared=("status", "comment"),
    lookup=actions_by_ref,
    # Two different statuses for one action on one date would make "the latest status" a guess.
    describe=lambda key: f"Action {key['action_ref']} as at {key['as_at']:%d/%m/%Y}",
    duplicate_column="status",
    dated_by="as_at",
    ends_on="as_at",
    shown=("action_ref", "as_at", "status", "comment"),
    store_table="action_progress",
    sort_by=("action_ref", "as_at"),
)
