"""Action milestones to mark on a KPI's charts: the due and completion dates of the actions that
cite it. An action is complete on the date of its first BLUE or GREEN progress report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.rules.dataset import Dataset
from domain.rules.rag import Rag

DUE, COMPLETED = "due", "completed"
COMPLETE_STATUSES = (Rag.BLUE, Rag.GREEN)


@dataclass(frozen=True)
class Milestone:
    action_ref: str
    kind: str  # DUE or COMPLETED
    on: date

    @property
    def label(self) -> str:
        return f"Action {self.action_ref} {self.kind}"


def kpi_milestones(dataset: Dataset, kpi_ref: str, until: date | None = None
                   ) -> tuple[Milestone, ...]:
    """Due and completion dates of the actions citing `kpi_ref`, in date order; a completion
    after `until` (the as-at date) is not yet known, so it is left out."""
    out: list[Milestone] = []
    for action in dataset.plan.actions_citing(kpi_ref):
        if action.due_date is not None:
            out.append(Milestone(action.ref, DUE, action.due_date))
        done = next((r.as_at for r in dataset.reports(action.ref)
                     if r.status in COMPLETE_STATUSES and (until is None or r.as_at <= until)),
                    None)
        if done is not None:
            out.append(Milestone(action.ref, COMPLETED, done))
    return tuple(sorted(out, key=lambda m: (m.on, m.action_ref, m.kind)))
