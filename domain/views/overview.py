"""The overview's questions: which KPIs, in which status, as at which period, after filters."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from domain.rules.dataset import (Dataset, QuarterReturns, asat_with_fallback, newer_partial,
                            partial_note)
from domain.rules.periods import ReportingPeriod
from domain.rules.plan import Kpi, Theme
from domain.rules.rag import STATUS_ORDER, KpiStatus, Observation, Rag


@dataclass(frozen=True)
class Tile:
    kpi: Kpi
    status: KpiStatus
    series: tuple[Observation, ...]  # whole-authority values up to the as-at period


@dataclass(frozen=True)
class OverviewView:
    asat: ReportingPeriod
    asat_error: str | None
    sections: tuple[tuple[Theme, tuple[Tile, ...]], ...]
    counts: dict[Rag, int]  # over the theme and officer filters, before the status filter
    shown: int
    total: int
    partial_note: str | None = None  # the as-at quarter's returns are still arriving
    newer_partial: QuarterReturns | None = None  # offered one click away


def overview_view(dataset: Dataset, asat_text: str | None = None, themes: tuple[str, ...] = (),
                  officers: tuple[str, ...] = (), statuses: tuple[str, ...] = ()) -> OverviewView:
    """Tiles for the KPIs matching every non-empty filter (theme numbers as text, officer
    names, status words), grouped by theme in plan order."""
    asat, asat_error = asat_with_fallback(dataset, asat_text)
    dataset = dataset.at(asat)  # the targets in force then: a revision never recolours the past
    status_of = dataset.kpi_statuses(asat)
    in_scope = [k for k in dataset.plan.kpis
                if (not themes or str(k.theme) in themes)
                and (not officers or k.responsible_officer in officers)]
    counts = Counter(status_of[k.ref].status for k in in_scope)
    shown = [k for k in in_scope
             if not statuses or status_of[k.ref].status.value in statuses]
    sections = []
    for theme in dataset.plan.themes:
        tiles = tuple(Tile(k, status_of[k.ref], dataset.observations_until(k.ref, asat))
                      for k in shown if k.theme == theme.number)
        if tiles:
            sections.append((theme, tiles))
    return OverviewView(asat=asat, asat_error=asat_error, sections=tuple(sections),
                        counts={s: counts.get(s, 0) for s in STATUS_ORDER},
                        shown=len(shown), total=len(dataset.plan.kpis),
                        partial_note=partial_note(dataset, asat),
                        newer_partial=newer_partial(dataset, asat))
