"""The dataset the pages read, built from the store: `StoreDatasetSource` rebuilds it when the
store's revision changes, so every worker process sees a commit on its next request.

Plans live in the store too (issue 13): on first run the shipped register (`data/plan/`) is
imported as the first plan; `PlanCatalogue` is every stored plan read into its versions, and a
`Dataset` is one plan (any of them, by id; the current one by default) with the returns, which
belong to KPI refs rather than to a plan.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from domain.ingest.kinds import upload_kind
from domain.ingest.plan_import import KnownPlan, PlanImportCheck
from domain.ingest.progress import read_progress
from domain.ingest.register import (load_plan, plan_from_register, register_from_folder,
                                    register_sha256)
from domain.ingest.returns import read_returns
from domain.rules.dataset import Dataset
from domain.rules.integrity import check_plan
from domain.rules.plan import Plan, PlanVersion
from domain.store.plan_repository import (NewPlanVersion, PlanImportResult, PlanRepository,
                                          StoredPlan)
from domain.store.repository import (ACTION_PROGRESS, COMPARATORS, KPI_VALUES, NewBatch,
                                     ReturnsRepository, sha256_of)
from domain.store.sqlite import Store

SAMPLE_WHO = "sample data (embedded)"
SHIPPED_PLAN_WHO = "shipped plan (embedded)"


def sample_batches(plan, returns_path: Path, progress_path: Path) -> list[NewBatch]:
    """The embedded sample returns and action progress as the store's first batches."""
    returns_bytes = Path(returns_path).read_bytes()
    progress_bytes = Path(progress_path).read_bytes()
    return [
        NewBatch(KPI_VALUES, Path(returns_path).name, sha256_of(returns_bytes), SAMPLE_WHO,
                 read_returns(returns_bytes, plan).table, is_sample=True),
        NewBatch(ACTION_PROGRESS, Path(progress_path).name, sha256_of(progress_bytes),
                 SAMPLE_WHO, read_progress(progress_bytes, plan).table, is_sample=True),
    ]


