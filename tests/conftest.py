"""Shared fixtures. Browser tests use dash_duo in headless Chromium from Debian's packages.

Outside CI, browser tests are skipped with a reason when Chromium or its driver is missing; in CI
(CI=true) a missing browser is an error, so they can never be skipped silently there.

A test module marked `both_databases` runs each of its tests twice, on the default SQLite store
and on a real PostgreSQL server started for the session (tests/postgres.py), through the
`database_url` fixture. Where PostgreSQL cannot be started those runs skip with the reason,
except in CI, where they fail.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def browser_available() -> bool:
    return bool(CHROMEDRIVER) and Path(CHROMIUM).exists()


def pytest_setup_options():
    """dash[testing] hook: Chrome options for headless Chromium that works offline."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run", "--disable-sync",
                     "--window-size=1366,900",
                     # Bootstrap scrolls smoothly; selenium clicks before a smooth scroll ends.
                     "--force-prefers-reduced-motion"):
        options.add_argument(argument)
    return options


def pytest_configure(config):
    """dash_duo numbers its servers' ports from 58050 in every process; start from a port the
    system says is free, so two test runs on one machine (or a running app) do not collide."""
    import socket

    from dash.testing.application_runners import BaseDashRunner

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        BaseDashRunner._next_port = probe.getsockname()[1]


def pytest_collection_modifyitems(config, items):
    if browser_available():
        return
    browser_items = [item for item in items if "dash_duo" in getattr(item, "fixturenames", ())]
    if not browser_items:
        return
    if IN_CI:
        raise pytest.UsageError(
            "CI=true but Chromium or chromedriver is missing: .ci/run must install the Debian "
            "packages chromium and chromium-driver; browser tests may not be skipped in CI.")
    skip = pytest.mark.skip(reason="Chromium and chromedriver are not installed here (run "
                                   "`make test` as root, or apt-get install chromium "
                                   "chromium-driver); browser tests run in CI")
    for item in browser_items:
        item.add_marker(skip)


DATABASES = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    if (metafunc.definition.get_closest_marker("both_databases")
            and "database_url" in metafunc.fixturenames):
        metafunc.parametrize("database_url", DATABASES, indirect=True)


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server for the whole session, in a temporary folder."""
    from tests.postgres import PostgresServer, PostgresUnavailable

    try:
        server = PostgresServer().start()
    except PostgresUnavailable as error:
        if IN_CI:
            pytest.fail(f"CI=true but PostgreSQL could not be started: {error}", pytrace=False)
        pytest.skip(f"PostgreSQL could not be started here ({error}); these tests run in CI")
    yield server
    server.stop()


@pytest.fixture
def database_url(request):
    """None (the default SQLite store in the data dir) or a new database on the session's
    PostgreSQL server, as the `both_databases` marker asks."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield None
        return
    server = request.getfixturevalue("postgres_server")
    name, url = server.create_database()
    yield url
    server.drop_database(name)


@pytest.fixture
def settings(tmp_path, database_url):
    """App settings on the embedded sample data, writing only into a temporary folder, with the
    store in `database_url` (SQLite in that folder unless the test runs on both databases)."""
    from app import Settings

    return Settings(data_dir=tmp_path / "var", database_url=database_url)


@pytest.fixture(scope="session")
def password_hash():
    """One argon2 hash of signin.PASSWORD for the whole run (hashing costs a good fraction of a
    second on purpose)."""
    from domain.store.accounts import hash_password

    from signin import PASSWORD

    return hash_password(PASSWORD)


@pytest.fixture
def app(settings, password_hash):
    """A fresh app for every test: Dash's global callback registry is consumed by the first app
    that serves a request, so apps are never shared between tests. It has one user per role
    (signin.USERS), each with the password signin.PASSWORD."""
    from app import create_app

    from signin import add_users

    app = create_app(settings)
    add_users(app, password_hash)
    return app


@pytest.fixture
def client(app):
    """A test client signed in as an admin: tests of what a role may not do use `client_as`."""
    from signin import signed_in_client

    return signed_in_client(app, "admin")


@pytest.fixture
def client_as(app):
    """`client_as("viewer")`: a test client signed in with that role."""
    from signin import signed_in_client

    return lambda role: signed_in_client(app, role)


@pytest.fixture
def stranger(app):
    """A test client not signed in."""
    return app.server.test_client()


@pytest.fixture
def token_for(app):
    """`token_for("contributor", name="Case management extract")`: a new API token."""
    from signin import api_token

    return lambda role, name=None: api_token(app, role, name)


@pytest.fixture
def dataset(settings):
    from domain.ingest.register import load_dataset

    return load_dataset(settings.plan_dir, settings.returns_path, settings.progress_path,
                        is_sample=True)


@pytest.fixture
def layout(app):
    """`layout(page, **query)`: the page's layout as Dash builds it for a request."""
    import dash

    def build(page: str, path: str = "/", **query):
        with app.server.test_request_context(path):
            return dash.page_registry[f"pages.{page}"]["layout"](**query)
    return build
