"""One uploaded file, from its bytes to a report, a preview and (when it passes) a commit.

`check_upload` never raises for anything in the file: every problem comes back as a `Failure`
row. It recognises the kind of file by its columns (KPI values, long or wide; action progress;
comparators), reads CSV in any of the encodings and separators Excel writes, or the first sheet
of an .xlsx workbook, validates it against the plan, adds the checks that need the store (a
value far from the previous one) and the upload's as-at date (nothing for a period that has not
ended), and previews what a commit would change. `commit_upload` stores it as one batch, only
when there is no error. The rules in words: docs/rules.md#returns-and-uploads.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from domain.ingest.csvtext import (SOURCE_ROW, OverBudget, ReadBudget, UnreadableSource,
                                   first_spellings, header_index, records_text_table,
                                   sniff_records, source_text)
from domain.ingest.kinds import UploadKind, expected_columns, recognition_order, upload_kind
from domain.ingest.kinds.kpi_values import KIND as KPI_VALUES_KIND
from domain.ingest.kinds.reader import validate_kind
from domain.rules.dataset import Dataset
from domain.rules.failures import Failure, errors, failure, has_errors, listed
from domain.rules.periods import (ReportingPeriod, following, latest_due, previous,
                                  quarter_containing)
from domain.rules.plan import Plan
from domain.store.repository import (KIND_SPECS, KPI_VALUES, CommitResult, NewBatch, Preview,
                                     ReturnsRepository, compare, empty_frame, sha256_of)
from domain.ingest.workbook import UnsafeWorkbook, workbook_records

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_ROWS = 20_000
# What one upload may make the reader hold, enforced while reading (csvtext.ReadBudget).
UPLOAD_BUDGET = ReadBudget(rows=MAX_UPLOAD_ROWS, columns=200, cells=200_000, characters=5_000)
# A value more than this fraction away from the previous one is worth a second look.
FAR_FROM_PREVIOUS = 0.5
_ZIP_SIGNATURE = b"PK\x03\x04"
# An OLE2 compound file: Excel 97-2003's .xls, or a password-protected .xlsx.
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS_CSV = ("open it in Excel, choose File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)' "
                "and upload that file")


@dataclass(frozen=True)
class UploadCheck:
    file_name: str
    content_sha256: str
    size: int
    kind: str | None  # None when the file was not recognised
    layout: str  # "long", "wide", or "" when not recognised
    rows: pd.DataFrame  # the valid rows, in the kind's columns
    failures: tuple[Failure, ...]
    preview: Preview | None
    identical_to: int | None = None  # an active batch with exactly this content

    @property
    def ok(self) -> bool:
        """Nothing blocks a commit (warnings allow it)."""
        return self.kind is not None and not has_errors(self.failures)

    @property
    def error_count(self) -> int:
        return len(errors(self.failures))


def safe_file_name(name: str | None) -> str:
    """A name to record and show: the last path part, printable characters only, at most 120.
    It is only ever shown as text and stored as a value; no path is built from it."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in text if ch.isprintable()).strip()
    return text[:120] or "upload"


# --- bytes to records ----------------------------------------------------------------------------

def _file_failure(code: str, **extra) -> tuple[Failure, ...]:
    return (failure(code, None, None, "", **extra),)


def _recognise(records: Sequence[tuple[int, list[str]]]):
    """(layout, long records, "long"/"wide") for the first layout whose header is found
    (domain/ingest/kinds/ declares them and the order they are tried in), or None."""
    for layout in recognition_order():
        index = layout.find_header(records)
        if index is not None:
            # A wide file stops one value past the limit: enough to refuse it as too many rows.
            long = (list(records) if layout.is_long
                    else layout.to_long(records, index, MAX_UPLOAD_ROWS))
            return layout, long, layout.name
    return None


