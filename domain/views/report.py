"""The board pack's questions: everything the Improvement Board reads, as at one period."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from domain.views.actions_view import ActionRow, actions_view
from domain.views.exceptions import ExceptionRow, exception_rows
from domain.rules.dataset import (Dataset, QuarterReturns, asat_with_fallback, newer_partial,
                            partial_note)
from domain.views.overview import Tile, overview_view
from domain.rules.periods import ReportingPeriod
from domain.rules.plan import Theme
from domain.views.present import SummarySlide, summary_slides
from domain.rules.signoff import PeriodSignoff
from domain.views.signoff import DRAFT, SignoffView, signoff_view


@dataclass(frozen=True)
class ThemeSection:
    theme: Theme
    tiles: tuple[Tile, ...]
    actions: tuple[ActionRow, ...]  # overdue first, as on the actions page


@dataclass(frozen=True)
class ReportView:
    title: str
    authority: str
    asat: ReportingPeriod
    asat_error: str | None
    made_on: date
    is_sample: bool
    summary: SummarySlide  # counts per theme and every RED KPI and overdue action
    sections: tuple[ThemeSection, ...]
    partial_note: str | None = None  # the as-at quarter's returns are still arriving
    newer_partial: QuarterReturns | None = None  # offered one click away
    exceptions: tuple[ExceptionRow, ...] = ()  # issue 14: every RED and AMBER KPI, commented
    signoff: SignoffView = DRAFT  # issue 14: who signed the quarter off, and what changed since

    @property
    def state(self) -> str:
        """Whether the quarter is signed off: "Draft: not signed off" until an admin signs it
        off, then who did and when; on the cover and on every printed page."""
        return self.signoff.state

    @property
    def footer(self) -> str:
        """The running footer of every printed page (the page number goes beside it)."""
        parts = [self.title, f"Board pack as at {self.asat.label}", self.state]
        if self.partial_note:
            parts.append("partial returns")
        if self.is_sample:
            parts.append("Sample data")
        return " \u00b7 ".join(parts)


def report_view(dataset: Dataset, asat_text: str | None = None,
                made_on: date | None = None, signoffs: Sequence[PeriodSignoff] = (),
                batches: Mapping[int, tuple[str, str]] | None = None) -> ReportView:
    """`signoffs`: every sign-off recorded; `batches`: each batch's (who, when), to find the
    values revised after the quarter's sign-off."""
    asat, asat_error = asat_with_fallback(dataset, asat_text)
    dataset = dataset.at(asat)  # the targets in force then
    signoff = signoff_view(dataset, asat, signoffs, batches or {})
    plan = dataset.plan
    themes = tuple(theme.number for theme in plan.themes)
    parts = summary_slides(dataset, asat, themes)
    summary = SummarySlide(parts[0].counts,
                           tuple(item for part in parts for item in part.red_kpis),
                           tuple(item for part in parts for item in part.overdue_actions),
                           1, 1, parts[0].red_total, parts[0].overdue_total)
    tiles = dict(overview_view(dataset, asat.slug).sections)
    actions = actions_view(dataset, asat.slug).rows
    sections = tuple(ThemeSection(theme, tiles.get(theme, ()),
                                  tuple(row for row in actions if row.theme == theme))
                     for theme in plan.themes)
    return ReportView(plan.title, plan.authority, asat, asat_error, made_on or date.today(),
                      dataset.is_sample, summary, sections, partial_note(dataset, asat),
                      newer_partial(dataset, asat), exception_rows(dataset, asat, signoff.revised),
                      signoff)
