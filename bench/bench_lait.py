"""Benchmark: import the whole LAIT long table (641,070 rows) and draw a comparator chart.

Measures, against a floor of a bare `pandas.read_parquet` of the same file:
  - the importer reading every measure (`domain.published.importers.read_lait`),
  - the importer reading only the plan's mapped codes (what the app does),
  - the comparator chart callback for KPI 19a, cold (first request) and warm (cached),
and prints a table. Not a test: timings depend on the machine.

    python bench/bench_lait.py [--published-dir ../shared/data/published] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from components.comparators import comparator_figure  # noqa: E402
from domain.published.comparators import PublishedSource  # noqa: E402
from domain.published.importers import read_lait  # noqa: E402

LINKS = ROOT / "data" / "plan" / "published_measures.csv"


def default_dir() -> Path:
    for candidate in (ROOT.parent / "shared/data/published",
                      ROOT.parents[1] / "shared/data/published"):
        if (candidate / "lait" / "bds_long_0.parquet").exists():
            return candidate
    raise SystemExit("The real published files are not beside the checkout; pass "
                     "--published-dir.")


def timed(function, repeat: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--published-dir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = args.published_dir or default_dir()
    path = folder / "lait" / "bds_long_0.parquet"

    rows = []
    floor, _, raw = timed(lambda: pd.read_parquet(path), args.repeat)
    rows.append(("pandas.read_parquet (floor)", floor, len(raw), 0))
    median, _, read = timed(lambda: read_lait(path), args.repeat)
    rows.append(("read_lait, every measure", median, len(read.table), len(read.failures)))

    def cold_chart():
        source = PublishedSource(folder, LINKS, False)  # a fresh process: nothing cached
        comparisons, _ = source.comparisons("19a", "801")
        return comparator_figure(next(c for c in comparisons if c.link.source == "lait"))

    median_cold, _, _ = timed(cold_chart, args.repeat)
    rows.append(("19a comparator chart, cold (reads mapped LAIT codes)", median_cold, None, None))
    warm_source = PublishedSource(folder, LINKS, False)
    warm_source.comparisons("19a", "801")

    def warm_chart():
        comparisons, _ = warm_source.comparisons("19a", "801")
        return comparator_figure(next(c for c in comparisons if c.link.source == "lait"))

    median_warm, _, _ = timed(warm_chart, args.repeat)
    rows.append(("19a comparator chart, warm (cached per file mtime)", median_warm, None, None))

    print(f"LAIT file: {path} ({len(raw):,} rows); median of {args.repeat} runs\n")
    print(f"{'step':<55} {'seconds':>8} {'x floor':>8} {'rows':>9} {'failures':>9}")
    for name, seconds, count, failures in rows:
        print(f"{name:<55} {seconds:>8.3f} {seconds / floor:>8.1f} "
              f"{'' if count is None else f'{count:,}':>9} "
              f"{'' if failures is None else f'{failures:,}':>9}")


if __name__ == "__main__":
    main()
