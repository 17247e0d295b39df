"""The schema belongs to Alembic: a new database is brought to the newest revision at start, the
store the release before migrations made upgrades in place with every batch kept, workers
starting at once upgrade and seed exactly once, and a store newer than the code is refused."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from domain.store import migrate
from domain.store.repository import KINDS, StoreNewerThanCode
from domain.store.source import open_store, store_for_url
from domain.store.schema import metadata

ROOT = Path(__file__).resolve().parents[2]
RELEASE_STORE = ROOT / "tests" / "fixtures" / "store_f88209a.sqlite"


def open_settings_store(settings):
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


@pytest.mark.both_databases
def test_a_new_database_gets_every_table_the_code_defines(settings):
    store = open_settings_store(settings)
    assert store.schema_revision() == migrate.code_revision()
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == [], ("the tables in domain/store differ from what the migrations "
                               "make: add a revision (domain/store/README.md)")


@pytest.mark.both_databases
def test_a_store_newer_than_the_code_is_refused_naming_both_versions(settings):
    store = open_settings_store(settings)
    batches = store.batches()
    with store.writer.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    with pytest.raises(StoreNewerThanCode) as refused:
        open_settings_store(settings)
    message = str(refused.value)
    assert "0999" in message and migrate.code_revision() in message
    assert store.batches() == batches, "nothing was touched"


@pytest.mark.both_databases
def test_the_app_refuses_to_start_on_a_newer_store(settings):
    from app import create_app

    with open_settings_store(settings).writer.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    with pytest.raises(StoreNewerThanCode, match="0999"):
        create_app(settings)


def release_contents(path: Path) -> dict:
    """Everything a store of the release before migrations holds, read with plain sqlite3."""
    with sqlite3.connect(path) as connection:
        return {table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("batches", "batch_events", "store_meta", "kpi_values",
                              "action_progress", "comparator_values")}


def test_the_release_before_migrations_upgrades_in_place_with_every_batch_kept(settings,
                                                                               tmp_path):
    store_file = tmp_path / "returns.sqlite"
    shutil.copy(RELEASE_STORE, store_file)
    before = release_contents(store_file)
    assert len(before["batches"]) == 5 and before["store_meta"] == [("revision", 7)]

    store = open_store(f"sqlite:///{store_file}", settings.plan_dir, settings.returns_path,
                       settings.progress_path)
    assert store.schema_revision() == migrate.code_revision()
    after = release_contents(store_file)
    for table in ("kpi_values", "action_progress", "comparator_values"):
        assert after[table] == before[table], f"every row of {table} kept, none added"
    # Every batch kept (no re-seeding), and the shipped plan stored as the first plan: plans
    # live in the store since revision 0003.
    assert after["batches"][:5] == before["batches"] and len(after["batches"]) == 6
    assert after["batch_events"][:len(before["batch_events"])] == before["batch_events"]
    assert after["store_meta"] == [("revision", 8)]
    assert [(b.kind, b.file_name, b.status) for b in store.batches()] == [
        ("plan import", "plan/*.csv (the shipped register)", "active"),
        ("comparators", "comparators.csv", "active"), ("kpi values", "wrong.csv", "rolled back"),
        ("kpi values", "q2.csv", "active"), ("action progress", "sample_progress.csv", "active"),
        ("kpi values", "sample.csv", "active")]
    assert store.current_plan_id() == 1
    current = store.current(KINDS[0])
    q2 = current[(current.kpi_ref == "19a") & (current.period == "2016/17 Q2")]
    assert sorted(zip(q2.area, q2.value)) == [("", 12.5), ("North", 3.0)]
    assert store.integrity_problems() == []
    assert store.undo(5, "after the upgrade") and store.revision() == 9


STARTER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from domain.store.source import open_store
    store = open_store({url!r}, {plan!r}, {returns!r}, {progress!r})
    print("OPEN", len(store.batches()), flush=True)
""")


@pytest.mark.both_databases
def test_workers_starting_at_once_migrate_and_seed_exactly_once(settings):
    script = STARTER.format(root=str(ROOT), url=settings.store_url, plan=str(settings.plan_dir),
                            returns=str(settings.returns_path),
                            progress=str(settings.progress_path))
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    workers = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [worker.communicate(timeout=120) for worker in workers]
    for out, err in results:
        assert out.startswith("OPEN 3"), err  # the sample's two batches and the shipped plan
    store = store_for_url(settings.store_url)
    assert store.schema_revision() == migrate.code_revision()
    assert len(store.batches()) == 3 and store.revision() == 2
