from __future__ import annotations

from datetime import date

from domain.views.narrative import trend_sentence
from domain.rules.periods import quarter
from domain.rules.plan import Kpi
from domain.rules.rag import Observation

REREFERRALS = Kpi(ref="19a", theme=6, measure="% Repeat Referrals", responsible_officer="HoS",
                  frequency="quarterly", target_label="24%", target=24.0, unit="percent",
                  denominator=None, polarity="lower", due_label="Mar-17",
                  due_date=date(2017, 3, 31))


def obs(fy, q, value):
    return Observation(quarter(fy, q), value)


def test_falling_to_meet_a_lower_is_better_target():
    sentence = trend_sentence(REREFERRALS, [obs(2014, 1, 27.1), obs(2017, 2, 23.1)],
                              subject="Repeat referrals")
    assert sentence == ("Repeat referrals fell from 27.1% in 2014/15 Q1 to 23.1% in 2017/18 Q2, "
                        "meeting the 24% target due Mar 2017.")


def test_rising_and_missing():
    sentence = trend_sentence(REREFERRALS, [obs(2015, 1, 22.0), obs(2016, 1, 26.5)])
    assert sentence.startswith("KPI 19a rose from 22.0% in 2015/16 Q1 to 26.5% in 2016/17 Q1")
    assert "missing the 24% target" in sentence


def test_no_values_and_one_value_and_flat():
    assert "has no values yet" in trend_sentence(REREFERRALS, [])
    assert "was 25.0% in 2016/17 Q1" in trend_sentence(REREFERRALS, [obs(2016, 1, 25.0)])
    flat = trend_sentence(REREFERRALS, [obs(2016, 1, 24.0), obs(2016, 2, 24.0)])
    assert "stayed at 24.0% from 2016/17 Q1 to 2016/17 Q2, meeting" in flat
