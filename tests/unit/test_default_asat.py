"""Issue 18 items 9 and 3: the default "as at" is the latest quarter whose returns are complete
enough (README, "Which period the pages show"), a newer partial quarter is labelled and one click
away, and an as-at outside the data says so and shows the nearest period."""

from __future__ import annotations

import pandas as pd
import pytest

from domain.rules.dataset import (COMPLETE_ENOUGH, Dataset, asat_choices, asat_with_fallback,
                            newer_partial, partial_note)
from domain.ingest.returns import read_returns

Q2, Q3 = "2017/18 Q2", "2017/18 Q3"


def with_returns(dataset: Dataset, refs, period: str = Q3) -> Dataset:
    """The sample plus a whole-authority value for each KPI in `refs` for `period`."""
    text = "kpi_ref,period,value\n" + "".join(f"{ref},{period},50\n" for ref in refs)
    extra = read_returns(text.encode(), dataset.plan)
    assert extra.ok, extra.failures
    returns = pd.concat([dataset.returns, extra.table], ignore_index=True)
    return Dataset.build(dataset.plan, dataset.findings, returns, dataset.progress, True)


def quarterly(dataset) -> list[str]:
    return [k.ref for k in dataset.plan.kpis if k.frequency == "quarterly"]


def test_nine_early_returns_do_not_move_the_default(dataset):
    partial = with_returns(dataset, quarterly(dataset)[:9])
    assert partial.latest_quarter().label == Q3
    assert partial.default_quarter().label == Q2
    assert partial.resolve_asat(None).label == Q2
    returns = partial.returns_in(partial.latest_quarter())
    assert (returns.received, returns.complete) == (9, False)
    assert returns.label == f"{Q3} (partial: 9 of {returns.expected} returns)"


def test_the_default_moves_once_the_quarter_is_complete_enough(dataset):
    refs = quarterly(dataset)
    enough = -(-int(COMPLETE_ENOUGH * 100) * len(refs) // 100)  # 75%, rounded up
    assert with_returns(dataset, refs[:enough]).default_quarter().label == Q3
    assert with_returns(dataset, refs[:enough - 1]).default_quarter().label == Q2


def test_the_sample_default_is_its_latest_quarter_though_kpi_4_is_missing(dataset):
    # KPI 4 has no return for 2017/18 Q2 in the sample: one missing return is not "partial".
    assert dataset.default_quarter() == dataset.latest_quarter()
    assert dataset.returns_in(dataset.latest_quarter()).received < \
        dataset.returns_in(dataset.latest_quarter()).expected


def test_the_partial_quarter_is_a_labelled_choice_and_offered_one_click_away(dataset):
    partial = with_returns(dataset, quarterly(dataset)[:9])
    choices = dict(asat_choices(partial))
    assert choices["2017-18Q3"].startswith(f"{Q3} (partial: 9 of ")
    assert choices["2017-18Q2"] == Q2
    default = partial.default_quarter()
    assert newer_partial(partial, default).quarter.label == Q3
    assert newer_partial(partial, partial.latest_quarter()) is None  # already on it
    assert partial_note(partial, default) is None
    note = partial_note(partial, partial.latest_quarter())
    assert note.startswith(f"{Q3} is partial: 9 of the") and Q2 in note


def test_pages_show_the_default_and_say_a_newer_partial_period_exists(dataset):
    from domain.views.overview import overview_view

    partial = with_returns(dataset, quarterly(dataset)[:9])
    view = overview_view(partial)
    assert view.asat.label == Q2 and view.newer_partial.quarter.label == Q3
    # The early returns flag no tile "return overdue" while the rest are being collected.
    def overdue(v):
        return sum(t.status.return_overdue for _, tiles in v.sections for t in tiles)
    assert overdue(view) == overdue(overview_view(dataset))
    chosen = overview_view(partial, "2017-18Q3")
    assert chosen.partial_note and chosen.newer_partial is None


@pytest.mark.parametrize("text, shown, words", [
    ("2019-20Q1", "2017/18 Q2", "There are no returns for 2019/20 Q1 yet: showing the nearest "
                                "period with returns, 2017/18 Q2, instead."),
    ("2010/11 Q1", "2014/15 Q1", "There are no returns as early as 2010/11 Q1: showing the "
                                 "earliest period with returns, 2014/15 Q1, instead."),
    ("2016-17Q4", "2016/17 Q4", None),
    ("nonsense", "2017/18 Q2", "Showing the latest complete period, 2017/18 Q2, instead."),
])
def test_an_asat_outside_the_data_shows_the_nearest_period_and_says_so(dataset, text, shown,
                                                                         words):
    asat, message = asat_with_fallback(dataset, text)
    assert asat.label == shown
    if words is None:
        assert message is None
    else:
        assert message.endswith(words)


def test_every_page_view_carries_the_message(dataset):
    from domain.views.actions_view import actions_view
    from domain.views.indicator import indicator_view
    from domain.views.overview import overview_view
    from domain.views.present import present_view
    from domain.views.report import report_view

    for view in (overview_view(dataset, "2019-20Q1"), actions_view(dataset, "2019-20Q1"),
                 indicator_view(dataset, "17a", "2019-20Q1"), report_view(dataset, "2019-20Q1"),
                 present_view(dataset, 0, "2019-20Q1")):
        assert view.asat.label == "2017/18 Q2"
        assert "no returns for 2019/20 Q1" in view.asat_error