def _looks_utf16(content: bytes) -> bool:
    """UTF-16 text, as Excel's "Unicode Text" writes it: a byte order mark, or (without one) a
    zero byte beside nearly every character at the start (and not between them: a file of
    zeros is binary)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = content[:400]
    half = len(head) // 2
    zeros = sorted((head[0::2].count(0), head[1::2].count(0)))
    return half >= 4 and zeros[1] >= 0.9 * half and zeros[0] <= 0.1 * half


def unsupported_format(content: bytes) -> tuple[Failure, ...]:
    """The failure for a file of a kind the upload cannot read but a person can convert, naming
    what it is and how; empty for anything else."""
    if content.startswith(_OLE2_SIGNATURE):
        return _file_failure("unsupported_format",
                             what="an Excel 97-2003 workbook (.xls) or a password-protected "
                                  "workbook",
                             fix=f"remove any password, then {_SAVE_AS_CSV} (or as 'Excel "
                                 "Workbook (*.xlsx)')")
    if _looks_utf16(content):
        return _file_failure("unsupported_format",
                             what="UTF-16 text, as Excel saves 'Unicode Text (*.txt)'",
                             fix=_SAVE_AS_CSV)
    return ()


def read_upload_records(content: bytes):
    """(layout, records, layout name, decimal comma) or the whole-file failures."""
    unsupported = unsupported_format(content)
    if unsupported:
        return unsupported
    if content.startswith(_ZIP_SIGNATURE):
        try:
            records = workbook_records(content, UPLOAD_BUDGET)
        except UnsafeWorkbook as error:
            return _file_failure("unsafe_workbook", reason=error.reason)
        except OverBudget as error:
            return (error.failure(),)
        recognised = _recognise(records)
        return (*recognised, False) if recognised else (None, [], "", False)
    try:
        # A budget overrun under one separator may fit another; the comma's is the one reported.
        _, delimiter, recognised = sniff_records(source_text(content), _recognise, UPLOAD_BUDGET)
    except OverBudget as error:
        return (error.failure(),)
    except UnreadableSource as error:
        return _file_failure("unreadable_file", reason=error.reason)
    return (*recognised, delimiter == ";") if recognised else (None, [], "", False)


def extra_cell_failures(records: Sequence[tuple[int, list[str]]], required: Sequence[str]
                        ) -> list[Failure]:
    """A filled cell beyond the header's width means the row's cells have shifted (usually an
    unquoted decimal comma in a comma-separated file), so no cell of it can be trusted."""
    start = header_index(records, required)
    if start is None:
        return []
    _, header = records[start]
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    found = []
    for row_number, cells in records[start + 1:]:
        beyond = [cell for cell in cells[width:] if cell]
        if beyond:
            found.append(failure("extra_cells", row_number, None, beyond[0]))
    return found


# --- checks that need more than the file ---------------------------------------------------------

def after_asat_failures(rows: pd.DataFrame, kind: str, asat: date, column: str
                        ) -> list[Failure]:
    """A value for a period that ends after the upload's as-at date cannot have been measured.
    The failure quotes the period as the table holds it, or the date as a person writes it."""
    declared = upload_kind(kind)
    dates, label = declared.ends_on, declared.dated_by
    late = rows[rows[dates] > pd.Timestamp(asat)]
    return [failure("period_after_asat", int(row[SOURCE_ROW]), column,
                    row[label] if isinstance(row[label], str) else f"{row[label]:%d/%m/%Y}",
                    period_end=f"{row[dates]:%d/%m/%Y}", asat=f"{asat:%d/%m/%Y}")
            for row in late.to_dict("records")]


def far_from_previous_failures(rows: pd.DataFrame, current: pd.DataFrame, column: str
                               ) -> list[Failure]:
    """Warn when a KPI value differs from the one before it (same KPI and area, the latest
    earlier period, in the store or in this file) by more than half of it.

    One as-of join of the file's rows with the history (a value in the file replaces the
    store's for the same period), so the cost grows with the rows, not with their square."""
    columns = ["kpi_ref", "area", "period", "period_end", "value"]
    history = pd.concat([current[columns], rows[columns]], ignore_index=True)
    history["period_end"] = history["period_end"].astype("datetime64[ns]")
    history = history.drop_duplicates(["kpi_ref", "area", "period"], keep="last")
    history = history.rename(columns={"period": "previous_period", "period_end": "previous_end",
                                      "value": "previous"})
    incoming = rows[columns + [SOURCE_ROW]].astype({"period_end": "datetime64[ns]"})
    incoming["order"] = range(len(incoming))  # the warnings come in the rows' order
    matched = pd.merge_asof(
        incoming.sort_values("period_end", kind="stable"),
        history.sort_values("previous_end", kind="stable"),
        left_on="period_end", right_on="previous_end", by=["kpi_ref", "area"],
        allow_exact_matches=False, direction="backward").sort_values("order")
    previous = matched["previous"]
    far = matched[previous.notna() & (previous != 0)
                  & ((matched["value"] - previous).abs() > FAR_FROM_PREVIOUS * previous.abs())]
    return [failure("far_from_previous", int(row.source_row), column, f"{row.value:g}",
                    kpi_ref=row.kpi_ref, previous=f"{row.previous:g}",
                    previous_period=row.previous_period)
            for row in far.itertuples(index=False)]


