"""The sign-off rules (issue 14, docs/rules.md#signing-a-period-off)."""

from __future__ import annotations

from datetime import date

from domain.rules.signoff import (PeriodSignoff, revised_after, revisions_after, signoff_for,
                                  signoff_state)

FIRST = PeriodSignoff("2016/17 Q4", "Ada", "2017-04-20T10:00:00+00:00", last_batch_id=3, id=1)
AGAIN = PeriodSignoff("2016/17 Q4", "Bo", "2017-05-01T10:00:00+00:00", last_batch_id=5, id=2)


def test_the_first_sign_off_of_a_quarter_stands():
    assert signoff_for([FIRST, AGAIN], "2016/17 Q4") is FIRST
    assert signoff_for([FIRST], "2016/17 Q3") is None


def test_the_state_is_draft_until_signed_off_then_names_who_and_when():
    assert signoff_state(None) == "Draft: not signed off"
    assert signoff_state(FIRST) == "Signed off by Ada on 2017-04-20 10:00 UTC"


def test_a_value_is_revised_after_sign_off_when_its_batch_is_newer():
    assert not revised_after(FIRST, 3) and revised_after(FIRST, 4)
    assert not revised_after(None, 99)


def test_revisions_are_values_up_to_the_quarter_from_later_batches():
    end = date(2017, 3, 31)
    values = [
        {"kpi_ref": "19a", "period": "2016/17 Q4", "period_end": date(2017, 3, 31), "area": "",
         "value": 30.0, "batch_id": 4},
        {"kpi_ref": "19a", "period": "2016/17 Q3", "period_end": date(2016, 12, 31), "area": "",
         "value": 28.0, "batch_id": 2},
        {"kpi_ref": "19a", "period": "2017/18 Q1", "period_end": date(2017, 6, 30), "area": "",
         "value": 25.0, "batch_id": 6},
    ]
    batches = {4: ("Cal", "2017-04-21T09:00:00+00:00")}
    [revision] = revisions_after(FIRST, values, end, batches)
    assert (revision.kpi_ref, revision.period, revision.batch_id, revision.who) == (
        "19a", "2016/17 Q4", 4, "Cal")
    assert revisions_after(None, values, end, batches) == ()
