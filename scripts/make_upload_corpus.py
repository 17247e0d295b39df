"""Write tests/corpus/: bad and awkward upload files, and manifest.csv with the outcome and the
failure codes each must give. Deterministic; `python scripts/make_upload_corpus.py` rewrites it.
The files are committed, so the tests read them as they would arrive (bytes, not code)."""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

# scripts/ holds the zip helper; tests import this module as scripts.make_upload_corpus.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from zip_entries import rewrite_zip  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "tests" / "corpus"
H = "kpi_ref,period,value,numerator,denominator,area,comment\n"


def xlsx(rows, percent_cells=(), date_cells=()) -> bytes:
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if (r, c) in percent_cells:
                cell.number_format = "0.0%"
            if (r, c) in date_cells:
                cell.value = datetime.datetime.strptime(value, "%Y-%m-%d")
                cell.number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return buffer.getvalue()


def replace_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook (made by openpyxl) whose first sheet's XML is `sheet_xml`."""
    good = xlsx([["kpi_ref", "period", "value"], ["19a", "2016/17 Q2", 12.5]])
    return rewrite_zip(good, lambda name, data: sheet_xml if name == "xl/worksheets/sheet1.xml"
                       else data)


def xml_bomb() -> bytes:
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                        for i in range(1, 9))
              + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol8;</t></is></c></row>'
              '</sheetData></worksheet>')
    return replace_sheet(laughs.encode())


# --- hostile files (issue 17) --------------------------------------------------------------------

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _long_sheet(extra_rows: str = "", dimension: str | None = None) -> bytes:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    rows = (f'<row r="1">{_inline("A1", "kpi_ref")}{_inline("B1", "period")}'
            f'{_inline("C1", "value")}</row>'
            f'<row r="2">{_inline("A2", "19a")}{_inline("B2", "2016/17 Q2")}'
            '<c r="C2"><v>25.3</v></c></row>' + extra_rows)
    return f"<worksheet {_NS}>{declared}<sheetData>{rows}</sheetData></worksheet>".encode()


def declared_dimension() -> bytes:
    """A small sheet that claims to span A1:XFD5001 (16,384 columns)."""
    return replace_sheet(_long_sheet(dimension="A1:XFD5001"))


def row_far_down() -> bytes:
    """A value in a row numbered 10^12: reading stops at the row limit."""
    return replace_sheet(_long_sheet('<row r="1000000000000"><c><v>1</v></c></row>'))


def cell_beyond_the_columns() -> bytes:
    """A value in column IP (250), beyond the 200 columns read."""
    return replace_sheet(_long_sheet(f'<row r="3">{_inline("A3", "19a")}'
                                     '<c r="IP3"><v>1</v></c></row>'))


def many_cells() -> bytes:
    """225,000 cells without r attributes in four parts of under 1 MB each, so no part looks
    compressed suspiciously hard: refused by counting, before any XML is parsed."""
    row = "<row>" + "<c><v>1</v></c>" * 50 + "</row>"
    part = f"<worksheet {_NS}><sheetData>{row * 1125}</sheetData></worksheet>".encode()
    book = io.BytesIO(replace_sheet(part))
    source = zipfile.ZipFile(book)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            archive.writestr(_fixed(item.filename), source.read(item.filename))
        for number in range(2, 5):
            archive.writestr(_fixed(f"xl/worksheets/sheet{number}.xml"), part)
    return buffer.getvalue()


