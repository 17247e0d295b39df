"""The published files are read for what is used only (issue 10: memory): the LAIT table's
mapped codes, an EES file's used columns. The tables and failures are what reading everything
and then choosing gave (the readers as they were are kept below)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from domain.published import importers
from domain.published.importers import (EES_GEOGRAPHY, LAIT_COLUMNS, LOCAL, NATIONAL, REGIONAL,
                                        ENGLAND_LAIT_NUMBER, FIRST_LAIT_REGION_NUMBER,
                                        PublishedRead, read_ees, read_lait)
from domain.published.sample import C1_FILE, CSWW_FILE, LAIT_FILE, write_published_sample
from test_published import write_ees, write_lait  # tests/unit on sys.path


def read_lait_before(path, codes=None):
    path = Path(path)
    raw = pd.read_parquet(path, columns=list(LAIT_COLUMNS))
    failures = importers._missing_columns(raw.columns, LAIT_COLUMNS, path.name, "the LAIT table")
    if failures:
        return PublishedRead(importers.empty_table(), tuple(failures))
    raw["_row"] = range(1, len(raw) + 1)
    raw["Data item"] = raw.groupby("Short Desc", sort=False)["Data item"].ffill()
    if codes is not None:
        raw = raw[raw["Short Desc"].isin(list(codes))]
    years, failures = importers._years(raw["Years"], raw["_row"], "Years")
    values, reasons, value_failures = importers.parse_values(raw["Values"], raw["_row"], "Values")
    number = raw["LA Number"]
    level = pd.Series(LOCAL, index=raw.index, dtype="str")
    level = level.where(number != ENGLAND_LAIT_NUMBER, NATIONAL)
    level = level.where(number < FIRST_LAIT_REGION_NUMBER, REGIONAL)
    frame = pd.DataFrame({
        "measure": raw["Short Desc"], "title": raw["Data item"].fillna(raw["Short Desc"]),
        "year": years, "year_text": raw["Years"], "level": level,
        "area_code": number.astype("Int64").astype("str").where(level == LOCAL, ""),
        "area_name": raw["LA and Regions"], "value": values, "missing_reason": reasons})
    return importers._finish(frame, failures + value_failures)


def read_ees_before(path, measures, filters=None):
    path = Path(path)
    raw = pd.read_csv(path, dtype="str", keep_default_na=False, encoding="utf-8-sig")
    filters = dict(filters or {})
    failures = importers._missing_columns(raw.columns, [*EES_GEOGRAPHY[:4], *filters, *measures],
                                          path.name, ", ".join(measures))
    if failures:
        return PublishedRead(importers.empty_table(), tuple(failures))
    raw["_row"] = range(2, len(raw) + 2)
    for column, wanted in filters.items():
        raw = raw[raw[column].str.strip() == wanted]
    parts, failures = [], []
    years, year_failures = importers._years(raw["time_period"], raw["_row"], "time_period")
    failures += year_failures
    national = raw["geographic_level"] == NATIONAL
    names = raw["la_name"].where(raw["geographic_level"] == LOCAL,
                                 raw.get("region_name", raw["la_name"]))
    names = names.where(~national, "England")
    for measure in measures:
        values, reasons, value_failures = importers.parse_values(raw[measure], raw["_row"],
                                                                 measure)
        failures += value_failures
        parts.append(pd.DataFrame({
            "measure": measure, "title": measure, "year": years, "year_text": raw["time_period"],
            "level": raw["geographic_level"], "area_code": raw["old_la_code"].str.strip(),
            "area_name": names, "value": values, "missing_reason": reasons}))
    frame = pd.concat(parts, ignore_index=True) if parts else importers.empty_table()
    frame = frame[frame["level"].isin([NATIONAL, REGIONAL, LOCAL])]
    return importers._finish(frame, failures)


def assert_same_read(found: PublishedRead, expected: PublishedRead):
    assert found.failures == expected.failures
    pd.testing.assert_frame_equal(found.table, expected.table)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return write_published_sample(tmp_path_factory.mktemp("published"))


def _sample_codes(folder: Path) -> list[str]:
    return list(dict.fromkeys(pd.read_parquet(folder / LAIT_FILE)["Short Desc"]))


@pytest.mark.parametrize("choose", ["all", "none", "first", "last two", "unknown", "every"])
def test_lait_read_for_some_codes_is_what_reading_all_and_choosing_gave(sample, choose):
    codes = _sample_codes(sample)
    wanted = {"all": None, "none": [], "first": codes[:1], "last two": codes[-2:],
              "unknown": ["NoSuchCode", codes[0]], "every": codes}[choose]
    assert_same_read(read_lait(sample / LAIT_FILE, wanted),
                     read_lait_before(sample / LAIT_FILE, wanted))


def test_lait_titles_and_failures_with_codes_as_before(tmp_path):
    path = write_lait(tmp_path / "bds.parquet")
    for codes in (None, ["RTA"], ["ReReferral"], ["ReReferral", "RTA"]):
        assert_same_read(read_lait(path, codes), read_lait_before(path, codes))


@pytest.mark.parametrize("file, measures, filters", [
    (C1_FILE, ["rereferral_percent"], {"category": "Referrals and Re-referrals"}),
    (C1_FILE, ["rereferral_percent", "no_further_action_percent"], {}),
    (CSWW_FILE, ["caseload_fte"], {}),
    (CSWW_FILE, ["no_such_measure"], {})])
def test_ees_read_for_the_used_columns_is_what_reading_all_gave(sample, file, measures, filters):
    assert_same_read(read_ees(sample / file, measures, filters),
                     read_ees_before(sample / file, measures, filters))


def test_ees_values_and_failures_from_the_used_columns_as_before(tmp_path):
    path = write_ees(tmp_path / "c1.csv")
    for measures, filters in ((["rereferral_percent"], {"breakdown": "Total"}),
                              (["rereferral_percent"], {}), (["turnover_rate_fte"], {})):
        assert_same_read(read_ees(path, measures, filters),
                         read_ees_before(path, measures, filters))


def test_comparisons_are_kept_until_a_file_they_come_from_changes(sample, monkeypatch):
    import os

    from domain.published.comparators import NEIGHBOURS_FILE, PublishedSource
    from test_published import LINKS

    source = PublishedSource(sample, LINKS, True)
    worked_out = []
    compare = source._compare
    monkeypatch.setattr(source, "_compare",
                        lambda *args: worked_out.append(args) or compare(*args))
    first, _ = source.comparisons("19a", "801")
    again, _ = source.comparisons("19a", "801")
    assert first and [id(c) for c in again] == [id(c) for c in first] and len(worked_out) == 1
    path = sample / NEIGHBOURS_FILE
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    anew, _ = source.comparisons("19a", "801")
    assert len(anew) == len(first) and anew[0] is not first[0] and len(worked_out) == 2
