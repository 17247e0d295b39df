"""`python app.py backup FILE` and `restore FILE`: a consistent copy of the SQLite store taken
while a commit is under way, put back with every batch; a file that is not a store is refused and
the live store left as it was; PostgreSQL is pointed to pg_dump."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import app as app_module
from domain.ingest.upload import check_upload, commit_upload
from domain.store import migrate
from domain.store.source import StoreDatasetSource, open_store, store_for_url
from domain.store.sqlite import NotAStore, backup, restore

ROOT = Path(__file__).resolve().parents[2]
RELEASE_STORE = ROOT / "tests" / "fixtures" / "store_f88209a.sqlite"


@pytest.fixture
def store(settings):
    return open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                      settings.progress_path)


def upload(store, dataset, content: bytes, name: str, **hooks):
    check = check_upload(content, name, dataset.plan, store)
    assert check.ok, check.failures
    return commit_upload(check, "Officer", store, **hooks)


def ids(store) -> list[int]:
    return [b.id for b in store.batches()]


def test_a_backup_during_a_commit_is_consistent_and_restores_every_batch(store, dataset,
                                                                         settings, tmp_path):
    upload(store, dataset, b"kpi_ref,period,value\n19a,2016/17 Q2,11\n", "first.csv")
    committed_before = ids(store)
    copy = tmp_path / "during.sqlite"

    def back_up_half_way():  # inside the commit's open write transaction
        backup(store.path, copy)

    during = upload(store, dataset, b"kpi_ref,period,value\n19a,2016/17 Q2,22\n17a,2016/17 Q2,61\n",
                    "second.csv", _before_commit=back_up_half_way)
    assert during.committed and ids(store) == [during.batch_id, *committed_before]

    copied = store_for_url(f"sqlite:///{copy}")
    assert ids(copied) == committed_before, "every committed batch, none of the half-done one"
    assert copied.integrity_problems() == []

    worker = StoreDatasetSource(settings.plan_dir, store)
    assert 22.0 in [o.value for o in worker.current().observations("19a")]
    live_revision = store.revision()
    restored = restore(copy, store.path)
    assert ids(restored) == committed_before and restored.integrity_problems() == []
    assert restored.revision() > live_revision, "moved past the live one, so workers reload"
    values = [o.value for o in worker.current().observations("19a")]
    assert 11.0 in values and 22.0 not in values, "a running worker sees the restored store"


def test_backup_and_restore_from_the_command_line(settings, store, dataset, tmp_path, capsys):
    upload(store, dataset, b"kpi_ref,period,value\n19a,2016/17 Q2,11\n", "first.csv")
    kept = ids(store)
    copy = tmp_path / "backups" / "returns-copy.sqlite"
    copy.parent.mkdir()
    store_args = ["--data-dir", str(settings.data_dir)]
    assert app_module.store_command(["backup", str(copy), *store_args], settings) == 0
    upload(store, dataset, b"kpi_ref,period,value\n19a,2016/17 Q2,33\n", "later.csv")
    assert app_module.store_command(["restore", str(copy), *store_args], settings) == 0
    assert "Restored" in capsys.readouterr().out
    assert ids(store_for_url(settings.store_url)) == kept


@pytest.mark.parametrize("make", [
    lambda path: path.write_text("kpi_ref,period,value\n19a,2016/17 Q2,11\n"),
    lambda path: sqlite3.connect(path).execute("CREATE TABLE other (x)").connection.commit(),
])
def test_restore_refuses_a_file_that_is_not_a_store(store, tmp_path, make):
    before = (ids(store), store.revision())
    impostor = tmp_path / "impostor.sqlite"
    make(impostor)
    with pytest.raises(NotAStore, match="impostor.sqlite"):
        restore(impostor, store.path)
    assert (ids(store), store.revision()) == before
    assert app_module.store_command(["restore", str(impostor), "--database-url",
                                     f"sqlite:///{store.path}"], app_module.Settings()
                                    ).startswith("restore: ")


def test_a_backup_from_the_release_before_migrations_restores_upgraded(store, tmp_path):
    restored = restore(RELEASE_STORE, store.path)
    assert restored.schema_revision() == migrate.code_revision()
    assert len(restored.batches()) == 5 and restored.integrity_problems() == []


def test_restore_onto_a_machine_without_a_store(tmp_path):
    target = tmp_path / "new" / "returns.sqlite"
    target.parent.mkdir()
    restored = restore(RELEASE_STORE, target)
    assert len(restored.batches()) == 5
    assert [p.name for p in target.parent.iterdir() if "restoring" in p.name] == []


def test_backup_refuses_a_missing_store(tmp_path):
    with pytest.raises(NotAStore, match="does not exist"):
        backup(tmp_path / "none.sqlite", tmp_path / "copy.sqlite")
    assert not (tmp_path / "copy.sqlite").exists()


def test_postgresql_is_pointed_to_pg_dump(tmp_path):
    settings = app_module.Settings(database_url="postgresql+psycopg://app@db/returns")
    message = app_module.store_command(["backup", str(tmp_path / "x")], settings)
    assert "pg_dump" in message and "pg_restore" in message
    assert not (tmp_path / "x").exists()


def test_a_wrong_database_url_is_named(tmp_path):
    message = app_module.store_command(["backup", str(tmp_path / "x"), "--database-url",
                                        "mysql://db/returns"], app_module.Settings())
    assert message.startswith("backup: DATABASE_URL: mysql is not supported")
