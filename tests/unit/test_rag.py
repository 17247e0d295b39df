"""RAG rules (docs/rules.md#rag-status-of-a-kpi) on tiny hand-built KPIs, actions and values."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from domain.rules.periods import financial_year, half, quarter
from domain.rules.plan import Action, Kpi
from domain.rules.rag import (STATUS_DISPLAY, STATUS_ORDER, Observation, ProgressReport, Rag,
                        action_status, baseline_of, kpi_status, trajectory_value,
                        within_tolerance)

BASELINE_DATE = date(2016, 3, 31)  # end of 2015/16 Q4, as in the Bristol plan
DUE = date(2017, 3, 31)  # end of 2016/17 Q4
AT_DUE = quarter(2016, 4)  # its end is the due date
BEFORE_DUE = quarter(2016, 3)


def make_kpi(polarity: str = "higher", target: float = 80.0, tolerance: float = 0.05,
             frequency: str = "quarterly", due_date: date = DUE, unit: str = "percent") -> Kpi:
    label = f"{target:g}%" if unit == "percent" else f"{target:g}"
    return Kpi(ref="1a", theme=1, measure="Test measure", responsible_officer="Head of Service",
               frequency=frequency, target_label=label, target=target, unit=unit,
               denominator=None, polarity=polarity, due_label=due_date.strftime("%b-%y"),
               due_date=due_date, tolerance=tolerance)


HIGHER = make_kpi("higher", target=80.0)
LOWER = make_kpi("lower", target=20.0)


def obs(fy: int, q: int, value: float) -> Observation:
    return Observation(quarter(fy, q), value)


def status_of(kpi, observations, asat=BEFORE_DUE, baseline_date=BASELINE_DATE):
    return kpi_status(kpi, observations, asat, baseline_date)


# --- no data, one value, values after the as-at period -------------------------------------------

def test_no_values_is_no_data_never_a_colour():
    status = status_of(HIGHER, [], asat=AT_DUE)
    assert status.status is Rag.NO_DATA
    assert status.reason == "No value reported for a period ending by 2016/17 Q4."
    assert status.value is None and status.period is None
    assert status.previous is None and status.baseline is None and status.trajectory is None
    assert status.direction is None
    assert status.return_overdue is False  # NO DATA already says it; no value to be old
    assert status.expected_period == AT_DUE


def test_values_only_after_the_asat_period_are_no_data():
    status = status_of(HIGHER, [obs(2016, 4, 90.0)], asat=quarter(2016, 3))
    assert status.status is Rag.NO_DATA
    assert "2016/17 Q3" in status.reason


def test_single_value_has_no_previous_and_no_direction():
    status = status_of(HIGHER, [obs(2016, 3, 85.0)])
    assert status.status is Rag.GREEN
    assert (status.value, status.period) == (85.0, quarter(2016, 3))
    assert status.previous is None and status.direction is None


def test_values_after_the_asat_period_are_ignored():
    values = [obs(2016, 2, 50.0), obs(2016, 3, 60.0), obs(2016, 4, 95.0), obs(2017, 1, 99.0)]
    status = status_of(HIGHER, values, asat=quarter(2016, 3))
    assert (status.value, status.period) == (60.0, quarter(2016, 3))
    assert status.previous == obs(2016, 2, 50.0)
    assert status.status is Rag.RED


def test_values_in_any_order_give_the_same_status():
    values = [obs(2015, 4, 60.0), obs(2016, 1, 65.0), obs(2016, 2, 70.0), obs(2016, 3, 72.0)]
    assert status_of(HIGHER, values) == status_of(HIGHER, list(reversed(values)))
    assert status_of(HIGHER, values[::2] + values[1::2]).period == quarter(2016, 3)


# --- on target: GREEN before the due date, BLUE from it -----------------------------------------

@pytest.mark.parametrize("kpi, value", [(HIGHER, 80.0), (LOWER, 20.0)], ids=["higher", "lower"])
def test_exactly_on_target_before_due_is_green(kpi, value):
    status = status_of(kpi, [obs(2016, 3, value)])
    assert status.status is Rag.GREEN
    assert status.reason == f"{value:.1f}% at 2016/17 Q3 meets the {kpi.target_label} target due " \
                            "Mar 2017."


@pytest.mark.parametrize("kpi, value", [(HIGHER, 80.0), (LOWER, 20.0)], ids=["higher", "lower"])
def test_exactly_on_target_on_the_due_date_is_blue(kpi, value):
    assert AT_DUE.end == kpi.due_date
    status = status_of(kpi, [obs(2016, 4, value)], asat=AT_DUE)
    assert status.status is Rag.BLUE
    assert "meets" in status.reason and "achieved" in status.reason


@pytest.mark.parametrize("kpi, value", [(HIGHER, 79.9), (LOWER, 20.1)], ids=["higher", "lower"])
def test_missing_target_on_the_due_date_is_red_even_within_tolerance(kpi, value):
    status = status_of(kpi, [obs(2016, 4, value)], asat=AT_DUE)
    assert status.status is Rag.RED
    assert status.reason == f"{value:.1f}% at 2016/17 Q4 misses the {kpi.target_label} target " \
                            "due Mar 2017."


def test_after_the_due_date_the_last_value_is_judged_against_the_target():
    asat = quarter(2017, 2)  # six months after the due date
    values = [obs(2016, 4, 70.0), obs(2017, 2, 81.0)]
    assert status_of(HIGHER, values, asat=asat).status is Rag.BLUE
    assert status_of(HIGHER, values[:1], asat=asat).status is Rag.RED


def test_the_documented_example_reason():  # docs/rules.md#the-rules-in-order
    kpi = make_kpi("lower", target=15.0)
    status = status_of(kpi, [obs(2016, 4, 22.4)], asat=AT_DUE)
    assert status.status is Rag.RED
    assert status.reason == "22.4% at 2016/17 Q4 misses the 15% target due Mar 2017."


# --- tolerance -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kpi, edge, outside", [
    (HIGHER, 76.0, 75.9),  # 80 less 5%
    (LOWER, 21.0, 21.1),  # 20 plus 5%
    (make_kpi("lower", target=15.0), 15.75, 15.76),
    (make_kpi("higher", target=15.0), 14.25, 14.24),
], ids=["higher", "lower", "lower-15", "higher-15"])
def test_tolerance_edge_is_amber_and_just_outside_is_red(kpi, edge, outside):
    # Values only after the baseline date: no baseline, so no trajectory to rescue them.
    on_edge = status_of(kpi, [obs(2016, 3, edge)])
    assert on_edge.status is Rag.AMBER
    assert "within 5% of the target" in on_edge.reason
    assert kpi.format_value(edge) in on_edge.reason and "due Mar 2017" in on_edge.reason
    outside_status = status_of(kpi, [obs(2016, 3, outside)])
    assert outside_status.status is Rag.RED
    side = "below" if kpi.higher_is_better else "above"
    assert outside_status.reason == (f"{kpi.format_value(outside)} at 2016/17 Q3 misses the "
                                     f"{kpi.target_label} target due Mar 2017, more than 5% "
                                     f"{side} it.")
    assert "trajectory" not in outside_status.reason


def test_tolerance_is_per_kpi():
    wide = make_kpi("higher", target=80.0, tolerance=0.10)
    assert within_tolerance(wide, 72.0) and not within_tolerance(HIGHER, 72.0)
    status = status_of(wide, [obs(2016, 3, 72.0)])
    assert status.status is Rag.AMBER and "within 10% of the target" in status.reason


# --- trajectory ----------------------------------------------------------------------------------

STRICT_HIGHER = make_kpi("higher", target=80.0, tolerance=0.0)  # only the trajectory can be AMBER
STRICT_LOWER = make_kpi("lower", target=20.0, tolerance=0.0)
# The trajectory runs from the baseline at 31 Mar 2016 to the target at 31 Mar 2017 (365 days);
# 2016/17 Q2 ends 183 days in.
HIGHER_ON_TRACK_AT_Q2 = 60 + (80 - 60) * 183 / 365  # about 70.03
LOWER_ON_TRACK_AT_Q2 = 40 + (20 - 40) * 183 / 365  # about 29.97


def test_trajectory_value_is_a_straight_line_clamped_at_both_ends():
    baseline = obs(2015, 4, 60.0)
    assert trajectory_value(HIGHER, baseline, date(2015, 6, 30)) == 60.0  # before the baseline
    assert trajectory_value(HIGHER, baseline, BASELINE_DATE) == 60.0
    assert trajectory_value(HIGHER, baseline, date(2016, 9, 30)) == \
        pytest.approx(HIGHER_ON_TRACK_AT_Q2)
    assert trajectory_value(HIGHER, baseline, DUE) == 80.0
    assert trajectory_value(HIGHER, baseline, date(2018, 3, 31)) == 80.0  # after the due date


def test_trajectory_value_with_a_due_date_not_after_the_baseline_is_the_target_from_due():
    kpi = make_kpi(due_date=BASELINE_DATE)
    baseline = obs(2015, 4, 60.0)
    assert trajectory_value(kpi, baseline, BASELINE_DATE) == 80.0
    assert trajectory_value(kpi, baseline, date(2015, 12, 31)) == 60.0


@pytest.mark.parametrize("kpi, baseline, on_track, behind", [
    (STRICT_HIGHER, 60.0, HIGHER_ON_TRACK_AT_Q2, 70.0),
    (STRICT_LOWER, 40.0, LOWER_ON_TRACK_AT_Q2, 30.0),
], ids=["higher", "lower"])
def test_exactly_on_the_trajectory_is_amber_and_just_off_it_is_red(kpi, baseline, on_track,
                                                                  behind):
    history = [obs(2015, 3, baseline + 1), obs(2015, 4, baseline)]
    on = status_of(kpi, history + [obs(2016, 2, on_track)])
    assert on.status is Rag.AMBER
    assert on.baseline == obs(2015, 4, baseline)
    assert on.trajectory == pytest.approx(on_track)
    assert "on the trajectory of" in on.reason and kpi.format_value(on_track) in on.reason

    off = status_of(kpi, history + [obs(2016, 2, behind)], asat=quarter(2016, 2))
    assert off.status is Rag.RED
    # One decimal would show both as 70% (or 30%), so the trajectory is given to two.
    assert off.reason == (f"{kpi.format_value(behind)} at 2016/17 Q2 misses the "
                          f"{kpi.target_label} target due Mar 2017, behind the trajectory of "
                          f"{on_track:.2f}%.")


@pytest.mark.parametrize("kpi, baseline, ahead", [
    (STRICT_HIGHER, 60.0, 75.0), (STRICT_LOWER, 40.0, 25.0)], ids=["higher", "lower"])
def test_ahead_of_the_trajectory_is_amber(kpi, baseline, ahead):
    status = status_of(kpi, [obs(2015, 4, baseline), obs(2016, 2, ahead)])
    assert status.status is Rag.AMBER
    assert "ahead of the trajectory of" in status.reason


def test_within_tolerance_and_ahead_of_trajectory_gives_both_reasons():
    status = status_of(HIGHER, [obs(2015, 4, 60.0), obs(2016, 2, 77.0)], asat=quarter(2016, 2))
    assert status.status is Rag.AMBER
    assert status.reason == ("77.0% at 2016/17 Q2 misses the 80% target due Mar 2017 but is "
                             "within 5% of the target and ahead of the trajectory of 70.0%.")


def test_red_with_tolerance_and_trajectory_names_both_shortfalls():
    status = status_of(LOWER, [obs(2015, 4, 40.0), obs(2016, 2, 35.0)], asat=quarter(2016, 2))
    assert status.status is Rag.RED
    assert status.reason == ("35.0% at 2016/17 Q2 misses the 20% target due Mar 2017, more than 5% "
                             "above it and behind the trajectory of 30.0%.")


def test_baseline_is_the_latest_value_on_or_before_the_baseline_date():
    values = [obs(2015, 2, 50.0), obs(2015, 4, 60.0), obs(2016, 1, 65.0)]
    assert baseline_of(values, BASELINE_DATE) == obs(2015, 4, 60.0)
    assert baseline_of(list(reversed(values)), date(2016, 3, 30)) == obs(2015, 2, 50.0)
    assert baseline_of(values, date(2015, 6, 29)) is None
    assert baseline_of([], BASELINE_DATE) is None


def test_missing_baseline_means_no_trajectory():
    status = status_of(STRICT_HIGHER, [obs(2016, 1, 60.0), obs(2016, 2, 61.0)])
    assert status.baseline is None and status.trajectory is None
    assert status.status is Rag.RED
    assert "trajectory" not in status.reason


def test_asat_before_the_baseline_date_has_no_baseline_yet():
    values = [obs(2014, 4, 40.0), obs(2015, 1, 45.0), obs(2015, 4, 60.0)]
    status = status_of(STRICT_HIGHER, values, asat=quarter(2015, 1))
    assert status.period == quarter(2015, 1)
    assert status.baseline is None and status.trajectory is None
    assert status.status is Rag.RED


def test_the_baseline_value_itself_is_not_progress_along_the_trajectory():
    # As at 2016/17 Q1 with no Q1 return, the latest value is the baseline: trivially "on" the
    # line, but it shows no progress, so it is judged on the target alone.
    status = status_of(STRICT_HIGHER, [obs(2015, 4, 60.0)], asat=quarter(2016, 1))
    assert status.baseline == obs(2015, 4, 60.0) and status.trajectory == 60.0
    assert status.status is Rag.RED
    assert status.return_overdue


# --- return overdue ------------------------------------------------------------------------------

@pytest.mark.parametrize("frequency, latest, asat, expected, overdue", [
    ("quarterly", quarter(2016, 2), quarter(2016, 4), quarter(2016, 4), True),
    ("quarterly", quarter(2016, 3), quarter(2016, 4), quarter(2016, 4), True),
    ("quarterly", quarter(2016, 4), quarter(2016, 4), quarter(2016, 4), False),
    ("6-monthly", half(2016, 1), quarter(2016, 3), half(2016, 1), False),
    ("6-monthly", half(2016, 1), quarter(2016, 4), half(2016, 2), True),
    ("6-monthly", half(2015, 2), quarter(2016, 3), half(2016, 1), True),
    ("annual", financial_year(2015), quarter(2016, 3), financial_year(2015), False),
    ("annual", financial_year(2015), quarter(2016, 4), financial_year(2016), True),
    ("annual", financial_year(2016), quarter(2017, 2), financial_year(2016), False),
])
def test_return_overdue_by_reporting_cycle(frequency, latest, asat, expected, overdue):
    kpi = make_kpi(frequency=frequency, due_date=date(2018, 3, 31))
    status = status_of(kpi, [Observation(latest, 85.0)], asat=asat)
    assert status.expected_period == expected
    assert status.return_overdue is overdue
    assert status.status is Rag.GREEN  # overdue is a flag beside the colour, not a colour
    if overdue:
        assert status.reason.endswith(f"Return overdue: latest value is for {latest.label}, "
                                      f"{expected.label} expected.")
    else:
        assert "overdue" not in status.reason


def test_return_overdue_is_flagged_whatever_the_colour():
    status = status_of(HIGHER, [obs(2016, 2, 50.0)], asat=AT_DUE)
    assert status.status is Rag.RED and status.return_overdue
    assert status.reason == ("50.0% at 2016/17 Q2 misses the 80% target due Mar 2017. Return "
                             "overdue: latest value is for 2016/17 Q2, 2016/17 Q4 expected.")
    blue = status_of(HIGHER, [obs(2016, 2, 90.0)], asat=AT_DUE)
    assert blue.status is Rag.BLUE and blue.return_overdue


# --- direction -----------------------------------------------------------------------------------

@pytest.mark.parametrize("kpi, before, after, direction", [
    (HIGHER, 60.0, 65.0, "improving"),
    (HIGHER, 65.0, 60.0, "worsening"),
    (LOWER, 30.0, 25.0, "improving"),
    (LOWER, 25.0, 30.0, "worsening"),
    (HIGHER, 60.0, 60.0, "unchanged"),
    (LOWER, 25.0, 25.0, "unchanged"),
])
def test_direction_compares_with_the_previous_value_by_polarity(kpi, before, after, direction):
    status = status_of(kpi, [obs(2016, 1, before), obs(2016, 2, after)])
    assert status.direction == direction
    assert status.previous == obs(2016, 1, before)


def test_direction_uses_the_value_just_before_the_latest():
    values = [obs(2016, 1, 90.0), obs(2016, 2, 50.0), obs(2016, 3, 55.0), obs(2016, 4, 10.0)]
    status = status_of(HIGHER, values, asat=quarter(2016, 3))
    assert status.previous == obs(2016, 2, 50.0)
    assert status.direction == "improving"


# --- display metadata ----------------------------------------------------------------------------

def test_every_status_has_a_word_a_description_and_a_distinct_icon():
    assert STATUS_ORDER == (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.NO_DATA)
    assert set(STATUS_DISPLAY) == set(Rag)
    assert {s: STATUS_DISPLAY[s].icon for s in Rag} == {
        Rag.RED: "cross", Rag.AMBER: "triangle", Rag.GREEN: "tick", Rag.BLUE: "star",
        Rag.NO_DATA: "dash"}
    assert len({d.symbol for d in STATUS_DISPLAY.values()}) == len(Rag)
    for status in Rag:
        assert status.display.word == status.value == str(status)
        assert status.display.description


def test_display_metadata_cannot_be_changed():
    with pytest.raises(TypeError):
        STATUS_DISPLAY[Rag.RED] = STATUS_DISPLAY[Rag.GREEN]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        STATUS_DISPLAY[Rag.RED].word = "GREEN"  # type: ignore[misc]


def test_no_data_is_spelt_with_a_space():
    assert Rag("NO DATA") is Rag.NO_DATA


# --- actions -------------------------------------------------------------------------------------

def make_action(due_date: date | None = date(2016, 12, 31), due_label: str = "Dec 2016") -> Action:
    return Action(ref="1.2.4", theme=1, heading_ref="1.2", heading="Improve recorded practice",
                  description="Audit case files", kpi_refs_label="1a", kpi_refs=("1a",),
                  due_label=due_label, due_date=due_date, leads=("Service Manager",))


DUE_DEC = make_action()
DUE_MAR = make_action(date(2017, 3, 31), "Mar 2017")
NO_DUE = make_action(None, "Report quarterly")


def report(day: date, status: Rag, comment: str = "") -> ProgressReport:
    return ProgressReport(as_at=day, status=status, comment=comment)


def test_action_without_reports_before_due_is_no_data():
    status = action_status(DUE_MAR, [], AT_DUE)  # due on the as-at end: not slipped yet
    assert status == action_status(DUE_MAR, (), AT_DUE)
    assert status.status is Rag.NO_DATA and not status.timescale_slipped
    assert status.reason == "No progress reported yet; due Mar 2017."
    assert status.reported is None


def test_action_without_reports_past_due_has_slipped():
    status = action_status(DUE_DEC, [], AT_DUE)
    assert status.status is Rag.RED and status.timescale_slipped
    assert status.reason == "Timescale slipped: due Dec 2016; no progress reported."


def test_action_reported_amber_past_due_has_slipped():
    latest = report(date(2017, 3, 31), Rag.AMBER, "Half the audits done")
    status = action_status(DUE_DEC, [report(date(2016, 9, 30), Rag.AMBER), latest], AT_DUE)
    assert status.status is Rag.RED and status.timescale_slipped
    assert status.reported == latest
    assert status.reason == "Timescale slipped: due Dec 2016; latest report AMBER on 31 Mar 2017."


@pytest.mark.parametrize("reported", [Rag.RED, Rag.AMBER, Rag.NO_DATA])
def test_any_unfinished_status_past_due_has_slipped(reported):
    status = action_status(DUE_DEC, [report(date(2016, 12, 31), reported)], AT_DUE)
    assert status.status is Rag.RED and status.timescale_slipped


@pytest.mark.parametrize("reported", [Rag.GREEN, Rag.BLUE])
def test_finished_action_past_due_keeps_its_status(reported):
    done = report(date(2016, 12, 15), reported, "All audits complete")
    status = action_status(DUE_DEC, [done], AT_DUE)
    assert status.status is reported and not status.timescale_slipped
    assert status.reason == f"Reported {reported.value} on 15 Dec 2016 (due Dec 2016): All " \
                            "audits complete."


def test_action_due_on_the_asat_end_has_not_slipped():
    status = action_status(DUE_MAR, [report(date(2017, 2, 28), Rag.AMBER, "On track.")], AT_DUE)
    assert status.status is Rag.AMBER and not status.timescale_slipped
    assert status.reason == "Reported AMBER on 28 Feb 2017 (due Mar 2017): On track."


def test_action_reported_before_due_takes_the_latest_report_in_any_order():
    reports = [report(date(2016, 12, 31), Rag.AMBER, "Started"),
               report(date(2016, 6, 30), Rag.RED, "Not started"),
               report(date(2016, 9, 30), Rag.RED)]
    status = action_status(DUE_MAR, reports, BEFORE_DUE)
    assert status.status is Rag.AMBER
    assert "31 Dec 2016" in status.reason and "Started" in status.reason
    red = action_status(DUE_MAR, reports, quarter(2016, 2))
    assert red.status is Rag.RED and not red.timescale_slipped
    assert red.reason == "Reported RED on 30 Sep 2016 (due Mar 2017)."


def test_report_after_the_asat_period_is_ignored():
    reports = [report(date(2016, 9, 30), Rag.AMBER), report(date(2017, 1, 5), Rag.BLUE)]
    status = action_status(DUE_MAR, reports, BEFORE_DUE)
    assert status.status is Rag.AMBER and status.reported == reports[0]
    alone = action_status(DUE_MAR, reports[1:], BEFORE_DUE)
    assert alone.status is Rag.NO_DATA
    # Past due, the later BLUE report is not known yet, so the action has slipped as at Q4.
    slipped = action_status(DUE_DEC, [report(date(2017, 4, 2), Rag.BLUE)], AT_DUE)
    assert slipped.status is Rag.RED and slipped.timescale_slipped
    assert slipped.reason.endswith("no progress reported.")


@pytest.mark.parametrize("reported", list(Rag))
def test_action_without_a_due_date_shows_its_reported_status_and_never_slips(reported):
    status = action_status(NO_DUE, [report(date(2016, 12, 31), reported, "Quarterly update")],
                           quarter(2018, 4))
    assert status.status is reported and not status.timescale_slipped
    assert status.reason == f"Reported {reported.value} on 31 Dec 2016: Quarterly update."


def test_action_without_a_due_date_or_reports_is_no_data():
    status = action_status(NO_DUE, [], quarter(2018, 4))
    assert status.status is Rag.NO_DATA and not status.timescale_slipped
    assert status.reason.startswith("No progress reported yet")
    assert "Report quarterly" in status.reason
