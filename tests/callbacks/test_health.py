"""/healthz and /readyz, and what the app does when its database is wrong or out of reach: it
still starts, says which setting and what failed, answers 503, and recovers when it can."""

from __future__ import annotations

import logging
import socket

import pytest
from signin import add_users, signed_in_client

from app import Settings, create_app
from domain.store.repository import StoreUnavailable
from domain.store.source import DeferredStore
from routes.health import readiness_answer


@pytest.mark.both_databases
def test_healthz_and_readyz_answer_ok_when_the_store_and_plan_load(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json() == {"status": "ready"}


def test_readiness_answer_is_503_with_the_reason():
    assert readiness_answer(None) == ({"status": "ready"}, 200)
    assert readiness_answer("database: down") == (
        {"status": "unavailable", "reason": "database: down"}, 503)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe closes


@pytest.mark.parametrize("url, says", [
    ("mysql://app:secret@db.example/returns", "mysql is not supported"),
    ("not a url", "is not a database URL"),
    ("sqlite://", "names no file"),
    (f"postgresql://app:secret@127.0.0.1:{closed_port()}/returns", "refused"),
])
def test_a_wrong_or_unreachable_database_url_starts_and_says_what_failed(tmp_path, caplog, url,
                                                                        says):
    with caplog.at_level(logging.ERROR):
        app = create_app(Settings(data_dir=tmp_path / "var", database_url=url))
    logged = caplog.text
    assert "DATABASE_URL" in logged and says in logged and "secret" not in logged
    client = app.server.test_client()
    assert client.get("/healthz").status_code == 200, "the process itself is up"
    ready = client.get("/readyz")
    assert ready.status_code == 503
    reason = ready.get_json()["reason"]
    assert reason.startswith("database: DATABASE_URL") and says in reason
    assert "secret" not in reason
    # A stranger is refused at the gate, before the database is asked.
    assert client.get("/api/kpis").status_code == 401


def test_an_unwritable_default_store_names_the_data_dir_setting(tmp_path):
    blocker = tmp_path / "var"
    blocker.write_text("a file where the data dir's store folder should be")
    settings = Settings(data_dir=tmp_path / "data", database_url=f"sqlite:///{blocker}/x.sqlite")
    reason = create_app(settings).server.test_client().get("/readyz").get_json()["reason"]
    assert "DATABASE_URL" in reason and str(blocker) in reason


def test_a_plan_that_does_not_load_is_not_ready(tmp_path):
    """A new store is seeded from the shipped plan's files (after that the plans live in the
    store): without them it can not be, and the app says why."""
    empty_plan = tmp_path / "no-plan"
    empty_plan.mkdir()
    app = create_app(Settings(data_dir=tmp_path / "fresh", plan_dir=empty_plan))
    ready = app.server.test_client().get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["reason"].startswith("plan: ")


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_the_store_is_tried_again_after_a_pause_and_then_used():
    clock, attempts = Clock(), []

    def opener():
        attempts.append(clock.now)
        if len(attempts) < 2:
            raise StoreUnavailable("postgresql+psycopg://db/returns: connection refused")
        return "the store"

    store = DeferredStore(opener, "DATABASE_URL", retry_seconds=5, clock=clock)
    with pytest.raises(StoreUnavailable, match="^DATABASE_URL: .*refused"):
        store.open()
    clock.now = 4
    with pytest.raises(StoreUnavailable):
        store.open()
    assert attempts == [0], "not tried again within the pause"
    clock.now = 5
    assert store.open() == "the store" and store.last_failure is None
    assert store.open() == "the store" and attempts == [0, 5]


def test_a_database_lost_after_start_answers_503_and_not_500(postgres_server, tmp_path,
                                                             password_hash):
    name, url = postgres_server.create_database()
    app = create_app(Settings(data_dir=tmp_path / "var", database_url=url))
    add_users(app, password_hash)
    client = signed_in_client(app, "viewer")
    assert client.get("/readyz").status_code == 200
    postgres_server.drop_database(name)
    ready = client.get("/readyz")
    assert ready.status_code == 503 and name in ready.get_json()["reason"]
    assert client.get("/api/kpis").status_code == 503
    assert client.get("/healthz").status_code == 200
