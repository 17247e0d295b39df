"""The server-rendered pages a stranger may open: `/login` (name and password), `/logout`, the
first-run set-up link `/setup/<secret>`, a display link `/display/<secret>`, and `/accessibility`
(the Dash page when signed in, the same statement rendered here otherwise). OpenID Connect is
routes/oidc.py.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, redirect, render_template, request
from markupsafe import Markup

from components.static_html import to_html
from components.statement import statement_body
from domain.ingest.statement import load_statement
from domain.rules.access import ADMIN, DISPLAY, name_problem, password_problem
from domain.store.accounts import (DISPLAY_LINK, PASSWORD, SETUP,
                                   check_password_sign_in, hash_password, iso, issue_link,
                                   secret_hash)
from runtime.auth import (accounts, address, audit, auth_config, current_principal, end_session,
                          now, start_session)
from runtime.gate import safe_next

FAILED_SIGN_IN = "The username or password is not right. Check them and try again."
REASONS = {
    "signed_out": "You have signed out.",
    "expired": "Your session ended after a time without activity: sign in again.",
    "ended": "Your session has ended: sign in again.",
    "cookie": "Your session could not be read: sign in again.",
}
SETUP_LINK_LIFETIME = timedelta(hours=24)


def auth_blueprint() -> Blueprint:
    auth = Blueprint("auth", __name__, template_folder="templates")

    @auth.route("/login", methods=["GET", "POST"])
    def login():
        target = request.values.get("next")
        principal = current_principal()
        if request.method == "GET" and principal is not None:
            return redirect(landing(principal.role, target))
        if request.method == "GET":
            return login_page(notice=REASONS.get(request.args.get("reason", "")))
        return password_sign_in(request.form.get("username", ""),
                                request.form.get("password", ""), target)

    @auth.post("/logout")
    def logout():
        principal = end_session()
        if principal is not None:
            audit("sign_out", f"session {principal.session_id}", principal=principal)
        return redirect("/login?reason=signed_out")

    @auth.route("/setup/<secret>", methods=["GET", "POST"])
    def setup(secret: str):
        return first_admin(secret)

    @auth.route("/display/<secret>", methods=["GET", "POST"])
    def display(secret: str):
        return start_display(secret)

    @auth.get("/accessibility")
    def accessibility():
        if current_principal() is not None:
            return current_app.view_functions["/"]()  # Dash's page
        body = Markup(to_html(statement_body(load_statement())))
        return render_template("accessibility.html", title="Accessibility statement", body=body)

    return auth


def landing(role: str, target: str | None) -> str:
    """Where a person goes after signing in: where they asked, else their role's start page."""
    return safe_next(target, "/present" if role == DISPLAY else "/")


def login_page(error: str | None = None, notice: str | None = None, status: int = 200,
               username: str = ""):
    oidc = auth_config().oidc
    setup_pending = oidc is None and accounts().count_users() == 0
    return render_template(
        "login.html", title="Sign in", error=error, notice=notice, username=username,
        next=safe_next(request.values.get("next"), ""), setup_pending=setup_pending,
        oidc_label=oidc.label if oidc else None), status


def password_sign_in(name: str, password: str, target: str | None):
    name = name.strip()[:80]
    outcome = check_password_sign_in(accounts(), name, password[:1024], address(), now())
    if outcome.retry_after is not None:
        audit("sign_in_throttled", f"user {name}", outcome.reason, who=name or "(blank)",
              role="")
        minutes = max(1, round(outcome.retry_after / 60))
        page, _ = login_page(f"Too many failed sign-ins for this name or from this address. "
                             f"Try again in {minutes} minutes.", username=name)
        return page, 429, {"Retry-After": str(outcome.retry_after)}
    if outcome.user is None:
        audit("sign_in_failed", f"user {name}", outcome.reason, who=name or "(blank)", role="")
        return login_page(FAILED_SIGN_IN, status=401, username=name)
    user = outcome.user
    principal = start_session(user.name, user.role, PASSWORD, user_name=user.name)
    audit("sign_in", f"session {principal.session_id}", "password")
    return redirect(landing(user.role, target))


def _message(title: str, message: str, status: int = 200, link: str = "/login",
             link_text: str = "Go to sign in"):
    return render_template("message.html", title=title, message=message, link=link,
                           link_text=link_text), status


# --- the first administrator ---------------------------------------------------------------------

def create_setup_link(store, public_url: str, moment) -> str | None:
    """With no users yet, a new one-time link that creates the first admin (its URL); None when
    there are users."""
    if store.count_users():
        return None
    _link, secret = issue_link(store, SETUP, ADMIN, "first administrator", "first run", moment,
                               SETUP_LINK_LIFETIME)
    return f"{public_url.rstrip('/')}/setup/{secret}"


def first_admin(secret: str):
    store = accounts()
    if store.count_users():
        return _message("Set-up is finished", "The first administrator exists already, so this "
                        "set-up link no longer works. Sign in instead.", 410)
    link = store.link_by_hash(secret_hash(secret))
    if link is None or link.purpose != SETUP or link.state(iso(now())) != "waiting":
        return _message("Link not valid", "This set-up link is not valid: it is mistyped, used "
                        "or expired. Restart the dashboard to get a new one in its console.",
                        404)
    if request.method == "GET":
        return render_template("setup.html", title="Create the first administrator",
                               username="")
    name = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    problem = name_problem(name) or password_problem(password)
    if problem:
        return render_template("setup.html", title="Create the first administrator",
                               username=name, error=problem), 400
    link = store.use_link(secret_hash(secret), iso(now()))
    if link is None or link.purpose != SETUP or store.count_users():
        return _message("Link not valid", "This set-up link was used a moment ago.", 409)
    store.save_user(name, ADMIN, hash_password(password), iso(now()))
    principal = start_session(name, ADMIN, PASSWORD, user_name=name)
    audit("user_created", f"user {name}", "first administrator, from the set-up link",
          principal=principal)
    audit("sign_in", f"session {principal.session_id}", "set-up link", principal=principal)
    return redirect("/admin/users")


# --- the meeting-room display --------------------------------------------------------------------

def start_display(secret: str):
    store = accounts()
    link = store.link_by_hash(secret_hash(secret))
    if link is None or link.purpose != DISPLAY_LINK or link.state(iso(now())) != "waiting":
        return _message("Link not valid", "This display link is not valid: it is mistyped, "
                        "already used, revoked or expired. Ask an administrator for a new one.",
                        404)
    if request.method == "GET":
        # A page with a button rather than signing in on GET: a link preview or a virus
        # scanner that fetches the link must not use it up.
        return render_template("display.html", title="Start the display", label=link.label)
    used = store.use_link(secret_hash(secret), iso(now()))
    if used is None:
        return _message("Link not valid", "This display link was used a moment ago.", 409)
    principal = start_session(f"display: {used.label}", DISPLAY, DISPLAY_LINK, link_id=used.id,
                              lasting=True)
    audit("display_link_used", f"display link {used.id} ({used.label})", principal=principal)
    return redirect("/present")

