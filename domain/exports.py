"""Tables for download as CSV and XLSX, safe to open in a spreadsheet.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read by
Excel as a formula (CSV injection); such cells get a leading single quote so they stay text.
Numbers are never touched, so a real -2.5 stays the number -2.5.
"""

from __future__ import annotations

import io
import numbers

import pandas as pd

from domain.actions_view import actions_view
from domain.dataset import Dataset
from domain.explore import ExploreView
from domain.indicator import indicator_view
from domain.overview import overview_view
from domain.periods import quarter_containing
from domain.plan import round_half_up
from domain.integrity import findings_frame

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
KPIS_COLUMNS = ("KPI", "Theme", "Measure", "Value", "Shown as", "Period", "Target",
                "Target as written", "Unit", "Due", "Status", "Reason", "Return overdue",
                "Responsible officer")
EXPLORE_COLUMNS = ("KPI", "Measure", "Series", "Period", "Period end", "Value", "Shown as",
                   "Target", "% of target")
ACTIONS_COLUMNS = ("Action", "Theme", "Heading", "Description", "Lead", "KPIs", "Due", "Status",
                   "Reason", "Overdue")


def escape_cell(value):
    """`'=HYPERLINK(...)` for formula-like text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) escaped; numeric columns untouched."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) and \
                not pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: v if isinstance(v, numbers.Number) else escape_cell(v)
            ).astype(object)
    out.columns = [escape_cell(str(c)) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, which Excel needs to read accents and "£" correctly.
    CRLF line ends, as Excel writes them; the csv writer then also quotes a cell holding a bare
    carriage return, which it would otherwise leave to split the row."""
    return escape_frame(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            escape_frame(frame).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


# --- the tables behind the pages ---------------------------------------------------------------

def kpis_frame(dataset: Dataset, asat, themes=(), officers=(), statuses_shown=()
               ) -> pd.DataFrame:
    """The overview's tiles: the latest value, target and status as at `asat` of every KPI the
    overview shows with the same filters (theme numbers, officer names, status words)."""
    statuses = dataset.kpi_statuses(asat)
    view = overview_view(dataset, asat.slug, tuple(themes), tuple(officers),
                         tuple(statuses_shown))
    shown = {tile.kpi.ref for _, tiles in view.sections for tile in tiles}
    return pd.DataFrame([{
        "KPI": k.ref, "Theme": k.theme, "Measure": k.measure,
        "Value": statuses[k.ref].value,
        "Shown as": k.format_value(statuses[k.ref].value),
        "Period": statuses[k.ref].period.label if statuses[k.ref].period else "",
        "Target": k.target, "Target as written": k.target_label, "Unit": k.unit,
        "Due": k.due_date.isoformat(), "Status": statuses[k.ref].status.value,
        "Reason": statuses[k.ref].reason, "Return overdue": statuses[k.ref].return_overdue,
        "Responsible officer": k.responsible_officer,
    } for k in dataset.plan.kpis if k.ref in shown], columns=list(KPIS_COLUMNS))


def actions_frame(dataset: Dataset, asat, themes=(), leads=(), statuses_shown=()
                  ) -> pd.DataFrame:
    """Every action the actions page shows with the same filters, in plan order."""
    statuses = dataset.action_statuses(asat)
    view = actions_view(dataset, asat.slug, tuple(themes), tuple(leads), tuple(statuses_shown))
    shown = {row.action.ref for row in view.rows}
    return pd.DataFrame([{
        "Action": a.ref, "Theme": a.theme, "Heading": a.heading, "Description": a.description,
        "Lead": "; ".join(a.leads), "KPIs": ", ".join(a.kpi_refs), "Due": a.due_label,
        "Status": statuses[a.ref].status.value, "Reason": statuses[a.ref].reason,
        "Overdue": statuses[a.ref].timescale_slipped,
    } for a in dataset.plan.actions if a.ref in shown], columns=list(ACTIONS_COLUMNS))


def kpi_values_frame(dataset: Dataset, ref: str, asat_text: str | None) -> pd.DataFrame | None:
    """The /kpi/<ref> values table, which is also the data behind its chart; None if no KPI."""
    view = indicator_view(dataset, ref, asat_text)
    return None if view is None else view.table


def _dated(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as dates (no midnight time) and without the loader's bookkeeping column."""
    out = frame.drop(columns=["source_row"], errors="ignore").copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out


def returns_frame(dataset: Dataset) -> pd.DataFrame:
    return _dated(dataset.returns)


def progress_frame(dataset: Dataset) -> pd.DataFrame:
    return _dated(dataset.progress)


def table_frames(dataset: Dataset, asat, filters: dict | None = None
                 ) -> dict[str, pd.DataFrame]:
    """Every downloadable table by its URL name; `dataset` is all of them as one workbook.
    `filters` (theme, officer, lead, status) narrow the KPI and action tables as the pages do."""
    filters = filters or {}
    themes, statuses = filters.get("theme", ()), filters.get("status", ())
    return {
        "kpis": kpis_frame(dataset, asat, themes, filters.get("officer", ()), statuses),
        "actions": actions_frame(dataset, asat, themes, filters.get("lead", ()), statuses),
        "returns": returns_frame(dataset),
        "progress": progress_frame(dataset),
        "findings": findings_frame(dataset.findings),
    }


def explore_frame(view: ExploreView) -> pd.DataFrame:
    """The data behind /explore's charts: one row per KPI, series (whole authority, each area,
    the rolling four-quarter average) and period, with the value as shown and as a percentage
    of the target. Figures are rounded half up, so no binary noise reaches a spreadsheet."""
    rows = []
    for series in () if view.range_error else view.series:
        kpi = series.kpi
        points = [("Whole authority", o.period.label, o.period.end, o.value)
                  for o in series.values]
        points += [(area, o.period.label, o.period.end, o.value)
                   for area, observations in series.areas.items() for o in observations]
        points += [("Rolling four-quarter average", quarter_containing(day).label, day, value)
                   for day, value in series.rolling]
        for name, label, end, value in points:
            percent = value / kpi.target * 100 if kpi.target else None
            rows.append({
                "KPI": kpi.ref, "Measure": kpi.measure, "Series": name, "Period": label,
                "Period end": end, "Value": float(round_half_up(value, 4)),
                "Shown as": kpi.format_value(value), "Target": kpi.target,
                "% of target": None if percent is None else float(round_half_up(percent, 1)),
            })
    return pd.DataFrame(rows, columns=list(EXPLORE_COLUMNS))


SHEET_NAMES = {"kpis": "KPI status", "actions": "Action status", "returns": "KPI returns",
               "progress": "Action progress", "findings": "Data quality findings"}
