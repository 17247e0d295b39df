"""Opening the store a database URL names, and the dataset the pages read, built from it:
`StoreDatasetSource` rebuilds it when the store's revision changes, so every worker process sees
a commit on its next request.

Plans live in the store too (issue 13): on first run the shipped register (`data/plan/`) is
imported as the first plan; `PlanCatalogue` is every stored plan read into its versions, and a
`Dataset` is one plan (any of them, by id; the current one by default) with the returns, which
belong to KPI refs rather than to a plan.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from domain.ingest.kinds import upload_kind
from domain.ingest.plan_import import KnownPlan, PlanImportCheck
from domain.ingest.progress import read_progress
from domain.ingest.register import (PlanFileError, load_plan, plan_from_register,
                                    register_from_folder, register_sha256)
from domain.ingest.returns import read_returns
from domain.rules.dataset import Dataset
from domain.rules.integrity import check_plan
from domain.rules.plan import Plan, PlanVersion
from domain.store.plan_repository import (NewPlanVersion, PlanImportResult, PlanRepository,
                                          StoredPlan)
from domain.store.postgres import PostgresStore
from domain.store.ratings import SqlBoardRatings
from domain.store.signoffs import SqlSignoffs
from domain.store.repository import (ACTION_PROGRESS, COMPARATORS, KPI_COMMENTARY, KPI_VALUES,
                                     NewBatch, BoardRatingsRepository, ReturnsRepository,
                                     SignoffRepository,
                                     StoreNewerThanCode, StoreUnavailable, sha256_of)
from domain.store.sql import database_url, first_line, shown
from domain.store.sqlite import STORE_FILE_NAME, Store

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


def commentary_table(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The current KPI commentary (issue 14), or none when the snapshot has no such kind."""
    frame = frames.get(KPI_COMMENTARY)
    return current_table(frame, KPI_COMMENTARY) if frame is not None else pd.DataFrame()


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


class ParsedPlans:
    """Plans read from their stored registers, and what the integrity rules find in each, kept
    by the register's digest: a stored version never changes, so a returns commit (which moves
    the store's revision and rebuilds the dataset) reads and checks no plan again."""

    def __init__(self):
        self._plans: dict[str, Plan | None] = {}
        self._findings: dict[str, tuple] = {}

    def plan(self, register, digest: str) -> Plan | None:
        if digest not in self._plans:
            self._plans[digest] = plan_from_register(register)[0]
        return self._plans[digest]

    def findings(self, plan: Plan, digest: str) -> tuple:
        if digest not in self._findings:
            self._findings[digest] = tuple(check_plan(plan))
        return self._findings[digest]


def _versions(stored: StoredPlan, parsed: ParsedPlans) -> tuple[PlanVersion, ...]:
    out = []
    for version in stored.versions:
        plan = parsed.plan(version.register, version.register_sha256)
        if plan is None:  # stored only when it passed, so this is a guard, never expected
            continue
        out.append(PlanVersion(plan, version.in_force_from, version.imported_at,
                               version.imported_by))
    return tuple(out)


def plan_catalogue(store: PlanRepository, parsed: ParsedPlans | None = None) -> PlanCatalogue:
    current = store.current_plan_id()
    parsed = parsed or ParsedPlans()
    entries = []
    for stored in store.stored_plans():
        versions = _versions(stored, parsed)
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

def dataset_for(entry: CataloguedPlan, frames: dict[str, pd.DataFrame], is_sample: bool,
                parsed: ParsedPlans | None = None) -> Dataset:
    plan = entry.plan
    findings = (parsed.findings(plan, entry.register_sha256) if parsed is not None
                else tuple(check_plan(plan)))
    return Dataset.build(plan, findings, current_table(frames[KPI_VALUES], KPI_VALUES),
                         current_table(frames[ACTION_PROGRESS], ACTION_PROGRESS), is_sample,
                         comparators=current_table(frames[COMPARATORS], COMPARATORS),
                         versions=entry.versions, commentary=commentary_table(frames))


def dataset_from_store(plan_dir: Path, store: ReturnsRepository, plan_id: int | None = None,
                       catalogue: PlanCatalogue | None = None,
                       parsed: ParsedPlans | None = None) -> tuple[int, Dataset]:
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
            comparators=current_table(frames[COMPARATORS], COMPARATORS),
            commentary=commentary_table(frames))
    return revision, dataset_for(catalogue.plan(plan_id), frames, is_sample, parsed)


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
        self._parsed = ParsedPlans()

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
                                            self.catalogue(), self._parsed)
                self._datasets[plan_id] = cached
            return cached[1]

    def catalogue(self) -> PlanCatalogue:
        revision = self.store.revision()
        with self._lock:
            if self._catalogue is None or self._catalogue[0] != revision:
                self._catalogue = (revision, plan_catalogue(self.store, self._parsed))
            return self._catalogue[1]

    def keep_fresh(self, every_seconds: float) -> threading.Event:
        """Check the store every `every_seconds` on a background thread and rebuild when it
        moved, so the first request after a commit finds the dataset already built instead of
        building it (about 0.2 s of CPU). Requests still check the revision themselves, so none
        ever sees an older dataset; this only moves the work off their path. Set the returned
        event to stop. Errors are left to the requests, which report them."""
        stop = threading.Event()

        def refresh() -> None:
            while not stop.wait(every_seconds):
                try:
                    self.current()
                except Exception:  # noqa: BLE001 (the next request meets it and says so)
                    pass

        threading.Thread(target=refresh, name="dataset-refresh", daemon=True).start()
        return stop


