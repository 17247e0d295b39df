"""The plans' interface: what the app asks of the store about plans, whatever database is behind
it (issue 13). No SQL here; `domain/store/plan_tables.py` holds the tables and the SQL.

- A plan is identified by its title, authority and years (`Plan.identity`). Each import of it is
  a *version*: the register as written (every sheet, every cell), kept for ever. A version with
  the same identity as a stored plan revises it; an identical one changes nothing.
- Every import, revision and change of the current plan is a batch in the store's one history
  (the `batches` table, beside the returns uploads), so undo and redo work as for returns: undo
  marks the batch rolled back and the plan, version or choice it brought goes with it.
- The current plan is the one named by the newest active "current plan" batch (while that plan
  has an active version), else the first plan imported.
- Returns belong to a KPI ref, not a plan: nothing here touches them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from domain.rules.plan import Register

# The kinds of batch a plan brings into the history (the returns kinds are the upload kinds).
PLAN_IMPORT = "plan import"  # a plan the store did not hold
PLAN_REVISION = "plan revision"  # a new version of a stored plan: changed targets or due dates
CURRENT_PLAN = "current plan"  # an admin made a plan the current one
PLAN_BATCH_KINDS = (PLAN_IMPORT, PLAN_REVISION, CURRENT_PLAN)


@dataclass(frozen=True)
class NewPlanVersion:
    """A checked plan waiting to be stored."""

    identity: str  # Plan.identity
    register: Register
    register_sha256: str
    in_force_from: date | None  # a revision: the day its targets take effect
    file_name: str
    content_sha256: str  # of the file as uploaded
    who: str
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)  # items; added, changed, unchanged


@dataclass(frozen=True)
class StoredVersion:
    version_id: int
    plan_id: int
    batch_id: int
    register: Register
    register_sha256: str
    in_force_from: date | None
    imported_at: str  # ISO date and time (UTC), from its batch
    imported_by: str
    file_name: str


@dataclass(frozen=True)
class StoredPlan:
    plan_id: int
    versions: tuple[StoredVersion, ...]  # the active ones, oldest first (never empty)

    @property
    def latest(self) -> StoredVersion:
        return self.versions[-1]

    @property
    def first(self) -> StoredVersion:
        return self.versions[0]


@dataclass(frozen=True)
class PlanImportResult:
    plan_id: int
    batch_id: int | None  # None: nothing stored
    committed: bool
    identical: bool  # the plan's latest version was already exactly this
    is_revision: bool


class PlanRepository(Protocol):
    """The operations the app uses on the plans (one adapter per database)."""

    def ensure_plan(self, seed: Callable[[], NewPlanVersion]) -> None: ...
    def revision(self) -> int: ...
    def stored_plans(self) -> list[StoredPlan]: ...
    def current_plan_id(self) -> int | None: ...
    def import_plan(self, new: NewPlanVersion, _before_commit: Callable[[], None] | None = None
                    ) -> PlanImportResult: ...
    def make_current(self, plan_id: int, who: str) -> int | None: ...
    def undo(self, batch_id: int, who: str) -> bool: ...
    def redo(self, batch_id: int, who: str) -> bool: ...
