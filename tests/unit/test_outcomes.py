"""The suggested rating of a theme outcome (docs/rules.md#rag-rating-of-a-theme-outcome) on tiny
hand-built plans: each branch, its boundary, and the words naming what drove it."""

from __future__ import annotations

from datetime import date

from domain.rules.outcomes import (BoardRating, board_rating_for, join_words, period_in_plan,
                                   suggest_outcome, suggest_outcomes)
from domain.rules.periods import quarter
from domain.rules.plan import Action, Kpi, Plan, Theme
from domain.rules.rag import ActionStatus, KpiStatus, Rag

DUE = date(2017, 3, 31)  # end of 2016/17 Q4
AT_DUE = quarter(2016, 4)
BEFORE_DUE = quarter(2016, 3)


def kpi(ref: str, theme: int = 1, due: date = DUE) -> Kpi:
    return Kpi(ref=ref, theme=theme, measure="m", responsible_officer="o", frequency="quarterly",
               target_label="80%", target=80.0, unit="percent", denominator=None,
               polarity="higher", due_label="Mar-17", due_date=due)


def action(ref: str, theme: int = 1, kpi_refs: tuple[str, ...] = ()) -> Action:
    return Action(ref=ref, theme=theme, heading_ref=ref.rsplit(".", 1)[0], heading="h",
                  description="d", kpi_refs_label=",".join(kpi_refs), kpi_refs=kpi_refs,
                  due_label="Mar 2017", due_date=DUE, leads=("lead",))


def plan(kpis=(), actions=(), themes=(1, 2)) -> Plan:
    return Plan(title="t", authority="a", version="1", start_date=date(2016, 4, 1),
                end_date=date(2017, 3, 31), baseline_date=date(2016, 3, 31),
                themes=tuple(Theme(n, f"Theme {n}", "aim", f"Outcome {n}") for n in themes),
                kpis=tuple(kpis), actions=tuple(actions))


def k_status(rag: Rag) -> KpiStatus:
    return KpiStatus(status=rag, reason="", value=None, period=None, return_overdue=False,
                     expected_period=AT_DUE, direction=None, previous=None, baseline=None,
                     trajectory=None)


def a_status(rag: Rag, slipped: bool = False) -> ActionStatus:
    return ActionStatus(status=rag, reason="", reported=None, timescale_slipped=slipped)


def suggest(p: Plan, kpis: dict, actions: dict, asat=AT_DUE, theme: int = 1):
    return suggest_outcome(p, theme, {r: k_status(s) for r, s in kpis.items()},
                           {r: (s if isinstance(s, ActionStatus) else a_status(s))
                            for r, s in actions.items()}, asat)


# --- RED -----------------------------------------------------------------------------------------

def test_red_when_kpis_missed_targets_at_their_due_date_and_an_action_slipped():
    p = plan([kpi("3b"), kpi("12a"), kpi("4a")], [action("3.2.1"), action("3.2.2")])
    got = suggest(p, {"3b": Rag.RED, "12a": Rag.RED, "4a": Rag.GREEN},
                  {"3.2.1": a_status(Rag.RED, slipped=True), "3.2.2": Rag.GREEN})
    assert got.status is Rag.RED
    assert got.reason == "RED: 3b and 12a missed targets due Mar 2017; action 3.2.1 slipped."


def test_red_kpis_with_different_due_dates_are_named_by_due_date():
    p = plan([kpi("1a", due=date(2016, 12, 31)), kpi("1b")])
    got = suggest(p, {"1a": Rag.RED, "1b": Rag.RED}, {})
    assert got.reason == ("RED: 1a missed its target due Dec 2016; "
                          "1b missed its target due Mar 2017.")


def test_a_red_kpi_before_its_due_date_is_amber_not_red():
    p = plan([kpi("1a")])
    got = suggest(p, {"1a": Rag.RED}, {}, asat=BEFORE_DUE)
    assert got.status is Rag.AMBER
    assert got.reason == "AMBER: 1a off target but not yet due."


def test_boundary_a_red_kpi_in_the_quarter_ending_on_its_due_date_is_red():
    p = plan([kpi("1a", due=AT_DUE.end)])
    assert suggest(p, {"1a": Rag.RED}, {}, asat=AT_DUE).status is Rag.RED


def test_an_action_reported_red_without_slipping_makes_red():
    p = plan([], [action("1.1.1"), action("1.1.2")])
    got = suggest(p, {}, {"1.1.1": Rag.RED, "1.1.2": Rag.RED})
    assert got.status is Rag.RED
    assert got.reason == "RED: actions 1.1.1 and 1.1.2 reported RED."


