"""Published comparators for plan KPIs: England, the authority's statistical neighbours (mean and
range) and the core cities, from DfE's published statistics.

`data/plan/published_measures.csv` ties a plan KPI to a published measure: its source layout
(`ees` or `lait`), file (relative to the published folder), measure (column or LAIT code), an
optional row filter (`column=value;column=value`), the year convention it is published on, its
name in words (pages never show the raw column code) and, where the definitions differ from the
KPI's (17a-c against DfE's caseload per social worker), a note saying how.

`PublishedSource` loads each file once per process and keeps it until the file changes (the key
is the file's modification time), like `domain.store.source.StoreDatasetSource`; it lives on the app.
"""

from __future__ import annotations

import csv
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from domain.rules.benchmark import Benchmark, benchmark
from domain.rules.failures import Failure, failure
from domain.published.importers import LOCAL, NATIONAL, PublishedRead, read_ees, read_lait, read_neighbours

EES, LAIT = "ees", "lait"
SOURCE_NAMES = {EES: "DfE Explore Education Statistics", LAIT: "DfE LAIT"}
DEFAULT_AUTHORITY = "801"  # Bristol, City of
CORE_CITIES = ("Birmingham", "Bristol", "Leeds", "Liverpool", "Manchester",
               "Newcastle upon Tyne", "Nottingham", "Sheffield")
NEIGHBOURS_FILE = "ees/New_Statistical_Neighbour_Groupings_April_2021.csv"
COMPARATOR_COLUMNS = ("year", "authority", "england", "neighbour_mean", "neighbour_min",
                      "neighbour_max", "neighbour_count")


@dataclass(frozen=True)
class MeasureLink:
    kpi_ref: str
    source: str
    file: str
    measure: str
    filters: tuple[tuple[str, str], ...]
    year_convention: str
    name: str = ""  # in words: "Turnover rate, DfE children's social work workforce"
    note: str = ""  # how its definition differs from the KPI's, when it does

    @property
    def title(self) -> str:
        """What the pages call it: its name in words (the raw code only if the mapping has
        no name)."""
        return self.name or self.measure

    def period_end(self, year: int) -> date:
        """Where a published year sits on a time axis, by the measure's year convention."""
        convention = self.year_convention.lower()
        if "september" in convention:
            return date(year, 9, 30)
        if "august" in convention or "academic" in convention:
            return date(year, 8, 31)
        return date(year, 3, 31)

    @property
    def label(self) -> str:
        return (f"{SOURCE_NAMES.get(self.source, self.source)}: {self.title} "
                f"({Path(self.file).name}), years are {self.year_convention}")


def _filters(text: str) -> tuple[tuple[str, str], ...]:
    pairs = [part.split("=", 1) for part in text.split(";") if "=" in part]
    return tuple((k.strip(), v.strip()) for k, v in pairs)


def read_measure_links(path: Path | str) -> tuple[MeasureLink, ...]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return tuple(MeasureLink(r["kpi_ref"].strip(), r["source"].strip(), r["file"].strip(),
                                 r["measure"].strip(), _filters(r.get("filter") or ""),
                                 r["year_convention"].strip(), (r.get("name") or "").strip(),
                                 (r.get("note") or "").strip())
                     for r in csv.DictReader(handle))


def core_city_codes(table: pd.DataFrame) -> dict[str, str]:
    """Core city -> LA code, matched by name ("Bristol, City of" is Bristol)."""
    local = table[table["level"] == LOCAL][["area_code", "area_name"]].drop_duplicates()
    out = {}
    for city in CORE_CITIES:
        match = local[(local["area_name"] == city)
                      | local["area_name"].str.startswith(city + ",")]
        if not match.empty:
            out[city] = match["area_code"].iloc[0]
    return out


def comparator_table(table: pd.DataFrame, measure: str, authority: str,
                     neighbours: tuple[str, ...]) -> pd.DataFrame:
    """One row per year: the authority, England, the neighbours' mean/min/max and how many
    neighbours had a value, then a column per core city. Missing values stay missing."""
    rows = table[(table["measure"] == measure) & table["value"].notna()]
    local = rows[rows["level"] == LOCAL]
    by_year = pd.DataFrame({"year": sorted(rows["year"].unique())}).set_index("year")
    by_year["authority"] = local[local["area_code"] == authority].groupby("year")["value"].first()
    by_year["england"] = rows[rows["level"] == NATIONAL].groupby("year")["value"].first()
    sn = local[local["area_code"].isin(neighbours)].groupby("year")["value"]
    by_year["neighbour_mean"] = sn.mean()
    by_year["neighbour_min"] = sn.min()
    by_year["neighbour_max"] = sn.max()
    by_year["neighbour_count"] = sn.count()
    by_year["neighbour_count"] = by_year["neighbour_count"].fillna(0).astype("int64")
    for city, code in core_city_codes(table).items():
        by_year[city] = local[local["area_code"] == code].groupby("year")["value"].first()
    return by_year.reset_index()


@dataclass(frozen=True)
class Comparison:
    link: MeasureLink
    table: pd.DataFrame  # comparator_table
    authority_name: str
    import_failures: tuple[Failure, ...] = ()  # rows of the file (as read) left out, and why
    # Every authority's value each year (`year`, `area_code`, `value`: NaN where suppressed or
    # missing), the authority and its statistical neighbours: for the rank and band.
    local: pd.DataFrame | None = None
    authority: str = DEFAULT_AUTHORITY
    neighbours: tuple[str, ...] = ()

    def year_label(self, year: int) -> str:
        """A published year as the financial or academic year it falls in: "2016/17"."""
        end = self.link.period_end(year)
        if end.month == 8:  # an academic year, September to August
            start = end.year - 1
        else:  # the financial year, April to March, that the date falls in
            start = end.year if end.month >= 4 else end.year - 1
        return f"{start}/{(start + 1) % 100:02d}"