def stored_spellings(rows: pd.DataFrame, stored_names: dict[str, list[str]], kind: UploadKind
                     ) -> pd.DataFrame:
    """`rows` with each name a person types that the kind keys on in any case (an area, a
    comparator: `case_insensitive_key`) spelled as the store first spelled it, so "south" is the
    area "South" already stored, never a new area or a duplicate export column. `stored_names`:
    each such column's spellings in the store (`ReturnsRepository.stored_names`)."""
    if rows.empty or not kind.case_insensitive_key:
        return rows
    out = rows.copy()
    for column in kind.case_insensitive_key:
        out[column] = first_spellings(rows[column], stored_names[column])
    return out


def _stored_areas(current: pd.DataFrame) -> dict[str, dict[str, str]]:
    """KPI ref -> {area in lower case: the area as first stored}, in store order."""
    named = current[current["area"] != ""]
    spellings = pd.DataFrame({"kpi_ref": named["kpi_ref"], "area": named["area"],
                              "key": named["area"].str.casefold()})
    known: dict[str, dict[str, str]] = {}
    first = spellings.drop_duplicates(["kpi_ref", "key"])  # one row per KPI and area
    for kpi_ref, area, key in first.itertuples(index=False):
        known.setdefault(kpi_ref, {})[key] = area
    return known


def nearest_area(area: str, candidates: Sequence[str]) -> str | None:
    """The known area a new one most likely means: one whose words are all in it or that has
    all its words ("South Bristol" -> South, "Central" -> East Central), else the closest
    spelling (difflib, for typos: "Nroth" -> North); None when nothing is close."""
    words = set(area.casefold().split())
    for known in candidates:
        known_words = set(known.casefold().split())
        if known_words <= words or words <= known_words:
            return known
    by_key = {known.casefold(): known for known in candidates}
    close = difflib.get_close_matches(area.casefold(), list(by_key), n=1, cutoff=0.75)
    return by_key[close[0]] if close else None


def nearest_area_hint(area: str, kpi_areas: Sequence[str], other_areas: Sequence[str]) -> str:
    """Words for a new area's warning: the nearest known area ("did you mean North?"), else
    the KPI's areas so far."""
    nearest = nearest_area(area, list(kpi_areas) or list(other_areas))
    suggestion = f"did you mean {nearest}?" if nearest else ""
    if not kpi_areas:
        before = "no value for it has had an area before"
        return f"{before}; {suggestion}" if suggestion else before
    if suggestion:
        return suggestion
    return f"its areas so far: {listed(kpi_areas)}"


