"""The first run's set-up link, display links, the command line, undo and redo over the API,
the audit log's API, the secret key and the security headers."""

from __future__ import annotations

import io
import logging
import os
import re
import stat
from argparse import Namespace
from datetime import datetime, timedelta, timezone

import pytest

from domain.store.accounts import DISPLAY_LINK, issue_link
from signin import PASSWORD, USERS, accounts_of, csrf_headers

GOOD = b"kpi_ref,period,value\n19a,2016/17 Q2,12.5\n"


def form_token(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"',
                     client.get(path).get_data(as_text=True))[1]


def events(app) -> list[str]:
    return [e.event for e in reversed(accounts_of(app).audit(limit=1000))]


# --- the first run -------------------------------------------------------------------------------

def test_with_no_users_a_set_up_link_is_logged_and_makes_the_first_admin(settings, caplog):
    from app import create_app

    with caplog.at_level(logging.WARNING, logger="dashboard"):
        app = create_app(settings)
    link = re.search(r"(/setup/[\w-]+)", caplog.text)[1]
    client = app.server.test_client()
    assert "set-up link to its console" in client.get("/login").get_data(as_text=True)
    assert client.get("/setup/not-the-link").status_code == 404
    assert "Create the first administrator" in client.get(link).get_data(as_text=True)

    short = client.post(link, data={"username": "Root Admin", "password": "too short",
                                    "csrf_token": form_token(client, link)})
    assert short.status_code == 400 and "at least 12" in short.get_data(as_text=True)
    assert accounts_of(app).count_users() == 0

    made = client.post(link, data={"username": "Root Admin", "password": PASSWORD,
                                   "csrf_token": form_token(client, link)})
    assert made.status_code == 302
    assert accounts_of(app).user("Root Admin").role == "admin"
    assert client.get("/api/audit").status_code == 200, "signed in as the new admin"
    assert client.get(link).status_code == 410, "the link works once"
    assert "set-up link" not in app.server.test_client().get("/login").get_data(as_text=True)
    assert {"user_created", "sign_in"} <= set(events(app))


def test_with_users_no_set_up_link_is_made(app, settings, caplog):
    from app import create_app

    with caplog.at_level(logging.WARNING, logger="dashboard"):
        create_app(settings)
    assert "/setup/" not in caplog.text


# --- display links -------------------------------------------------------------------------------

@pytest.fixture
def display_link(app):
    return issue_link(accounts_of(app), DISPLAY_LINK, "display", "Meeting room 3", "Ada Admin",
                      datetime.now(timezone.utc), timedelta(hours=24))


