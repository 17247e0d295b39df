"""Tables for download as CSV and XLSX, safe to open in a spreadsheet.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read by
Excel as a formula (CSV injection); such cells get a leading single quote so they stay text.
Numbers are never touched, so a real -2.5 stays the number -2.5.
"""

from __future__ import annotations

import io
import numbers

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from domain.rules.dataset import Dataset
from domain.rules.integrity import findings_frame
from domain.rules.periods import quarter_containing
from domain.rules.plan import REGISTER_SHEETS, Kpi, Register, round_half_up
from domain.rules.rag import KpiStatus
from domain.views.actions_view import actions_view
from domain.views.exceptions import exception_rows, exceptions_frame
from domain.views.explore import ExploreView
from domain.views.indicator import indicator_view
from domain.views.overview import overview_view
from domain.views.signoff import DRAFT, SignoffView

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
EXPLORE_COLUMNS = ("KPI", "Measure", "Series", "Period", "Period end", "Value", "Shown as",
                   "Target", "% of target")


def escape_cell(value):
    """`'=HYPERLINK(...)` for formula-like text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def writable_text(value):
    """Text without the characters a workbook's XML cannot hold (control characters other than
    tab and line breaks, lone surrogates), so no stored value can break an export; anything
    else unchanged. Uploads refuse such characters, but an older store may hold one."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value.encode("utf-8", "replace").decode("utf-8") if not value.isascii() else value


def export_cell(value):
    """A cell as written to a download: cleaned (`writable_text`), then formula-escaped (in that
    order, so a control character cannot hide a leading "=")."""
    return escape_cell(writable_text(value))


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) cleaned and escaped; numeric columns
    untouched."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) and \
                not pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: v if isinstance(v, numbers.Number) else export_cell(v)
            ).astype(object)
    out.columns = [export_cell(str(c)) for c in out.columns]
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


def register_xlsx_bytes(register: Register) -> bytes:
    """A plan as a workbook in the import layout (issue 13): one sheet per register file, every
    cell as the text the register holds, so importing it gives the same plan."""
    return xlsx_bytes({name: pd.DataFrame(list(register[name].rows),
                                          columns=list(register[name].columns), dtype=object)
                       for name in REGISTER_SHEETS if name in register})


# --- the status of every KPI and action: one source for the downloads and the JSON API ---------

def kpi_status_record(kpi: Kpi, status: KpiStatus) -> dict:
    """One KPI's status as plain values, under the JSON API's field names."""
    return {
        "ref": kpi.ref, "theme": kpi.theme, "measure": kpi.measure, "unit": kpi.unit,
        "value": status.value, "shown_as": kpi.format_value(status.value),
        "period": status.period.label if status.period else None,
        "target": kpi.target, "target_label": kpi.target_label, "due": kpi.due_date.isoformat(),
        "status": status.status.value, "reason": status.reason,
        "return_overdue": status.return_overdue, "responsible_officer": kpi.responsible_officer,
    }


def kpi_status_records(dataset: Dataset, asat) -> list[dict]:
    statuses = dataset.kpi_statuses(asat)
    return [kpi_status_record(kpi, statuses[kpi.ref]) for kpi in dataset.plan.kpis]


def action_status_records(dataset: Dataset, asat) -> list[dict]:
    """Every action's status as plain values, under the JSON API's field names."""
    statuses = dataset.action_statuses(asat)
    return [{
        "ref": a.ref, "theme": a.theme, "heading": a.heading, "description": a.description,
        "leads": list(a.leads), "kpi_refs": list(a.kpi_refs),
        "due": a.due_date.isoformat() if a.due_date else None, "due_label": a.due_label,
        "status": statuses[a.ref].status.value, "reason": statuses[a.ref].reason,
        "timescale_slipped": statuses[a.ref].timescale_slipped,
    } for a in dataset.plan.actions]


# The downloads' columns, in order, and the record field each shows.
KPI_COLUMNS = {"KPI": "ref", "Theme": "theme", "Measure": "measure", "Value": "value",
               "Shown as": "shown_as", "Period": "period", "Target": "target",
               "Target as written": "target_label", "Unit": "unit", "Due": "due",
               "Status": "status", "Reason": "reason", "Return overdue": "return_overdue",
               "Responsible officer": "responsible_officer"}
ACTION_COLUMNS = {"Action": "ref", "Theme": "theme", "Heading": "heading",
                  "Description": "description", "Lead": "leads", "KPIs": "kpi_refs",
                  "Due": "due_label", "Status": "status", "Reason": "reason",
                  "Overdue": "timescale_slipped"}
# A spreadsheet cell holds text, not a list: how a list field is written in one.
_JOINED = {"leads": "; ", "kpi_refs": ", "}


def _cell(record: dict, field: str):
    value = record[field]
    if field in _JOINED:
        return _JOINED[field].join(value)
    # No period is a blank text cell; a missing value stays a blank number cell.
    return "" if field == "period" and value is None else value


def _frame(records: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{column: _cell(record, field) for column, field in columns.items()}
                         for record in records], columns=list(columns))


# --- the tables behind the pages ---------------------------------------------------------------

def kpis_frame(dataset: Dataset, asat, themes=(), officers=(), statuses_shown=()
               ) -> pd.DataFrame:
    """The overview's tiles: the latest value, target and status as at `asat` of every KPI the
    overview shows with the same filters (theme numbers, officer names, status words)."""
    view = overview_view(dataset, asat.slug, tuple(themes), tuple(officers),
                         tuple(statuses_shown))
    shown = {tile.kpi.ref for _, tiles in view.sections for tile in tiles}
    return _frame([r for r in kpi_status_records(dataset, asat) if r["ref"] in shown],
                  KPI_COLUMNS)


def actions_frame(dataset: Dataset, asat, themes=(), leads=(), statuses_shown=()
                  ) -> pd.DataFrame:
    """Every action the actions page shows with the same filters, in plan order."""
    view = actions_view(dataset, asat.slug, tuple(themes), tuple(leads), tuple(statuses_shown))
    shown = {row.action.ref for row in view.rows}
    return _frame([r for r in action_status_records(dataset, asat) if r["ref"] in shown],
                  ACTION_COLUMNS)


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


def comparators_frame(dataset: Dataset) -> pd.DataFrame:
    """The uploaded comparators the pages show, each with the batch it came from."""
    return _dated(dataset.comparators)


def table_frames(dataset: Dataset, asat, filters: dict | None = None,
                 signoff: SignoffView = DRAFT) -> dict[str, pd.DataFrame]:
    """Every downloadable table by its URL name; `dataset` is all of them as one workbook.
    `filters` (theme, officer, lead, status) narrow the KPI and action tables as the pages do."""
    dataset = dataset.at(asat)  # the targets and due dates in force then
    filters = filters or {}
    themes, statuses = filters.get("theme", ()), filters.get("status", ())
    return {
        "kpis": kpis_frame(dataset, asat, themes, filters.get("officer", ()), statuses),
        "actions": actions_frame(dataset, asat, themes, filters.get("lead", ()), statuses),
        "returns": returns_frame(dataset),
        "progress": progress_frame(dataset),
        "comparators": comparators_frame(dataset),
        "findings": findings_frame(dataset.findings),
        # Issue 14: every RED and AMBER KPI with its commentary.
        "exceptions": exceptions_frame(exception_rows(dataset, asat, signoff.revised),
                                       signoff.state),
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
               "progress": "Action progress", "comparators": "Uploaded comparators",
               "findings": "Data quality findings", "themes": "Theme outcomes",
               "exceptions": "Exception report"}
