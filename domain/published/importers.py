"""Importers for DfE's published children's social care statistics, in their own layouts.

Two layouts, one tidy table out (PUBLISHED_COLUMNS, one row per measure x year x area):

- Explore Education Statistics (EES) CSV: one row per year x geography, a column per measure;
  `geographic_level` is National, Regional or Local authority; LAs have `old_la_code` (801).
- The Local Authority Interactive Tool's long table (parquet): `Short Desc` (measure code), `Data
  item` (title, on a measure's first row only), `Years`, `LA and Regions`, `Values` (text), `LA
  Number` (970 England, 980+ regions).

The files are messy, and each mess is handled here once: suppression codes (c, x, z, k, u, `-`)
become a missing value with the reason kept; float noise (`16.100000000000001`) is rounded away;
years come in many spellings (`2016`, `2016-17`, `2016/17`, `2016-17 (OT)`, `2018 (Rev)`,
`201617`), each placed at the year its period ends. What cannot be imported (a multi-year range
such as `2014-16`, a value that is neither a number nor a code) is a failure row, never dropped
silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from domain.rules.failures import Failure, failure

PUBLISHED_COLUMNS = ("measure", "title", "year", "year_text", "level", "area_code", "area_name",
                     "value", "missing_reason")
NATIONAL, REGIONAL, LOCAL = "National", "Regional", "Local authority"
SUPPRESSION_CODES = {"c": "suppressed (confidential)", "x": "not available",
                     "z": "not applicable", "k": "under 0.5", "u": "low reliability",
                     "-": "suppressed", ":": "not available", "..": "not available"}
DECIMALS = 6  # published figures have at most a few decimals; more is float noise
ENGLAND_LAIT_NUMBER = 970
FIRST_LAIT_REGION_NUMBER = 980

EES_GEOGRAPHY = ("time_period", "geographic_level", "old_la_code", "la_name", "region_name")
LAIT_COLUMNS = ("Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number")

_QUALIFIER = re.compile(r"\s*\((?:[^)]*)\)\s*$")  # (OT), (Rev), (Final), (prov)
_SINGLE = re.compile(r"^(\d{4})$")
_SPAN = re.compile(r"^(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")  # 2016-17, 2016/17, 2016/2017, 2014-16
_EES_SPAN = re.compile(r"^(\d{4})(\d{2})$")  # 201617 (EES academic/financial year)


class YearError(ValueError):
    pass


def parse_year(text: object) -> int:
    """The year in which the period a published year spelling names ends: `2016` -> 2016,
    `2016-17`, `2016/17`, `201617`, `2016-17 (OT)` -> 2017, `2018 (Rev)` -> 2018.

    Raises YearError with the reason for a range longer than a year (`2014-16`, rolling three
    years) or anything else that is not a year."""
    raw = "" if text is None else str(text).strip()
    cleaned = _QUALIFIER.sub("", raw)
    if match := _SINGLE.match(cleaned):
        year = int(match.group(1))
        if 1900 < year < 2100:
            return year
        raise YearError("not a plausible year")
    match = _SPAN.match(cleaned) or _EES_SPAN.match(cleaned)
    if match:
        start, end_text = int(match.group(1)), match.group(2)
        end = int(end_text) if len(end_text) == 4 else start // 100 * 100 + int(end_text)
        if end == start + 1:
            return end
        raise YearError(f"it spans {end - start + 1} years, not one")
    raise YearError("a range of years or no year at all" if "-" in cleaned or "/" in cleaned
                    else "not a year")


@dataclass(frozen=True)
class PublishedRead:
    table: pd.DataFrame  # PUBLISHED_COLUMNS
    failures: tuple[Failure, ...]


def empty_table() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else
                                      "int64" if c == "year" else "str")
                         for c in PUBLISHED_COLUMNS})


def parse_values(texts: pd.Series, rows: pd.Series, column: str
                 ) -> tuple[pd.Series, pd.Series, list[Failure]]:
    """Numbers (rounded past float noise), the suppression reason where a code stands in for a
    number, and failures for anything else. Vectorised: the LAIT table has 641,070 rows."""
    text = texts.astype("str").str.strip()
    text = text.where(texts.notna(), "")
    lowered = text.str.lower()
    reasons = lowered.map(SUPPRESSION_CODES)
    numbers = pd.to_numeric(text.str.replace(",", "", regex=False).str.rstrip("%"),
                            errors="coerce").round(DECIMALS)
    blank = text == ""
    reasons = reasons.where(~blank, "blank")
    bad = numbers.isna() & reasons.isna()
    failures = [failure("published_bad_value", int(r), column, v)
                for r, v in zip(rows[bad], text[bad])]
    return numbers, reasons.astype("str").where(reasons.notna(), ""), failures


def _years(texts: pd.Series, rows: pd.Series, column: str) -> tuple[pd.Series, list[Failure]]:
    """Each distinct spelling is parsed once (a few dozen in 641,070 rows)."""
    placed: dict[str, int | None] = {}
    reasons: dict[str, str] = {}
    for spelling in texts.astype("str").unique():
        try:
            placed[spelling] = parse_year(spelling)
        except YearError as error:
            placed[spelling], reasons[spelling] = None, str(error)
    years = texts.astype("str").map(placed)
    bad = years.isna()
    failures = [failure("published_bad_year", int(r), column, v, reason=reasons[v])
                for r, v in zip(rows[bad], texts[bad].astype("str"))]
    return years, failures


def _finish(frame: pd.DataFrame, failures: list[Failure]) -> PublishedRead:
    frame = frame[frame["year"].notna() & (frame["value"].notna() | (frame["missing_reason"]
                                                                     != ""))]
    frame = frame.astype({"year": "int64"})[list(PUBLISHED_COLUMNS)].reset_index(drop=True)
    return PublishedRead(frame, tuple(failures))


def _missing_columns(columns: Iterable[str], needed: Sequence[str], file: str, what: str
                     ) -> list[Failure]:
    present = set(columns)
    return [failure("published_missing_column", None, c, file=file, what=what)
            for c in needed if c not in present]


def read_ees(path: Path | str, measures: Sequence[str],
             filters: Mapping[str, str] | None = None) -> PublishedRead:
    """The `measures` columns of an EES CSV, for the rows matching every `filters` cell
    (e.g. breakdown = "Had their teeth checked by a dentist")."""
    path = Path(path)
    filters = dict(filters or {})
    header = pd.read_csv(path, dtype="str", nrows=0, encoding="utf-8-sig").columns
    failures = _missing_columns(header, [*EES_GEOGRAPHY[:4], *filters, *measures],
                                path.name, ", ".join(measures))
    if failures:
        return PublishedRead(empty_table(), tuple(failures))
    # Only the columns used: the widest files have dozens of measures per row (issue 10).
    used = {*EES_GEOGRAPHY, *filters, *measures}
    raw = pd.read_csv(path, dtype="str", keep_default_na=False, encoding="utf-8-sig",
                      usecols=[column for column in header if column in used])
    raw["_row"] = range(2, len(raw) + 2)  # the row a spreadsheet shows (header is row 1)
    for column, wanted in filters.items():
        raw = raw[raw[column].str.strip() == wanted]
    parts, failures = [], []
    years, year_failures = _years(raw["time_period"], raw["_row"], "time_period")
    failures += year_failures
    national = raw["geographic_level"] == NATIONAL
    names = raw["la_name"].where(raw["geographic_level"] == LOCAL,
                                 raw.get("region_name", raw["la_name"]))
    names = names.where(~national, "England")
    for measure in measures:
        values, reasons, value_failures = parse_values(raw[measure], raw["_row"], measure)
        failures += value_failures
        parts.append(pd.DataFrame({
            "measure": measure, "title": measure, "year": years, "year_text": raw["time_period"],
            "level": raw["geographic_level"], "area_code": raw["old_la_code"].str.strip(),
            "area_name": names, "value": values, "missing_reason": reasons}))
    frame = pd.concat(parts, ignore_index=True) if parts else empty_table()
    frame = frame[frame["level"].isin([NATIONAL, REGIONAL, LOCAL])]
    return _finish(frame, failures)


def read_lait(path: Path | str, codes: Sequence[str] | None = None) -> PublishedRead:
    """The LAIT long table, all measures or only `codes`. Titles are carried down from each
    measure's first row."""
    path = Path(path)
    failures = _missing_columns(pq.read_schema(path).names, LAIT_COLUMNS, path.name,
                                "the LAIT table")
    if failures:
        return PublishedRead(empty_table(), tuple(failures))
    raw = _lait_rows(path, codes)
    # A measure's title is on its first row: carried down within the measure, which keeps all
    # its rows whichever codes are read.
    raw["Data item"] = raw.groupby("Short Desc", sort=False)["Data item"].ffill()
    years, failures = _years(raw["Years"], raw["_row"], "Years")
    values, reasons, value_failures = parse_values(raw["Values"], raw["_row"], "Values")
    number = raw["LA Number"]
    level = pd.Series(LOCAL, index=raw.index, dtype="str")
    level = level.where(number != ENGLAND_LAIT_NUMBER, NATIONAL)
    level = level.where(number < FIRST_LAIT_REGION_NUMBER, REGIONAL)
    frame = pd.DataFrame({
        "measure": raw["Short Desc"], "title": raw["Data item"].fillna(raw["Short Desc"]),
        "year": years, "year_text": raw["Years"], "level": level,
        "area_code": number.astype("Int64").astype("str").where(level == LOCAL, ""),
        "area_name": raw["LA and Regions"], "value": values, "missing_reason": reasons})
    return _finish(frame, failures + value_failures)


