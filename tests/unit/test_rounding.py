"""Issue 18 item 7: every figure shown or exported is rounded half up on its decimal value, so
the mean of 15.4, 13.7, 12.2 and 9.7 (12.75) shows 12.8, never 12.7."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from domain.views.explore import rolling_average
from domain.rules.periods import quarter
from domain.rules.plan import Kpi, format_number, round_half_up
from domain.rules.rag import Observation

KPI_18A = Kpi(ref="18a", theme=5, measure="Social Worker turnover rate",
              responsible_officer="Head of Service", frequency="quarterly", target_label="16%",
              target=16.0, unit="percent", denominator=None, polarity="lower",
              due_label="Sep-17", due_date=date(2017, 9, 30))


@pytest.mark.parametrize("value, places, shown", [
    (12.75, 1, "12.8"),  # stored as 12.7499999...: f"{12.75:.1f}" gives 12.7
    (12.749999999999998, 1, "12.8"),  # the same mean reached by adding in another order
    (2.675, 2, "2.68"),
    (0.05, 1, "0.1"),
    (-2.25, 1, "-2.3"),  # halves go away from zero
    (-0.04, 1, "0.0"),  # no "-0.0"
    (1234.45, 1, "1,234.5"),
    (12.74, 1, "12.7"),  # not everything goes up
    (439.0, 0, "439"),
])
def test_format_number_rounds_halves_up(value, places, shown):
    assert format_number(value, places) == shown


def test_round_half_up_is_a_decimal():
    assert str(round_half_up(12.75, 1)) == "12.8"
    assert str(round_half_up(7.0, 2)) == "7.00"


def test_the_rolling_average_of_the_issue_shows_12_8_percent():
    values = (15.4, 13.7, 12.2, 9.7)
    observations = tuple(Observation(quarter(2016, n + 1), v) for n, v in enumerate(values))
    (_, mean), = rolling_average(observations)
    assert KPI_18A.format_value(mean) == "12.8%"


def test_kpi_values_of_every_unit_round_half_up():
    caseload = dataclasses.replace(KPI_18A, unit="caseload", target=60.0, target_label="60")
    homes = dataclasses.replace(KPI_18A, unit="homes", denominator=7.0, target=4.0)
    children = dataclasses.replace(KPI_18A, unit="children", target=439.0)
    assert caseload.format_value(62.45) == "62.5"
    assert homes.format_value(4.0) == "4 / 7"
    assert children.format_value(438.5) == "438.5"
    assert children.format_value(439.0) == "439"


def test_the_trajectory_in_a_reason_rounds_half_up():
    from domain.rules.rag import _trajectory_words

    kpi = dataclasses.replace(KPI_18A, unit="percent")
    # One decimal would hide the difference, so two are shown, rounded half up.
    assert _trajectory_words(kpi, 12.8, 12.825) == "the trajectory of 12.83%"


def test_the_explore_download_shows_and_holds_rounded_figures(dataset):
    from domain.views.explore import explore_view
    from domain.views.exports import explore_frame

    frame = explore_frame(explore_view(dataset, ("18a",)))
    rolling = frame[frame["Series"] == "Rolling four-quarter average"]
    assert not rolling.empty
    for value, shown in zip(rolling["Value"], rolling["Shown as"]):
        assert shown == format_number(value, 1) + "%"
        assert value == float(round_half_up(value, 4))  # no binary noise in the spreadsheet