def new_area_failures(rows: pd.DataFrame, current: pd.DataFrame, stored_areas: Sequence[str],
                      column: str) -> list[Failure]:
    """Warn once per KPI and area when a file names an area the KPI has never had (Nroth,
    South Bristol): committed silently it would add a line to the chart and a column to the
    table. Call after `stored_spellings`, so a difference of case is not new. `current`: every
    stored series of the file's KPIs; `stored_areas`: every area in the store."""
    known = _stored_areas(current)
    named = rows[rows["area"] != ""]
    keys = pd.DataFrame({"kpi_ref": named["kpi_ref"], "key": named["area"].str.casefold()})
    first = ~keys.duplicated().to_numpy()  # the first row of each KPI and area, in order
    found = []
    for kpi_ref, key, area, row in zip(keys["kpi_ref"][first], keys["key"][first],
                                       named["area"][first], named[SOURCE_ROW][first]):
        if key in known.get(kpi_ref, {}):
            continue
        hint = nearest_area_hint(area, list(known.get(kpi_ref, {}).values()), stored_areas)
        found.append(failure("new_area", int(row), column, area, kpi_ref=kpi_ref, hint=hint))
    return found


# --- the whole check -----------------------------------------------------------------------------

def check_upload(content: bytes, file_name: str | None, plan: Plan, store: ReturnsRepository,
                 asat: date | None = None) -> UploadCheck:
    """The report and preview for an uploaded file; never raises for what the file holds."""
    asat = asat or date.today()
    name = safe_file_name(file_name)
    digest = sha256_of(content)

    def refused(failures, kind=None, shape="") -> UploadCheck:
        rows = empty_frame(kind or KPI_VALUES)
        return UploadCheck(name, digest, len(content), kind, shape, rows, tuple(failures), None)

    if len(content) > MAX_UPLOAD_BYTES:
        return refused(_file_failure("file_too_large", size=f"{len(content):,} bytes",
                                     limit=f"{MAX_UPLOAD_BYTES:,} bytes"))
    read = read_upload_records(content)
    if isinstance(read[0], Failure):
        return refused(read)
    layout, records, shape, decimal_comma = read
    if layout is None:
        if not records and not content.strip():
            return refused(_file_failure("empty_file", expected=expected_columns()))
        return refused(_file_failure("unknown_layout", expected=expected_columns()))
    kind: UploadKind = layout.kind
    if len(records) > MAX_UPLOAD_ROWS + 1:
        # A wide file's values were counted only to one beyond the limit.
        count = f"{len(records) - 1:,}" if shape == "long" else f"more than {MAX_UPLOAD_ROWS:,}"
        return refused(_file_failure("too_many_rows", count=count,
                                     limit=f"{MAX_UPLOAD_ROWS:,}"), kind.name, shape)
    text_table, file_failures = records_text_table(records, kind.required, kind.optional,
                                                   decimal_comma)
    if text_table is None:
        return refused(file_failures, kind.name, shape)
    result = validate_kind(kind, text_table, plan)
    stored_names = {column: store.stored_names(kind.name, column)
                    for column in kind.case_insensitive_key}
    rows = stored_spellings(result.table, stored_names, kind)
    failures = list(result.failures)
    if layout.is_long:
        failures += extra_cell_failures(records, kind.required)
    failures += after_asat_failures(rows, kind.name, asat, text_table.header(kind.dated_by))
    # Only the stored series this file touches: a one-row check costs the same against a store
    # of 20 rows or of 200,000.
    current = store.current(kind.name, matching=rows)
    if kind.name == KPI_VALUES:
        # Every series of the file's KPIs, for the areas each KPI has had.
        kpi_series = store.current(kind.name, matching=rows[["kpi_ref"]])
        failures += new_area_failures(rows, kpi_series, stored_names["area"],
                                      text_table.header("area"))
    if kind.warns_far_from_previous:
        failures += far_from_previous_failures(rows, current, text_table.header("value"))
    failures.sort(key=lambda f: (f.row or 0))
    preview = compare(current, rows, kind.name)
    identical = store.active_batch_with_hash(kind.name, digest)
    return UploadCheck(name, digest, len(content), kind.name, shape,
                       rows[list(KIND_SPECS[kind.name].columns)], tuple(failures), preview,
                       identical)


