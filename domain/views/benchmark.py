"""Where the authority stands among all authorities on a KPI's published measures (issue 15):
its rank and band each year (one standing a year, from the first of the KPI's measures with a
value that year) and, for one year, every authority's value in rank order for the ranked chart."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from domain.published.comparators import Comparison, benchmarks
from domain.rules.benchmark import Benchmark


@dataclass(frozen=True)
class RankedYear:
    year: str
    standing: Benchmark
    values: tuple[tuple[str, float], ...]  # (LA code, value), the best first
    authority: str
    neighbours: tuple[str, ...]
    source: str  # the measure's words and file


def kpi_benchmarks(comparisons: list[Comparison], higher_is_better: bool
                   ) -> list[tuple[Benchmark, Comparison]]:
    """Each published year's standing with the comparison it came from, oldest first."""
    by_year: dict[str, tuple[Benchmark, Comparison]] = {}
    for comparison in comparisons:
        for standing in benchmarks(comparison, higher_is_better):
            held = by_year.get(standing.year)
            if held is None or held[0].value is None:
                by_year[standing.year] = (standing, comparison)
    return [by_year[year] for year in sorted(by_year)]


def ranked_year(standings: list[tuple[Benchmark, Comparison]], higher_is_better: bool,
                year: str | None = None) -> RankedYear | None:
    """Every authority's value in `year` (default the latest with a rank), the best first.
    `standings`: `kpi_benchmarks(...)`, computed once by the caller."""
    ranked = [(s, c) for s, c in standings if s.rank is not None]
    chosen = next((pair for pair in ranked if pair[0].year == year), None) if year else None
    chosen = chosen or (ranked[-1] if ranked else None)
    if chosen is None:
        return None
    standing, comparison = chosen
    local = comparison.local
    rows = local[[comparison.year_label(int(y)) == standing.year for y in local["year"]]]
    rows = rows[rows["value"].notna()]
    ordered = rows.sort_values("value", ascending=not higher_is_better, kind="stable")
    values = tuple((str(code), float(value))
                   for code, value in zip(ordered["area_code"], ordered["value"])
                   if not pd.isna(value))
    return RankedYear(standing.year, standing, values, comparison.authority,
                      comparison.neighbours, comparison.link.label)
