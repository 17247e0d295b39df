"""Checking an upload costs about the same number of Python calls for 2,000 rows as for 20: the
checks are vectorised (pandas), so a loop over rows coming back, the cost that made a
20,000-row dry run take a minute, fails here. Counted calls, never timings."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from domain.ingest.csvtext import SOURCE_ROW
from domain.ingest.upload import FAR_FROM_PREVIOUS, check_upload, far_from_previous_failures
from domain.rules.failures import failure
from domain.store.repository import KPI_VALUES, empty_frame
from domain.store.source import open_store


def python_calls(function) -> int:
    """How many Python and C functions `function()` calls (deterministic, unlike a timing)."""
    count = [0]

    def profile(_frame, event, _arg):
        if event in ("call", "c_call"):
            count[0] += 1

    sys.setprofile(profile)
    try:
        function()
    finally:
        sys.setprofile(None)
    return count[0]


def quarterly_rows(areas: int, jump_in: str = "Area 0") -> pd.DataFrame:
    """Four quarters of KPI 17a for each area; only `jump_in` jumps far from its previous."""
    ends = pd.to_datetime(["2016-06-30", "2016-09-30", "2016-12-31", "2017-03-31"])
    names = [f"Area {i}" for i in range(areas)]
    frame = pd.DataFrame({
        "kpi_ref": pd.Series(["17a"] * 4 * areas, dtype="str"),
        "area": pd.Series(np.repeat(names, 4), dtype="str"),
        "period": pd.Series([f"2016/17 Q{q}" for q in range(1, 5)] * areas, dtype="str"),
        "period_end": np.tile(ends, areas).astype("datetime64[ns]"),
        "value": [10.0] * 4 * areas,
        SOURCE_ROW: np.arange(2, 4 * areas + 2),
    })
    frame.loc[(frame.area == jump_in) & (frame.period == "2016/17 Q4"), "value"] = 100.0
    return frame


def test_far_from_previous_is_one_join_not_a_filter_per_row():
    current = empty_frame(KPI_VALUES)
    small, large = quarterly_rows(5), quarterly_rows(500)
    assert len(far_from_previous_failures(large, current, "value")) == 1
    small_calls = python_calls(lambda: far_from_previous_failures(small, current, "value"))
    large_calls = python_calls(lambda: far_from_previous_failures(large, current, "value"))
    # 1,980 more rows; the per-row filter this replaced made hundreds of calls per row.
    assert large_calls - small_calls < len(large) - len(small)


def test_far_from_previous_compares_with_the_store_and_the_file():
    current = quarterly_rows(2).iloc[[0, 4]]  # Q1 of each area in the store
    incoming = quarterly_rows(2).iloc[[1, 5]].copy()  # Q2 in the file
    incoming.loc[incoming.area == "Area 1", "value"] = 16.0  # +60%: far
    (found,) = far_from_previous_failures(incoming, current, "value")
    assert (found.row, found.code, found.value) == (int(incoming.source_row.iloc[1]),
                                                    "far_from_previous", "16")
    assert "previous value 10 (2016/17 Q1)" in found.message


def row_by_row_far_from_previous(rows: pd.DataFrame, current: pd.DataFrame, column: str):
    """The check as it was written before the join: the history filtered once per row."""
    history = pd.concat([current[["kpi_ref", "area", "period", "period_end", "value"]],
                         rows[["kpi_ref", "area", "period", "period_end", "value"]]])
    history = history.drop_duplicates(["kpi_ref", "area", "period"], keep="last")
    found = []
    for row in rows.to_dict("records"):
        earlier = history[(history.kpi_ref == row["kpi_ref"]) & (history.area == row["area"])
                          & (history.period_end < row["period_end"])]
        if earlier.empty:
            continue
        previous = earlier.sort_values("period_end", kind="stable").iloc[-1]
        if previous.value and abs(row["value"] - previous.value) > \
                FAR_FROM_PREVIOUS * abs(previous.value):
            found.append(failure("far_from_previous", int(row[SOURCE_ROW]), column,
                                 f"{row['value']:g}", kpi_ref=row["kpi_ref"],
                                 previous=f"{previous.value:g}",
                                 previous_period=previous.period))
    return found


QUARTERS = [(f"2016/17 Q{q}", end) for q, end in
            enumerate(["2016-06-30", "2016-09-30", "2016-12-31", "2017-03-31"], start=1)]
ENTRY = st.tuples(st.sampled_from(["17a", "19a"]), st.sampled_from(["", "North", "South"]),
                  st.sampled_from(QUARTERS), st.sampled_from([0.0, 1.0, 10.0, 14.0, 16.0, -8.0]))


def _frame(entries, first_row: int) -> pd.DataFrame:
    frame = pd.DataFrame({
        "kpi_ref": pd.Series([e[0] for e in entries], dtype="str"),
        "area": pd.Series([e[1] for e in entries], dtype="str"),
        "period": pd.Series([e[2][0] for e in entries], dtype="str"),
        "period_end": pd.Series([pd.Timestamp(e[2][1]) for e in entries],
                                dtype="datetime64[ns]"),
        "value": pd.Series([e[3] for e in entries], dtype="float64"),
    })
    frame[SOURCE_ROW] = pd.Series(range(first_row, first_row + len(entries)), dtype="int64")
    return frame


@hypothesis_settings(max_examples=200, deadline=None)
@given(stored=st.lists(ENTRY, max_size=10), incoming=st.lists(ENTRY, max_size=10))
def test_the_join_warns_exactly_where_the_row_by_row_check_did(stored, incoming):
    current = _frame(stored, 100).drop_duplicates(["kpi_ref", "area", "period"], keep="last")
    rows = _frame(incoming, 2).drop_duplicates(["kpi_ref", "area", "period"], keep="last")
    assert far_from_previous_failures(rows, current, "Value") == \
        row_by_row_far_from_previous(rows, current, "Value")


class CountingStore:
    """A store that counts the calls made to it."""

    def __init__(self, store):
        self._store = store
        self.calls: list[str] = []

    def __getattr__(self, name):
        attribute = getattr(self._store, name)
        if not callable(attribute):
            return attribute

        def counted(*args, **kwargs):
            self.calls.append(name)
            return attribute(*args, **kwargs)
        return counted


@pytest.fixture
def store(settings):
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


def _returns_file(rows: int, areas: int = 20) -> bytes:
    """KPI 17a for `areas` areas over as many quarters as it takes to make `rows` rows."""
    quarters = [f"{year}/{(year + 1) % 100:02d} Q{q}" for year in range(2016, 1990, -1)
                for q in (4, 3, 2, 1)][:rows // areas]
    lines = ["kpi_ref,period,value,area"]
    lines += [f"17a,{quarter},{60 + i % 7},Team {area}" for i, quarter in enumerate(quarters)
              for area in range(areas)]
    return ("\n".join(lines) + "\n").encode()


def test_a_2000_row_check_asks_the_store_as_often_as_a_20_row_one(store, dataset):
    calls = []
    for rows in (20, 2000):
        counting = CountingStore(store)
        check = check_upload(_returns_file(rows), "r.csv", dataset.plan, counting)
        assert len(check.rows) == rows and not check.error_count
        calls.append(sorted(counting.calls))
    assert calls[0] == calls[1]


def test_checking_2000_rows_makes_few_more_calls_than_200(store, dataset, monkeypatch):
    """Once the file is read into records (the csv module's loop, which the read budgets
    bound record by record: domain/ingest/csvtext.py), the checks, the far-from-previous join
    and the preview are whole-column operations; what is left is per distinct text (36 more
    periods here), never per row. A loop over rows would add tens of thousands of calls."""
    import domain.ingest.upload as upload

    small, large = _returns_file(200, areas=50), _returns_file(2000, areas=50)
    read = {content: upload.read_upload_records(content) for content in (small, large)}
    extra = {content: upload.extra_cell_failures(read[content][1], ("kpi_ref",))
             for content in (small, large)}
    assert extra[small] == extra[large] == []
    monkeypatch.setattr(upload, "read_upload_records", read.__getitem__)
    monkeypatch.setattr(upload, "extra_cell_failures", lambda _records, _required: [])
    for content in (small, large):  # warm: the first call of anything imports and caches
        check_upload(content, "r.csv", dataset.plan, store)
    small_calls = python_calls(lambda: check_upload(small, "r.csv", dataset.plan, store))
    large_calls = python_calls(lambda: check_upload(large, "r.csv", dataset.plan, store))
    assert large_calls - small_calls < 2000 - 200
