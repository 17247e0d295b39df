"""Signing in for the tests: one user per role with a known password, a test client signed in
with a role's session, an API token, the CSRF header, and the sign-in form in the browser."""

from __future__ import annotations

from datetime import datetime, timezone

from domain.store.accounts import DISPLAY_LINK, PASSWORD as PASSWORD_KIND, iso, issue_token
from domain.store.accounts import new_secret, secret_hash
from runtime.auth import ACCOUNTS_KEY, SESSION_SECRET
from runtime.gate import CSRF_COOKIE

PASSWORD = "correct horse battery staple"
USERS = {"admin": "Ada Admin", "contributor": "Cal Contributor", "viewer": "Vic Viewer"}
DISPLAY_NAME = "display: Meeting room"
ROLES = (*USERS, "display")


def accounts_of(app):
    return app.server.config[ACCOUNTS_KEY]


def _now() -> str:
    return iso(datetime.now(timezone.utc))


def add_users(app, password_hash: str) -> None:
    accounts = accounts_of(app)
    for role, name in USERS.items():
        accounts.save_user(name, role, password_hash, _now())


def signed_in_client(app, role: str):
    """A test client with a session of `role` (a user of USERS; for display, a display
    session), as if signed in through the form or a display link."""
    secret = new_secret()
    if role == "display":
        accounts_of(app).create_session(secret_hash(secret), DISPLAY_NAME, role, DISPLAY_LINK,
                                        _now())
    else:
        accounts_of(app).create_session(secret_hash(secret), USERS[role], role, PASSWORD_KIND,
                                        _now(), user_name=USERS[role])
    client = app.server.test_client()
    with client.session_transaction() as session:
        session[SESSION_SECRET] = secret
    return client


def api_token(app, role: str, name: str | None = None) -> str:
    return issue_token(accounts_of(app), name or f"{role} script", role, "tests", _now())


def csrf_headers(client) -> dict:
    """The header Dash's renderer sends: the CSRF token from the cookie the app sets."""
    cookie = client.get_cookie(CSRF_COOKIE)
    if cookie is None:
        client.get("/_dash-layout")
        cookie = client.get_cookie(CSRF_COOKIE)
    return {"X-CSRFToken": cookie.value}


def sign_in(dash_duo, role: str = "admin", next_path: str = "/") -> None:
    """Sign in through the form, as a person would (the server must be started)."""
    from urllib.parse import quote

    from selenium.webdriver.support.ui import WebDriverWait

    dash_duo.driver.get(f"{dash_duo.server_url}/login?next={quote(next_path, safe='')}")
    dash_duo.wait_for_element("#username").send_keys(USERS[role])
    dash_duo.find_element("#password").send_keys(PASSWORD)
    dash_duo.find_element("#login-form button[type=submit]").click()
    WebDriverWait(dash_duo.driver, 20).until(lambda driver: "/login" not in driver.current_url,
                                             "signing in did not leave /login")


def start_signed_in(dash_duo, app, role: str = "admin", next_path: str = "/") -> None:
    """Start the app's server and sign in through the form, landing on `next_path`."""
    dash_duo.start_server(app, navigate=False)
    # What the server_url setter does, without its wait for a Dash page at "/": a stranger is
    # sent to /login, which is not one.
    dash_duo._url = dash_duo.server.url  # noqa: SLF001
    sign_in(dash_duo, role, next_path)
    dash_duo.wait_for_element("#react-entry-point")
