"""KPI commentary, one text per KPI and period, with optional next steps and a date:

    kpi_ref,period,commentary,next_steps,by
    19a,2016/17 Q4,"Two teams short of staff since January.",Agency cover agreed,30/06/2017

Its KPI and period are read exactly as a KPI value's are (so a period the KPI does not report
is refused), and a period that has not ended is refused like any other upload. The page
(`/kpi/<ref>`) and `POST /api/kpis/<ref>/commentary` store one row of this kind as a batch of
its own, so every edit is kept with who made it and when, and can be undone like any upload.
"""

from __future__ import annotations

from domain.ingest.commentary import by_cell, commentary_cell, next_steps_cell
from domain.ingest.kinds.declaration import Column, FileColumn, RowAt, UploadKind
from domain.ingest.kinds.kpi_values import KPI_COLUMN, KPI_REF, PERIOD, PERIOD_COLUMNS, kpis_by_ref

KPI_COMMENTARY = "kpi commentary"


def _read_commentary(text: str, column: str, at: RowAt):
    return commentary_cell(text, at.row, column)


def _read_next_steps(text: str, column: str, at: RowAt):
    return next_steps_cell(text, at.row, column)


def _read_by(text: str, column: str, at: RowAt):
    return by_cell(text, at.row, column)


KIND = UploadKind(
    name=KPI_COMMENTARY,
    title="KPI commentary",
    file_columns=(
        KPI_REF, PERIOD,
        FileColumn("commentary", True, _read_commentary, ("blank_cell", "text_too_long")),
        FileColumn("next_steps", False, _read_next_steps, ("text_too_long",)),
        # "by" is a word SQL reserves: the table calls it by_date.
        FileColumn("by", False, _read_by, ("bad_date", "year_out_of_range"),
                   into=lambda day: {"by_date": day}),
    ),
    columns=(KPI_COLUMN, *PERIOD_COLUMNS, Column("commentary", "str"),
             Column("next_steps", "str"), Column("by_date", "str")),
    key=("kpi_ref", "period"),
    compared=("commentary", "next_steps", "by_date"),
    lookup=kpis_by_ref,
    describe=lambda key: f"Commentary on KPI {key['kpi_ref']} for {key['period']}",
    duplicate_column="commentary",
    dated_by="period",
    ends_on="period_end",
    shown=("kpi_ref", "period", "commentary", "next_steps", "by_date"),
    store_table="kpi_commentary",
    sort_by=("kpi_ref", "period_end"),
)
