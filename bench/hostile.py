"""Hostile uploads against their time and memory budgets (issue 17). Not a test: it measures.

    python bench/hostile.py [--case NAME ...] [--list]

Each case builds a file an attacker or a careless user could send (the ones issue 17 found
costing seconds to minutes and up to 3 GB before the read budgets) and runs `check_upload` on it
in a fresh process, so the peak memory is that check's own. Every case must finish within
`SECONDS` and grow the process by at most `MEGABYTES` above a one-row upload; the script prints
each and exits 1 when any case is over its budget. The one-row upload against a store of
22,000 rows must cost about what it costs against the sample store (issue 17, item 8).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SECONDS = 5.0  # the most any one upload check may take on the 2-core reference machine
MEGABYTES = 150  # the most one check may add to the process's peak memory
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
LONG_HEADER = "kpi_ref,period,value,numerator,denominator,area,comment\n"


def workbook_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook (made by openpyxl) whose first sheet's XML is replaced."""
    from scripts.make_upload_corpus import replace_sheet

    return replace_sheet(sheet_xml)


def sheet_xml(rows_xml: str, dimension: str | None = None) -> bytes:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f"<worksheet {NS}>{declared}<sheetData>{rows_xml}</sheetData></worksheet>"
            ).encode()


def long_rows_xml(count: int) -> str:
    """A long-layout sheet of `count` values for KPI 17a, one area each (so no duplicates)."""
    header = ('<row r="1"><c r="A1" t="inlineStr"><is><t>kpi_ref</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>period</t></is></c>'
              '<c r="C1" t="inlineStr"><is><t>value</t></is></c>'
              '<c r="D1" t="inlineStr"><is><t>area</t></is></c></row>')
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>17a</t></is></c>'
                   f'<c r="B{r}" t="inlineStr"><is><t>2016/17 Q2</t></is></c>'
                   f'<c r="C{r}"><v>{60 + r % 10}</v></c>'
                   f'<c r="D{r}" t="inlineStr"><is><t>Team {r}</t></is></c></row>'
                   for r in range(2, count + 2))
    return header + rows


# --- the cases ------------------------------------------------------------------------------------

def declared_dimension() -> bytes:
    """A small sheet that claims A1:XFD5001: openpyxl padded every row to 16,384 cells."""
    return workbook_with_sheet(sheet_xml(long_rows_xml(3), "A1:XFD5001"))


def declared_dimension_20000_rows() -> bytes:
    """20,000 real rows under a declared A1:XFD20001 (the 108 KB, 79 s, 3 GB file)."""
    return workbook_with_sheet(sheet_xml(long_rows_xml(20_000), "A1:XFD20001"))


def cells_without_references() -> bytes:
    """About 2 million varied cells with no r attributes and no <dimension> (openpyxl parses
    such a sheet twice), compressed within the ratio the archive check allows."""
    rng = random.Random(17)
    row = "".join(f"<c><v>{rng.randrange(10 ** 6)}</v></c>" for _ in range(100))
    rows = "".join(f"<row>{row}</row>" for _ in range(20_000))
    return workbook_with_sheet(sheet_xml(rows))


def row_far_down() -> bytes:
    """Three rows and one cell at row 1,048,576, and a row numbered 10^12."""
    stray = ('<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
             '<row r="1000000000000"><c><v>1</v></c></row>')
    return workbook_with_sheet(sheet_xml(long_rows_xml(3) + stray))


def wide_csv_10mb() -> bytes:
    """A 10 MB wide-layout CSV: 199 period columns, ~26,000 KPI rows: ~5 million values."""
    header = "kpi_ref," + ",".join(["2016/17 Q1"] * 199) + "\n"
    row = "17a," + ",".join(["1"] * 199) + "\n"
    count = (10 * 1024 * 1024 - len(header)) // len(row)
    return (header + row * count).encode()


def wide_csv_within_cells() -> bytes:
    """A 1 MB wide-layout CSV within the cell budget: 990 KPI rows x 199 periods, which
    expands to 197,010 values (reading stops at the row limit plus one)."""
    header = "kpi_ref," + ",".join(["2016/17 Q1"] * 199) + "\n"
    row = "17a," + ",".join(["1"] * 199) + "\n"
    return (header + row * 990).encode()


def commas_10mb() -> bytes:
    """A header and one row of ten million commas."""
    return (LONG_HEADER + "17a,2016/17 Q2,60" + "," * (10 * 1024 * 1024 - 100) + "x\n").encode()