# --- BLUE, GREEN, AMBER, NO DATA -----------------------------------------------------------------

def test_blue_only_when_every_kpi_and_action_is_blue():
    p = plan([kpi("1a")], [action("1.1.1")])
    got = suggest(p, {"1a": Rag.BLUE}, {"1.1.1": Rag.BLUE})
    assert (got.status, got.reason) == (Rag.BLUE, "BLUE: all 1 KPI and 1 action completed.")
    assert suggest(p, {"1a": Rag.BLUE}, {"1.1.1": Rag.GREEN}).status is Rag.GREEN


def test_green_when_all_green_or_blue():
    p = plan([kpi("1a"), kpi("1b")], [action("1.1.1")])
    got = suggest(p, {"1a": Rag.GREEN, "1b": Rag.BLUE}, {"1.1.1": Rag.GREEN})
    assert got.status is Rag.GREEN
    assert got.reason == "GREEN: all 2 KPIs and 1 action on target or completed."


def test_one_amber_item_makes_amber_and_is_named():
    p = plan([kpi("1a"), kpi("1b")], [action("1.1.1")])
    got = suggest(p, {"1a": Rag.GREEN, "1b": Rag.AMBER}, {"1.1.1": Rag.AMBER})
    assert got.status is Rag.AMBER
    assert got.reason == ("AMBER: 1b near target or on trajectory; "
                          "action 1.1.1 on track, not complete.")


def test_nothing_reported_for_some_items_is_amber_naming_them():
    p = plan([kpi("1a"), kpi("1b")])
    got = suggest(p, {"1a": Rag.GREEN, "1b": Rag.NO_DATA}, {})
    assert (got.status, got.reason) == (Rag.AMBER, "AMBER: nothing reported for 1b.")


def test_no_data_when_nothing_is_reported_or_the_theme_has_no_items():
    p = plan([kpi("1a")], [action("1.1.1")])
    got = suggest(p, {"1a": Rag.NO_DATA}, {"1.1.1": Rag.NO_DATA})
    assert got.status is Rag.NO_DATA
    assert got.reason == ("NO DATA: none of its 1 KPI and 1 action has a value or progress "
                          "reported by 2016/17 Q4.")
    assert suggest(plan(), {}, {}).status is Rag.NO_DATA


# --- cross-theme references ----------------------------------------------------------------------

def test_a_kpi_cited_by_another_themes_action_counts_only_for_its_own_theme():
    # Theme 2's action cites theme 1's KPI 1a, which missed its target.
    p = plan([kpi("1a", theme=1), kpi("2a", theme=2)], [action("2.1.1", theme=2,
                                                               kpi_refs=("1a",))])
    kpis = {"1a": Rag.RED, "2a": Rag.GREEN}
    actions = {"2.1.1": Rag.GREEN}
    assert suggest(p, kpis, actions, theme=2).status is Rag.GREEN
    assert suggest(p, kpis, actions, theme=1).status is Rag.RED
    every = suggest_outcomes(p, {r: k_status(s) for r, s in kpis.items()},
                             {r: a_status(s) for r, s in actions.items()}, AT_DUE)
    assert {n: s.status for n, s in every.items()} == {1: Rag.RED, 2: Rag.GREEN}


# --- the board's rating and the plan's span ------------------------------------------------------

def test_the_boards_rating_is_the_latest_recorded_for_that_theme_and_quarter_only():
    first = BoardRating(1, "2016/17 Q4", "AMBER", "why", "Chair", "2017-04-20T10:00:00+00:00")
    second = BoardRating(1, "2016/17 Q4", "GREEN", "revised", "Chair", "2017-04-21T10:00:00+00:00")
    other = BoardRating(2, "2016/17 Q4", "RED", "x", "Chair", "2017-04-21T10:00:00+00:00")
    assert board_rating_for([first, second, other], 1, "2016/17 Q4") == second
    assert board_rating_for([first, second], 1, "2016/17 Q3") is None
    assert board_rating_for([first], 2, "2016/17 Q4") is None


def test_period_in_plan_boundaries():
    p = plan()
    assert period_in_plan(p, quarter(2016, 1))  # starts on the plan's first day
    assert period_in_plan(p, quarter(2016, 4))  # ends on its last
    assert not period_in_plan(p, quarter(2015, 4))
    assert not period_in_plan(p, quarter(2017, 1))


def test_join_words():
    assert [join_words([]), join_words(["a"]), join_words(["a", "b"]),
            join_words(["a", "b", "c"])] == ["", "a", "a and b", "a, b and c"]
