"""Signing in with a name and password, signing out, sessions that end, cookies that are
tampered with, throttling, and API tokens: through the Flask test client."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from runtime.auth import AUTH_CONFIG_KEY
from signin import PASSWORD, USERS, accounts_of, csrf_headers

ADMIN = USERS["admin"]


def form_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def sign_in(client, name: str, password: str, next_path: str = "", address: str = "10.0.0.1"):
    return client.post("/login", data={
        "username": name, "password": password, "next": next_path,
        "csrf_token": form_token(client)}, environ_base={"REMOTE_ADDR": address})


def audit_events(app) -> list[tuple[str, str, str]]:
    """(event, who, detail) of every audit line, oldest first."""
    return [(e.event, e.who, e.detail) for e in reversed(accounts_of(app).audit(limit=1000))]


class Clock:
    """A clock the test moves: the app reads the time only through AuthConfig.clock."""

    def __init__(self):
        self.now = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now


@pytest.fixture
def clock(app):
    clock = Clock()
    app.server.config[AUTH_CONFIG_KEY] = replace(app.server.config[AUTH_CONFIG_KEY],
                                                 clock=clock)
    return clock


# --- strangers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/actions?status=RED", "/kpi/19a", "/upload",
                                  "/present?interval=30"])
def test_a_stranger_asking_for_a_page_is_sent_to_sign_in_and_back(stranger, path):
    response = stranger.get(path)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login?next=")
    from urllib.parse import parse_qs, urlsplit

    assert parse_qs(urlsplit(location).query)["next"] == [path]


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/kpis"), ("GET", "/api/actions"), ("GET", "/export/kpis.csv"),
    ("GET", "/export/dataset.xlsx"), ("GET", "/api/returns/template.csv"), ("GET", "/api/audit"),
    ("GET", "/_dash-layout"), ("GET", "/_dash-dependencies"), ("GET", "/_reload-hash"),
    ("GET", "/_dash-component-suites/dash/dcc/dash_core_components.js"),
    ("POST", "/_dash-update-component"), ("POST", "/api/batches/1/undo")])
def test_a_stranger_gets_401_json_from_the_api_exports_and_dash_routes(stranger, method, path):
    response = stranger.open(path, method=method, json={} if method == "POST" else None)
    assert response.status_code == 401
    assert response.is_json and "Sign in" in response.get_json()["error"]


def test_a_stranger_may_open_sign_in_the_statement_and_the_styles_they_need(stranger):
    page = stranger.get("/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="username"' in html and 'name="password"' in html
    statement = stranger.get("/accessibility")
    assert statement.status_code == 200
    text = statement.get_data(as_text=True)
    assert "<h1>Accessibility statement" in text and "react-entry-point" not in text
    for asset in ("/assets/app.css", "/vendor/bootstrap/css/bootstrap.min.css",
                  "/_favicon.ico"):
        assert stranger.get(asset).status_code == 200, asset


def test_signed_in_the_statement_is_the_dash_page(client):
    assert "react-entry-point" in client.get("/accessibility").get_data(as_text=True)


# --- the sign-in form ----------------------------------------------------------------------------

def test_signing_in_returns_to_the_page_asked_for(app, stranger):
    response = sign_in(stranger, ADMIN, PASSWORD, "/actions?status=RED")
    assert response.status_code == 302 and response.headers["Location"] == "/actions?status=RED"
    assert stranger.get("/api/kpis").status_code == 200
    assert ("sign_in", ADMIN, "password") in audit_events(app)


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/x",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_next_only_ever_leads_to_this_site(stranger, target):
    response = sign_in(stranger, ADMIN, PASSWORD, target)
    assert response.headers["Location"] == "/"


def test_a_wrong_password_an_unknown_name_and_a_disabled_user_get_the_same_answer(app, stranger):
    accounts_of(app).update_user(USERS["viewer"], "2026-01-01T00:00:00+00:00", disabled=True)
    answers = [sign_in(stranger, name, password) for name, password in (
        (ADMIN, "not the password at all"), ("nobody at all", PASSWORD),
        (USERS["viewer"], PASSWORD))]
    assert {a.status_code for a in answers} == {401}
    messages = {re.search(r'id="login-error">(.*?)</p>', a.get_data(as_text=True), re.S)[1]
                for a in answers}
    assert len(messages) == 1 and "username or password" in messages.pop()
    assert stranger.get("/api/kpis").status_code == 401
    failures = [(who, detail) for event, who, detail in audit_events(app)
                if event == "sign_in_failed"]
    assert failures == [(ADMIN, "wrong password"), ("nobody at all", "unknown user"),
                        (USERS["viewer"], "user disabled")]


def test_the_form_without_its_csrf_token_is_refused(app, stranger):
    response = stranger.post("/login", data={"username": ADMIN, "password": PASSWORD})
    assert response.status_code == 400
    assert stranger.get("/api/kpis").status_code == 401
    assert "csrf_refused" in [event for event, _, _ in audit_events(app)]


def test_ten_failures_for_one_name_answer_429_with_retry_after_until_they_age(app, clock):
    for attempt in range(10):
        client = app.server.test_client()  # a new browser and address each time
        response = sign_in(client, ADMIN, "wrong password here", address=f"10.1.0.{attempt}")
        assert response.status_code == 401
        clock.now += timedelta(seconds=30)
    client = app.server.test_client()
    refused = sign_in(client, ADMIN, PASSWORD, address="10.2.0.1")  # even the right password
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 0 < wait <= 15 * 60
    assert "Too many failed sign-ins" in refused.get_data(as_text=True)
    assert client.get("/api/kpis").status_code == 401
    assert sign_in(app.server.test_client(), USERS["viewer"], PASSWORD,
                   address="10.2.0.2").status_code == 302, "other names are not held up"
    clock.now += timedelta(seconds=wait)
    assert sign_in(app.server.test_client(), ADMIN, PASSWORD,
                   address="10.2.0.3").status_code == 302
    assert "sign_in_throttled" in [event for event, _, _ in audit_events(app)]


def test_ten_failures_from_one_address_hold_up_every_name_from_it(app, clock):
    for attempt in range(10):
        sign_in(app.server.test_client(), f"guess{attempt}", "wrong password here",
                address="10.9.9.9")
    assert sign_in(app.server.test_client(), ADMIN, PASSWORD,
                   address="10.9.9.9").status_code == 429
    assert sign_in(app.server.test_client(), ADMIN, PASSWORD,
                   address="10.9.9.8").status_code == 302


def test_the_count_is_in_the_store_so_every_worker_sees_it(app, settings, password_hash, clock):
    """A second app on the same data folder stands for a second worker process."""
    from app import create_app

    for attempt in range(10):
        sign_in(app.server.test_client(), ADMIN, "wrong password here", address="10.3.0.1")
    other = create_app(settings)
    other.server.config[AUTH_CONFIG_KEY] = app.server.config[AUTH_CONFIG_KEY]
    assert sign_in(other.server.test_client(), ADMIN, PASSWORD,
                   address="10.3.0.2").status_code == 429


# --- sessions ------------------------------------------------------------------------------------

def test_signing_out_ends_the_session_on_the_server(app, client):
    response = client.post("/logout", headers=csrf_headers(client))
    assert response.status_code == 302 and "reason=signed_out" in response.headers["Location"]
    assert client.get("/api/kpis").status_code == 401
    assert "sign_out" in [event for event, _, _ in audit_events(app)]
    assert "You have signed out" in client.get("/login?reason=signed_out").get_data(as_text=True)


def test_signing_out_needs_the_csrf_token(client):
    assert client.post("/logout").status_code == 400
    assert client.get("/api/kpis").status_code == 200


def test_a_session_ends_after_the_idle_limit(app, clock, stranger):
    sign_in(stranger, ADMIN, PASSWORD)
    clock.now += timedelta(hours=7, minutes=59)
    assert stranger.get("/api/kpis").status_code == 200  # and that request counts as activity
    clock.now += timedelta(hours=7, minutes=59)
    assert stranger.get("/api/kpis").status_code == 200
    clock.now += timedelta(hours=8, minutes=1)
    page = stranger.get("/actions")
    assert page.status_code == 302 and "reason=expired" in page.headers["Location"]
    assert "without activity" in stranger.get(page.headers["Location"]).get_data(as_text=True)
    assert "session_expired" in [event for event, _, _ in audit_events(app)]


def test_a_tampered_cookie_is_refused_with_an_audit_line(app, client):
    cookie = client.get_cookie("session")
    client.set_cookie("session", cookie.value[:-3] + ("AAA" if cookie.value[-3:] != "AAA"
                                                      else "BBB"))
    response = client.get("/api/kpis")
    assert response.status_code == 401
    assert "could not be read" in response.get_json()["error"]
    assert "session_refused" in [event for event, _, _ in audit_events(app)]
    assert client.get_cookie("session") is None, "the response deleted the unreadable cookie"


def test_disabling_a_user_or_changing_their_role_holds_at_once(app, client_as):
    viewer = client_as("viewer")
    contributor = client_as("contributor")
    assert contributor.get("/upload").status_code == 200
    accounts_of(app).update_user(USERS["contributor"], "2026-01-01T00:00:00+00:00",
                                 role="viewer")
    assert contributor.get("/upload").status_code == 403
    from domain.store.accounts import disable_user

    assert disable_user(accounts_of(app), USERS["viewer"], "2026-01-01T00:00:00+00:00") == 1
    assert viewer.get("/api/kpis").status_code == 401


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(app):
    plain = app.server.test_client()
    response = sign_in(plain, ADMIN, PASSWORD)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = app.server.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', secure.get(
        "/login", base_url="https://dashboard.example").get_data(as_text=True))[1]
    response = secure.post("/login", base_url="https://dashboard.example",
                           headers={"Referer": "https://dashboard.example/login"},
                           data={"username": ADMIN, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_signing_in_gives_a_new_session_cookie(app):
    """A session fixed before sign-in (e.g. planted by someone else) is worth nothing."""
    client = app.server.test_client()
    client.get("/login")
    before = client.get_cookie("session").value
    sign_in(client, ADMIN, PASSWORD)
    assert client.get_cookie("session").value != before


# --- API tokens ----------------------------------------------------------------------------------

def test_a_token_acts_with_its_role_on_every_route_pages_included(app, token_for):
    viewer = {"Authorization": f"Bearer {token_for('viewer', 'Dashboard reader')}"}
    client = app.server.test_client()
    assert client.get("/api/kpis", headers=viewer).status_code == 200
    assert client.get("/actions", headers=viewer).status_code == 200
    assert client.get("/export/kpis.csv", headers=viewer).status_code == 200
    assert client.get("/upload", headers=viewer).status_code == 403
    assert client.post("/api/returns", data=b"x", headers=viewer).status_code == 403


@pytest.mark.parametrize("header", ["Bearer ipd_not-a-real-token", "Bearer", "Basic YWJjOmRlZg==",
                                    "bearer  "])
def test_a_malformed_or_unknown_token_is_refused_not_replaced_by_the_cookie(app, client, header):
    response = client.get("/api/kpis", headers={"Authorization": header})
    assert response.status_code == 401
    assert "token is not valid" in response.get_json()["error"]
    assert "token_refused" in [event for event, _, _ in audit_events(app)]


def test_a_revoked_token_stops_working_at_once(app, token_for):
    token = token_for("viewer", "Old script")
    headers = {"Authorization": f"Bearer {token}"}
    client = app.server.test_client()
    assert client.get("/api/kpis", headers=headers).status_code == 200
    assert accounts_of(app).revoke_token("Old script", "2026-01-01T00:00:00+00:00")
    assert client.get("/api/kpis", headers=headers).status_code == 401


def test_tokens_are_stored_only_as_hashes(app, settings, token_for):
    token = token_for("contributor", "Extract")
    stored = b"".join(path.read_bytes() for path in settings.data_dir.glob("returns.sqlite*"))
    assert b"Extract" in stored and token.encode() not in stored