def short_rows_10mb() -> bytes:
    """Five million one-cell rows."""
    return (LONG_HEADER + "1\n" * (5 * 1024 * 1024 - 60)).encode()


def conflicting_values() -> bytes:
    """20,000 rows giving one KPI's one quarter 20,000 different values: each row's failure
    named every other row (20,000 messages of 120 KB)."""
    return (LONG_HEADER + "".join(f"17a,2016/17 Q2,{i},,,,\n" for i in range(20_000))).encode()


def one_row() -> bytes:
    return (LONG_HEADER + "17a,2016/17 Q2,60,,,,\n").encode()


CASES = {
    "declared_dimension": declared_dimension,
    "declared_dimension_20000_rows": declared_dimension_20000_rows,
    "cells_without_references": cells_without_references,
    "row_far_down": row_far_down,
    "wide_csv_10mb": wide_csv_10mb,
    "wide_csv_within_cells": wide_csv_within_cells,
    "commas_10mb": commas_10mb,
    "short_rows_10mb": short_rows_10mb,
    "conflicting_values": conflicting_values,
    "one_row": one_row,
}


# --- measuring ----------------------------------------------------------------------------------

def big_store(folder: Path, rows: int):
    """The sample store plus a batch of `rows` KPI values across many areas."""
    import pandas as pd

    from app import Settings
    from domain.ingest.register import load_plan
    from domain.ingest.returns import read_returns
    from domain.store.repository import KPI_VALUES, NewBatch
    from domain.store.source import open_store

    settings = Settings(data_dir=folder)
    store = open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                       settings.progress_path)
    if rows:
        plan = load_plan(settings.plan_dir)[0]
        lines = [f"17a,{year}/{(year + 1) % 100:02d} Q{q},{60 + area % 9},,,Team {area},"
                 for area in range(rows // 80 + 1) for year in range(1997, 2017)
                 for q in range(1, 5)][:rows]
        for part in range(0, rows, 10_000):  # an upload holds at most 20,000 rows
            text = LONG_HEADER + "\n".join(lines[part:part + 10_000]) + "\n"
            table = read_returns(text.encode(), plan).table
            store.commit(NewBatch(KPI_VALUES, f"big{part}.csv", f"{part:064d}", "bench", table))
        assert len(store.current(KPI_VALUES)) >= rows
        assert len(pd.unique(store.current(KPI_VALUES)["area"])) > 200
    return settings, store


def measure(case: str, stored_rows: int) -> dict:
    """Run in a fresh process: build the file, then time one check_upload and its peak memory."""
    from domain.ingest.register import load_plan
    from domain.ingest.upload import check_upload

    content = CASES[case]()
    with tempfile.TemporaryDirectory() as folder:
        settings, store = big_store(Path(folder), stored_rows)
        plan = load_plan(settings.plan_dir)[0]
        check_upload(one_row(), "warm.csv", plan, store)  # imports and caches, not measured
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        result = check_upload(content, case, plan, store)
        seconds = time.perf_counter() - start
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    return {"case": case, "stored_rows": stored_rows, "bytes": len(content),
            "seconds": seconds, "megabytes": grown / 1024,
            "codes": sorted({f.code for f in result.failures}), "ok": result.ok}


def run_in_child(case: str, stored_rows: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", case, str(stored_rows)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES))
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], int(args.child[1]))))
        return 0
    if args.list:
        print("\n".join(f"{name}: {f.__doc__.strip()}" for name, f in CASES.items()))
        return 0
    runs = [(case, 0) for case in (args.case or CASES)]
    if not args.case:
        runs.append(("one_row", 22_000))
    over = 0
    print(f"{'case':<32} {'stored':>7} {'file':>10} {'seconds':>8} {'+MB':>7}  outcome")
    for case, stored in runs:
        result = run_in_child(case, stored)
        fits = result["seconds"] <= SECONDS and result["megabytes"] <= MEGABYTES
        over += not fits
        outcome = "accepted" if result["ok"] else "refused: " + " ".join(result["codes"])
        print(f"{case:<32} {stored:>7,} {result['bytes']:>10,} {result['seconds']:>8.2f} "
              f"{result['megabytes']:>7.0f}  {outcome}{'' if fits else '  OVER BUDGET'}")
    print(f"budget: {SECONDS:g} s and {MEGABYTES} MB per check; {over} over")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