def test_a_display_link_becomes_a_lasting_display_session_once(app, stranger, display_link):
    link, secret = display_link
    page = stranger.get(f"/display/{secret}")
    assert page.status_code == 200 and "Start the display" in page.get_data(as_text=True)
    assert stranger.get("/api/kpis").status_code == 401, "opening the link signs nothing in"
    started = stranger.post(f"/display/{secret}",
                            data={"csrf_token": form_token(stranger, f"/display/{secret}")})
    assert started.status_code == 302 and started.headers["Location"] == "/present"
    cookie = next(h for h in started.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Expires=" in cookie, "the screen's cookie outlives the browser"
    assert stranger.get("/present").status_code == 200
    assert stranger.get("/report").status_code == 200
    assert stranger.get("/api/kpis").status_code == 200
    for forbidden in ("/", "/upload", "/actions", "/export/kpis.csv", "/admin/users"):
        assert stranger.get(forbidden).status_code == 403, forbidden
    assert app.server.test_client().get(f"/display/{secret}").status_code == 404, "used once"

    accounts_of(app).revoke_link(link.id, "2026-01-01T00:00:00+00:00")
    assert accounts_of(app).end_sessions("2026-01-01T00:00:00+00:00", "revoked",
                                         link_id=link.id) == 1
    assert stranger.get("/api/kpis").status_code == 401


def test_a_revoked_or_expired_display_link_does_nothing(app, stranger):
    accounts = accounts_of(app)
    link, secret = issue_link(accounts, DISPLAY_LINK, "display", "Old screen", "Ada Admin",
                              datetime.now(timezone.utc), timedelta(hours=24))
    accounts.revoke_link(link.id, "2026-01-01T00:00:00+00:00")
    assert stranger.get(f"/display/{secret}").status_code == 404
    _link, expired = issue_link(accounts, DISPLAY_LINK, "display", "Late screen", "Ada Admin",
                                datetime.now(timezone.utc) - timedelta(hours=25),
                                timedelta(hours=24))
    assert stranger.get(f"/display/{expired}").status_code == 404


# --- undo and redo over the API, and the audit log -----------------------------------------------

def test_undo_and_redo_over_the_api_for_admins(app, client, client_as):
    headers = csrf_headers(client)
    assert client.post("/api/batches/999/undo", headers=headers).status_code == 404
    undone = client.post("/api/batches/1/undo", headers=headers)
    assert undone.status_code == 200 and undone.get_json()["status"] == "rolled back"
    again = client.post("/api/batches/1/undo", headers=headers)
    assert again.status_code == 409 and "already rolled back" in again.get_json()["error"]
    assert client.post("/api/batches/1/redo", headers=headers).get_json()["status"] == "active"
    assert client.post("/api/batches/1/redo", headers=headers).status_code == 409
    contributor = client_as("contributor")
    assert contributor.post("/api/batches/1/undo",
                            headers=csrf_headers(contributor)).status_code == 403
    store = app.server.config["RETURNS_STORE"]
    assert [(e["event"], e["who"]) for e in store.events()][-2:] == [
        ("undo", USERS["admin"]), ("redo", USERS["admin"])]
    assert events(app).count("undo") == 1 and events(app).count("redo") == 1


def test_an_api_upload_is_in_the_audit_log_with_the_token_name(app, client, token_for):
    token = token_for("contributor", "Case management extract")
    app.server.test_client().post("/api/returns", data=GOOD,
                                  headers={"Authorization": f"Bearer {token}"})
    body = client.get("/api/audit?limit=5").get_json()
    upload = next(e for e in body["entries"] if e["event"] == "upload")
    assert upload["who"] == "Case management extract" and upload["role"] == "contributor"
    assert upload["object"].startswith("batch ") and upload["address"]
    assert set(upload) == {"id", "at", "event", "who", "role", "address", "object", "detail"}


def test_the_audit_api_filters_by_since_and_limit_and_is_for_admins(client, client_as):
    viewer = client_as("viewer")
    for _ in range(3):
        assert viewer.get("/upload").status_code == 403  # each refusal is an audit line
    everything = client.get("/api/audit?limit=1000").get_json()["entries"]
    assert everything and [e["id"] for e in everything] == sorted(
        (e["id"] for e in everything), reverse=True), "newest first"
    assert len(everything) >= 3 and everything[0]["event"] == "access_refused"
    assert len(client.get("/api/audit?limit=1").get_json()["entries"]) == 1
    assert client.get("/api/audit?since=2999-01-01").get_json()["entries"] == []
    assert client.get("/api/audit?since=yesterday").status_code == 400
    assert client.get("/api/audit?limit=0").status_code == 400
    assert client_as("contributor").get("/api/audit").status_code == 403


# --- the command line ----------------------------------------------------------------------------

def run(settings, *argv, stdin: str = "") -> tuple[int, str, str]:
    from app import _parser, run_command

    args = _parser().parse_args([*argv, "--data-dir", str(settings.data_dir)])
    assert isinstance(args, Namespace)
    out, err = io.StringIO(), io.StringIO()
    status = run_command(args, settings, io.StringIO(stdin), out, err)
    return status, out.getvalue(), err.getvalue()


def test_users_create_list_and_disable(app, settings, stranger):
    status, _, err = run(settings, "users", "create", "Sam Smith", "--role", "contributor",
                         stdin="short\n")
    assert status == 1 and "at least 12" in err
    status, _, err = run(settings, "users", "create", "Sam Smith", "--role", "contributor",
                         stdin=PASSWORD + "\nignored second line\n")
    assert status == 0 and "Created user Sam Smith" in err
    status, out, _ = run(settings, "users", "list")
    assert "Sam Smith\tcontributor\tactive\tset" in out
    signed_in = stranger.post("/login", data={"username": "Sam Smith", "password": PASSWORD,
                                               "csrf_token": form_token(stranger, "/login")})
    assert signed_in.status_code == 302 and stranger.get("/upload").status_code == 200
    status, _, err = run(settings, "users", "disable", "Sam Smith")
    assert status == 0 and "1 sessions ended" in err
    assert stranger.get("/upload").status_code == 302
    assert run(settings, "users", "disable", "Nobody")[0] == 1
    assert {"user_created", "user_disabled"} <= set(events(app))


def test_tokens_create_prints_only_the_token_which_then_works(app, settings):
    status, out, _ = run(settings, "tokens", "create", "Nightly extract", "--role",
                         "contributor")
    assert status == 0
    token = out.strip()
    assert out == token + "\n" and token.startswith("ipd_") and len(token) > 40
    assert run(settings, "tokens", "create", "Nightly extract", "--role", "viewer")[0] == 1
    client = app.server.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    posted = client.post("/api/returns", data=GOOD, headers=headers)
    assert posted.status_code == 200
    store = app.server.config["RETURNS_STORE"]
    assert store.batch(posted.get_json()["batch_id"]).who == "Nightly extract"
    status, out, _ = run(settings, "tokens", "list")
    assert "Nightly extract\tcontributor\tactive" in out and token not in out
    assert run(settings, "tokens", "revoke", "Nightly extract")[0] == 0
    assert client.get("/api/kpis", headers=headers).status_code == 401
    assert run(settings, "tokens", "revoke", "Nightly extract")[0] == 1


def test_the_commands_take_a_database_url(tmp_path, settings):
    from dataclasses import replace

    url = f"sqlite:///{tmp_path / 'elsewhere' / 'store.sqlite'}"
    status, out, _ = run(replace(settings, database_url=url), "tokens", "create", "Script",
                         "--role", "viewer")
    assert status == 0 and (tmp_path / "elsewhere" / "store.sqlite").exists()


def test_the_command_line_serves_when_no_command_is_given():
    from app import _parser

    args = _parser().parse_args(["--port", "9000", "--database-url", "sqlite:///x.sqlite"])
    assert args.command is None and args.port == 9000 and args.database_url == "sqlite:///x.sqlite"


# --- the secret key and the headers --------------------------------------------------------------

def test_the_secret_key_is_made_once_owner_only_or_comes_from_the_environment(tmp_path):
    from runtime.sessions import SECRET_KEY_FILE, secret_key

    first = secret_key(None, tmp_path)
    path = tmp_path / SECRET_KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert secret_key(None, tmp_path) == first and len(first) >= 64
    assert secret_key("from the environment", tmp_path / "other") == "from the environment"
    assert not (tmp_path / "other").exists()


@pytest.mark.parametrize("path", ["/login", "/", "/api/kpis", "/assets/app.css",
                                  "/_dash-layout"])
def test_every_response_carries_the_security_headers(app, client, stranger, path):
    for who in (client, stranger):
        headers = who.get(path).headers
        policy = headers["Content-Security-Policy"]
        scripts = next(p for p in policy.split("; ") if p.startswith("script-src"))
        assert scripts.split()[1] == "'self'"
        assert all(s.startswith("'sha256-") for s in scripts.split()[2:])
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_dash_callbacks_need_the_csrf_header_with_a_cookie_but_not_with_a_token(app, client,
                                                                                   token_for):
    """A cross-site fetch or form carries the cookie but can not read it to set the header."""
    body = {"output": "upload-history.children", "outputs": {"id": "upload-history",
                                                              "property": "children"},
            "inputs": [{"id": "upload-history-version", "property": "data", "value": 1}],
            "changedPropIds": ["upload-history-version.data"], "state": []}
    client.get("/upload")
    assert client.post("/_dash-update-component", json=body).status_code == 400
    assert client.post("/_dash-update-component", json=body,
                       headers={"X-CSRFToken": "forged"}).status_code == 400
    assert client.post("/_dash-update-component", json=body,
                       headers=csrf_headers(client)).status_code == 200
    token = {"Authorization": f"Bearer {token_for('contributor')}"}
    assert app.server.test_client().post("/_dash-update-component", json=body,
                                         headers=token).status_code == 200