def default_database_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir).resolve() / STORE_FILE_NAME}"


def sqlite_file_of(url: str) -> Path | None:
    """The file of a SQLite store URL; None for another database."""
    parsed = database_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" else None


def store_for_url(url: str) -> ReturnsRepository:
    """The adapter for the database `url` names, not yet connected (BadDatabaseUrl when the URL
    is not one the app can use)."""
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        return Store(parsed.database)
    return PostgresStore(parsed)


def open_store(url: str, plan_dir: Path, returns_path: Path, progress_path: Path
               ) -> ReturnsRepository:
    """The store at `url`, its schema brought to this code's version and, on first run, seeded
    with the sample and holding the shipped plan as its first plan. StoreUnavailable says what failed when the database cannot be used;
    StoreNewerThanCode when a later release has upgraded it."""
    store = store_for_url(url)
    try:
        if (sqlite_file := sqlite_file_of(url)) is not None:
            sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        store.ensure_created(lambda: sample_batches(load_plan(plan_dir)[0], returns_path,
                                                    progress_path))
        store.ensure_plan(lambda: shipped_plan_version(plan_dir))
    except StoreNewerThanCode:
        store.dispose()
        raise
    except (SQLAlchemyError, OSError) as error:  # the driver's words for what failed
        store.dispose()
        raise StoreUnavailable(f"{shown(database_url(url))}: {first_line(error)}") from error
    return store


class SeedPlanUnreadable(StoreUnavailable):
    """A new store can not be seeded: the shipped plan's files (data/plan/) do not read."""


class DeferredStore:
    """The store, opened on first use rather than when the app is built, so a worker whose
    database is down still starts, answers /readyz with the reason, and connects once the
    database is back (trying again at most every `retry_seconds`). Every ReturnsRepository call
    goes through to the open store, or raises StoreUnavailable naming `setting` and what failed.
    """

    def __init__(self, opener: Callable[[], ReturnsRepository], setting: str,
                 retry_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic):
        self._opener = opener
        self.setting = setting
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._store: ReturnsRepository | None = None
        self._failure: tuple[float, str, type[StoreUnavailable]] | None = None

    def open(self) -> ReturnsRepository:
        with self._lock:
            if self._store is not None:
                return self._store
            if self._failure and self._clock() - self._failure[0] < self._retry_seconds:
                raise self._failure[2](self._failure[1])
            try:
                self._store = self._opener()
            except StoreUnavailable as error:
                self._failure = (self._clock(), f"{self.setting}: {error}", StoreUnavailable)
                raise StoreUnavailable(self._failure[1]) from error
            except PlanFileError as error:  # a new store is seeded from the shipped plan
                self._failure = (self._clock(), str(error), SeedPlanUnreadable)
                raise SeedPlanUnreadable(self._failure[1]) from error
            self._failure = None
            return self._store

    @property
    def last_failure(self) -> str | None:
        return self._failure[1] if self._failure else None

    def __getattr__(self, name: str):
        # Only names this class does not have reach here: the repository's operations.
        return getattr(self.open(), name)


def readiness(store: DeferredStore, source: StoreDatasetSource) -> str | None:
    """Why the app cannot serve its pages now (the database does not answer, or the plan and
    its data do not load), or None when it can."""
    try:
        opened = store.open()
    except SeedPlanUnreadable as error:
        return f"plan: {first_line(error)}"
    except StoreUnavailable as error:
        return f"database: {error}"  # names the setting already
    try:
        opened.revision()
    except Exception as error:  # the database stopped answering since it was opened
        return f"database: {store.setting}: {first_line(error)}"
    try:
        dataset = source.current()
    except Exception as error:
        return f"plan: {first_line(error)}"
    if not dataset.plan.kpis:
        return "plan: the plan register has no KPIs"
    return None


def files_signature(paths: tuple[Path, ...]) -> tuple:
    """Name, modification time and size of each file (or each CSV in a folder): changes when
    any of them is edited, so a cached Dataset knows to reload."""
    out = []
    for path in paths:
        for file in sorted(path.glob("*.csv")) if path.is_dir() else [path]:
            stat = file.stat() if file.exists() else None
            out.append((str(file), stat.st_mtime_ns if stat else None,
                        stat.st_size if stat else None))
    return tuple(out)


def open_signoffs(store: ReturnsRepository) -> SignoffRepository:
    """The sign-offs of quarters (issue 14), in the same database as the returns store."""
    return SqlSignoffs(lambda: store.engine)


def open_ratings(store: ReturnsRepository) -> BoardRatingsRepository:
    """The board's outcome ratings, in the same database as the returns store."""
    return SqlBoardRatings(lambda: store.engine)
