"""One plan import, from the file's bytes to a report and a preview (issue 13).

A plan arrives as an Excel workbook with one sheet per register file (`plan`, `themes`, `kpis`,
`actions`; `rag_scheme` and `published_measures` optional), or as a zip of those CSV files. What
it is is decided by its content, never its name. `check_plan_import` never raises for anything in
the file: every problem is a `Failure` row naming its sheet, row and column. Broken structure is
an error and refuses the whole plan; what the register's integrity rules find, and a KPI whose
measure differs from another plan's, are warnings.

It is compared with the plans the store holds (given as `KnownPlan`s, plain values): one with the
same title, authority and years is revised by it (a new version; the earlier one is kept), and
an identical one changes nothing. The preview lists the themes, KPIs and actions added, removed
and changed against the plan it revises, or else the current plan, and the targets old -> new.
The store commits it (domain/store/source.py `commit_plan_import`).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath

from domain.ingest.csvtext import (OverBudget, ReadBudget, UnreadableSource, header_index,
                                   normalise_header, sniff_records, source_text)
from domain.ingest.register import (SHEET_LAYOUTS, plan_field, plan_from_register,
                                    read_register, register_sha256)
from domain.ingest.progress import parse_date
from domain.ingest.upload import MAX_UPLOAD_BYTES, safe_file_name
from domain.ingest.workbook import UnsafeWorkbook, check_archive, workbook_sheets
from domain.rules.failures import Failure, errors, failure, has_errors
from domain.rules.integrity import INFO, check_plan
from domain.rules.plan import Kpi, Plan, Register
from domain.store.repository import sha256_of

MAX_PLAN_BYTES = MAX_UPLOAD_BYTES
MAX_SHEET_ROWS = 5_000
# A workbook's every sheet is read within these rows (and the usual columns, cells, characters).
SHEET_READ_BUDGET = ReadBudget(rows=MAX_SHEET_ROWS)

WORKBOOK = "workbook"
CSV_ZIP = "zip of CSV files"

# Integrity rules whose findings the import already reports as errors of the structure.
_STRUCTURAL_RULES = ("duplicate_ref", "unknown_theme", "unknown_kpi_reference")


@dataclass(frozen=True)
class KnownPlan:
    """A plan the store holds, as the check compares an import with it."""

    plan_id: int
    plan: Plan  # its latest version
    register_sha256: str  # of that version's register
    in_force_from: date | None  # of that version; None: from the start
    is_current: bool


@dataclass(frozen=True)
class ItemChange:
    """A theme, KPI or action added, removed or changed; `fields` is (field, old, new)."""

    what: str  # "theme", "KPI" or "action"
    ref: str
    name: str  # title, measure or heading, to recognise it by
    change: str  # "added", "removed" or "changed"
    fields: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class TargetChange:
    ref: str
    measure: str
    old: str  # "80% by Jun 2017"
    new: str


@dataclass(frozen=True)
class PlanPreview:
    compared_with: KnownPlan | None  # the plan revised, else the current plan
    is_revision: bool
    items: tuple[ItemChange, ...]  # in order: themes, KPIs, actions
    targets: tuple[TargetChange, ...]
    unchanged: int  # themes, KPIs and actions the same as in `compared_with`

    def of(self, change: str) -> tuple[ItemChange, ...]:
        return tuple(item for item in self.items if item.change == change)


@dataclass(frozen=True)
class PlanImportCheck:
    file_name: str
    content_sha256: str
    size: int
    file_type: str | None  # WORKBOOK, CSV_ZIP, or None when refused before it was read
    register: Register | None
    plan: Plan | None
    failures: tuple[Failure, ...]
    preview: PlanPreview | None = None
    revises: int | None = None  # the plan_id this is a new version of
    identical_to: int | None = None  # the plan_id whose latest version is exactly this
    in_force_from: date | None = None  # a revision: when its targets take effect
    register_sha256: str = ""
    content: bytes = field(default=b"", repr=False)

    @property
    def ok(self) -> bool:
        """Nothing blocks the import (warnings allow it)."""
        return self.plan is not None and not has_errors(self.failures)

    @property
    def error_count(self) -> int:
        return len(errors(self.failures))


# --- bytes -> sheets of records -----------------------------------------------------------------

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0", "an old-style Office file (an Excel 97-2003 .xls workbook or a Word "
                          ".doc): open it in Excel and save it as .xlsx"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "a rich-text document"),
)
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_OTHER_OFFICE = {"word/document.xml": "a Word document (.docx)",
                 "ppt/presentation.xml": "a PowerPoint presentation (.pptx)"}


def _not_a_plan(detected: str) -> tuple[Failure, ...]:
    return (failure("not_a_plan_file", None, None, "", detected=detected),)


def _zip_kind(content: bytes) -> str:
    """WORKBOOK, CSV_ZIP, or what else the zip is, in words."""
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    if "xl/workbook.xml" in names:
        return WORKBOOK
    for part, what in _OTHER_OFFICE.items():
        if part in names:
            return what
    if any(_csv_sheet_name(name) for name in names):
        return CSV_ZIP
    return "a zip file without the register's CSV files"


def _csv_sheet_name(entry: str) -> str | None:
    path = PurePosixPath(entry)
    if entry.endswith("/") or path.parts[:1] == ("__MACOSX",) or path.suffix.lower() != ".csv":
        return None
    return normalise_header(path.stem)


def _zip_sheets(content: bytes) -> dict[str, list[tuple[int, list[str]]]] | tuple[Failure, ...]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    sheets = {}
    for entry in archive.infolist():
        name = _csv_sheet_name(entry.filename)
        if name is None or name not in SHEET_LAYOUTS or name in sheets:
            continue
        required = SHEET_LAYOUTS[name].required
        try:
            records, _, _ = sniff_records(source_text(archive.read(entry)),
                                          lambda found, wanted=required: header_index(found,
                                                                                      wanted),
                                          SHEET_READ_BUDGET)
        except OverBudget as error:
            return (error.failure(),)
        except UnreadableSource as error:
            return (failure("unreadable_file", None, None, "", sheet=name,
                            reason=f"{entry.filename}: {error.reason}"),)
        sheets[name] = records
    return sheets


def plan_sheets(content: bytes) -> tuple[str, dict] | tuple[Failure, ...]:
    """(file type, sheet name -> numbered records), or the failures that refuse the file.
    The type is read from the bytes: a .csv or a PDF renamed .xlsx is refused as what it is."""
    if not content.strip():
        return (failure("empty_file", None, None, "",
                        expected="the sheets plan, themes, kpis and actions"),)
    for signature, what in _SIGNATURES:
        if content.startswith(signature):
            return _not_a_plan(what)
    if not content.startswith(_ZIP_SIGNATURES):
        return _not_a_plan("text or another kind of file (a single CSV file cannot hold the "
                           "four sheets a plan needs)")
    try:
        check_archive(content)
        kind = _zip_kind(content)
    except UnsafeWorkbook as error:
        return (failure("unsafe_workbook", None, None, "", reason=error.reason),)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return (failure("unsafe_workbook", None, None, "",
                        reason="it is damaged or not an Excel workbook"),)
    if kind == WORKBOOK:
        try:
            return WORKBOOK, workbook_sheets(content, SHEET_READ_BUDGET)
        except UnsafeWorkbook as error:
            return (failure("unsafe_workbook", None, None, "", reason=error.reason),)
        except OverBudget as error:
            return (error.failure(),)
    if kind == CSV_ZIP:
        sheets = _zip_sheets(content)
        return sheets if isinstance(sheets, tuple) else (CSV_ZIP, sheets)
    return _not_a_plan(kind)


# --- checks beyond one register ------------------------------------------------------------------

def _row_of(register: Register, sheet: str, column: str, ref: str) -> int | None:
    table = register.get(sheet)
    if table is None or column not in table.columns:
        return None
    at = table.columns.index(column)
    return next((table.row_number(i) for i, row in enumerate(table.rows) if row[at] == ref),
                None)


_SUBJECT_SHEETS = {"action": ("actions", "ref"), "KPI": ("kpis", "ref"),
                   "theme": ("themes", "theme")}


def integrity_warnings(plan: Plan, register: Register) -> list[Failure]:
    """What the register's integrity rules find (not their information-only notes), as
    warnings on the row they concern."""
    out = []
    for finding in check_plan(plan):
        if finding.rule in _STRUCTURAL_RULES or finding.severity == INFO:
            continue
        noun, _, ref = finding.subject.partition(" ")
        sheet, column = _SUBJECT_SHEETS.get(noun, (None, None))
        row = _row_of(register, sheet, column, ref) if sheet else None
        out.append(failure("plan_integrity", row, finding.field, finding.value, sheet=sheet,
                           finding=finding.message, rule=finding.rule))
    return out


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def measure_warnings(plan: Plan, register: Register, others: Sequence[KnownPlan]
                     ) -> list[Failure]:
    """A KPI whose ref another plan defines with a different measure: its returns carry over,
    so a person should check it still measures the same thing. Named against the latest plan
    (by start date) that defines it differently."""
    out = []
    for kpi in plan.kpis:
        differing = [(known.plan.start_date, known.plan, known.plan.kpi(kpi.ref))
                     for known in others if known.plan.kpi(kpi.ref) is not None]
        differing = [d for d in differing if not _same_words(d[2].measure, kpi.measure)]
        if not differing:
            continue
        _, other, previous = max(differing, key=lambda d: d[0])
        out.append(failure("measure_changed", _row_of(register, "kpis", "ref", kpi.ref),
                           "measure", kpi.measure, sheet="kpis", kpi_ref=kpi.ref,
                           previous=previous.measure, plan=f"{other.title} ({other.years})"))
    return out


# --- the preview ---------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "; ".join(value)
    return str(value)


_COMPARED: Mapping[str, tuple[str, ...]] = {
    "theme": ("title", "aim", "outcome"),
    "KPI": ("theme", "measure", "responsible_officer", "frequency", "target_label", "target",
            "unit", "denominator", "polarity", "due_label", "due_date", "tolerance", "note"),
    "action": ("theme", "heading_ref", "heading", "description", "kpi_refs_label", "kpi_refs",
               "due_label", "due_date", "leads"),
}


def _items(plan: Plan) -> list[tuple[str, str, str, object]]:
    """(what, ref, name, item) for every theme, KPI and action, in plan order."""
    return ([("theme", str(t.number), t.title, t) for t in plan.themes]
            + [("KPI", k.ref, k.measure, k) for k in plan.kpis]
            + [("action", a.ref, a.heading, a) for a in plan.actions])


def _target_words(kpi: Kpi) -> str:
    return f"{kpi.target_label} by {kpi.due_label or kpi.due_date.isoformat()}"


def _target_key(kpi: Kpi) -> tuple:
    return kpi.target_label, kpi.target, kpi.due_label, kpi.due_date


def plan_preview(plan: Plan, compared_with: KnownPlan | None, is_revision: bool) -> PlanPreview:
    if compared_with is None:
        items = tuple(ItemChange(what, ref, name, "added") for what, ref, name, _ in _items(plan))
        return PlanPreview(None, False, items, (), 0)
    old_items = {(what, ref): (name, item) for what, ref, name, item in
                 _items(compared_with.plan)}
    new_keys = set()
    items, targets, unchanged = [], [], 0
    for what, ref, name, item in _items(plan):
        new_keys.add((what, ref))
        old = old_items.get((what, ref))
        if old is None:
            items.append(ItemChange(what, ref, name, "added"))
            continue
        changed = tuple((column, _text(getattr(old[1], column)), _text(getattr(item, column)))
                        for column in _COMPARED[what]
                        if getattr(old[1], column) != getattr(item, column))
        if changed:
            items.append(ItemChange(what, ref, name, "changed", changed))
        else:
            unchanged += 1
        if what == "KPI" and _target_key(old[1]) != _target_key(item):
            targets.append(TargetChange(ref, item.measure, _target_words(old[1]),
                                        _target_words(item)))
    items += [ItemChange(what, ref, name, "removed")
              for (what, ref), (name, _) in old_items.items() if (what, ref) not in new_keys]
    order = {"theme": 0, "KPI": 1, "action": 2}
    items.sort(key=lambda i: order[i.what])
    return PlanPreview(compared_with, is_revision, tuple(items), tuple(targets), unchanged)


# --- the whole check -----------------------------------------------------------------------------

def _in_force_from(register: Register, revised: KnownPlan | None, today: date
                   ) -> tuple[date | None, list[Failure]]:
    """A revision's first day in force: in_force_from as written, else the day of the import;
    it must come after the version it revises. A new plan is in force from its start."""
    written = parse_date(plan_field(register, "in_force_from"))
    if revised is None:
        return written, []
    day = written or today
    previous = revised.in_force_from
    if previous is not None and day <= previous:
        row = next((register["plan"].row_number(i)
                    for i, r in enumerate(register["plan"].records())
                    if normalise_header(r["field"]) == "in_force_from"), None)
        return day, [failure("revision_out_of_order", row, "value", day.isoformat(),
                             sheet="plan", previous=previous.isoformat())]
    return day, []


def check_plan_import(content: bytes, file_name: str | None, known: Sequence[KnownPlan],
                      today: date) -> PlanImportCheck:
    """The report and preview of a plan file; never raises for what the file holds."""
    name = safe_file_name(file_name)
    digest = sha256_of(content)

    def refused(failures, file_type=None, register=None) -> PlanImportCheck:
        return PlanImportCheck(name, digest, len(content), file_type, register, None,
                               tuple(failures), content=content)

    if len(content) > MAX_PLAN_BYTES:
        return refused((failure("file_too_large", None, None, "", size=f"{len(content):,} bytes",
                                limit=f"{MAX_PLAN_BYTES:,} bytes"),))
    read = plan_sheets(content)
    if isinstance(read[0], Failure):
        return refused(read)
    file_type, sheets = read
    register, failures = read_register(sheets)
    if has_errors(failures):
        return refused(failures, file_type, register)
    plan, found = plan_from_register(register)
    failures += found
    if plan is None:
        return refused(failures, file_type, register)
    revised = next((k for k in known if k.plan.identity == plan.identity), None)
    in_force_from, found = _in_force_from(register, revised, today)
    failures += found
    others = [k for k in known if revised is None or k.plan_id != revised.plan_id]
    failures += integrity_warnings(plan, register)
    failures += measure_warnings(plan, register, others)
    current = next((k for k in known if k.is_current), None)
    preview = plan_preview(plan, revised or current, revised is not None)
    digest_of_register = register_sha256(register)
    identical = (revised.plan_id if revised is not None
                 and revised.register_sha256 == digest_of_register else None)
    return PlanImportCheck(name, digest, len(content), file_type, register,
                           None if has_errors(failures) else plan, tuple(failures), preview,
                           revised.plan_id if revised else None, identical, in_force_from,
                           digest_of_register, content=content)
