"""XmR charts against the published behaviour of the Making Data Count method."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from domain.rules.spc import (MIN_POINTS, RULES, Assurance, Variation, assurance, moving_ranges,
                        outside_limits, process_limits, shift, trend,
                        two_of_three_beyond_two_sigma, xmr)


def test_one_to_ten_gives_mean_5_5_and_limits_2_84_and_8_16():
    limits = process_limits(list(range(1, 11)))
    assert limits.mean == pytest.approx(5.5)
    assert limits.mean_moving_range == pytest.approx(1.0)
    assert round(limits.lower, 2) == 2.84
    assert round(limits.upper, 2) == 8.16


def test_moving_ranges_are_absolute_differences():
    assert moving_ranges([3, 5, 2]) == [2, 3]


def test_too_few_values_have_no_limits():
    assert process_limits([4.0]) is None
    assert xmr([4.0]).limits is None


def test_a_point_outside_the_limits_is_flagged_with_its_side():
    values = [10, 11, 10, 11, 10, 11, 10, 11, 30]
    flags = outside_limits(values, process_limits(values))
    assert flags == {8: "high"}


def test_seven_rising_points_flag_a_trend():
    values = [5, 1, 2, 3, 4, 5, 6, 7, 3]
    flags = trend(values, process_limits(values))
    assert sorted(flags) == [1, 2, 3, 4, 5, 6, 7]
    assert set(flags.values()) == {"high"}


def test_six_rising_points_are_not_a_trend():
    values = [5, 1, 2, 3, 4, 5, 6, 3]
    assert trend(values, process_limits(values)) == {}


def test_a_tie_breaks_a_trend():
    values = [1, 2, 3, 4, 4, 5, 6, 7]
    assert trend(values, process_limits(values)) == {}


def test_seven_falling_points_flag_a_falling_trend():
    values = [9, 8, 7, 6, 5, 4, 3]
    assert set(trend(values, process_limits(values)).values()) == {"low"}


def test_seven_on_one_side_of_the_mean_flag_a_shift_and_a_point_on_the_mean_breaks_it():
    values = [1] * 7 + [5] * 7
    flags = shift(values, process_limits(values))
    assert sorted(flags) == list(range(14))
    broken = [1, 1, 1, 3, 1, 1, 1, 5, 5, 5, 3, 5, 5, 5]  # mean is 3
    assert shift(broken, process_limits(broken)) == {}


def test_two_of_three_beyond_two_sigma_on_the_same_side():
    values = [10, 10.2] * 8 + [11, 10.1, 11, 10.1]
    limits = process_limits(values)
    assert limits.upper_two_sigma < 11 < limits.upper
    assert two_of_three_beyond_two_sigma(values, limits) == {16: "high", 18: "high"}
    assert outside_limits(values, limits) == {}


def test_two_beyond_two_sigma_on_opposite_sides_are_not_flagged():
    values = [10, 10.2] * 8 + [11, 9.3, 10.1, 10.2]
    limits = process_limits(values)
    assert limits.upper_two_sigma < 11 < limits.upper
    assert limits.lower < 9.3 < limits.lower_two_sigma
    assert two_of_three_beyond_two_sigma(values, limits) == {}


def _steady(n=12):
    return [50 + (1 if i % 2 else -1) for i in range(n)]  # mean 50, limits 50 +/- 5.32


@pytest.mark.parametrize("target, higher_is_better, expected", [
    (40, True, Assurance.PASSES), (60, True, Assurance.FAILS), (50, True, Assurance.HIT_AND_MISS),
    (60, False, Assurance.PASSES), (40, False, Assurance.FAILS),
    (51, False, Assurance.HIT_AND_MISS),
])
def test_assurance_from_the_target_against_the_limits(target, higher_is_better, expected):
    assert assurance(process_limits(_steady()), target, higher_is_better) is expected
    assert xmr(_steady(), target, higher_is_better).assurance is expected


def test_no_icons_below_twelve_points():
    few = xmr(_steady(MIN_POINTS - 1), 40, True)
    assert few.variation is None and few.assurance is None and not few.enough_points
    enough = xmr(_steady(MIN_POINTS), 40, True)
    assert enough.variation is Variation.COMMON and enough.assurance is Assurance.PASSES


def test_variation_of_the_latest_point_follows_polarity():
    values = [10, 11] * 6 + [40]
    assert xmr(values, 20, higher_is_better=True).variation is Variation.IMPROVING
    assert xmr(values, 20, higher_is_better=False).variation is Variation.CONCERNING
    assert xmr(values[:-1] + [10.5], 20, True).variation is Variation.COMMON


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2,
                max_size=40))
def test_every_rule_flags_only_real_points_with_a_side(values):
    """Meta-test over all the rules: indices in range, sides high/low, limits symmetric."""
    limits = process_limits(values)
    assert limits.upper - limits.mean == pytest.approx(limits.mean - limits.lower)
    for rule in RULES:
        flags = rule.check(values, limits)
        assert set(flags) <= set(range(len(values))), rule.code
        assert set(flags.values()) <= {"high", "low"}, rule.code
        assert rule.label and rule.code


def test_rules_have_distinct_codes_and_labels():
    assert len({r.code for r in RULES}) == len(RULES) == len({r.label for r in RULES})


def test_a_constant_series_flags_nothing():
    result = xmr([5.0] * 14, 5, True)
    assert all(not flags for flags in result.flags.values())
    assert result.variation is Variation.COMMON


def test_no_assurance_while_the_latest_point_is_special_cause():
    rising = [50 + i for i in range(14)]  # a trend: limits from it would mislead
    result = xmr(rising, 80, True)
    assert result.variation is Variation.IMPROVING
    assert result.assurance is None
    assert xmr(_steady(14), 80, True).assurance is Assurance.FAILS
