"""Write tests/plan_corpus/: plan files to import (issue 13), each a small change to the shipped
register (data/plan/) or a file that is not a plan at all, and manifest.csv with the outcome and
the failure codes each must give against a store holding the shipped plan. Deterministic;
`python scripts/make_plan_corpus.py` rewrites it. The files are committed, so the tests read them
as they would arrive (bytes, not code)."""

from __future__ import annotations

import csv
import datetime
import io
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "tests" / "plan_corpus"
FIXED_TIME = datetime.datetime(2017, 4, 1)
ZIP_TIME = (2017, 4, 1, 0, 0, 0)

sys.path.insert(0, str(ROOT / "scripts"))
from make_upload_corpus import xml_bomb, zip_bomb  # noqa: E402  (the same bombs as returns)
from zip_entries import rewrite_zip  # noqa: E402 (scripts/, beside this file)


def shipped() -> dict[str, list[list[str]]]:
    """The shipped register as sheets of rows (the header first), every cell as text."""
    sheets = {}
    for path in sorted((ROOT / "data" / "plan").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            sheets[path.stem] = [row for row in csv.reader(handle)]
    return sheets


def xlsx(sheets: dict[str, list[list[str]]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_times(buffer.getvalue())


def _fixed_times(content: bytes) -> bytes:
    """The workbook with its zip entries and its "modified" property at a fixed time, so the
    corpus is written the same every time."""
    def fixed(name: str, data: bytes) -> bytes:
        if name != "docProps/core.xml":
            return data
        return re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*",
                      rb"\g<1>2017-04-01T00:00:00Z", data)

    return rewrite_zip(content, fixed, ZIP_TIME)


def csv_zip(sheets: dict[str, list[list[str]] | bytes], folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in sheets.items():
            if isinstance(rows, bytes):
                data = rows
            else:
                text = io.StringIO()
                csv.writer(text, lineterminator="\n").writerows(rows)
                data = text.getvalue().encode("utf-8")
            archive.writestr(zipfile.ZipInfo(f"{folder}{name}.csv", ZIP_TIME), data)
    return buffer.getvalue()


def changed(edit) -> dict[str, list[list[str]]]:
    """The shipped register after `edit(sheets)` changed it in place."""
    sheets = shipped()
    edit(sheets)
    return sheets


def cell(sheets, sheet: str, ref_column: str, ref: str, column: str, value: str) -> None:
    header = sheets[sheet][0]
    for row in sheets[sheet][1:]:
        if row[header.index(ref_column)] == ref:
            row[header.index(column)] = value
            return
    raise KeyError(ref)


def field(sheets, name: str, value: str | None) -> None:
    rows = sheets["plan"]
    if value is None:
        sheets["plan"] = [row for row in rows if row[0] != name]
        return
    for row in rows:
        if row[0] == name:
            row[1] = value
            return
    rows.append([name, value])


def drop_column(sheets, sheet: str, column: str) -> None:
    at = sheets[sheet][0].index(column)
    sheets[sheet] = [row[:at] + row[at + 1:] for row in sheets[sheet]]


def next_year(sheets) -> None:
    """Next year's plan: new years, a changed target, a new KPI, a dropped KPI, and one KPI
    whose measure is reworded."""
    field(sheets, "title", "Getting to Good: Bristol Children's Services Improvement Plan "
                           "2017 - 2018")
    field(sheets, "start_date", "2017-04-01")
    field(sheets, "end_date", "2018-03-31")
    field(sheets, "baseline_date", "2017-03-31")
    cell(sheets, "kpis", "ref", "19a", "target_label", "20%")
    cell(sheets, "kpis", "ref", "19a", "target", "20")
    cell(sheets, "kpis", "ref", "19b", "measure", "% Referrals to children's social care ending "
                                                   "in no further action")
    header = sheets["kpis"][0]
    sheets["kpis"] = [row for row in sheets["kpis"] if row[0] != "19c"]
    new = dict(zip(header, sheets["kpis"][-1]))
    new.update(ref="20", measure="% Early Help assessments completed within 45 days",
               target_label="85%", target="85", polarity="higher", note="")
    sheets["kpis"].append([new[c] for c in header])
    # Only the actions citing "All" cite 19c; "All" is now every KPI but 19c, and KPI 20.
    refs_at = sheets["actions"][0].index("kpi_refs")
    for row in sheets["actions"][1:]:
        cited = row[refs_at].split()
        if "19c" in cited:
            row[refs_at] = " ".join([r for r in cited if r != "19c"] + ["20"])


def duplicate_row(sheets, sheet: str, ref: str) -> None:
    header = sheets[sheet][0]
    at = header.index("ref")
    sheets[sheet].append(next(list(r) for r in sheets[sheet][1:] if r[at] == ref))


def too_many_actions(sheets) -> None:
    template = sheets["actions"][1]
    sheets["actions"] += [template[:3] + [f"9.9.{n}"] + template[4:] for n in range(5_001)]


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", ZIP_TIME), "<Types/>")
        archive.writestr(zipfile.ZipInfo("word/document.xml", ZIP_TIME), "<document/>")
    return buffer.getvalue()


FILES = [
    # --- accepted ------------------------------------------------------------------------------
    ("shipped_plan.xlsx", lambda: xlsx(shipped()), "accepted", "plan_integrity",
     "the shipped register as a workbook: identical to the stored plan"),
    ("shipped_plan_csv.zip", lambda: csv_zip(shipped(), "plan/"), "accepted", "plan_integrity",
     "the shipped register as a zip of its CSV files, in a folder"),
    ("next_year.xlsx", lambda: xlsx(changed(next_year)), "accepted",
     "plan_integrity measure_changed",
     "next year's plan: a changed target, a new KPI, a dropped KPI, a reworded measure"),
    # --- refused: the structure ----------------------------------------------------------------
    ("missing_sheet.xlsx", lambda: xlsx({k: v for k, v in shipped().items() if k != "actions"}),
     "refused", "missing_sheet", "no actions sheet"),
    ("missing_column.xlsx", lambda: xlsx(changed(lambda s: drop_column(s, "kpis", "measure"))),
     "refused", "missing_column", "the kpis sheet has no measure column"),
    ("duplicate_column.xlsx",
     lambda: xlsx(changed(lambda s: [row.append(row[2]) for row in s["kpis"]])),
     "refused", "duplicate_column", "two measure columns"),
    ("duplicate_kpi_ref.xlsx", lambda: xlsx(changed(lambda s: duplicate_row(s, "kpis", "19a"))),
     "refused", "duplicate_plan_ref", "KPI 19a twice"),
    ("duplicate_action_ref.xlsx",
     lambda: xlsx(changed(lambda s: duplicate_row(s, "actions", "1.1.1"))),
     "refused", "duplicate_plan_ref", "action 1.1.1 twice"),
    ("bad_target.xlsx",
     lambda: xlsx(changed(lambda s: cell(s, "kpis", "ref", "1a", "target", "eighty"))),
     "refused", "bad_target", "a target written in words"),
    ("bad_target_label.xlsx",
     lambda: xlsx(changed(lambda s: (cell(s, "kpis", "ref", "1a", "target", ""),
                                     cell(s, "kpis", "ref", "1a", "target_label", "most")))),
     "refused", "bad_target", "no target, and a label that gives none"),
    ("bad_due_date.xlsx",
     lambda: xlsx(changed(lambda s: cell(s, "kpis", "ref", "1a", "due_date", "31/02/2017"))),
     "refused", "bad_due_date", "31 February"),
    ("bad_action_due_label.xlsx",
     lambda: xlsx(changed(lambda s: (cell(s, "actions", "ref", "1.1.2", "due_date", ""),
                                     cell(s, "actions", "ref", "1.1.2", "due_label",
                                          "before Christmas")))),
     "refused", "bad_due_date", "an action due 'before Christmas'"),
    ("unknown_kpi_cited.xlsx",
     lambda: xlsx(changed(lambda s: (cell(s, "actions", "ref", "1.1.1", "kpi_refs_label",
                                          "1, 99z"),
                                     cell(s, "actions", "ref", "1.1.1", "kpi_refs",
                                          "1a 1b 1c 1d 1e 99z")))),
     "refused", "unknown_kpi_cited", "an action citing KPI 99z"),
    ("missing_outcome.xlsx",
     lambda: xlsx(changed(lambda s: cell(s, "themes", "theme", "3", "outcome", ""))),
     "refused", "missing_outcome", "theme 3 without its outcome statement"),
    ("unknown_theme.xlsx",
     lambda: xlsx(changed(lambda s: cell(s, "kpis", "ref", "4", "theme", "9"))),
     "refused", "unknown_plan_theme", "a KPI of theme 9, which the plan lacks"),
    ("bad_theme_number.xlsx",
     lambda: xlsx(changed(lambda s: cell(s, "themes", "theme", "6", "theme", "six"))),
     "refused", "bad_theme_number unknown_plan_theme",
     "a theme numbered 'six' (so its KPIs and actions have no theme)"),
    ("bad_frequency.xlsx",
     lambda: xlsx(changed(lambda s: cell(s, "kpis", "ref", "4", "frequency", "monthly"))),
     "refused", "bad_choice", "a monthly KPI"),
    ("blank_measure.xlsx",
     lambda: xlsx(changed(lambda s: cell(s, "kpis", "ref", "4", "measure", ""))),
     "refused", "blank_cell", "a KPI without its measure"),
    ("bad_tolerance.xlsx",
     lambda: xlsx(changed(lambda s: cell(s, "kpis", "ref", "4", "tolerance", "five"))),
     "refused", "not_a_number", "a tolerance in words"),
    ("missing_title.xlsx", lambda: xlsx(changed(lambda s: field(s, "title", None))),
     "refused", "missing_plan_field", "the plan sheet has no title"),
    ("bad_start_date.xlsx", lambda: xlsx(changed(lambda s: field(s, "start_date", "April"))),
     "refused", "bad_date", "a start date of 'April'"),
    ("dates_out_of_order.xlsx",
     lambda: xlsx(changed(lambda s: field(s, "end_date", "2016-01-31"))),
     "refused", "plan_dates_out_of_order", "a plan that ends before it starts"),
    ("empty_sheet.xlsx", lambda: xlsx({**shipped(), "themes": []}),
     "refused", "empty_file", "an empty themes sheet"),
    ("extra_cells.zip",
     lambda: csv_zip({**shipped(), "themes": (
         "theme,title,aim,outcome\n1,Quality,Good practice,Embedded,extra\n").encode()}),
     "refused", "extra_cells", "a row with more cells than its header"),
    ("too_many_rows.xlsx", lambda: xlsx(changed(too_many_actions)), "refused", "too_many_rows",
     "more rows on a sheet than an import accepts"),
    # --- refused: not a plan, whatever its name ------------------------------------------------
    ("empty.xlsx", lambda: b"", "refused", "empty_file", "an empty file"),
    ("pdf_renamed.xlsx", lambda: b"%PDF-1.4\n% a report, not a plan\n", "refused",
     "not_a_plan_file", "a PDF named .xlsx"),
    ("csv_renamed.xlsx", lambda: "ref,measure\n19a,Repeat referrals\n".encode(), "refused",
     "not_a_plan_file", "a CSV file named .xlsx"),
    ("xls_renamed.xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "refused",
     "not_a_plan_file", "an Excel 97-2003 workbook named .xlsx"),
    ("docx_renamed.xlsx", docx, "refused", "not_a_plan_file", "a Word document named .xlsx"),
    ("zip_without_csv.zip",
     lambda: _zip_with("notes.txt", b"no plan here"),
     "refused", "not_a_plan_file", "a zip without the register's CSV files"),
    ("binary_csv.zip", lambda: csv_zip({**shipped(), "kpis": b"\x00\x01ref\x00"}), "refused",
     "unreadable_file", "a CSV file in the zip that is binary data"),
    ("damaged.xlsx", lambda: b"PK\x03\x04 this is not really a workbook", "refused",
     "unsafe_workbook", "a damaged workbook"),
    ("zip_bomb.xlsx", lambda: _fixed_times(zip_bomb()), "refused", "unsafe_workbook",
     "60 MB of zeros compressed into a small file"),
    ("xml_bomb.xlsx", lambda: _fixed_times(xml_bomb()), "refused", "unsafe_workbook",
     "a sheet whose XML expands entities a billion times"),
]


def _zip_with(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), data)
    return buffer.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "manifest.csv").open("w", newline="", encoding="utf-8") as manifest:
        writer = csv.writer(manifest, lineterminator="\n")
        writer.writerow(["file", "outcome", "codes", "what"])
        for name, make, outcome, codes, what in FILES:
            (OUT / name).write_bytes(make())
            writer.writerow([name, outcome, codes, what])
    print(f"wrote {len(FILES)} files to {OUT}")


if __name__ == "__main__":
    main()
