"""Validating an uploaded returns file, the dry run behind `POST /api/returns?dry_run=1`, against
`pandas.read_csv` of the same file in the same process.

    python bench/validation.py [--repeat 15]

Files (made here, deterministic):
- 20,000 rows (the row limit): KPI values for the plan's quarterly KPIs by area and quarter,
  with one row in a hundred wrong in a way a person makes it wrong (an unknown KPI, "n/a", a
  percentage over 100, a value far from the quarter before, an exact repeat), so the report
  carries a few hundred row-level messages;
- the largest file the limits accept: the same 20,000 rows with comments filling it to just
  under 10 MB;
- 100,000 rows (3 MB, within 10 MB): refused for its rows (the read budget stops reading past
  20,000), and what checking it would cost if the row limit and the read budget were raised.

Each is timed as `domain.ingest.upload.check_upload` (parse, every check, the preview and the
comparison with the store, as the API calls it) and as the whole HTTP dry run (Flask's test
client with an API token made by `python app.py tokens create`: the request, the check and the
JSON answer). The floor is `pandas.read_csv` of the same
file reading every cell as text (what a check that quotes cells must do); a bare
`pandas.read_csv` (types inferred) is shown beside it. Best of `--repeat` (15) rounds, each
round timing every measure once, so the machine's busy moments fall on floor and check alike.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, best_of, machine, print_table  # noqa: E402

LIMIT_BYTES = 10 * 1024 * 1024


def returns_rows(plan, rows: int, seed: int = 10) -> list[list[str]]:
    """`rows` rows of quarterly KPI values by area, one in a hundred wrong."""
    rng = random.Random(seed)
    kpis = [kpi for kpi in plan.kpis if kpi.frequency == "quarterly" and not kpi.denominator]
    quarters = [f"{year}/{(year + 1) % 100:02d} Q{q}" for year in range(2016, 1990, -1)
                for q in (4, 3, 2, 1)]
    per_area = len(kpis) * 8  # eight quarters of every KPI for each area
    out = []
    for index in range(rows):
        area, within = divmod(index, per_area)
        kpi, quarter = kpis[within % len(kpis)], quarters[within // len(kpis)]
        base = kpi.target if kpi.unit != "percent" else min(max(kpi.target, 5), 90)
        value = round(base * rng.uniform(0.9, 1.1), 1)
        out.append([kpi.ref, quarter, f"{value:g}", "", "", f"Team {area}", ""])
    for index in range(50, rows, 100):  # one in a hundred
        row = out[index]
        mistake = (index // 100) % 5
        if mistake == 0:
            row[0] = "19z"
        elif mistake == 1:
            row[2] = "n/a"
        elif mistake == 2:
            row[2] = "105" if plan.kpi(row[0]).unit == "percent" else "-4"
        elif mistake == 3:
            row[2] = f"{float(row[2]) * 3:g}"  # far from the quarter before
        else:
            out[index] = list(out[index - 1])  # an exact repeat
    return out


def write_csv(path: Path, rows: list[list[str]], pad_to: int | None = None) -> Path:
    header = "kpi_ref,period,value,numerator,denominator,area,comment\n"
    lines = [",".join(row) + "\n" for row in rows]
    if pad_to:
        room = (pad_to - len(header) - sum(len(line) for line in lines)) // len(lines)
        note = "Checked by the team manager; " * (room // 29 + 1)
        lines = [",".join(row[:-1] + [note[:room]]) + "\n" for row in rows]
    path.write_text(header + "".join(lines), encoding="utf-8")
    return path


def api_token(data_dir: Path) -> str:
    """A new administrator's API token for the store in `data_dir`, as a person makes one."""
    done = subprocess.run([sys.executable, "app.py", "tokens", "create", "Bench validation",
                           "--role", "admin", "--data-dir", str(data_dir)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def interleaved(repeat: int, functions: list) -> list[float]:
    """The best time of each function over `repeat` rounds, one run of each per round, so a
    busy moment on a shared machine falls on all of them alike."""
    best = [float("inf")] * len(functions)
    for _ in range(repeat):
        for index, function in enumerate(functions):
            best[index] = min(best[index], best_of(1, function))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    from app import Settings, create_app
    from domain.ingest import upload
    from runtime.context import current_dataset, current_store

    folder = Path(tempfile.mkdtemp(prefix="bench-validation-"))
    token = api_token(folder / "data")
    app = create_app(Settings(data_dir=folder / "data"))
    client = app.server.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    with app.server.test_request_context():
        plan, store = current_dataset().plan, current_store()
    files = {
        "20,000 rows": write_csv(folder / "rows_20000.csv", returns_rows(plan, 20_000)),
        "20,000 rows, just under 10 MiB": write_csv(
            folder / "largest.csv", returns_rows(plan, 20_000), pad_to=LIMIT_BYTES - 64 * 1024),
        "100,000 rows": write_csv(folder / "rows_100000.csv", returns_rows(plan, 100_000)),
    }

    table = []
    for name, path in files.items():
        content = path.read_bytes()
        check = upload.check_upload(content, path.name, plan, store)
        refused = [f.code for f in check.failures if f.row is None]

        def dry_run():
            answer = client.post("/api/returns?dry_run=1", data=content,
                                 content_type="text/csv")
            assert answer.status_code in (200, 422), answer.status_code

        floor, bare, checked, http = interleaved(args.repeat, [
            lambda: pd.read_csv(path, dtype=str, keep_default_na=False),
            lambda: pd.read_csv(path),
            lambda: upload.check_upload(content, path.name, plan, store), dry_run])
        what = f"{name} ({len(content) / 2**20:.1f} MiB)"
        messages = f"{len(check.failures):,}" + (f" ({', '.join(refused)})" if refused else "")
        table += [[f"`pandas.read_csv`, cells as text (floor): {what}", f"{floor * 1e3:.1f}",
                   "1.0", ""],
                  [f"`pandas.read_csv`, types inferred: {what}", f"{bare * 1e3:.1f}",
                   f"{bare / floor:.1f}", ""],
                  [f"`check_upload`: {what}", f"{checked * 1e3:.1f}", f"{checked / floor:.1f}",
                   messages],
                  [f"`POST /api/returns?dry_run=1`: {what}", f"{http * 1e3:.1f}",
                   f"{http / floor:.1f}", messages]]
        if refused == ["too_many_rows"]:
            wider_budget = dataclasses.replace(upload.UPLOAD_BUDGET, rows=10**6, cells=10**7)
            with mock.patch.object(upload, "MAX_UPLOAD_ROWS", 10**6), \
                    mock.patch.object(upload, "UPLOAD_BUDGET", wider_budget):
                wider = upload.check_upload(content, path.name, plan, store)
                floor, checked = interleaved(args.repeat, [
                    lambda: pd.read_csv(path, dtype=str, keep_default_na=False),
                    lambda: upload.check_upload(content, path.name, plan, store)])
            table.append([f"`check_upload` if the row limit allowed it: {what}",
                          f"{checked * 1e3:.1f}", f"{checked / floor:.1f}",
                          f"{len(wider.failures):,}"])
    print(f"\n{machine()}\nbest of {args.repeat} interleaved rounds; the store holds the sample's "
          f"{len(store.current('kpi values')):,} values\n")
    print_table(["measure", "ms", "x floor", "messages"], table)


if __name__ == "__main__":
    main()