def current_table(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """A kind's current rows in its declared columns and order, with the batch each row came
    from (`batch_id`), so a page or the API can say where a value was uploaded."""
    declared = upload_kind(kind)
    batch_ids = (frame["batch_id"] if "batch_id" in frame.columns
                 else pd.Series(dtype="int64", index=frame.index))
    table = frame[list(declared.column_names)].assign(batch_id=batch_ids.astype("int64"))
    if declared.sort_by:
        table = table.sort_values(list(declared.sort_by), kind="stable")
    return table.reset_index(drop=True)


# --- plans -----------------------------------------------------------------------------------------

class UnknownPlan(KeyError):
    """A plan id the store does not hold (or whose every version was rolled back)."""


@dataclass(frozen=True)
class CataloguedPlan:
    """A stored plan read into its versions (oldest first) and what the switcher shows."""

    plan_id: int
    versions: tuple[PlanVersion, ...]
    register_sha256: str  # of the latest version
    is_current: bool
    stored: StoredPlan

    @property
    def plan(self) -> Plan:
        return self.versions[-1].plan

    @property
    def imported_at(self) -> str:
        return self.stored.first.imported_at

    @property
    def imported_by(self) -> str:
        return self.stored.first.imported_by

    def known(self) -> KnownPlan:
        return KnownPlan(self.plan_id, self.plan, self.register_sha256,
                         self.stored.latest.in_force_from, self.is_current)


@dataclass(frozen=True)
class PlanCatalogue:
    plans: tuple[CataloguedPlan, ...]  # by plan id

    def plan(self, plan_id: int | None = None) -> CataloguedPlan:
        """A plan by id; the current one for None. Raises UnknownPlan."""
        for entry in self.plans:
            if entry.plan_id == plan_id or (plan_id is None and entry.is_current):
                return entry
        raise UnknownPlan(plan_id)

    @property
    def current(self) -> CataloguedPlan | None:
        return next((p for p in self.plans if p.is_current), None)

    def known(self) -> list[KnownPlan]:
        return [entry.known() for entry in self.plans]

    def definitions(self, kpi_ref: str) -> list[tuple[Plan, str]]:
        """(plan, measure) for every plan defining the KPI ref, by the plan's start date: where
        the ref's definition changed between plans (issue 13)."""
        found = [(entry.plan, entry.plan.kpi(kpi_ref)) for entry in self.plans]
        found = [(plan, kpi.measure) for plan, kpi in found if kpi is not None]
        return sorted(found, key=lambda pair: (pair[0].start_date, pair[0].end_date))


def _versions(stored: StoredPlan) -> tuple[PlanVersion, ...]:
    out = []
    for version in stored.versions:
        plan, _ = plan_from_register(version.register)
        if plan is None:  # stored only when it passed, so this is a guard, never expected
            continue
        out.append(PlanVersion(plan, version.in_force_from, version.imported_at,
                               version.imported_by))
    return tuple(out)


def plan_catalogue(store: PlanRepository) -> PlanCatalogue:
    current = store.current_plan_id()
    entries = []
    for stored in store.stored_plans():
        versions = _versions(stored)
        if versions:
            entries.append(CataloguedPlan(stored.plan_id, versions,
                                          stored.latest.register_sha256,
                                          stored.plan_id == current, stored))
    return PlanCatalogue(tuple(entries))


def new_plan_version(check: PlanImportCheck, who: str) -> NewPlanVersion:
    preview = check.preview
    total = len(check.plan.themes) + len(check.plan.kpis) + len(check.plan.actions)
    counts = (total, len(preview.of("added")), len(preview.of("changed")),
              preview.unchanged) if preview else (total, total, 0, 0)
    return NewPlanVersion(check.plan.identity, check.register, check.register_sha256,
                          check.in_force_from, check.file_name, check.content_sha256,
                          who.strip(), counts)


def commit_plan_import(check: PlanImportCheck, who: str, store: PlanRepository,
                       _before_commit=None) -> PlanImportResult | None:
    """Store a checked plan; None (nothing stored) when it has errors."""
    if not check.ok:
        return None
    return store.import_plan(new_plan_version(check, who), _before_commit=_before_commit)


def shipped_plan_version(plan_dir: Path) -> NewPlanVersion:
    """The shipped register (data/plan/) as the store's first plan."""
    register = register_from_folder(plan_dir)
    plan, _ = plan_from_register(register)
    digest = register_sha256(register)
    total = len(plan.themes) + len(plan.kpis) + len(plan.actions)
    return NewPlanVersion(plan.identity, register, digest, None,
                          f"{Path(plan_dir).name}/*.csv (the shipped register)", digest,
                          SHIPPED_PLAN_WHO, (total, total, 0, 0))


# --- the dataset of a plan ----------------------------------------------------------------------

def dataset_for(entry: CataloguedPlan, frames: dict[str, pd.DataFrame], is_sample: bool
                ) -> Dataset:
    plan = entry.plan
    return Dataset.build(plan, check_plan(plan), current_table(frames[KPI_VALUES], KPI_VALUES),
                         current_table(frames[ACTION_PROGRESS], ACTION_PROGRESS), is_sample,
                         comparators=current_table(frames[COMPARATORS], COMPARATORS),
                         versions=entry.versions)


def dataset_from_store(plan_dir: Path, store: ReturnsRepository, plan_id: int | None = None,
                       catalogue: PlanCatalogue | None = None) -> tuple[int, Dataset]:
    """The revision and the Dataset of a plan (the current one for None). A store holding no
    plan (made before plans lived in it, and not opened with `open_store`) shows the shipped
    register. Raises UnknownPlan."""
    revision, frames, is_sample = store.current_snapshot()
    catalogue = catalogue or plan_catalogue(store)
    if not catalogue.plans and plan_id is None:
        plan, findings = load_plan(plan_dir)
        return revision, Dataset.build(
            plan, findings, current_table(frames[KPI_VALUES], KPI_VALUES),
            current_table(frames[ACTION_PROGRESS], ACTION_PROGRESS), is_sample,
            comparators=current_table(frames[COMPARATORS], COMPARATORS))
    return revision, dataset_for(catalogue.plan(plan_id), frames, is_sample)


class StoreDatasetSource:
    """Gives a plan's Dataset and the plan catalogue from the store, rebuilding them when the
    store's revision moves. The caches live on one worker's app object; the store is the
    truth."""

    def __init__(self, plan_dir: Path, store: ReturnsRepository):
        self.plan_dir = Path(plan_dir)
        self.store = store
        self._lock = threading.RLock()
        self._datasets: dict[int | None, tuple[int, Dataset]] = {}
        self._catalogue: tuple[int, PlanCatalogue] | None = None

    def current(self, plan_id: int | None = None) -> Dataset:
        """The Dataset of a plan (the current plan for None); raises UnknownPlan."""
        revision = self.store.revision()
        with self._lock:
            cached = self._datasets.get(plan_id)
            if cached is None or cached[0] != revision:
                # Keyed by the revision the snapshot was read at, so a commit that lands
                # between the two reads is picked up on the next request.
                if cached is not None and cached[0] != revision:
                    self._datasets.clear()
                cached = dataset_from_store(self.plan_dir, self.store, plan_id,
                                            self.catalogue())
                self._datasets[plan_id] = cached
            return cached[1]

    def catalogue(self) -> PlanCatalogue:
        revision = self.store.revision()
        with self._lock:
            if self._catalogue is None or self._catalogue[0] != revision:
                self._catalogue = (revision, plan_catalogue(self.store))
            return self._catalogue[1]


def open_store(data_dir: Path, plan_dir: Path, returns_path: Path, progress_path: Path
               ) -> Store:
    """The store in `data_dir`, created and seeded with the sample on first run, and holding
    the shipped plan as its first plan."""
    store = Store.in_folder(data_dir)
    store.ensure_created(lambda: sample_batches(load_plan(plan_dir)[0], returns_path,
                                                progress_path))
    store.ensure_plan(lambda: shipped_plan_version(plan_dir))
    return store