def with_kpi_context(rows: pd.DataFrame, current: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """KPI values with what a person checks them against: the KPI's name and unit, and the
    value before (the latest stored value of the same KPI and area for an earlier period, as
    the KPI shows it, with its period). One as-of join, not a search of the store per row."""
    out = rows.copy()
    if out.empty:
        out["measure"], out["unit"], out["previous"] = [], [], []
        return out
    kpi_codes, refs = pd.factorize(out["kpi_ref"])
    kpis = [plan.kpi(ref) for ref in refs] + [None]  # code -1 (none) takes the last
    out["measure"] = pd.array([kpi.measure if kpi else "" for kpi in kpis],
                              dtype="str").take(kpi_codes)
    out["unit"] = pd.array([kpi.unit_label if kpi else "" for kpi in kpis],
                           dtype="str").take(kpi_codes)
    columns = ["kpi_ref", "area", "period_end"]
    stored = current[[*columns, "value", "period"]].rename(
        columns={"period_end": "stored_end", "value": "stored_value", "period": "stored_period"})
    stored = stored.astype({"stored_end": "datetime64[ns]"})
    incoming = out[columns].astype({"period_end": "datetime64[ns]"})
    incoming["order"] = range(len(incoming))
    matched = pd.merge_asof(
        incoming.sort_values("period_end", kind="stable"),
        stored.sort_values("stored_end", kind="stable"),
        left_on="period_end", right_on="stored_end", by=["kpi_ref", "area"],
        allow_exact_matches=False, direction="backward").sort_values("order")
    before = ["none" if kpi is None or pd.isna(end) else
              f"{kpi.format_value(value)} ({period})"
              for kpi, end, value, period in zip(
                  (kpis[code] for code in kpi_codes), matched["stored_end"],
                  matched["stored_value"], matched["stored_period"])]
    out["previous"] = before
    return out


def commit_upload(check: UploadCheck, who: str, store: ReturnsRepository, _before_commit=None
                  ) -> CommitResult | None:
    """Store a checked upload as one batch; None (nothing stored) when it has errors."""
    if not check.ok:
        return None
    batch = NewBatch(check.kind, check.file_name, check.content_sha256, who.strip(), check.rows)
    return store.commit(batch, _before_commit=_before_commit)


# --- the template --------------------------------------------------------------------------------

# At most this many missing periods per KPI in the template: a KPI years behind gets its latest
# periods, not a page of rows.
TEMPLATE_PERIODS_PER_KPI = 4
TEMPLATE_HEADER = KPI_VALUES_KIND.required + KPI_VALUES_KIND.optional + ("measure",)


def due_quarter(dataset: Dataset, today: date | None = None) -> ReportingPeriod:
    """The quarter whose returns are being collected: the one after the latest quarter with
    returns complete enough, once it has ended (until then, that quarter itself, for the returns
    it still lacks); with no data, the latest quarter ended by `today`."""
    today = today or date.today()
    default = dataset.default_quarter()
    if default is None:
        return previous(quarter_containing(today))
    after = following(default)
    return after if after.end <= today else default


def _missing_periods(dataset: Dataset, kpi, due: ReportingPeriod) -> list[ReportingPeriod]:
    """The periods of the KPI's frequency, up to the one ending by `due`, after its latest
    whole-authority return (only the one ending by `due` when it has none)."""
    wanted = latest_due(due, kpi.frequency)
    have = [o.period for o in dataset.observations(kpi.ref) if o.period.kind == wanted.kind]
    if not have:
        return [wanted]
    missing, period = [], wanted
    while period.end > max(have).end and len(missing) < TEMPLATE_PERIODS_PER_KPI:
        missing.append(period)
        period = previous(period)
    return missing[::-1]


def template_csv(dataset: Dataset, today: date | None = None) -> str:
    """A returns template for the period due (`due_quarter`): the long layout's header and a
    row to fill in for each KPI, period and area still missing (a KPI behind gets its missing
    periods), the measure's name beside it. Rows left blank are skipped when uploaded."""
    due = due_quarter(dataset, today)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TEMPLATE_HEADER)
    for kpi in dataset.plan.kpis:
        for period in _missing_periods(dataset, kpi, due):
            for area in ("", *dataset.areas(kpi.ref)):
                writer.writerow([kpi.ref, period.label, "", "", "", area, "", kpi.measure])
    return out.getvalue()