def _fixed(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed date, so the corpus file is the same on every run."""
    info = zipfile.ZipInfo(name, date_time=(2017, 3, 31, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def wide_header(count: int) -> str:
    return "kpi_ref," + ",".join(["2016/17 Q1"] * count) + "\n"


# name, content, outcome, kind, codes (space separated), what it shows
FILES = [
    # --- awkward but accepted ---
    ("utf8_bom.csv", ("\ufeff" + H + "19a,2016/17 Q2,25.3,,,,\n").encode(), "accepted",
     "kpi values", "", "UTF-8 with Excel's byte order mark"),
    ("windows_1252.csv", (H + "19a,2016/17 Q2,25.3,,,,Révisé: £0 cost – agreed\n"
                          ).encode("cp1252"), "accepted", "kpi values", "",
     "Windows-1252 text (é, £, en dash)"),
    ("semicolon_decimal_comma.csv", (H.replace(",", ";") + "19a;2016/17 Q2;25,3;;;;\n"
                                     "15;2016/17 Q2;1.004,0;;;;\n").encode(), "accepted",
     "kpi values", "far_from_previous", "; separators, 25,3 and 1.004,0 with decimal commas"),
    ("tab_separated.csv", (H.replace(",", "\t") + "19a\t2016/17 Q2\t25.3\t\t\t\t\n").encode(),
     "accepted", "kpi values", "", "tab separators"),
    ("notes_above_header.csv", ("Children's services returns\nPrepared by: performance team\n"
                                ",,,\n" + H + "19a,2016/17 Q2,25.3,,,,\n").encode(),
     "accepted", "kpi values", "", "a title and notes above the header"),
    ("blank_trailing_rows_and_columns.csv", (H.rstrip("\n") + ",,,\n19a,2016/17 Q2,25.3,,,,,,,\n"
                                             ",,,,,,,,,\n,,,,,,,,,\n\n").encode(),
     "accepted", "kpi values", "", "empty columns and rows after the data"),
    ("header_case_and_spaces.csv", (" KPI Ref , PERIOD ,Value \n19A,2016/17 Q2,25.3\n").encode(),
     "accepted", "kpi values", "", "header names in any case with spaces; ref in capitals"),
    ("period_spellings.csv", (H + "19a,2016-17 Q1,25,,,,\n19a,Q2 2016/17,25.3,,,,\n"
                              "19a,31/12/2016,26,,,,\n19a,Mar-17,24,,,,\n"
                              "9a,2016-17,23.1,,,,\n").encode(), "accepted", "kpi values", "",
     "every period spelling"),
    ("percent_forms.csv", (H + "19a,2016/17 Q1,25%,,,,\n19a,2016/17 Q2,25.3,,,,\n"
                           "19b,2016/17 Q2,0.2,50,250,,\n").encode(), "accepted",
     "kpi values", "", "85% and 85; 0.2 settled as 20% by its numerator and denominator"),
    ("fraction_percent.csv", (H + "19a,2016/17 Q2,0.253,,,,\n").encode(), "accepted",
     "kpi values", "ambiguous_percent", "0.253 for a percentage: read as 25.3%, with a warning"),
    ("thousands_separator.csv", (H + "19a,2016/17 Q2,24.1,306,\"1,270\",,\n").encode(),
     "accepted", "kpi values", "", "a quoted 1,270 with a thousands separator"),
    ("wide_layout.csv", ("kpi_ref,measure,2016/17 Q1,2016/17 Q2,2016/17 Q3\n"
                         "19a,Repeat referrals,25,25.3,\n17a,Caseload,,66,66.3\n").encode(),
     "accepted", "kpi values", "", "one row per KPI, one column per period"),
    ("wide_layout.xlsx", xlsx([["Returns 2016/17"], [],
                               ["KPI ref", "Measure", "2016/17 Q1", "2016/17 Q2"],
                               ["19a", "Repeat referrals", 25, 25.3]]),
     "accepted", "kpi values", "", "a workbook in the wide layout with a title row"),
    ("long_with_formats.xlsx", xlsx([["kpi_ref", "period", "value"],
                                     ["19a", "2016-09-30", 0.253], ["17a", "2016/17 Q2", 66]],
                                    percent_cells={(2, 3)}, date_cells={(2, 2)}),
     "accepted", "kpi values", "", "a workbook: a date cell for the period, a % formatted cell"),
    ("action_progress.csv", ("Action Ref,As at,Status,Comment\n1.1.1,31/12/2016,green,"
                             "\"120 audits moderated, 9 regraded\"\n").encode(), "accepted",
     "action progress", "", "action progress with a UK date and a lower-case status"),
    ("comparators.csv", ("kpi_ref,period,comparator,value\n19a,2016/17 Q4,England,22.3\n"
                         "19a,2016/17 Q4,Statistical neighbours,21.9\n").encode(),
     "accepted", "comparators", "", "comparator values, recognised by their columns"),
    ("far_from_previous.csv", (H + "17a,2016/17 Q3,140,,,,\n").encode(), "accepted",
     "kpi values", "far_from_previous", "a caseload more than double the quarter before"),
    ("exact_repeat.csv", (H + "19a,2016/17 Q2,25.3,,,,\n19a,2016/17 Q2,25.3,,,,\n").encode(),
     "accepted", "kpi values", "duplicate_row", "the same row twice"),
    ("markup_in_comment.csv", (H + "19a,2016/17 Q2,25.3,,,,<script>alert(1)</script>\n"
                               ).encode(), "accepted", "kpi values", "",
     "markup in a comment is stored and shown as text"),
    ("template_partly_filled.csv", (H + "19a,2016/17 Q2,25.3,,,,\n19b,2016/17 Q2,,,,,\n"
                                    "1a,2016/17 Q2,,,,,\n").encode(), "accepted", "kpi values",
     "blank_value_skipped", "a template with one value filled in: blank rows are skipped"),
    ("misspelt_areas.csv", (H + "17a,2017/18 Q2,58.6,,,Nroth,\n17a,2017/18 Q2,58.6,,,north,\n"
                            "17a,2017/18 Q2,79.1,,,South Bristol,\n").encode(), "accepted",
     "kpi values", "new_area", "Nroth and South Bristol are new areas (did you mean North? "
     "South?); north is North"),
    # --- refused ---
    ("unknown_kpi.csv", (H + "19z,2016/17 Q2,25.3,,,,\n").encode(), "refused", "kpi values",
     "unknown_kpi", "a KPI ref the plan does not have"),
    ("bad_period.csv", (H + "19a,2016/17 Q5,25.3,,,,\n19a,someday,25,,,,\n").encode(), "refused",
     "kpi values", "bad_period", "impossible and unparseable periods"),
    ("frequency_mismatch.csv", (H + "9a,2016/17 Q2,23,,,,\n").encode(), "refused", "kpi values",
     "frequency_mismatch", "a quarter for an annual KPI"),
    ("not_a_number.csv", (H + "19a,2016/17 Q2,n/a,,,,\n19a,2016/17 Q3,about 25,,,,\n").encode(),
     "refused", "kpi values", "not_a_number", "n/a and words in a value"),
    ("comma_in_number.csv", ("kpi_ref,period,value\n19a,2016/17 Q2,25,3\n").encode(),
     "refused", "kpi values", "extra_cells", "an unquoted decimal comma shifts the cells"),
    ("percent_out_of_range.csv", (H + "19a,2016/17 Q2,120,,,,\n").encode(), "refused",
     "kpi values", "percent_out_of_range", "a percentage above 100"),
    ("negative_count.csv", (H + "15,2016/17 Q2,-3,,,,\n").encode(), "refused", "kpi values",
     "negative_value", "a negative count"),
    ("numerator_mismatch.csv", (H + "19a,2016/17 Q2,40,306,1270,,\n").encode(), "refused",
     "kpi values", "numerator_denominator_mismatch", "40% is not 306 / 1270"),
    ("zero_denominator.csv", (H + "19a,2016/17 Q2,0,0,0,,\n").encode(), "refused",
     "kpi values", "zero_denominator", "a zero denominator"),
    ("duplicate_conflict.csv", (H + "19a,2016/17 Q2,25.3,,,,\n19a,Q2 2016/17,26,,,,\n").encode(),
     "refused", "kpi values", "duplicate_conflict", "one value given twice, differently"),
    ("period_after_asat.csv", (H + "19a,2035/36 Q1,25.3,,,,\n").encode(), "refused",
     "kpi values", "period_after_asat", "a period that has not ended"),
    ("blank_cell.csv", (H + "19a,,25.3,,,,\n").encode(), "refused", "kpi values", "blank_cell",
     "a blank period"),
    ("duplicate_column.csv", ("kpi_ref,period,value,Value\n19a,2016/17 Q2,25.3,26\n").encode(),
     "refused", "kpi values", "duplicate_column", "two value columns"),
    ("unknown_layout.csv", ("ref,quarter,amount\n19a,2016/17 Q2,25.3\n").encode(), "refused",
     "", "unknown_layout", "columns that match no layout"),
    ("empty.csv", b"", "refused", "", "empty_file", "an empty file"),
    ("header_only.csv", H.encode(), "refused", "kpi values", "empty_file",
     "a header and no data"),
    ("binary.csv", b"\x00\x01\x02\x03kpi_ref\x00", "refused", "", "unreadable_file",
     "binary data"),
    ("unterminated_quote.csv", ("kpi_ref,period,value\n19a,2016/17 Q2,\"25.3\n"
                                + "x" * 200000 + "\n").encode(), "refused", "",
     "unreadable_file", "a quote that never closes around a huge cell"),
    ("bad_status.csv", ("action_ref,as_at,status,comment\n1.1.1,31/12/2016,Purple,\n").encode(),
     "refused", "action progress", "bad_status", "a status that is not RAG"),
    ("unknown_action.csv", ("action_ref,as_at,status,comment\n9.9.9,31/12/2016,RED,\n").encode(),
     "refused", "action progress", "unknown_action", "an action the plan does not have"),
    ("bad_date.csv", ("action_ref,as_at,status,comment\n1.1.1,31/02/2016,RED,\n").encode(),
     "refused", "action progress", "bad_date", "31 February"),
    ("comparator_blank.csv", ("kpi_ref,period,comparator,value\n19a,2016/17 Q4,,22.3\n"
                              ).encode(), "refused", "comparators", "bad_comparator",
     "a comparator value without its comparator"),
    ("fake.xlsx", b"PK\x03\x04 this is not really a workbook", "refused", "",
     "unsafe_workbook", "a damaged workbook"),
    ("zip_bomb.xlsx", zip_bomb(), "refused", "", "unsafe_workbook",
     "60 MB of zeros compressed into a small file"),
    ("xml_bomb.xlsx", xml_bomb(), "refused", "", "unsafe_workbook",
     "a sheet whose XML expands entities a billion times"),
    ("too_many_rows.csv", (H + "19a,2016/17 Q2,25.3,,,,\n" * 20001).encode(), "refused",
     "kpi values", "too_many_rows", "more rows than one upload accepts"),
    # --- hostile files (issue 17) ---
    ("declared_dimension.xlsx", declared_dimension(), "accepted", "kpi values", "",
     "a sheet claiming A1:XFD5001: read to its cells, not padded to 16,384 columns"),
    ("look_alike_areas.csv", (H + "17a,2016/17 Q4,75,,,South\u200b,\n"
                              "17a,2017/18 Q1,77.5,,,SOUTH,\n"
                              "17a,2017/18 Q2,79.1,,,\u202eSouth\u202c,\n"
                              "17a,2016/17 Q4,70,,,Cafe\u0301,\n"
                              "17a,2017/18 Q1,71,,,caf\u00e9,\n").encode(), "accepted",
     "kpi values", "new_area", "South with a zero-width space, in capitals, in a right-to-left "
     "override; NFD and NFC Café: the stored South and one new area"),
    ("markup_in_area.csv", (H + '17a,2016/17 Q4,75,,,"<a href=""https://evil.example/"">x</a>",'
                            '\n').encode(), "accepted", "kpi values", "new_area",
     "a link in an area: stored as text, shown escaped on charts"),
    ("control_character.csv", (H + "19a,2016/17 Q2,25.3,,,,late\x01return\n"
                               "19a,2016/17 Q3,25,,,,fine\n").encode(), "refused",
     "kpi values", "control_character", "U+0001 in a comment, which broke every workbook export"),
    ("huge_number.csv", (H + f"15,2016/17 Q2,{'9' * 400},,,,\n"
                         f"19a,2016/17 Q3,25,{'9' * 400},{'9' * 400},,\n").encode(), "refused",
     "kpi values", "number_too_large",
     "400-digit value, numerator and denominator (infinite as floats)"),
    ("other_digits.csv", (H + "19a,2016/17 Q2,\u0662\u0665,,,,\n"
                          "19a,2016/17 Q3,\uff12\uff15,,,,\n").encode(), "refused",
     "kpi values", "non_ascii_digits", "Arabic-Indic and fullwidth digits"),
    ("extreme_years.csv", (H + "19a,9999/00 Q4,25,,,,\n19a,0000/01 Q1,25,,,,\n"
                           "19a,Mar 0000,25,,,,\n19a,2300/01 Q1,25,,,,\n").encode(), "refused",
     "kpi values", "year_out_of_range", "years outside 1990 to 2100, which crashed"),
    ("extreme_date.csv", ("action_ref,as_at,status,comment\n1.1.1,31/12/0000,RED,\n"
                          "1.1.1,9999-12-31,RED,\n").encode(), "refused", "action progress",
     "year_out_of_range", "progress dates in the years 0 and 9999"),
    ("wide_row.csv", (H + "19a,2016/17 Q2,25.3,,,," + ",x" * 200 + "\n").encode(), "refused",
     "", "too_many_columns", "a row of 207 filled cells: refused while reading"),
    ("cell_too_long.csv", (H + "19a,2016/17 Q2,25.3,,,," + "x" * 5_001 + "\n").encode(),
     "refused", "", "cell_too_long", "a comment of 5,001 characters: refused while reading"),
    ("many_cells.xlsx", many_cells(), "refused", "", "too_many_cells",
     "225,000 cells in a 10 KB workbook, refused before openpyxl parses them"),
    ("workbook_far_row.xlsx", row_far_down(), "refused", "", "too_many_rows",
     "a value in row 10^12: reading stops at the row limit"),
    ("workbook_wide_cell.xlsx", cell_beyond_the_columns(), "refused", "", "too_many_columns",
     "a value in column IP, beyond the 200 columns read"),
    ("wide_too_many_values.csv", (wide_header(150) + ("17a," + ",".join(["66"] * 150) + "\n")
                                  * 150).encode(), "refused", "kpi values", "too_many_rows",
     "a 45 KB wide file expanding to 22,500 values: stops at the limit plus one"),
    ("conflicting_values.csv", (H + "".join(f"17a,2016/17 Q2,{60 + i},,,,\n"
                                            for i in range(300))).encode(), "refused",
     "kpi values", "duplicate_conflict", "one value given 300 ways: each message names five rows"),
    ("utf16.csv", (H.replace(",", "\t") + "19a\t2016/17 Q2\t25.3\t\t\t\t\n").encode("utf-16"),
     "refused", "", "unsupported_format", "Excel's 'Unicode Text' (UTF-16)"),
    ("old_excel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "refused", "",
     "unsupported_format", "an Excel 97-2003 workbook's signature"),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "manifest.csv").open("w", newline="", encoding="utf-8") as manifest:
        writer = csv.writer(manifest, lineterminator="\n")
        writer.writerow(["file", "outcome", "kind", "codes", "what"])
        for name, content, outcome, kind, codes, what in FILES:
            (OUT / name).write_bytes(content)
            writer.writerow([name, outcome, kind, codes, what])
    print(f"wrote {len(FILES)} files to {OUT}")


if __name__ == "__main__":
    main()
