"""Issue 18 item 10: a tile's direction says what it is based on, and SPC's wording leads when
the two disagree (never "Worsening" beside "special cause: improving")."""

from __future__ import annotations

from datetime import date

import pytest

from domain.rules.periods import financial_year, quarter
from domain.rules.plan import Kpi
from domain.rules.rag import Observation, kpi_status
from domain.rules.spc import Variation, XmR
from domain.views.spc_view import direction_words

CASELOAD = Kpi(ref="17a", theme=4, measure="Area social work unit average caseload",
               responsible_officer="Head of Service", frequency="quarterly", target_label="60",
               target=60.0, unit="caseload", denominator=None, polarity="lower",
               due_label="Sep-17", due_date=date(2017, 9, 30))
ANNUAL = Kpi(ref="7", theme=2, measure="Care leavers in suitable accommodation",
             responsible_officer="Head of Service", frequency="annual", target_label="86%",
             target=86.0, unit="percent", denominator=None, polarity="higher",
             due_label="Mar-17", due_date=date(2017, 3, 31))


def status(kpi, values, periods):
    observations = [Observation(p, v) for p, v in zip(periods, values)]
    return kpi_status(kpi, observations, periods[-1], date(2016, 3, 31))


def spc(variation, points=14) -> XmR:
    return XmR(values=(0.0,) * points, limits=None, flags={}, variation=variation,
               assurance=None)


QUARTERS = [quarter(2016, 1), quarter(2016, 2)]


@pytest.mark.parametrize("values, variation, words", [
    # Fewer than 12 points: the plain direction, with what it is based on.
    ((62.0, 64.0), None, "Worsening since last quarter"),
    # SPC agrees: the plain words.
    ((64.0, 62.0), Variation.IMPROVING, "Improving since last quarter"),
    # 6b's case: worse than last quarter inside an improving run; SPC leads.
    ((62.0, 64.0), Variation.IMPROVING, "Special cause: improving; up since last quarter"),
    ((64.0, 62.0), Variation.CONCERNING, "Special cause: concerning; down since last quarter"),
    # 17a's case: a change SPC calls common cause is noise, not worsening.
    ((62.0, 64.0), Variation.COMMON,
     "No significant change (common cause): up since last quarter"),
    ((62.0, 62.0), Variation.COMMON, "Unchanged since last quarter"),
])
def test_direction_words(values, variation, words):
    result = spc(variation) if variation else spc(None, points=2)
    assert direction_words(CASELOAD, status(CASELOAD, values, QUARTERS), result) == words


def test_a_value_after_a_gap_names_the_period_it_is_compared_with():
    periods = [quarter(2015, 4), quarter(2016, 2)]
    words = direction_words(CASELOAD, status(CASELOAD, (64.0, 62.0), periods), spc(None, 2))
    assert words == "Improving since 2015/16 Q4"


def test_an_annual_kpi_moves_since_last_year():
    periods = [financial_year(2015), financial_year(2016)]
    words = direction_words(ANNUAL, status(ANNUAL, (80.0, 84.0), periods), spc(None, 2))
    assert words == "Improving since last year"


def test_one_value_has_no_direction():
    assert direction_words(CASELOAD, status(CASELOAD, (60.0,), QUARTERS[:1]), spc(None, 1)) \
        is None


def test_no_sample_tile_contradicts_its_spc_badge(dataset):
    """On the sample, wherever SPC has a special-cause verdict, the tile's words do not claim
    the opposite direction."""
    from domain.views.spc_view import kpi_xmr

    asat = dataset.resolve_asat(None)
    for kpi in dataset.plan.kpis:
        series = dataset.observations_until(kpi.ref, asat)
        result = kpi_xmr(kpi, series)
        words = direction_words(kpi, dataset.kpi_status(kpi.ref, asat), result) or ""
        if result.enough_points and result.variation is Variation.IMPROVING:
            assert not words.startswith("Worsening"), (kpi.ref, words)
        if result.enough_points and result.variation is Variation.CONCERNING:
            assert not words.startswith("Improving"), (kpi.ref, words)
        if result.enough_points and result.variation is Variation.COMMON:
            assert not words.startswith(("Improving", "Worsening")), (kpi.ref, words)
