"""Issue 18 item 8: on the board pack's and the display's charts, the latest value's label and
the target's label never cover each other or the period labels ("Target 90%" over "91.3%")."""

from __future__ import annotations

import re
from datetime import date

import pytest

from components.trend_chart import HEIGHT, Label, overlaps, place_labels, trend_chart_svg
from domain.rules.periods import quarter
from domain.rules.plan import Kpi
from domain.rules.rag import Observation

KPI_2A = Kpi(ref="2a", theme=1, measure="% of Children in Need that have a CIN plan",
             responsible_officer="Head of Service", frequency="quarterly", target_label="90%",
             target=90.0, unit="percent", denominator=None, polarity="higher",
             due_label="Mar-17", due_date=date(2017, 3, 31))
_TEXT = re.compile(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)"[^>]*>([^<]*)</text>')


def labels_of(svg: str) -> list[Label]:
    return [Label(text, float(x), float(y), anchor) for x, y, anchor, text in _TEXT.findall(svg)]


def assert_apart(svg: str) -> None:
    labels = labels_of(svg)
    assert len(labels) == 4  # target, latest value, first and last periods
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not overlaps(a, b), (a.text, b.text)
        assert 0 <= a.box[1] and a.box[3] <= HEIGHT


def test_the_issues_chart_keeps_target_and_value_apart():
    values = [80.0, 84.0, 88.0, 91.3]
    observations = [Observation(quarter(2016, n + 1), v) for n, v in enumerate(values)]
    assert_apart(trend_chart_svg(KPI_2A, observations))


@pytest.mark.parametrize("latest", [89.0, 89.9, 90.0, 90.4, 91.3, 95.0])
def test_labels_stay_apart_whatever_the_latest_value(latest):
    observations = [Observation(quarter(2016, 1), 70.0), Observation(quarter(2016, 2), latest)]
    assert_apart(trend_chart_svg(KPI_2A, observations))


def test_every_sample_chart_keeps_its_labels_apart(dataset):
    for kpi in dataset.plan.kpis:
        assert_apart(trend_chart_svg(kpi, dataset.observations(kpi.ref)))


def test_the_value_label_prefers_its_place_above_the_point():
    value, target = place_labels("50.0%", (620, 200), "Target 90%", 60, [], 640, 300)
    assert value.y == 188 and target.y == 52
