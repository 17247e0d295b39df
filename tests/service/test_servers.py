"""The app as a service: real gunicorn processes on one database. Two app servers (one with two
workers) started at once on an empty database migrate and seed it once, and an upload through one
shows on every request to the other; a short load run loses no commit and gets no error; a store
newer than the code stops gunicorn from starting. Nothing here asserts a time."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from bench.load import Gunicorn, LoadConfig, api_token, request, run_load
from domain.store import migrate
from domain.store.source import open_store, store_for_url

UPLOAD = b"kpi_ref,period,value\n19a,2016/17 Q2,12.5\n"


def value_19a(port: int, auth: dict) -> float:
    status, body = request(port, "GET", "/api/kpis?asat=2016/17%20Q2", headers=auth)
    assert status == 200, body
    return next(k["value"] for k in json.loads(body)["kpis"] if k["ref"] == "19a")


@pytest.mark.both_databases
def test_two_servers_on_one_database_see_each_others_commits(settings, tmp_path):
    folders = [tmp_path / "a", tmp_path / "b"]
    for folder in folders:
        folder.mkdir()
    # Both start at once on an empty database: the migration and the seeding happen once.
    servers = [Gunicorn(folders[0], settings.store_url, workers=1),
               Gunicorn(folders[1], settings.store_url, workers=2)]
    try:
        for server in servers:
            server.wait_ready(timeout=180)
        a, b = servers
        viewing = api_token(settings.store_url, "viewer script", "viewer")
        before = value_19a(b.port, viewing)
        assert before != 12.5
        status, body = request(a.port, "POST", "/api/returns", UPLOAD,
                               {"Content-Type": "text/csv",
                                **api_token(settings.store_url, "Server A", "contributor")})
        assert status == 200 and json.loads(body)["committed"], body
        # Every request to B, whichever of its workers takes it, shows A's commit at once.
        assert [value_19a(b.port, viewing) for _ in range(8)] == [12.5] * 8
    finally:
        for server in servers:
            server.stop()
    store = store_for_url(settings.store_url)
    assert [b.who for b in store.batches()].count("sample data (embedded)") == 2
    assert store.batches()[0].who == "Server A"


@pytest.mark.both_databases
def test_a_short_load_run_loses_no_commit_and_gets_no_error(settings, tmp_path):
    report = run_load(LoadConfig(database_url=settings.store_url, workers=2, viewers=4,
                                 uploaders=1, upload_every=1, think=0.5, duration=4,
                                 single_user_requests=3), data_dir=tmp_path)
    assert report.error_count == 0, report.as_markdown()
    assert report.committed and report.missing == []
    assert {"GET /api/kpis", "POST /api/returns"} <= set(report.timings)


def test_gunicorn_refuses_a_store_newer_than_the_code(settings, tmp_path):
    # SQLite only here: the refusal itself is tested on both databases in test_migrations.py.
    store = open_store(settings.store_url, settings.plan_dir, settings.returns_path,
                       settings.progress_path)
    with store.writer.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    server = Gunicorn(tmp_path, settings.store_url, workers=1)
    try:
        with pytest.raises(RuntimeError, match="gunicorn exited") as refused:
            server.wait_ready(timeout=180)
    finally:
        server.stop()
    assert f"version 0999, newer than this code's {migrate.code_revision()}" in str(refused.value)
