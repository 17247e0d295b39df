"""Signing a period off (issue 14, docs/rules.md#signing-a-period-off): the board pack for a
quarter is a draft until an admin signs that quarter off; a value of a signed-off quarter
changed afterwards is shown as "revised after sign-off". Pure rules: the store keeps the
sign-offs (domain/store/signoffs.py), the views ask these questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

REVISED_AFTER_SIGNOFF = "revised after sign-off"


@dataclass(frozen=True)
class PeriodSignoff:
    """One signing-off of a quarter; signing it off again is a new one (the latest stands)."""

    period: str  # the quarter's label, "2016/17 Q4"
    signed_by: str
    signed_at: str  # ISO 8601, UTC
    id: int | None = None


def signoff_for(signoffs: Sequence[PeriodSignoff], period_label: str) -> PeriodSignoff | None:
    """The first sign-off of the quarter (`signoffs` oldest first): later edits are revisions
    after it, however often it is signed again."""
    return next((s for s in signoffs if s.period == period_label), None)


def revised_after(signoff: PeriodSignoff | None, batch_created_at: str | None) -> bool:
    """Whether a value committed at `batch_created_at` (ISO 8601, UTC, as the store writes it)
    came after the sign-off, so the board signed off a different figure."""
    if signoff is None or not batch_created_at:
        return False
    return batch_created_at > signoff.signed_at