def benchmarks(comparison: Comparison, higher_is_better: bool) -> list[Benchmark]:
    """The authority's rank and band among all authorities, each published year, oldest first
    (domain/rules/benchmark.py)."""
    local = comparison.local
    if local is None or local.empty:
        return []
    england = dict(zip(comparison.table["year"], comparison.table["england"]))
    out = []
    for year, rows in local.groupby("year", sort=True):
        values = {code: (None if pd.isna(value) else float(value))
                  for code, value in zip(rows["area_code"], rows["value"])}
        national = england.get(year)
        out.append(benchmark(
            comparison.year_label(int(year)), values, comparison.authority,
            comparison.neighbours,
            england=None if national is None or pd.isna(national) else float(national),
            higher_is_better=higher_is_better))
    return out


class PublishedSource:
    """The published folder behind the app, read lazily and cached per file modification time."""

    def __init__(self, folder: Path | None, links_path: Path, is_sample: bool):
        self.folder = Path(folder) if folder else None
        self.links_path = Path(links_path)
        self.is_sample = is_sample
        self._lock = threading.Lock()
        self._cache: dict[tuple, object] = {}

    def _cached(self, key: tuple, path: Path | tuple[Path | None, ...], load):
        """`load()`, kept until the file (or any of the files) changes."""
        paths = path if isinstance(path, tuple) else (path,)
        stamp = tuple(p.stat().st_mtime_ns if p is not None and p.exists() else None
                      for p in paths)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] == stamp:
                return hit[1]
        value = load()
        with self._lock:
            self._cache[key] = (stamp, value)
        return value

    def links(self, kpi_ref: str | None = None) -> tuple[MeasureLink, ...]:
        if not self.links_path.exists():
            return ()
        links = self._cached(("links",), self.links_path,
                             lambda: read_measure_links(self.links_path))
        return tuple(link for link in links if kpi_ref is None or link.kpi_ref == kpi_ref)

    def neighbours(self) -> dict[str, tuple[str, ...]]:
        path = self.folder / NEIGHBOURS_FILE if self.folder else None
        if path is None or not path.exists():
            return {}
        return self._cached(("neighbours",), path, lambda: read_neighbours(path))

    def read(self, link: MeasureLink) -> PublishedRead | Failure:
        path = self.folder / link.file if self.folder else None
        if path is None or not path.exists():
            return failure("published_missing_file", None, "file", link.file,
                           folder=str(self.folder), kpi_ref=link.kpi_ref, source=link.source)
        if link.source == LAIT:
            # One read of the LAIT table serves every mapped code.
            codes = tuple(sorted({lk.measure for lk in self.links() if lk.source == LAIT}))
            return self._cached(("lait", str(path), codes), path, lambda: read_lait(path, codes))
        return self._cached(("ees", str(path), link.measure, link.filters), path,
                            lambda: read_ees(path, [link.measure], dict(link.filters)))

    def authorities(self) -> tuple[tuple[str, str], ...]:
        """(LA code, name) of every authority in the first readable mapped file."""
        for link in self.links():
            read = self.read(link)
            if isinstance(read, PublishedRead) and not read.table.empty:
                local = read.table[read.table["level"] == LOCAL]
                pairs = local[["area_code", "area_name"]].drop_duplicates("area_code")
                return tuple(sorted(zip(pairs["area_code"], pairs["area_name"]),
                                    key=lambda p: p[1]))
        return ()

    def comparisons(self, kpi_ref: str, authority: str = DEFAULT_AUTHORITY
                    ) -> tuple[list[Comparison], list[Failure]]:
        """The KPI's comparisons for an authority, kept until a file they come from changes
        (each page and chart asks again; working them out takes a tenth of a second)."""
        sources = [] if self.folder is None else [
            self.folder / NEIGHBOURS_FILE, *(self.folder / link.file
                                             for link in self.links(kpi_ref))]
        out, failures = self._cached(("comparisons", kpi_ref, authority),
                                     (self.links_path, *sources),
                                     lambda: self._compare(kpi_ref, authority))
        return list(out), list(failures)

    def _compare(self, kpi_ref: str, authority: str
                 ) -> tuple[tuple[Comparison, ...], tuple[Failure, ...]]:
        out, failures = [], []
        neighbours = self.neighbours().get(authority, ())
        for link in self.links(kpi_ref):
            read = self.read(link)
            if isinstance(read, Failure):
                failures.append(read)
                continue
            # Whole-file problems stop a comparison; row problems (a rolling three-year
            # measure's years) concern other measures and are listed by the importer.
            failures.extend(f for f in read.failures if f.row is None)
            table = read.table
            if table.empty:
                continue
            names = table[(table["level"] == LOCAL) & (table["area_code"] == authority)]
            name = names["area_name"].iloc[0] if not names.empty else f"LA {authority}"
            compared = comparator_table(table, link.measure, authority, neighbours)
            local = table[(table["measure"] == link.measure) & (table["level"] == LOCAL)]
            if not compared.empty:
                out.append(Comparison(link, compared, name, read.failures,
                                      local[["year", "area_code", "value"]]
                                      .reset_index(drop=True), authority, neighbours))
        return tuple(out), tuple(failures)
