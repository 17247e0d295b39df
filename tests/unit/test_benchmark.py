"""Rank and quartile band among all authorities (issue 15; domain/rules/benchmark.py), on tiny
hand-made tables: polarity both ways, ties, suppression, too few authorities for bands."""

from __future__ import annotations

import pandas as pd
import pytest

from domain.rules.benchmark import band_of, benchmark, rank_of

VALUES = {"801": 12.0, "802": 10.0, "803": 14.0, "804": 12.0, "805": 20.0, "806": None}


def test_one_is_the_best_by_polarity_and_ties_share_the_better_rank():
    others = [v for v in VALUES.values() if v is not None]
    assert rank_of(12.0, others, higher_is_better=True) == 3  # 20, 14 above; 12 and 12 tie
    assert rank_of(12.0, others, higher_is_better=False) == 2  # only 10 below
    assert [rank_of(v, [1, 2, 2, 4], False) for v in (1, 2, 2, 4)] == [1, 2, 2, 4]


@pytest.mark.parametrize("rank, of, band", [
    (1, 4, "A"), (2, 4, "B"), (3, 4, "C"), (4, 4, "D"),
    (1, 150, "A"), (38, 150, "A"), (39, 150, "B"), (75, 150, "B"), (76, 150, "C"),
    (150, 150, "D"),
    (1, 3, None), (None, 150, None),
])
def test_the_band_is_the_quarter_of_the_ranks(rank, of, band):
    assert band_of(rank, of) == band


def test_a_year_standing_leaves_out_suppressed_values_and_says_so():
    standing = benchmark("2016/17", VALUES, "801", ("802", "806"), england=13.0,
                         higher_is_better=False)
    assert (standing.value, standing.rank, standing.of, standing.band) == (12.0, 2, 5, "A")
    assert standing.left_out == 1 and "1 authority suppressed" in standing.note
    # Its neighbours: 802 has 10.0; 806 is suppressed. Among the two with a value it is 2nd.
    assert (standing.neighbours_mean, standing.neighbour_rank, standing.neighbours_of) == \
        (10.0, 2, 2)
    assert standing.england == 13.0


def test_no_value_for_the_authority_means_no_rank_and_no_band():
    standing = benchmark("2016/17", {**VALUES, "801": None}, "801", (), None, True)
    assert standing.rank is None and standing.band is None and standing.value is None
    assert "no published value for the authority" in standing.note


def test_fewer_than_four_authorities_get_a_rank_but_no_band():
    standing = benchmark("2016/17", {"801": 1.0, "802": 2.0, "803": 3.0}, "801", (), None, True)
    assert (standing.rank, standing.of, standing.band) == (3, 3, None)
    assert "too few for quartile bands" in standing.note


def test_a_published_table_gives_one_standing_a_year_with_its_year_label():
    from domain.published.comparators import Comparison, MeasureLink, benchmarks

    link = MeasureLink("18a", "ees", "f.csv", "turnover", (), "at 30 September")
    local = pd.DataFrame({"year": [2016, 2016, 2016, 2016, 2017],
                          "area_code": ["801", "802", "803", "804", "801"],
                          "value": [9.0, 12.0, float("nan"), 15.0, 11.0]})
    table = pd.DataFrame({"year": [2016, 2017], "england": [13.0, float("nan")]})
    standings = benchmarks(Comparison(link, table, "Bristol", (), local, "801", ("802",)),
                           higher_is_better=False)
    assert [(s.year, s.rank, s.of, s.band, s.england) for s in standings] == [
        ("2016/17", 1, 3, None, 13.0), ("2017/18", 1, 1, None, None)]
