"""The plan register: its sheets (a folder's CSV files, or a workbook's sheets) read into a
`Register` of text tables and then into a `Plan`, with one `Failure` row per problem.

There is one reading of the register, used both for the shipped folder (`data/plan/`) and for a
plan imported on `/plans` (domain/ingest/plan_import.py): `read_register` keeps every cell as
written (so a plan downloaded and imported again is the same plan), `plan_from_register` reads
the cells and checks the structure (errors); the integrity rules (domain/rules/integrity.py)
are the plan-level checks on top. A cell a person can leave to its label is read from it: a
blank `target` from `target_label` ("80%"), a blank `due_date` from `due_label` ("Mar-18"), a
blank `kpi_refs` from `kpi_refs_label` ("6a,b").
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from domain.ingest.csvtext import (UnreadableSource, header_index, normalise_header,
                                   numbered_records, source_text)
from domain.ingest.progress import parse_date, read_progress
from domain.ingest.returns import read_returns
from domain.rules.dataset import Dataset
from domain.rules.failures import Failure, errors, failure
from domain.rules.integrity import KIND_UNKNOWN, check_plan, expand_kpi_refs, read_kpi_refs_label
from domain.rules.labels import LabelError, parse_due_label, parse_target_label
from domain.rules.periods import FREQUENCY_KINDS
from domain.rules.plan import (DEFAULT_TOLERANCE, POLARITIES, REQUIRED_SHEETS, UNITS, Action,
                               Kpi, Plan, Register, RegisterTable, Theme, years_moved_on)

Records = Sequence[tuple[int, list[str]]]

# A text cell the downloads wrote with a leading ' so a spreadsheet keeps it as text
# (domain/views/exports.py escape_cell): the ' is taken off again when it is read back.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class PlanFileError(ValueError):
    """A plan register file that cannot be read at all: names the file, row and column."""


@dataclass(frozen=True)
class SheetLayout:
    """One sheet of the register: its columns in order (as data/plan/*.csv write them) and
    which must be there."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if c not in self.required)


SHEET_LAYOUTS: Mapping[str, SheetLayout] = {layout.name: layout for layout in (
    SheetLayout("plan", ("field", "value"), ("field", "value")),
    SheetLayout("themes", ("theme", "title", "aim", "outcome"), ("theme", "title", "outcome")),
    SheetLayout("kpis", ("ref", "theme", "measure", "responsible_officer", "frequency",
                         "target_label", "target", "unit", "denominator", "polarity",
                         "due_label", "due_date", "tolerance", "note"),
                ("ref", "theme", "measure", "responsible_officer", "frequency", "target_label",
                 "unit", "polarity", "due_label")),
    SheetLayout("actions", ("theme", "heading_ref", "heading", "ref", "description",
                            "kpi_refs_label", "kpi_refs", "due_label", "due_date", "lead"),
                ("theme", "heading_ref", "heading", "ref", "description", "kpi_refs_label",
                 "due_label", "lead")),
    SheetLayout("rag_scheme", ("status", "descriptor"), ("status", "descriptor")),
    SheetLayout("published_measures", ("kpi_ref", "source", "file", "measure", "filter",
                                       "year_convention"),
                ("kpi_ref", "source", "file", "measure")),
)}

# The plan sheet's fields: (field, required, what to write when it is missing).
PLAN_FIELDS = (
    ("title", True, "the plan's title, such as Improvement Plan 2017 - 2018"),
    ("authority", True, "the council's name"),
    ("version", False, ""),
    ("published", False, ""),
    ("start_date", True, "the first day of the plan, such as 2017-04-01"),
    ("end_date", True, "the last day of the plan, such as 2018-03-31"),
    ("baseline_date", False, ""),  # blank: the day before the plan starts
    ("default_tolerance", False, ""),
    ("in_force_from", False, ""),  # a revision: the day its targets take effect
)


# --- sheets of records -> a Register of text tables ----------------------------------------------

def _unescaped(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def register_table(records: Records, layout: SheetLayout) -> tuple[RegisterTable | None,
                                                                   list[Failure]]:
    """A sheet's records as the layout's columns (blank where an optional one is absent), then
    any other named columns as written; failures name the sheet, row and column."""
    sheet = layout.name
    expected = ", ".join(layout.columns)
    if not records:
        return None, [failure("empty_file", None, None, "", sheet=sheet, expected=expected)]
    start = header_index(records, layout.required) or 0
    header_row, header = records[start]
    names = [normalise_header(cell) for cell in header]
    failures: list[Failure] = []
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            continue
        if name in positions:
            failures.append(failure("duplicate_column", header_row, name, header[index],
                                    sheet=sheet, headers=f"'{header[positions[name]]}' and "
                                                         f"'{header[index]}'"))
            continue
        positions[name] = index
    failures += [failure("missing_column", header_row, column, "", sheet=sheet,
                         expected=expected)
                 for column in layout.required if column not in positions]
    if failures:
        return None, failures
    extra = [name for name in positions if name not in layout.columns]
    columns = layout.columns + tuple(extra)
    width = max(positions.values()) + 1
    rows, row_numbers = [], []
    for row_number, cells in records[start + 1:]:
        beyond = [cell for cell in cells[width:] if cell]
        if beyond:
            failures.append(failure("extra_cells", row_number, None, beyond[0], sheet=sheet))
        row = tuple(_unescaped(cells[positions[c]]) if c in positions
                    and positions[c] < len(cells) else "" for c in columns)
        if any(row):
            rows.append(row)
            row_numbers.append(row_number)
    # A column with no heading of the layout and nothing in it is not part of the plan.
    keep = [i for i, c in enumerate(columns)
            if c in layout.columns or any(row[i] for row in rows)]
    return RegisterTable(tuple(columns[i] for i in keep),
                         tuple(tuple(row[i] for i in keep) for row in rows),
                         tuple(row_numbers)), failures


def read_register(sheets: Mapping[str, Records]) -> tuple[Register, list[Failure]]:
    """The register's sheets (named in any case and spacing: "KPIs" is kpis) as text tables.
    Sheets the register does not have are ignored; a missing required one is a failure."""
    by_name: dict[str, Records] = {}
    for name, records in sheets.items():
        by_name.setdefault(normalise_header(name), records)
    register: dict[str, RegisterTable] = {}
    failures: list[Failure] = []
    for name, layout in SHEET_LAYOUTS.items():
        if name not in by_name:
            if name in REQUIRED_SHEETS:
                failures.append(failure("missing_sheet", None, None, name, sheet=name))
            continue
        table, found = register_table(by_name[name], layout)
        failures += found
        if table is not None:
            register[name] = table
    return register, failures


def register_from_folder(folder: Path | str) -> Register:
    """The register's CSV files in a folder (data/plan/) as text tables; raises
    `PlanFileError` when a required file is missing or unreadable."""
    folder = Path(folder)
    sheets = {}
    for name in SHEET_LAYOUTS:
        path = folder / f"{name}.csv"
        if not path.exists():
            if name in REQUIRED_SHEETS:
                raise PlanFileError(f"{path.name}: the plan register needs this file in "
                                    f"{folder}")
            continue
        try:
            sheets[name] = numbered_records(source_text(path))
        except UnreadableSource as error:
            raise PlanFileError(f"{path.name}: {error.reason}") from None
    register, failures = read_register(sheets)
    _raise_on_errors(failures)
    return register


def _raise_on_errors(failures: Sequence[Failure]) -> None:
    found = errors(failures)
    if found:
        raise PlanFileError("; ".join(f"{f.sheet}.csv row {f.row}, column {f.column}: "
                                      f"{f.message}" for f in found[:5]))


# --- a Register -> a Plan -----------------------------------------------------------------------

class _Cells:
    """The failures found while reading one sheet, and helpers that read a cell or add one."""

    def __init__(self, table: RegisterTable, sheet: str):
        self.table, self.sheet = table, sheet
        self.failures: list[Failure] = []

    def cell_failure(self, code: str, index: int, column: str | None, value: str = "",
                     **extra):
        self.failures.append(failure(code, self.table.row_number(index), column, value,
                                     sheet=self.sheet, **extra))

    def required(self, index: int, record: Mapping[str, str], column: str) -> str:
        text = record.get(column, "")
        if not text:
            self.cell_failure("blank_cell", index, column)
        return text

    def number(self, index: int, record: Mapping[str, str], column: str, example: str
               ) -> float | None:
        text = record.get(column, "")
        if not text:
            return None
        value = _float(text)
        if value is None:
            self.cell_failure("not_a_number", index, column, text, example=example)
        return value

    def choice(self, index: int, record: Mapping[str, str], column: str,
               choices: Sequence[str]) -> str:
        text = self.required(index, record, column)
        if text and text not in choices:
            self.cell_failure("bad_choice", index, column, text, choices=", ".join(choices))
        return text

    def theme(self, index: int, record: Mapping[str, str], known: Sequence[int]) -> int | None:
        text = self.required(index, record, "theme")
        if not text:
            return None
        number = _int(text)
        if number is None:
            self.cell_failure("bad_theme_number", index, "theme", text)
        elif number not in known:
            self.cell_failure("unknown_plan_theme", index, "theme", text,
                              known=", ".join(map(str, known)) or "none")
        return number

    def duplicates(self, refs: Sequence[str], noun: str) -> None:
        seen: dict[str, list[int]] = {}
        for index, ref in enumerate(refs):
            if ref:
                seen.setdefault(ref.casefold(), []).append(index)
        for indexes in seen.values():
            if len(indexes) > 1:
                rows = ", ".join(str(self.table.row_number(i)) for i in indexes)
                for index in indexes[1:]:
                    self.cell_failure("duplicate_plan_ref", index,
                                      "ref" if noun != "Theme" else "theme", refs[index],
                                      noun=noun, rows=rows)


def _float(text: str) -> float | None:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _int(text: str) -> int | None:
    value = _float(text)
    return int(value) if value is not None and value.is_integer() else None


def _split(text: str, separator: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(separator) if part.strip())


def _plan_fields(table: RegisterTable) -> tuple[dict, list[Failure]]:
    cells = _Cells(table, "plan")
    rows = {}
    for index, record in enumerate(table.records()):
        rows.setdefault(normalise_header(record["field"]), (index, record["value"]))
    fields: dict[str, object] = {}
    for name, required, hint in PLAN_FIELDS:
        index, text = rows.get(name, (None, ""))
        if not text:
            if required:
                cells.failures.append(failure("missing_plan_field", None, "field", name,
                                              sheet="plan", hint=hint))
            fields[name] = None if name.endswith(("_date", "_from", "_tolerance")) else ""
            continue
        if name.endswith(("_date", "_from")):
            day = parse_date(text)
            if day is None:
                cells.cell_failure("bad_date", index, "value", text)
            fields[name] = day
        elif name == "default_tolerance":
            fields[name] = cells.number(index, {"value": text}, "value", "0.05")
        else:
            fields[name] = text
    start, end = fields["start_date"], fields["end_date"]
    if start and end and end <= start:
        cells.cell_failure("plan_dates_out_of_order", rows["end_date"][0], "value",
                           end.isoformat(), start=start.isoformat())
    return fields, cells.failures


def _themes(table: RegisterTable) -> tuple[tuple[Theme, ...], list[Failure]]:
    cells = _Cells(table, "themes")
    themes, numbers = [], []
    for index, record in enumerate(table.records()):
        text = cells.required(index, record, "theme")
        number = _int(text) if text else None
        if text and number is None:
            cells.cell_failure("bad_theme_number", index, "theme", text)
        title = cells.required(index, record, "title")
        if not record["outcome"]:
            cells.cell_failure("missing_outcome", index, "outcome", text)
        numbers.append(text)
        if number is not None:
            themes.append(Theme(number=number, title=title, aim=record.get("aim", ""),
                                outcome=record["outcome"]))
    cells.duplicates(numbers, "Theme")
    return tuple(themes), cells.failures


def _target(cells: _Cells, index: int, record: Mapping[str, str]
            ) -> tuple[float | None, float | None]:
    """(target, denominator): the target cell, else what target_label says ("4 / 7")."""
    label, text = record["target_label"], record.get("target", "")
    try:
        reading = parse_target_label(label) if label else None
    except LabelError:
        reading = None
    denominator = cells.number(index, record, "denominator", "7")
    if denominator is None and reading is not None:
        denominator = reading.denominator
    if text:
        target = _float(text.removesuffix("%"))
        if target is None:
            cells.cell_failure("bad_target", index, "target", text)
        return target, denominator
    if reading is None:
        if label:
            cells.cell_failure("bad_target", index, "target_label", label)
        return None, denominator
    return reading.target, denominator


def _due(cells: _Cells, index: int, record: Mapping[str, str], required: bool
         ) -> tuple[bool, date | None]:
    """(read, due date): the due_date cell, else the date due_label names ("Mar-18")."""
    text, label = record.get("due_date", ""), record["due_label"]
    if text:
        day = parse_date(text)
        if day is None:
            cells.cell_failure("bad_due_date", index, "due_date", text)
        return day is not None, day
    try:
        day = parse_due_label(label)
    except LabelError:
        cells.cell_failure("bad_due_date", index, "due_label", label)
        return False, None
    if day is None and required:
        cells.cell_failure("blank_cell", index, "due_date")
        return False, None
    return True, day


def _kpis(table: RegisterTable, theme_numbers: Sequence[int], default_tolerance: float
          ) -> tuple[tuple[Kpi, ...], list[Failure]]:
    cells = _Cells(table, "kpis")
    kpis, refs = [], []
    for index, record in enumerate(table.records()):
        before = len(cells.failures)
        ref = cells.required(index, record, "ref")
        refs.append(ref)
        theme = cells.theme(index, record, theme_numbers)
        measure = cells.required(index, record, "measure")
        officer = cells.required(index, record, "responsible_officer")
        frequency = cells.choice(index, record, "frequency", tuple(FREQUENCY_KINDS))
        unit = cells.choice(index, record, "unit", UNITS)
        polarity = cells.choice(index, record, "polarity", POLARITIES)
        target, denominator = _target(cells, index, record)
        _, due = _due(cells, index, record, required=True)
        tolerance = cells.number(index, record, "tolerance", "0.05")
        if len(cells.failures) > before:
            continue
        kpis.append(Kpi(ref=ref, theme=theme, measure=measure, responsible_officer=officer,
                        frequency=frequency, target_label=record["target_label"],
                        target=target, unit=unit, denominator=denominator, polarity=polarity,
                        due_label=record["due_label"], due_date=due,
                        tolerance=tolerance or default_tolerance, note=record.get("note", "")))
    cells.duplicates(refs, "KPI")
    return tuple(kpis), cells.failures


def _cited(cells: _Cells, index: int, record: Mapping[str, str], ref: str,
           kpi_refs: Sequence[str]) -> tuple[str, ...]:
    """The KPIs an action cites: kpi_refs as written, else the reading of kpi_refs_label. A
    ref the plan does not define is a failure; a group number ("17" for 17a-c) is not."""
    label = record["kpi_refs_label"]
    unknown = {part.spelled_out for part in read_kpi_refs_label(label, kpi_refs)
               if part.kind == KIND_UNKNOWN}
    for part in sorted(unknown):
        cells.cell_failure("unknown_kpi_cited", index, "kpi_refs_label", part, action=ref or "?")
    written = _split(record.get("kpi_refs", ""), None)
    for cited in written:
        if cited not in kpi_refs and cited not in unknown:
            cells.cell_failure("unknown_kpi_cited", index, "kpi_refs", cited, action=ref or "?")
    return written if written else expand_kpi_refs(label, kpi_refs)


def _actions(table: RegisterTable, theme_numbers: Sequence[int], kpi_refs: Sequence[str]
             ) -> tuple[tuple[Action, ...], list[Failure]]:
    cells = _Cells(table, "actions")
    actions, refs = [], []
    for index, record in enumerate(table.records()):
        before = len(cells.failures)
        ref = cells.required(index, record, "ref")
        refs.append(ref)
        theme = cells.theme(index, record, theme_numbers)
        description = cells.required(index, record, "description")
        cited = _cited(cells, index, record, ref, kpi_refs)
        _, due = _due(cells, index, record, required=False)
        if len(cells.failures) > before:
            continue
        actions.append(Action(ref=ref, theme=theme, heading_ref=record["heading_ref"],
                              heading=record["heading"], description=description,
                              kpi_refs_label=record["kpi_refs_label"], kpi_refs=cited,
                              due_label=record["due_label"], due_date=due,
                              leads=_split(record["lead"], ";")))
    cells.duplicates(refs, "Action")
    return tuple(actions), cells.failures


def plan_from_register(register: Register) -> tuple[Plan | None, list[Failure]]:
    """The `Plan` a register describes, or None and why not: every problem a row naming its
    sheet, row and column (`read_register` reports missing sheets and columns)."""
    if any(name not in register for name in REQUIRED_SHEETS):
        return None, []
    fields, failures = _plan_fields(register["plan"])
    themes, found = _themes(register["themes"])
    failures += found
    numbers = [theme.number for theme in themes]
    tolerance = fields["default_tolerance"]
    kpis, found = _kpis(register["kpis"], numbers,
                        DEFAULT_TOLERANCE if tolerance is None else tolerance)
    failures += found
    defined = [record["ref"] for record in register["kpis"].records() if record["ref"]]
    actions, found = _actions(register["actions"], numbers, defined)
    failures += found
    if errors(failures):
        return None, failures
    start = fields["start_date"]
    return Plan(
        title=fields["title"], authority=fields["authority"], version=fields["version"],
        start_date=start, end_date=fields["end_date"],
        baseline_date=fields["baseline_date"] or start - timedelta(days=1),
        themes=themes, kpis=kpis, actions=actions), failures


def plan_field(register: Register, name: str) -> str:
    """A plan sheet field as written ("" when absent): e.g. in_force_from."""
    for record in register["plan"].records():
        if normalise_header(record["field"]) == name:
            return record["value"]
    return ""


# --- a Register as text, to store and to compare ------------------------------------------------

def register_json(register: Register) -> str:
    """The register as one canonical JSON text: the same plan always gives the same text."""
    return json.dumps({name: {"columns": list(register[name].columns),
                              "rows": [list(row) for row in register[name].rows]}
                       for name in SHEET_LAYOUTS if name in register},
                      ensure_ascii=False, separators=(",", ":"))


def register_from_json(text: str) -> Register:
    return {name: RegisterTable(tuple(table["columns"]), tuple(map(tuple, table["rows"])))
            for name, table in json.loads(text).items()}


def register_sha256(register: Register) -> str:
    """What identifies a version's content: an identical re-import has the same digest."""
    return hashlib.sha256(register_json(register).encode("utf-8")).hexdigest()


# --- next year's plan ---------------------------------------------------------------------------

def _year_on(text: str) -> str:
    day = parse_date(text)
    if day is None:
        return text
    try:
        return day.replace(year=day.year + 1).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28).isoformat()


def _blank_columns(table: RegisterTable, columns: Sequence[str], when=lambda record: True
                   ) -> RegisterTable:
    rows = []
    for row in table.rows:
        record = dict(zip(table.columns, row))
        if when(record):
            record.update({c: "" for c in columns if c in record})
        rows.append(tuple(record[c] for c in table.columns))
    return RegisterTable(table.columns, tuple(rows))


def _has_due_date(record: Mapping[str, str]) -> bool:
    try:
        return bool(record.get("due_date") or parse_due_label(record.get("due_label", "")))
    except LabelError:
        return True


def next_year_register(register: Register) -> Register:
    """"Start next year's plan": the register with its title's years and its dates moved on a
    year, the version, publication and in_force_from cleared, and every due date left blank
    for the person to set (labels that give no date, such as "Report quarterly", are kept).
    Themes, KPIs, targets and actions are kept to be edited."""
    moved = []
    for field, value in register["plan"].rows:
        name = normalise_header(field)
        if name == "title":
            value = years_moved_on(value)
        elif name in ("start_date", "end_date", "baseline_date"):
            value = _year_on(value)
        elif name in ("version", "published", "in_force_from"):
            value = ""
        moved.append((field, value))
    return {**register,
            "plan": RegisterTable(register["plan"].columns, tuple(moved)),
            "kpis": _blank_columns(register["kpis"], ("due_label", "due_date")),
            "actions": _blank_columns(register["actions"], ("due_label", "due_date"),
                                      _has_due_date)}


# --- the shipped folder --------------------------------------------------------------------------

def load_register(folder: Path | str) -> Plan:
    """Read the register files into a `Plan`; raise `PlanFileError` when a file is unreadable."""
    plan, failures = plan_from_register(register_from_folder(folder))
    _raise_on_errors(failures)
    return plan


def load_plan(folder: Path | str):
    """The plan and its integrity findings: `(Plan, list[Finding])`."""
    plan = load_register(folder)
    return plan, check_plan(plan)


def load_dataset(plan_dir: Path, returns_path: Path, progress_path: Path,
                 is_sample: bool) -> Dataset:
    """Load the plan register and the data files, keeping only rows that pass validation.

    Rows that fail are reported in `load_failures` (shown on the data quality page) rather
    than stopping the app: the embedded files are validated by the tests, so this is a guard.
    """
    plan, findings = load_plan(plan_dir)
    returns = read_returns(returns_path, plan)
    progress = read_progress(progress_path, plan)
    return Dataset.build(plan, findings, returns.table, progress.table, is_sample,
                         returns.failures + progress.failures)
