"""Signing a period off (issue 14, docs/rules.md#signing-a-period-off): the board pack for a
quarter is a draft until an admin signs that quarter off; a value of a signed-off quarter
changed afterwards is shown as "revised after sign-off". Pure rules: the store keeps the
sign-offs (domain/store/signoffs.py), the views ask these questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.rules.periods import parse_period

REVISED_AFTER_SIGNOFF = "revised after sign-off"


@dataclass(frozen=True)
class PeriodSignoff:
    """One signing-off of a quarter; signing it off again is a new one (the latest stands)."""

    period: str  # the quarter's label, "2016/17 Q4"
    signed_by: str
    signed_at: str  # ISO 8601, UTC
    # The newest batch when it was signed off: a later batch is a change after it. (Times are
    # kept to the second, so two in the same second could not be told apart; batch ids can.)
    last_batch_id: int = 0
    id: int | None = None


def signoff_for(signoffs: Sequence[PeriodSignoff], period_label: str) -> PeriodSignoff | None:
    """The first sign-off of the quarter (`signoffs` oldest first): later edits are revisions
    after it, however often it is signed again."""
    return next((s for s in signoffs if s.period == period_label), None)


def revised_after(signoff: PeriodSignoff | None, batch_id: int | None) -> bool:
    """Whether a value from batch `batch_id` was committed after the sign-off, so the board
    signed off a different figure."""
    if signoff is None or batch_id is None:
        return False
    return batch_id > signoff.last_batch_id


@dataclass(frozen=True)
class Revision:
    """A KPI value of a signed-off quarter committed after the sign-off."""

    kpi_ref: str
    period: str
    area: str
    value: float
    batch_id: int
    who: str
    at: str  # when its batch was committed, ISO 8601 UTC


def signoff_state(signoff: PeriodSignoff | None) -> str:
    """The words every page of the pack carries."""
    if signoff is None:
        return "Draft: not signed off"
    return f"Signed off by {signoff.signed_by} on {signoff.signed_at[:16].replace('T', ' ')} UTC"


def revisions_after(signoff: PeriodSignoff | None, values: Sequence[dict],
                    period_end, batches: dict[int, tuple[str, str]]) -> tuple[Revision, ...]:
    """The current values (`kpi_ref, period, period_end, area, value, batch_id` rows) for
    periods ended by the signed-off quarter's end whose batch (`batches`: id -> (who, when))
    came after the sign-off."""
    if signoff is None:
        return ()
    found = []
    for row in values:
        who, at = batches.get(int(row["batch_id"]), ("", ""))
        if row["period_end"] <= period_end and revised_after(signoff, int(row["batch_id"])):
            found.append(Revision(row["kpi_ref"], row["period"], row["area"], row["value"],
                                  int(row["batch_id"]), who, at))
    return tuple(sorted(found, key=lambda r: (r.at, r.kpi_ref, r.period)))


def value_revised(signoffs: Sequence[PeriodSignoff], period_end: date,
                  batch_id: int | None) -> bool:
    """Whether a value for a period ending on `period_end` came after the sign-off of a quarter
    that covers it (a quarter ending then or later), so it is not the figure signed off."""
    standing = [signoff_for(signoffs, label) for label in dict.fromkeys(s.period for s in signoffs)]
    return any(revised_after(s, batch_id) for s in standing
               if s is not None and parse_period(s.period).end >= period_end)
