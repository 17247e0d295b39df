"""The meeting-room display's slides, order, interval and key/tick state machine."""

from __future__ import annotations

from domain.views.present import (RED_ITEMS_PER_SLIDE, SLIDE_COMMENTARY_CHARS, ExceptionSlide,
                                  SummarySlide, ThemeSlide, interval_seconds, next_state,
                                  present_view, slide_count, theme_order)
from domain.rules.rag import Rag


def test_interval_comes_from_the_url_within_limits():
    assert interval_seconds("45") == 45
    assert interval_seconds("1") == 2
    assert interval_seconds("999999") == 3600
    assert interval_seconds("soon") == 30
    assert interval_seconds(None) == 30


def test_theme_order_follows_the_url_and_drops_unknown_themes(dataset):
    plan = dataset.plan
    assert theme_order(plan, "4,5") == (4, 5)
    assert theme_order(plan, "5,4,5,99,x") == (5, 4)
    assert theme_order(plan, ["6", "1"]) == (6, 1)
    assert theme_order(plan, None) == tuple(t.number for t in plan.themes)
    assert theme_order(plan, "99") == tuple(t.number for t in plan.themes)


def test_summary_then_exceptions_then_one_slide_per_theme_in_url_order(dataset):
    count = slide_count(dataset, None, "5,4")
    views = [present_view(dataset, i, None, "5,4") for i in range(count)]
    summaries = [v.slide for v in views if isinstance(v.slide, SummarySlide)]
    exceptions = [v.slide for v in views if isinstance(v.slide, ExceptionSlide)]
    themes = [v.slide.theme.number for v in views if isinstance(v.slide, ThemeSlide)]
    assert themes == [5, 4]
    assert isinstance(views[0].slide, SummarySlide)
    kinds = [type(v.slide) for v in views]
    assert kinds == ([SummarySlide] * len(summaries) + [ExceptionSlide] * len(exceptions)
                     + [ThemeSlide] * 2)
    assert exceptions and len(summaries) + len(exceptions) + 2 == count
    assert present_view(dataset, count, None, "5,4").index == 0  # wraps round


def test_summary_lists_every_red_kpi_and_overdue_action(dataset):
    asat = dataset.latest_quarter()
    statuses = dataset.kpi_statuses(asat)
    red = [k.ref for k in dataset.plan.kpis if statuses[k.ref].status is Rag.RED]
    overdue = sorted(ref for ref, s in dataset.action_statuses(asat).items()
                     if s.timescale_slipped)
    slides = [present_view(dataset, i).slide for i in range(slide_count(dataset, None))]
    summaries = [s for s in slides if isinstance(s, SummarySlide)]
    assert [k.ref for s in summaries for k, _ in s.red_kpis] == red
    assert sorted(a.ref for s in summaries for a, _ in s.overdue_actions) == overdue
    assert all(len(s.red_kpis) <= RED_ITEMS_PER_SLIDE for s in summaries)
    first = summaries[0]
    assert sum(c[Rag.RED] for _, c in first.counts) == len(red)


def test_theme_slide_charts_its_red_and_amber_kpis(dataset):
    view = present_view(dataset, slide_count(dataset, "2016-17Q4", "1") - 1, "2016-17Q4", "1")
    slide = view.slide
    assert slide.theme.number == 1
    assert [t.kpi.ref for t in slide.tiles] == [k.ref for k in dataset.plan.kpis if k.theme == 1]
    assert {t.kpi.ref for t in slide.charted} == {
        t.kpi.ref for t in slide.tiles if t.status.status in (Rag.RED, Rag.AMBER)}
    assert view.asat.label == "2016/17 Q4"


def test_ticks_and_keys_move_and_pause():
    state = {"index": 0, "paused": False}
    assert next_state(state, "tick", 4) == {"index": 1, "paused": False}
    assert next_state({"index": 3, "paused": False}, "next", 4)["index"] == 0
    assert next_state(state, "prev", 4)["index"] == 3
    paused = next_state(state, "pause", 4)
    assert paused == {"index": 0, "paused": True}
    assert next_state(paused, "tick", 4) == paused  # a late tick can not move a paused screen
    assert next_state(paused, "next", 4)["index"] == 1  # keys still move it
    assert next_state(paused, "pause", 4)["paused"] is False
    assert next_state(None, None, 4) == {"index": 0, "paused": False}


def test_exception_slides_list_every_red_and_amber_kpi_of_the_themes_shown(dataset):
    asat = dataset.latest_quarter()
    statuses = dataset.kpi_statuses(asat)
    expected = {k.ref for k in dataset.plan.kpis if k.theme in (4, 5)
                and statuses[k.ref].status in (Rag.RED, Rag.AMBER)}
    slides = [present_view(dataset, i, None, "4,5").slide
              for i in range(slide_count(dataset, None, "4,5"))]
    shown = [row.kpi.ref for s in slides if isinstance(s, ExceptionSlide) for row in s.rows]
    assert sorted(shown) == sorted(expected) and len(shown) == len(expected)
    assert all(len(row.commentary or {}) == 0 for s in slides
               if isinstance(s, ExceptionSlide) for row in s.rows)  # none written yet
    assert SLIDE_COMMENTARY_CHARS >= 100
