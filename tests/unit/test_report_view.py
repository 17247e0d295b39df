"""The board pack's view: a cover, the summary and a section for every theme."""

from __future__ import annotations

from datetime import date

from domain.rules.rag import Rag
from domain.views.report import report_view


def test_report_has_every_theme_its_kpis_and_actions(dataset):
    view = report_view(dataset, "2016-17Q4", made_on=date(2017, 5, 1))
    assert view.asat.label == "2016/17 Q4" and view.made_on == date(2017, 5, 1)
    assert [s.theme.number for s in view.sections] == [t.number for t in dataset.plan.themes]
    for section in view.sections:
        number = section.theme.number
        assert [t.kpi.ref for t in section.tiles] == [k.ref for k in dataset.plan.kpis
                                                      if k.theme == number]
        assert sorted(r.action.ref for r in section.actions) == sorted(
            a.ref for a in dataset.plan.actions if a.theme == number)


def test_report_summary_has_every_red_kpi(dataset):
    view = report_view(dataset, "2016-17Q4")
    statuses = dataset.kpi_statuses(view.asat)
    red = [k.ref for k in dataset.plan.kpis if statuses[k.ref].status is Rag.RED]
    assert [k.ref for k, _ in view.summary.red_kpis] == red
    assert view.summary.red_total == len(red)


def test_a_bad_period_falls_back_to_the_latest_with_a_message(dataset):
    view = report_view(dataset, "not a period")
    assert view.asat == dataset.latest_quarter() and view.asat_error
