"""The plans' tables and their SQL (issue 13), in portable SQLAlchemy Core: no dialect-specific
statement, so the same code runs on SQLite and PostgreSQL.

# --- PLAN TABLES: add these three tables as one migration revision ------------------------------
#   plans                 one row per plan ever imported (its identity), never updated
#   plan_versions         one row per imported version: the register as canonical JSON text
#   current_plan_choices  one row per "make this plan current"
# Each version and choice belongs to a batch of the shared `batches` table (kind "plan import",
# "plan revision" or "current plan"), so undo and redo are the returns' own.
# -------------------------------------------------------------------------------------------------

Why a version keeps its register as one JSON text rather than rows of themes, KPIs and actions:
a version is written once and read whole (every page reads a whole plan; the target history and
the preview compare whole plans in Python), the register's every cell must come back exactly as
written (a plan downloaded and imported again is the same plan, and the digest that recognises
an identical re-import is taken over that text), and a new optional column in the register then
needs no migration. Text is portable (TEXT on SQLite, TEXT on PostgreSQL, no JSON type needed).

`PlanStoreMixin` gives the store (`SqlStore`, sql.py) the `PlanRepository` operations; the store
provides `_read()` (one read transaction), `_write()` (one write transaction holding the store's
writer lock) and `_plan_tables` (from `define_plan_tables` on its MetaData, beside `batches`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import (Column, ForeignKey, Integer, MetaData, String, Table, Text, func, select,
                        update)
from sqlalchemy.engine import Connection

from domain.ingest.register import register_from_json, register_json
from domain.store.plan_repository import (CURRENT_PLAN, PLAN_IMPORT, PLAN_REVISION,
                                          NewPlanVersion, PlanImportResult, StoredPlan,
                                          StoredVersion)
from domain.store.repository import ACTIVE


@dataclass(frozen=True)
class PlanTables:
    plans: Table
    versions: Table
    choices: Table
    batches: Table  # the store's shared history
    events: Table
    meta: Table  # holds the revision every change bumps


def define_plan_tables(metadata: MetaData, batches: Table, events: Table, meta: Table
                       ) -> PlanTables:
    """The plans' tables on the adapter's MetaData (so `create_all` and a migration see them
    beside `batches`, which they refer to)."""
    plans = Table(
        "plans", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        # sha256 of Plan.identity (title, authority and years): a re-import finds its plan.
        Column("identity_key", String(64), nullable=False, unique=True),
        Column("identity", Text, nullable=False),
        Column("created_at", String(32), nullable=False),
    )
    versions = Table(
        "plan_versions", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False, index=True),
        Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False, unique=True),
        Column("register_json", Text, nullable=False),
        Column("register_sha256", String(64), nullable=False),
        Column("in_force_from", String(10), nullable=True),  # ISO date; NULL: from the start
    )
    choices = Table(
        "current_plan_choices", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("batch_id", Integer, ForeignKey("batches.id"), nullable=False, unique=True),
        Column("plan_id", Integer, ForeignKey("plans.id"), nullable=False),
    )
    return PlanTables(plans, versions, choices, batches, events, meta)
# --- END PLAN TABLES -----------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PlanStoreMixin:
    """The `PlanRepository` operations over `_plan_tables` (see the module's docstring)."""

    _plan_tables: PlanTables

    # --- reading ---------------------------------------------------------------------------------

    def stored_plans(self) -> list[StoredPlan]:
        """Every plan with an active version, by plan id; its active versions oldest first."""
        with self._read() as conn:
            return self._stored_plans(conn)

    def current_plan_id(self) -> int | None:
        with self._read() as conn:
            return self._current_plan_id(conn)

    def _active_versions(self, conn: Connection):
        t = self._plan_tables
        return conn.execute(
            select(t.versions, t.batches.c.created_at, t.batches.c.who, t.batches.c.file_name)
            .join(t.batches, t.batches.c.id == t.versions.c.batch_id)
            .where(t.batches.c.status == ACTIVE).order_by(t.versions.c.id)).mappings().all()

    def _stored_plans(self, conn: Connection) -> list[StoredPlan]:
        by_plan: dict[int, list[StoredVersion]] = {}
        for row in self._active_versions(conn):
            by_plan.setdefault(row["plan_id"], []).append(StoredVersion(
                version_id=row["id"], plan_id=row["plan_id"], batch_id=row["batch_id"],
                register=register_from_json(row["register_json"]),
                register_sha256=row["register_sha256"],
                in_force_from=(date.fromisoformat(row["in_force_from"])
                               if row["in_force_from"] else None),
                imported_at=row["created_at"], imported_by=row["who"],
                file_name=row["file_name"]))
        return [StoredPlan(plan_id, tuple(versions))
                for plan_id, versions in sorted(by_plan.items())]

    def _active_plan_ids(self, conn: Connection, without_batch: int | None = None) -> list[int]:
        t = self._plan_tables
        query = (select(t.versions.c.plan_id).distinct()
                 .join(t.batches, t.batches.c.id == t.versions.c.batch_id)
                 .where(t.batches.c.status == ACTIVE))
        if without_batch is not None:
            query = query.where(t.batches.c.id != without_batch)
        return sorted(conn.execute(query).scalars().all())

    def _current_plan_id(self, conn: Connection) -> int | None:
        t = self._plan_tables
        active = self._active_plan_ids(conn)
        chosen = conn.execute(
            select(t.choices.c.plan_id).join(t.batches, t.batches.c.id == t.choices.c.batch_id)
            .where(t.batches.c.status == ACTIVE).order_by(t.choices.c.batch_id.desc())
        ).scalars().all()
        return next((plan_id for plan_id in chosen if plan_id in active),
                    active[0] if active else None)

    # --- writing ---------------------------------------------------------------------------------

    def ensure_plan(self, seed: Callable[[], NewPlanVersion]) -> None:
        """On first run (no plan ever imported), store the seed (the shipped plan) as the first
        plan, in one transaction."""
        t = self._plan_tables
        with self._write() as conn:
            if conn.execute(select(func.count()).select_from(t.plans)).scalar():
                return
            self._store_version(conn, seed())

    def import_plan(self, new: NewPlanVersion, _before_commit: Callable[[], None] | None = None
                    ) -> PlanImportResult:
        """Store a checked plan as a new plan or a new version of the plan with its identity,
        unless that plan's latest version is identical (then nothing is written).
        `_before_commit` is for fault tests: it runs inside the open transaction."""
        with self._write() as conn:
            result = self._store_version(conn, new)
            if result.committed and _before_commit is not None:
                _before_commit()
        return result

    def _store_version(self, conn: Connection, new: NewPlanVersion) -> PlanImportResult:
        t = self._plan_tables
        key = _digest(new.identity)
        plan_id = conn.execute(select(t.plans.c.id).where(t.plans.c.identity_key == key)
                               ).scalar()
        if plan_id is None:
            plan_id = conn.execute(t.plans.insert().values(
                identity_key=key, identity=new.identity, created_at=_now())
            ).inserted_primary_key[0]
        latest = conn.execute(
            select(t.versions.c.register_sha256)
            .join(t.batches, t.batches.c.id == t.versions.c.batch_id)
            .where(t.versions.c.plan_id == plan_id, t.batches.c.status == ACTIVE)
            .order_by(t.versions.c.id.desc())).first()
        if latest is not None and latest[0] == new.register_sha256:
            return PlanImportResult(plan_id, None, False, True, True)
        kind = PLAN_REVISION if latest is not None else PLAN_IMPORT
        total, added, changed, unchanged = new.counts
        batch_id = self._insert_plan_batch(conn, kind, new.file_name, new.content_sha256,
                                           new.who, (total, added, changed, unchanged))
        conn.execute(t.versions.insert().values(
            plan_id=plan_id, batch_id=batch_id, register_json=register_json(new.register),
            register_sha256=new.register_sha256,
            in_force_from=new.in_force_from.isoformat() if new.in_force_from else None))
        self._bump(conn)
        return PlanImportResult(plan_id, batch_id, True, False, latest is not None)

    def make_current(self, plan_id: int, who: str) -> int | None:
        """Make a plan the current one: the new batch, or None when it already is. Raises
        KeyError for a plan without an active version."""
        t = self._plan_tables
        with self._write() as conn:
            if plan_id not in self._active_plan_ids(conn):
                raise KeyError(plan_id)
            if self._current_plan_id(conn) == plan_id:
                return None
            label = f"plan {plan_id}"
            batch_id = self._insert_plan_batch(conn, CURRENT_PLAN, label,
                                               _digest(f"current {label}"), who, (0, 0, 0, 0))
            conn.execute(t.choices.insert().values(batch_id=batch_id, plan_id=plan_id))
            self._bump(conn)
        return batch_id

    def _insert_plan_batch(self, conn: Connection, kind: str, file_name: str, sha256: str,
                           who: str, counts: tuple[int, int, int, int]) -> int:
        t = self._plan_tables
        now = _now()
        total, added, changed, unchanged = counts
        batch_id = conn.execute(t.batches.insert().values(
            kind=kind, file_name=file_name, sha256=sha256, who=who, created_at=now,
            is_sample=False, status=ACTIVE, rows_total=total, rows_new=added,
            rows_revised=changed, rows_unchanged=unchanged)).inserted_primary_key[0]
        conn.execute(t.events.insert().values(batch_id=batch_id, event="commit", who=who,
                                              at=now))
        return batch_id

    def _bump(self, conn: Connection) -> None:
        meta = self._plan_tables.meta
        conn.execute(update(meta).where(meta.c.key == "revision")
                     .values(value=meta.c.value + 1))

    def _may_roll_back(self, conn: Connection, batch_id: int) -> bool:
        """False when rolling the batch back would leave no plan at all (the app always shows
        one): the last plan's last version stays until another plan is imported."""
        t = self._plan_tables
        kind = conn.execute(select(t.batches.c.kind).where(t.batches.c.id == batch_id)).scalar()
        if kind not in (PLAN_IMPORT, PLAN_REVISION):
            return True
        return bool(self._active_plan_ids(conn, without_batch=batch_id))