def _lait_rows(path: Path, codes: Sequence[str] | None) -> pd.DataFrame:
    """The LAIT columns of the rows of `codes` (every row when None), with `_row`, each row's
    number in the file. Only the wanted rows become a table (issue 10): reading all 641,070
    rows to keep a few thousand held a server process's memory up by about 130 MB."""
    columns = list(LAIT_COLUMNS)
    try:
        if codes is None:
            raw = pq.read_table(path, columns=columns, use_threads=False).to_pandas()
            raw["_row"] = range(1, len(raw) + 1)
            return raw
        measures = pq.read_table(path, columns=["Short Desc"], use_threads=False)["Short Desc"]
        keep = pc.fill_null(pc.is_in(measures, value_set=pa.array(list(codes), pa.string())),
                            False)
        rows = np.flatnonzero(keep.to_numpy(zero_copy_only=False)) + 1
        table = (pq.read_table(path, columns=columns, use_threads=False,
                               filters=[("Short Desc", "in", list(codes))])
                 if len(codes) else None)
        if table is None or not table["Short Desc"].equals(measures.filter(keep)):
            # Rows not in file order (or no codes): keep the wanted rows of the whole table.
            table = pq.read_table(path, columns=columns, use_threads=False).filter(keep)
        del measures
        raw = table.to_pandas()
        raw["_row"] = rows
        return raw
    finally:
        pa.default_memory_pool().release_unused()  # give the read's buffers back


def read_neighbours(path: Path | str) -> dict[str, tuple[str, ...]]:
    """LA number -> its statistical neighbours' LA numbers, from the DfE groupings file
    (columns `LA number`, `SN1`..`SN10`; the file repeats `SNP` closeness headers)."""
    raw = pd.read_csv(path, dtype="str", keep_default_na=False, encoding="utf-8-sig")
    key = "LA number" if "LA number" in raw.columns else raw.columns[0]
    sn_columns = [c for c in raw.columns if re.fullmatch(r"SN\d+", c)]
    return {str(row[key]).strip(): tuple(str(row[c]).strip() for c in sn_columns
                                         if str(row[c]).strip())
            for _, row in raw.iterrows() if str(row[key]).strip()}
