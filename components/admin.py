"""Layout builders for the admin pages: users, API tokens, display links, the audit log."""

from __future__ import annotations

from dash import dcc, html

from components import ids
from components.controls import labelled_dropdown
from components.tables import rows_table
from domain.rules.access import MIN_PASSWORD_LENGTH, ROLES
from domain.store.accounts import ApiToken, AuditEntry, Link, User

ADMIN_PAGES = (("Users", "/admin/users"), ("API tokens", "/admin/tokens"),
               ("Display links", "/admin/displays"), ("Audit log", "/admin/audit"))
ROLE_HELP = {
    "viewer": "viewer: reads every page, downloads, GET API",
    "contributor": "contributor: viewer, plus uploads",
    "admin": "admin: contributor, plus undo and redo, users, tokens, the audit log",
    "display": "display: only the meeting-room display and the board pack",
}


def admin_nav(current: str) -> html.Nav:
    return html.Nav(html.Ul([
        html.Li(html.A(label, href=href, className="nav-link" + (
            " active" if href == current else ""),
                       **({"aria-current": "page"} if href == current else {})),
                className="nav-item")
        for label, href in ADMIN_PAGES], className="nav nav-tabs mb-3"),
        **{"aria-label": "Administration"})


def message(text: str, ok: bool, message_id: str) -> html.P:
    word = "Done: " if ok else "Not done: "
    return html.P([html.Strong(word), text], id=message_id, role="status",
                  className="upload-message " + ("is-ok" if ok else "is-error"))


def secret_shown_once(text: str, what: str, secret: str, secret_id: str) -> html.Div:
    """A new token or link: shown this once, never again (only its hash is kept)."""
    return html.Div([
        html.P([html.Strong("Done: "), text], role="status"),
        html.P(f"Copy the {what} now: it is shown only this once."),
        html.P(secret, id=secret_id, className="admin-secret"),
    ], id=ids.secret_block(secret_id), className="upload-message is-ok")


def text_field(field_id: str, label: str, **props) -> html.Div:
    return html.Div([
        html.Label(label, htmlFor=field_id, className="form-label"),
        dcc.Input(id=field_id, className="form-control", debounce=False, **props),
    ], className="mb-3")


def role_choice(field_id: str, value: str = "viewer") -> html.Div:
    """The role, as the labelled drop-down list every filter uses (assets/a11y.js names it)."""
    return html.Div(labelled_dropdown(
        field_id, "Role", [{"label": ROLE_HELP[role], "value": role} for role in ROLES], value,
        multi=False, clearable=False), className="mb-3 admin-role")


def user_form() -> html.Div:
    return html.Div([
        html.H2("Add a user, or change one"),
        html.P("An existing name changes that user: their role, and their password when one is "
               "given (leave it blank to keep it). Saving also enables a disabled user."),
        text_field(ids.ADMIN_USER_NAME, "Username", type="text", maxLength=80,
                   autoComplete="off"),
        role_choice(ids.ADMIN_USER_ROLE),
        text_field(ids.ADMIN_USER_PASSWORD,
                   f"New password (at least {MIN_PASSWORD_LENGTH} characters)",
                   type="password", autoComplete="new-password", maxLength=1024),
        html.Button("Save user", id=ids.ADMIN_USER_SAVE, className="btn btn-primary"),
        html.Div(id=ids.ADMIN_USER_RESULT, **{"aria-live": "polite"}),
    ], className="admin-form")


def users_table(users: list[User]) -> html.Div:
    rows = []
    for user in users:
        action = "Enable" if user.disabled else "Disable"
        rows.append([user.name, user.role, "disabled" if user.disabled else "active",
                     "set" if user.password_hash else "none", user.created_at[:16].replace(
                         "T", " "),
                     html.Button(action, id={"type": ids.ADMIN_USER_TOGGLE, "index": user.name},
                                 className="btn btn-sm btn-outline-danger" if not user.disabled
                                 else "btn btn-sm btn-outline-primary",
                                 **{"aria-label": f"{action} {user.name}"})])
    return rows_table(["name", "role", "status", "password", "created (UTC)", "actions"], rows,
                      "Every user", ids.ADMIN_USERS_TABLE)


def token_form() -> html.Div:
    return html.Div([
        html.H2("Create a token"),
        html.P(["A script sends the token as ", html.Code("Authorization: Bearer TOKEN"),
                " and acts with its role; uploads it makes are recorded under its name."]),
        text_field(ids.ADMIN_TOKEN_NAME, "Token name (who or what uses it)", type="text",
                   maxLength=80, autoComplete="off"),
        role_choice(ids.ADMIN_TOKEN_ROLE, "contributor"),
        html.Button("Create token", id=ids.ADMIN_TOKEN_CREATE, className="btn btn-primary"),
        html.Div(id=ids.ADMIN_TOKEN_RESULT, **{"aria-live": "polite"}),
    ], className="admin-form")


def tokens_table(tokens: list[ApiToken]) -> html.Div:
    rows = []
    for token in tokens:
        revoke = (html.Button("Revoke", id={"type": ids.ADMIN_TOKEN_REVOKE, "index": token.name},
                              className="btn btn-sm btn-outline-danger",
                              **{"aria-label": f"Revoke token {token.name}"})
                  if token.is_active else None)
        rows.append([token.name, token.role,
                     "active" if token.is_active else f"revoked {token.revoked_at[:10]}",
                     token.created_at[:16].replace("T", " "), token.created_by,
                     (token.last_used_at or "never")[:16].replace("T", " "), revoke])
    return rows_table(["name", "role", "status", "created (UTC)", "created by",
                       "last used (UTC)", "actions"], rows, "Every API token",
                      ids.ADMIN_TOKENS_TABLE)


def display_form() -> html.Div:
    return html.Div([
        html.H2("Create a display link"),
        html.P("Open the link once on the meeting-room screen and press Start: the screen then "
               "stays signed in as a display (the meeting-room display and the board pack "
               "only) until you revoke it here. No password is typed on the screen and the "
               "link does not stay in its address bar. An unused link expires after 24 hours."),
        text_field(ids.ADMIN_DISPLAY_LABEL, "Screen name (e.g. Meeting room 3)", type="text",
                   maxLength=80, autoComplete="off"),
        html.Button("Create display link", id=ids.ADMIN_DISPLAY_CREATE,
                    className="btn btn-primary"),
        html.Div(id=ids.ADMIN_DISPLAY_RESULT, **{"aria-live": "polite"}),
    ], className="admin-form")


def displays_table(links: list[Link], now: str) -> html.Div:
    rows = []
    for link in links:
        state = link.state(now)
        revoke = (html.Button("Revoke", id={"type": ids.ADMIN_DISPLAY_REVOKE, "index": link.id},
                              className="btn btn-sm btn-outline-danger",
                              **{"aria-label": f"Revoke display {link.label}"})
                  if state in ("waiting", "in use") else None)
        rows.append([link.label, state, link.created_at[:16].replace("T", " "), link.created_by,
                     (link.used_at or "")[:16].replace("T", " "), revoke])
    return rows_table(["screen", "state", "created (UTC)", "created by", "started (UTC)",
                       "actions"], rows, "Every display link", ids.ADMIN_DISPLAYS_TABLE)


def audit_table(entries: list[AuditEntry]) -> html.Div:
    rows = [[e.at[:19].replace("T", " "), e.event, e.who, e.role, e.address, e.object,
             e.detail] for e in entries]
    return rows_table(["when (UTC)", "event", "who", "role", "address", "object", "detail"],
                      rows, "The audit log, newest first", ids.ADMIN_AUDIT_TABLE)
