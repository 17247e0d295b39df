"""Tables for download as CSV and XLSX, safe to open in a spreadsheet.

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read by
Excel as a formula (CSV injection); such cells get a leading single quote so they stay text.
Numbers are never touched, so a real -2.5 stays the number -2.5.
"""

from __future__ import annotations

import io
import numbers

import pandas as pd

from domain.rules.dataset import Dataset
from domain.views.indicator import indicator_view
from domain.rules.integrity import findings_frame
from domain.rules.plan import REGISTER_SHEETS, Register

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")


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


def register_xlsx_bytes(register: Register) -> bytes:
    """A plan as a workbook in the import layout (issue 13): one sheet per register file, every
    cell as the text the register holds, so importing it gives the same plan."""
    return xlsx_bytes({name: pd.DataFrame(list(register[name].rows),
                                          columns=list(register[name].columns), dtype=object)
                       for name in REGISTER_SHEETS if name in register})


# --- the tables behind the pages ---------------------------------------------------------------

def kpis_frame(dataset: Dataset, asat) -> pd.DataFrame:
    """The overview's tiles: every KPI's latest value, target and status as at `asat`."""
    statuses = dataset.kpi_statuses(asat)
    return pd.DataFrame([{
        "KPI": k.ref, "Theme": k.theme, "Measure": k.measure,
        "Value": statuses[k.ref].value,
        "Shown as": k.format_value(statuses[k.ref].value),
        "Period": statuses[k.ref].period.label if statuses[k.ref].period else "",
        "Target": k.target, "Target as written": k.target_label, "Unit": k.unit,
        "Due": k.due_date.isoformat(), "Status": statuses[k.ref].status.value,
        "Reason": statuses[k.ref].reason, "Return overdue": statuses[k.ref].return_overdue,
        "Responsible officer": k.responsible_officer,
    } for k in dataset.plan.kpis])


def actions_frame(dataset: Dataset, asat) -> pd.DataFrame:
    statuses = dataset.action_statuses(asat)
    return pd.DataFrame([{
        "Action": a.ref, "Theme": a.theme, "Heading": a.heading, "Description": a.description,
        "Lead": "; ".join(a.leads), "KPIs": ", ".join(a.kpi_refs), "Due": a.due_label,
        "Status": statuses[a.ref].status.value, "Reason": statuses[a.ref].reason,
        "Overdue": statuses[a.ref].timescale_slipped,
    } for a in dataset.plan.actions])


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


def table_frames(dataset: Dataset, asat) -> dict[str, pd.DataFrame]:
    """Every downloadable table by its URL name; `dataset` is all of them as one workbook."""
    dataset = dataset.at(asat)  # the targets and due dates in force then
    return {
        "kpis": kpis_frame(dataset, asat),
        "actions": actions_frame(dataset, asat),
        "returns": returns_frame(dataset),
        "progress": progress_frame(dataset),
        "comparators": comparators_frame(dataset),
        "findings": findings_frame(dataset.findings),
    }


SHEET_NAMES = {"kpis": "KPI status", "actions": "Action status", "returns": "KPI returns",
               "progress": "Action progress", "comparators": "Uploaded comparators",
               "findings": "Data quality findings"}
