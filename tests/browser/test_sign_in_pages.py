"""Signing in and out in headless Chromium, the navigation each role sees, the admin pages at
work, and accessibility checks on the server-rendered pages (/login and the rest are not Dash
pages, so test_accessibility.py's walk of dash.page_registry does not reach them)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from a11y import accessibility_report
from domain.store.accounts import DISPLAY_LINK, SETUP, issue_link
from signin import PASSWORD, USERS, accounts_of, sign_in, start_signed_in

pytestmark = pytest.mark.browser


def start_as_stranger(dash_duo, app) -> None:
    dash_duo.start_server(app, navigate=False)
    dash_duo._url = dash_duo.server.url  # noqa: SLF001 (see signin.start_signed_in)


def open_page(dash_duo, path: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element("main h1")


def csp_violations(dash_duo) -> list[dict]:
    return [entry for entry in dash_duo.get_logs() or []
            if "Content Security Policy" in entry.get("message", "")]


def nav_links(dash_duo) -> list[str]:
    dash_duo.wait_for_element("header nav .nav-link")
    return [e.text for e in dash_duo.find_elements("header nav .nav-link")]


def test_a_stranger_signs_in_through_the_form_and_lands_where_they_asked(dash_duo, app):
    start_as_stranger(dash_duo, app)
    dash_duo.driver.get(dash_duo.server_url + "/actions?status=RED")
    dash_duo.wait_for_element("#login-form")
    assert "/login?next=" in dash_duo.driver.current_url
    dash_duo.find_element("#username").send_keys(USERS["contributor"])
    dash_duo.find_element("#password").send_keys("not the password")
    dash_duo.find_element("#login-form button").click()
    dash_duo.wait_for_contains_text("#login-error", "username or password is not right")
    dash_duo.find_element("#password").send_keys(PASSWORD)
    dash_duo.find_element("#login-form button").click()
    dash_duo.wait_for_element("#actions-table")
    assert dash_duo.driver.current_url.endswith("/actions?status=RED")
    assert "Signed in as Cal Contributor (contributor)" in dash_duo.find_element(
        "#signed-in-as").text
    assert nav_links(dash_duo) == ["Overview", "Actions", "Explore", "Data quality", "Upload",
                                   "Board pack", "Present"]
    assert csp_violations(dash_duo) == []
    assert dash_duo.get_logs() == []

    dash_duo.find_element("#sign-out").click()
    dash_duo.wait_for_contains_text("#login-notice", "You have signed out")
    dash_duo.driver.get(dash_duo.server_url + "/actions")
    dash_duo.wait_for_element("#login-form")


@pytest.mark.parametrize("role, links", [
    ("viewer", ["Overview", "Actions", "Explore", "Data quality", "Board pack", "Present"]),
    ("admin", ["Overview", "Actions", "Explore", "Data quality", "Upload", "Plans", "Board pack",
               "Present", "Admin"]),
])
def test_the_navigation_shows_only_what_the_role_may_use(dash_duo, app, role, links):
    start_signed_in(dash_duo, app, role)
    assert nav_links(dash_duo) == links


def test_a_viewer_asking_for_the_upload_page_is_told_no(dash_duo, app):
    start_signed_in(dash_duo, app, "viewer")
    open_page(dash_duo, "/upload")
    assert dash_duo.find_element("main h1").text == "You do not have access to this page"


def test_an_admin_creates_a_token_shown_once_and_revokes_it(dash_duo, app):
    start_signed_in(dash_duo, app, "admin", "/admin/tokens")
    dash_duo.wait_for_element("#admin-token-name").send_keys("Nightly extract")
    dash_duo.find_element("#admin-token-create").click()
    token = dash_duo.wait_for_element("#admin-token-secret").text
    assert token.startswith("ipd_")
    dash_duo.wait_for_contains_text("#admin-tokens-table", "Nightly extract")
    assert token not in dash_duo.find_element("#admin-tokens-table").text
    dash_duo.find_element("#admin-tokens-table button[aria-label='Revoke token Nightly "
                          "extract']").click()
    dash_duo.wait_for_contains_text("#admin-token-message", "Revoked token Nightly extract")
    assert "revoked" in dash_duo.find_element("#admin-tokens-table").text
    assert csp_violations(dash_duo) == []


def test_an_admin_adds_a_user_who_can_then_sign_in(dash_duo, app):
    start_signed_in(dash_duo, app, "admin", "/admin/users")
    dash_duo.wait_for_element("#admin-user-name").send_keys("Nia New")
    dash_duo.find_element("#admin-user-password").send_keys("short")
    dash_duo.find_element("#admin-user-save").click()
    dash_duo.wait_for_contains_text("#admin-user-message", "at least 12")
    dash_duo.find_element("#admin-user-password").send_keys(" but now long enough")
    dash_duo.find_element("#admin-user-save").click()
    dash_duo.wait_for_contains_text("#admin-user-message", "Added Nia New (viewer)")
    dash_duo.wait_for_contains_text("#admin-users-table", "Nia New")
    user = accounts_of(app).user("Nia New")
    assert user.role == "viewer" and user.password_hash.startswith("$argon2")


# --- accessibility of the server-rendered pages --------------------------------------------------

def test_sign_in_pages_pass_accessibility_checks(dash_duo, app):
    start_as_stranger(dash_duo, app)
    for path in ("/login", "/login?reason=expired", "/accessibility"):
        open_page(dash_duo, path)
        report = accessibility_report(dash_duo.driver, app.title)
        assert not report, f"{path}:\n{report}"
    dash_duo.find_element("footer a[href='/accessibility']")
    open_page(dash_duo, "/login")
    dash_duo.find_element("#username").send_keys("nobody")
    dash_duo.find_element("#password").send_keys("wrong password here")
    dash_duo.find_element("#login-form button").click()
    dash_duo.wait_for_element("#login-error")
    report = accessibility_report(dash_duo.driver, app.title)
    assert not report, f"/login with an error:\n{report}"
    assert csp_violations(dash_duo) == []


def test_link_and_refusal_pages_pass_accessibility_checks(dash_duo, app, settings):
    accounts = accounts_of(app)
    now = datetime.now(timezone.utc)
    _link, display = issue_link(accounts, DISPLAY_LINK, "display", "Meeting room", "tests", now,
                                timedelta(hours=1))
    start_as_stranger(dash_duo, app)
    pages = {"/display/" + display: "#display-form", "/display/not-a-link": "#auth-message",
             "/setup/not-a-link": "#auth-message"}
    for path, selector in pages.items():
        dash_duo.driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_element(selector)
        report = accessibility_report(dash_duo.driver, app.title)
        assert not report, f"{path}:\n{report}"
    sign_in(dash_duo, "viewer", "/upload")
    dash_duo.wait_for_element("main h1")
    report = accessibility_report(dash_duo.driver, app.title)
    assert not report, f"/upload refused to a viewer:\n{report}"


def test_the_first_run_set_up_form_passes_accessibility_checks(dash_duo, tmp_path):
    from app import Settings, create_app

    app = create_app(Settings(data_dir=tmp_path / "fresh"))
    _link, secret = issue_link(accounts_of(app), SETUP, "admin", "first administrator", "tests",
                               datetime.now(timezone.utc), timedelta(hours=1))
    start_as_stranger(dash_duo, app)
    open_page(dash_duo, "/login")
    assert "set-up link" in dash_duo.find_element("#login-setup").text
    open_page(dash_duo, f"/setup/{secret}")
    report = accessibility_report(dash_duo.driver, app.title)
    assert not report, f"/setup:\n{report}"
    dash_duo.find_element("#username").send_keys("First Admin")
    dash_duo.find_element("#password").send_keys(PASSWORD)
    dash_duo.find_element("#setup-form button").click()
    WebDriverWait(dash_duo.driver, 20).until(lambda d: "/admin/users" in d.current_url)
    dash_duo.wait_for_contains_text("#admin-users-table", "First Admin")
