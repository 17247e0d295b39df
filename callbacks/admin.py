"""The admin pages' handlers: users, API tokens, display links and the audit log, as plain
functions over the accounts store. Each change is written to the audit log by whoever is signed
in; the pages' callbacks (pages/admin_*.py) only call these, behind protected_callback(MANAGE).
"""

from __future__ import annotations

from datetime import timedelta

from dash import html

from components import ids
from components import admin as view
from callbacks.row_ids import row_id
from domain.rules.access import name_problem, password_problem, role_problem
from domain.store.accounts import (DISPLAY_LINK, NameTaken, disable_user, hash_password, iso,
                                   issue_link, issue_token)
from runtime.auth import accounts, audit, current_principal, now, site_url

DISPLAY_LINK_LIFETIME = timedelta(hours=24)
AUDIT_SHOWN = 200


def _now() -> str:
    return iso(now())


# --- users ---------------------------------------------------------------------------------------

def users_view() -> html.Div:
    return view.users_table(accounts().users())


def save_user_view(name: str | None, role: str | None, password: str | None
                   ) -> tuple[html.P, bool]:
    """Create a user, or change one's role (and password when given) and enable them."""
    name, password = (name or "").strip(), password or ""
    store = accounts()
    existing = store.user(name) if name else None
    problem = name_problem(name) or role_problem(role)
    if not problem and (password or existing is None):
        problem = password_problem(password)
    if problem:
        return view.message(problem, ok=False, message_id=ids.ADMIN_USER_MESSAGE), False
    if existing is not None and existing.name == current_principal().name and role != "admin":
        return view.message("You can not take away your own admin role: ask another admin.",
                            ok=False, message_id=ids.ADMIN_USER_MESSAGE), False
    created = store.save_user(name, role, hash_password(password) if password else None, _now())
    changes = [f"role {role}"] + (["password set"] if password else [])
    audit("user_created" if created else "user_updated", f"user {name}", ", ".join(changes))
    what = "Added" if created else "Updated"
    return view.message(f"{what} {name} ({role}).", ok=True,
                        message_id=ids.ADMIN_USER_MESSAGE), True


def toggle_user_view(name: str) -> tuple[html.P, bool]:
    """Disable an active user (ending their sessions) or enable a disabled one."""
    store = accounts()
    user = store.user(name)
    if user is None:
        return view.message(f"There is no user {name}.", ok=False,
                            message_id=ids.ADMIN_USER_MESSAGE), False
    if not user.disabled and user.name == current_principal().name:
        return view.message("You can not disable yourself: ask another admin.", ok=False,
                            message_id=ids.ADMIN_USER_MESSAGE), False
    if user.disabled:
        store.update_user(name, _now(), disabled=False)
        audit("user_enabled", f"user {name}")
        return view.message(f"Enabled {name}.", ok=True, message_id=ids.ADMIN_USER_MESSAGE), True
    ended = disable_user(store, name, _now())
    audit("user_disabled", f"user {name}", f"{ended} sessions ended")
    return view.message(f"Disabled {name}; {ended} sessions ended.", ok=True,
                        message_id=ids.ADMIN_USER_MESSAGE), True


# --- API tokens ----------------------------------------------------------------------------------

def tokens_view() -> html.Div:
    return view.tokens_table(accounts().tokens())


def create_token_view(name: str | None, role: str | None) -> tuple[html.Div, bool]:
    name = (name or "").strip()
    problem = name_problem(name) or role_problem(role)
    if problem:
        return view.message(problem, ok=False, message_id=ids.ADMIN_TOKEN_MESSAGE), False
    try:
        token = issue_token(accounts(), name, role, current_principal().name, _now())
    except NameTaken:
        return view.message(f"A token named {name} exists: revoke it first, or choose another "
                            "name.", ok=False, message_id=ids.ADMIN_TOKEN_MESSAGE), False
    audit("token_created", f"token {name}", f"role {role}")
    return view.secret_shown_once(f"Created token {name} ({role}).", "token", token,
                                  "admin-token-secret"), True


def revoke_token_view(name: str) -> tuple[html.P, bool]:
    if not accounts().revoke_token(name, _now()):
        return view.message(f"There is no active token {name}.", ok=False,
                            message_id=ids.ADMIN_TOKEN_MESSAGE), False
    audit("token_revoked", f"token {name}")
    return view.message(f"Revoked token {name}: it no longer works.", ok=True,
                        message_id=ids.ADMIN_TOKEN_MESSAGE), True


# --- display links -------------------------------------------------------------------------------

def displays_view() -> html.Div:
    return view.displays_table(accounts().links(DISPLAY_LINK), _now())


def create_display_view(label: str | None) -> tuple[html.Div, bool]:
    label = (label or "").strip()
    problem = name_problem(label)
    if problem:
        return view.message(problem, ok=False, message_id=ids.ADMIN_DISPLAY_MESSAGE), False
    link, secret = issue_link(accounts(), DISPLAY_LINK, "display", label,
                              current_principal().name, now(), DISPLAY_LINK_LIFETIME)
    audit("display_link_created", f"display link {link.id} ({label})")
    url = f"{site_url()}/display/{secret}"
    return view.secret_shown_once(f"Created a display link for {label}.", "link", url,
                                  "admin-display-secret"), True


def revoke_display_view(row_index) -> tuple[html.P, bool]:
    """Revoke a display link by the id its row's button carries (checked: any JSON can come)."""
    store = accounts()
    link_id = row_id(row_index)
    link = store.link(link_id) if link_id is not None else None
    if link is None or link.purpose != DISPLAY_LINK:
        return view.message("There is no such display link.", ok=False,
                            message_id=ids.ADMIN_DISPLAY_MESSAGE), False
    store.revoke_link(link_id, _now())
    ended = store.end_sessions(_now(), "display link revoked", link_id=link_id)
    audit("display_link_revoked", f"display link {link_id} ({link.label})",
          f"{ended} sessions ended")
    return view.message(f"Revoked the display link for {link.label}; the screen is signed out.",
                        ok=True, message_id=ids.ADMIN_DISPLAY_MESSAGE), True


# --- the audit log -------------------------------------------------------------------------------

def audit_view(limit: int = AUDIT_SHOWN) -> html.Div:
    return view.audit_table(accounts().audit(limit=limit))
