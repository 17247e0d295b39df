"""Signing a quarter off (issue 14, docs/rules.md#signing-a-period-off) as plain values: which
quarter a `POST /api/periods/<period>/signoff` asks for, and what the pack says about it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from domain.rules.dataset import WHOLE_AUTHORITY, Dataset
from domain.rules.outcomes import period_in_plan
from domain.rules.periods import PeriodError, ReportingPeriod
from domain.rules.signoff import (PeriodSignoff, Revision, revisions_after, signoff_for,
                                  signoff_state)


@dataclass(frozen=True)
class SignoffView:
    period: str
    signoff: PeriodSignoff | None
    revisions: tuple[Revision, ...]

    @property
    def state(self) -> str:
        return signoff_state(self.signoff)

    @property
    def revised(self) -> frozenset[tuple[str, str]]:
        """(KPI, period) of each whole-authority value revised after the sign-off."""
        return frozenset((r.kpi_ref, r.period) for r in self.revisions
                         if r.area == WHOLE_AUTHORITY)


DRAFT = SignoffView("", None, ())


def signoff_view(dataset: Dataset, asat: ReportingPeriod, signoffs: Sequence[PeriodSignoff],
                 batches: Mapping[int, tuple[str, str]]) -> SignoffView:
    signoff = signoff_for(signoffs, asat.label)
    returns = dataset.returns
    values = [] if returns.empty or signoff is None else returns.to_dict("records")
    return SignoffView(asat.label, signoff,
                       revisions_after(signoff, values, pd.Timestamp(asat.end), dict(batches)))


def signoff_period(dataset: Dataset, text: str, today: date
                   ) -> tuple[ReportingPeriod | None, str | None]:
    """The quarter to sign off, or why not: it must read as a period, have ended by `today`
    and fall within the plan."""
    try:
        period = dataset.resolve_asat(text)
    except PeriodError as error:
        return None, f"{error}. Give a quarter such as 2016-17Q4."
    if period.end > today:
        return None, f"{period.label} has not ended yet: a quarter is signed off after its end."
    if not period_in_plan(dataset.plan, period):
        return None, f"{period.label} is outside the plan: give a quarter within it."
    return period, None
