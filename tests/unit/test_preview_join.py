"""The preview and the checks against the store are joins (issue 10): the same answers as the
search per row they replaced, kept below as they were, on awkward frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from domain.ingest.csvtext import SOURCE_ROW
from domain.ingest.upload import nearest_area_hint, new_area_failures, with_kpi_context
from domain.rules.failures import failure
from domain.store.repository import (ACTION_PROGRESS, DATE_COLUMNS, KIND_SPECS, KPI_VALUES,
                                     Preview, compare, empty_frame, frame_of)
from test_returns import PLAN  # the tiny plan of the returns tests (tests/unit on sys.path)


# --- as they were --------------------------------------------------------------------------------

def _same_before(a, b) -> bool:
    a_blank = a is None or (isinstance(a, float) and math.isnan(a))
    b_blank = b is None or (isinstance(b, float) and math.isnan(b))
    if a_blank or b_blank:
        return a_blank and b_blank
    if isinstance(a, float) or isinstance(b, float):
        return abs(float(a) - float(b)) < 1e-9
    return a == b


def _key_part(value, column: str):
    return pd.Timestamp(value).date() if column in DATE_COLUMNS else value


def compare_before(current: pd.DataFrame, incoming: pd.DataFrame, kind: str) -> Preview:
    spec = KIND_SPECS[kind]
    by_key = {tuple(_key_part(row[c], c) for c in spec.key): row
              for row in current.to_dict("records")}
    new, revised, unchanged = [], [], []
    for row in incoming.to_dict("records"):
        old = by_key.get(tuple(_key_part(row[c], c) for c in spec.key))
        if old is None:
            new.append(row)
        elif all(_same_before(row[c], old[c]) for c in spec.compared):
            unchanged.append(row)
        else:
            revised.append({**row, **{f"old_{c}": old[c] for c in spec.compared},
                            "old_batch_id": old.get("batch_id")})
    return Preview(frame_of(new, kind), frame_of(revised, kind), frame_of(unchanged, kind))


def with_kpi_context_before(rows, current, plan):
    out = rows.copy()
    kpis = [plan.kpi(ref) for ref in out["kpi_ref"]]
    out["measure"] = [kpi.measure if kpi else "" for kpi in kpis]
    out["unit"] = [kpi.unit_label if kpi else "" for kpi in kpis]
    history = current.sort_values("period_end", kind="stable")
    before = []
    for kpi, row in zip(kpis, out.to_dict("records")):
        earlier = history[(history["kpi_ref"] == row["kpi_ref"])
                          & (history["area"] == row["area"])
                          & (history["period_end"] < row["period_end"])]
        if kpi is None or earlier.empty:
            before.append("none")
            continue
        last = earlier.iloc[-1]
        before.append(f"{kpi.format_value(last['value'])} ({last['period']})")
    out["previous"] = before
    return out


def new_area_failures_before(rows, current, stored_areas, column):
    known: dict[str, dict[str, str]] = {}
    for kpi_ref, area in current[["kpi_ref", "area"]].itertuples(index=False):
        if area:
            known.setdefault(kpi_ref, {}).setdefault(area.casefold(), area)
    warned: set[tuple[str, str]] = set()
    found = []
    for row in rows.to_dict("records"):
        kpi_ref, area = row["kpi_ref"], row["area"]
        key = (kpi_ref, area.casefold())
        if not area or area.casefold() in known.get(kpi_ref, {}) or key in warned:
            continue
        warned.add(key)
        hint = nearest_area_hint(area, list(known.get(kpi_ref, {}).values()), stored_areas)
        found.append(failure("new_area", int(row[SOURCE_ROW]), column, area, kpi_ref=kpi_ref,
                             hint=hint))
    return found


# --- frames --------------------------------------------------------------------------------------

QUARTERS = [("2016/17 Q1", "2016-06-30"), ("2016/17 Q2", "2016-09-30"),
            ("2016/17 Q3", "2016-12-31"), ("2016/17 Q4", "2017-03-31")]
VALUE_ROW = st.tuples(
    st.sampled_from(["19a", "15", "16", "zz"]), st.sampled_from(QUARTERS),
    st.sampled_from(["", "North", "north", "South"]),
    st.sampled_from([4.0, 4.0 + 1e-12, 4.1, 25.3, 0.0]),
    st.sampled_from([math.nan, 4.0, 3.0]), st.sampled_from([math.nan, 7.0]),
    st.sampled_from(["", "late", "Late"]))


def values_frame(entries, stored: bool) -> pd.DataFrame:
    frame = pd.DataFrame({
        "kpi_ref": [e[0] for e in entries], "period": [e[1][0] for e in entries],
        "period_kind": ["quarter"] * len(entries),
        "period_start": [pd.Timestamp(e[1][1]) - pd.offsets.QuarterBegin(startingMonth=1)
                         for e in entries],
        # A stored date may carry a time of day: dates compare as days.
        "period_end": [pd.Timestamp(e[1][1]) + (pd.Timedelta(hours=9) if stored and e[3] == 4.0
                                                 else pd.Timedelta(0)) for e in entries],
        "value": [e[3] for e in entries], "numerator": [e[4] for e in entries],
        "denominator": [e[5] for e in entries], "area": [e[2] for e in entries],
        "comment": [e[6] for e in entries], SOURCE_ROW: list(range(2, len(entries) + 2)),
    }, columns=list(KIND_SPECS[KPI_VALUES].columns))
    frame = frame_of(frame.to_dict("records"), KPI_VALUES) if len(frame) else \
        empty_frame(KPI_VALUES)
    if stored and len(frame):
        frame.insert(0, "id", np.arange(1, len(frame) + 1))
        frame.insert(1, "batch_id", np.arange(len(frame)) // 3 + 1)
    return frame


PROGRESS_ROW = st.tuples(st.sampled_from(["1.1.1", "1.1.2"]),
                         st.sampled_from(["2016-12-31", "2016-12-31 09:30", "2017-03-31"]),
                         st.sampled_from(["GREEN", "AMBER"]), st.sampled_from(["", "late"]))


def progress_frame(entries, stored: bool) -> pd.DataFrame:
    if not entries:
        return empty_frame(ACTION_PROGRESS)
    frame = frame_of([{"action_ref": e[0], "as_at": pd.Timestamp(e[1]), "status": e[2],
                       "comment": e[3], SOURCE_ROW: i + 2} for i, e in enumerate(entries)],
                     ACTION_PROGRESS)
    if stored:
        frame.insert(0, "batch_id", np.arange(len(frame)) + 7)
    return frame


def assert_same_preview(found: Preview, expected: Preview):
    for part in ("new", "revised", "unchanged"):
        pd.testing.assert_frame_equal(getattr(found, part), getattr(expected, part))


@settings(max_examples=300, deadline=None)
@given(stored=st.lists(VALUE_ROW, max_size=10), incoming=st.lists(VALUE_ROW, max_size=10))
def test_the_preview_of_kpi_values_is_what_the_search_per_row_gave(stored, incoming):
    current = values_frame(stored, stored=True)
    rows = values_frame(incoming, stored=False).drop_duplicates(
        ["kpi_ref", "period", "area"]).reset_index(drop=True)
    assert_same_preview(compare(current, rows, KPI_VALUES),
                        compare_before(current, rows, KPI_VALUES))


@settings(max_examples=200, deadline=None)
@given(stored=st.lists(PROGRESS_ROW, max_size=8), incoming=st.lists(PROGRESS_ROW, max_size=8))
def test_the_preview_of_progress_is_what_the_search_per_row_gave(stored, incoming):
    current, rows = progress_frame(stored, True), progress_frame(incoming, False)
    assert_same_preview(compare(current, rows, ACTION_PROGRESS),
                        compare_before(current, rows, ACTION_PROGRESS))


def test_compare_sorts_rows_into_new_revised_and_unchanged():
    current = progress_frame([("1.1.1", "2016-12-31 09:30", "GREEN", ""),
                              ("1.1.2", "2016-12-31", "AMBER", "late")], stored=True)
    incoming = progress_frame([("1.1.1", "2016-12-31", "GREEN", ""),
                               ("1.1.2", "2016-12-31", "AMBER", "on track"),
                               ("1.1.3", "2016-12-31", "BLUE", "")], stored=False)
    preview = compare(current, incoming, ACTION_PROGRESS)
    assert list(preview.unchanged.action_ref) == ["1.1.1"]  # dates compare as days
    assert list(preview.new.action_ref) == ["1.1.3"]
    revised = preview.revised.iloc[0]
    assert (revised.action_ref, revised.comment, revised.old_comment, revised.old_batch_id) == \
        ("1.1.2", "on track", "late", 8)


@settings(max_examples=300, deadline=None)
@given(stored=st.lists(VALUE_ROW, max_size=10), incoming=st.lists(VALUE_ROW, max_size=10))
def test_the_previous_value_beside_a_new_one_is_what_the_search_per_row_gave(stored, incoming):
    current = values_frame(stored, stored=True).drop_duplicates(
        ["kpi_ref", "period", "area"], keep="last")
    rows = values_frame(incoming, stored=False)
    pd.testing.assert_frame_equal(with_kpi_context(rows, current, PLAN),
                                  with_kpi_context_before(rows, current, PLAN))


@settings(max_examples=300, deadline=None)
@given(stored=st.lists(VALUE_ROW, max_size=10), incoming=st.lists(VALUE_ROW, max_size=10))
def test_new_areas_are_warned_of_as_before(stored, incoming):
    current = values_frame(stored, stored=True)
    rows = values_frame(incoming, stored=False)
    areas = list(dict.fromkeys(current["area"]))
    assert new_area_failures(rows, current, areas, "Area") == \
        new_area_failures_before(rows, current, areas, "Area")
