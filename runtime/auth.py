"""Who is asking: the person, display screen or API token behind the current request, their
sessions, and the audit log's lines about them.

- `Authorization: Bearer TOKEN` names an API token and is the only thing looked at when present
  (a bad token is refused, never replaced by the cookie).
- Otherwise the signed session cookie holds a random session secret; the session itself (who,
  role, when last seen, whether ended) is a row in the accounts store, so sign-out, disabling a
  user and revoking a display link take effect at once in every worker process.
- A session ends after `idle_timeout` without a request (display sessions excepted: the
  meeting-room screen stays signed in until its link is revoked).
- A local user's role and status are read again on every request, so a change holds at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from flask import abort, current_app, g, jsonify, make_response, request, session

from domain.rules.access import Permission, may
from domain.store.accounts import (DISPLAY_LINK, AccountsRepository, iso, new_secret,
                                   secret_hash)

ACCOUNTS_KEY = "ACCOUNTS_STORE"
AUTH_CONFIG_KEY = "AUTH_CONFIG"
SESSION_SECRET = "sid"  # the session cookie's key holding the session's random secret
# A request refreshes the session's "last seen" at most this often (one write a minute, not one
# per request).
SEEN_EVERY = timedelta(seconds=60)
NOT_SIGNED_IN = "(not signed in)"


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    role_claim: str = "roles"
    role_map: tuple[tuple[str, str], ...] = ()  # (claim value, role)
    label: str = "Sign in with your organisation's account"


@dataclass(frozen=True)
class AuthConfig:
    """What sign-in needs from the app's settings; held on the Flask app's config."""

    idle_timeout: timedelta = timedelta(hours=8)
    oidc: OidcConfig | None = None
    public_url: str = ""
    clock: Callable[[], datetime] = field(default=lambda: datetime.now().astimezone())


@dataclass(frozen=True)
class Principal:
    """Who a request acts as."""

    name: str
    role: str
    kind: str  # "token", or how the session began: password, oidc, display, setup
    session_id: int | None = None
    token_id: int | None = None

    @property
    def is_token(self) -> bool:
        return self.kind == "token"

    def may(self, permission: Permission | str) -> bool:
        return may(self.role, permission)


def accounts() -> AccountsRepository:
    return current_app.config[ACCOUNTS_KEY]


def auth_config() -> AuthConfig:
    return current_app.config[AUTH_CONFIG_KEY]


def now() -> datetime:
    return auth_config().clock()


def site_url() -> str:
    """How people reach this app: PUBLIC_URL when set, else what this request was sent to."""
    return (auth_config().public_url or request.host_url).rstrip("/")


def address() -> str:
    return request.remote_addr or "unknown"


def current_principal() -> Principal | None:
    """Who this request acts as; None for a stranger (see `auth_problem` for why)."""
    if "principal" not in g:
        g.principal, g.auth_problem = _resolve()
    return g.principal


def auth_problem() -> str | None:
    """Why a request that tried to sign in is not: "token", "expired", "ended", "cookie"."""
    current_principal()
    return g.auth_problem


def may_now(permission: Permission | str) -> bool:
    principal = current_principal()
    return principal is not None and principal.may(permission)


def require(permission: Permission | str) -> None:
    """Stop the request with 401 or 403 (JSON) unless the caller may do this."""
    principal = current_principal()
    if principal is None:
        abort(make_response(jsonify({"error": "Sign in first."}), 401))
    if not principal.may(permission):
        audit("access_refused", request.path, f"needs {Permission(permission)}")
        abort(make_response(jsonify({"error": f"Your role ({principal.role}) may not do this."}),
                            403))


def _resolve() -> tuple[Principal | None, str | None]:
    header = request.headers.get("Authorization")
    if header is not None:
        return _from_token(header)
    secret = session.get(SESSION_SECRET)
    if not secret:
        cookie = request.cookies.get(current_app.config.get("SESSION_COOKIE_NAME", "session"))
        if cookie and not session:  # present but unreadable: tampered, or signed with another key
            audit("session_refused", detail="the session cookie's signature is not valid",
                  principal=None)
            session.modified = True  # so the response deletes it: one audit line, not one a request
            return None, "cookie"
        return None, None
    return _from_session(secret)


def _from_token(header: str) -> tuple[Principal | None, str | None]:
    scheme, _, value = header.partition(" ")
    token = (accounts().active_token(secret_hash(value.strip()))
             if scheme.lower() == "bearer" and value.strip() else None)
    if token is None:
        audit("token_refused", detail="malformed, unknown or revoked bearer token",
              principal=None)
        return None, "token"
    moment = now()
    if token.last_used_at is None or token.last_used_at < iso(moment - SEEN_EVERY):
        accounts().token_used(token.id, iso(moment))
    return Principal(token.name, token.role, "token", token_id=token.id), None


def _from_session(secret: str) -> tuple[Principal | None, str | None]:
    store = accounts()
    record = store.session(secret_hash(secret))
    if record is None or record.ended_at is not None:
        session.pop(SESSION_SECRET, None)
        return None, "ended"
    moment = now()
    idle_limit = _idle_limit(record.kind)
    if idle_limit is not None and record.last_seen_at < iso(moment - idle_limit):
        store.end_session(record.id, "idle", iso(moment))
        session.pop(SESSION_SECRET, None)
        audit("session_expired", f"session {record.id}",
              f"no request for {idle_limit} (the limit)", principal=Principal(
                  record.who, record.role, record.kind, session_id=record.id))
        return None, "expired"
    role = record.role
    if record.user_name is not None:
        user = store.user(record.user_name)
        if user is None or user.disabled:
            store.end_session(record.id, "user disabled", iso(moment))
            session.pop(SESSION_SECRET, None)
            return None, "ended"
        role = user.role
    if record.last_seen_at < iso(moment - SEEN_EVERY):
        store.session_seen(record.id, iso(moment))
    return Principal(record.who, role, record.kind, session_id=record.id), None


def _idle_limit(kind: str) -> timedelta | None:
    if kind == DISPLAY_LINK:
        return None
    return auth_config().idle_timeout


def start_session(who: str, role: str, kind: str, *, user_name: str | None = None,
                  link_id: int | None = None, lasting: bool = False) -> Principal:
    """Sign this browser in: a new session row and a new cookie (never the one it came with, so a
    session fixed before sign-in is worth nothing). `lasting`: the cookie outlives the browser
    (a display screen); otherwise it ends with the browser."""
    secret = new_secret()
    record = accounts().create_session(secret_hash(secret), who, role, kind, iso(now()),
                                       user_name=user_name, link_id=link_id)
    session.clear()
    session[SESSION_SECRET] = secret
    session.permanent = lasting
    g.principal, g.auth_problem = Principal(who, role, kind, session_id=record.id), None
    return g.principal


def end_session(reason: str = "signed out") -> Principal | None:
    """Sign this browser out; who it was, if anyone."""
    principal = current_principal()
    if principal is not None and principal.session_id is not None:
        accounts().end_session(principal.session_id, reason, iso(now()))
    session.clear()
    g.principal, g.auth_problem = None, None
    return principal


_UNSET = object()


def audit(event: str, object_: str = "", detail: str = "", *, principal=_UNSET,
          who: str | None = None, role: str | None = None) -> None:
    """One line in the audit log: what happened, to what, by whom (the current principal unless
    given), from which address, when."""
    if principal is _UNSET:
        principal = g.get("principal")
    accounts().record(event, who or (principal.name if principal else NOT_SIGNED_IN),
                      role or (principal.role if principal else ""), address(), object_,
                      iso(now()), detail)
