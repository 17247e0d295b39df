"""The accounts store's interface: users, API tokens, sessions, one-time links, failed sign-ins
and the audit log, whatever database is behind it. This module holds no SQL;
`domain/store/accounts_sql.py` is the SQLAlchemy adapter.

- Secrets are never stored: a password as its argon2 hash, a token, session or link as the
  SHA-256 of a 256-bit random value (fast to look up, and nothing to guess from).
- The audit log is only ever added to.
- Times are ISO 8601 strings in UTC (`iso()`), given by the caller, so the same rules hold in a
  test with a clock of its own.
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from domain.rules.access import SIGN_IN_FAILURE_LIMIT, SIGN_IN_FAILURE_WINDOW_SECONDS

# One-time link purposes.
SETUP = "setup"  # creates the first admin, while there are no users
DISPLAY_LINK = "display"  # becomes a long-lived display session on the meeting-room screen

# How a session began.
PASSWORD = "password"
OIDC = "oidc"


def iso(moment: datetime) -> str:
    """A moment as the store keeps it: UTC, to the second, so text order is time order."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


# --- secrets -------------------------------------------------------------------------------------

def new_secret() -> str:
    """A random value for a token, a session or a link (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    return PasswordHasher().hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; an absent hash (an unknown user) still costs one argon2
    verification, so the time taken does not tell a guesser which names exist."""
    try:
        return PasswordHasher().verify(password_hash or _DUMMY_HASH, password) and bool(
            password_hash)
    except (VerificationError, InvalidHashError):
        return False


# The hash of a password nobody has, checked against when the name is unknown.
_DUMMY_HASH = ("$argon2id$v=19$m=65536,t=3,p=4$5GNXGpPJn9BIRJxDuurcdQ"
               "$RfiknrHAnXrWV2WXyW55daI+LY4hUv+0w51UneMEqmo")


# --- what the store returns ----------------------------------------------------------------------

@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    password_hash: str | None  # None: signs in through OpenID Connect only
    disabled: bool
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class ApiToken:
    id: int
    name: str
    role: str
    created_at: str
    created_by: str
    last_used_at: str | None
    revoked_at: str | None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Link:
    """A one-time link: usable once, before it expires, unless revoked."""

    id: int
    purpose: str
    role: str
    label: str
    created_at: str
    created_by: str
    expires_at: str
    used_at: str | None
    revoked_at: str | None

    def state(self, now: str) -> str:
        if self.revoked_at:
            return "revoked"
        if self.used_at:
            return "in use"
        return "expired" if self.expires_at <= now else "waiting"


@dataclass(frozen=True)
class Session:
    id: int
    who: str
    role: str
    kind: str  # PASSWORD, OIDC or a link purpose
    user_name: str | None  # a local user: their role and status are read again on each request
    link_id: int | None  # a display session: ends when its link is revoked
    created_at: str
    last_seen_at: str
    ended_at: str | None
    end_reason: str | None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    event: str
    who: str
    role: str
    address: str
    object: str
    detail: str


class NameTaken(ValueError):
    """An active token of that name exists already."""


class AccountsRepository(Protocol):
    """What the app asks of the accounts store (one adapter per database)."""

    # users
    def count_users(self) -> int: ...
    def user(self, name: str) -> User | None: ...
    def users(self) -> list[User]: ...
    def save_user(self, name: str, role: str, password_hash: str | None, at: str) -> bool: ...
    def update_user(self, name: str, at: str, *, role: str | None = None,
                    password_hash: str | None = None, disabled: bool | None = None) -> bool: ...
    # tokens
    def create_token(self, name: str, role: str, token_hash: str, created_by: str, at: str
                     ) -> ApiToken: ...
    def tokens(self) -> list[ApiToken]: ...
    def active_token(self, token_hash: str) -> ApiToken | None: ...
    def revoke_token(self, name: str, at: str) -> bool: ...
    def token_used(self, token_id: int, at: str) -> None: ...
    # failed sign-ins
    def record_failure(self, name: str, address: str, at: str) -> None: ...
    def failures_since(self, name: str, address: str, since: str) -> tuple[int, int]: ...
    def oldest_failure_since(self, name: str, address: str, since: str) -> str | None: ...
    # one-time links
    def create_link(self, purpose: str, role: str, label: str, link_hash: str,
                    created_by: str, at: str, expires_at: str) -> Link: ...
    def links(self, purpose: str) -> list[Link]: ...
    def link(self, link_id: int) -> Link | None: ...
    def link_by_hash(self, link_hash: str) -> Link | None: ...
    def use_link(self, link_hash: str, at: str) -> Link | None: ...
    def revoke_link(self, link_id: int, at: str) -> bool: ...
    # sessions
    def create_session(self, session_hash: str, who: str, role: str, kind: str, at: str,
                       user_name: str | None = None, link_id: int | None = None) -> Session: ...
    def session(self, session_hash: str) -> Session | None: ...
    def session_seen(self, session_id: int, at: str) -> None: ...
    def end_session(self, session_id: int, reason: str, at: str) -> None: ...
    def end_sessions(self, at: str, reason: str, *, user_name: str | None = None,
                     link_id: int | None = None) -> int: ...
    # the audit log
    def record(self, event: str, who: str, role: str, address: str, object_: str, at: str,
               detail: str = "") -> None: ...
    def audit(self, since: str | None = None, limit: int = 100) -> list[AuditEntry]: ...


# --- signing in with a password ------------------------------------------------------------------

@dataclass(frozen=True)
class PasswordCheck:
    """The outcome of one sign-in with a name and password."""

    user: User | None  # set when signed in
    retry_after: int | None = None  # seconds: too many failures, nothing was checked
    reason: str = ""  # for the audit log only, never shown: the same message for every failure


def check_password_sign_in(accounts: AccountsRepository, name: str, password: str,
                           address: str, moment: datetime) -> PasswordCheck:
    """Throttle, then check the password. A failure is counted for the name and the address; at
    SIGN_IN_FAILURE_LIMIT failures for either within the window, tries are refused (and not
    counted) until the oldest of them leaves the window."""
    window = timedelta(seconds=SIGN_IN_FAILURE_WINDOW_SECONDS)
    since = iso(moment - window)
    by_name, by_address = accounts.failures_since(name, address, since)
    if max(by_name, by_address) >= SIGN_IN_FAILURE_LIMIT:
        oldest = accounts.oldest_failure_since(name, address, since) or iso(moment)
        wait = (datetime.fromisoformat(oldest) + window - moment).total_seconds()
        return PasswordCheck(None, max(1, math.ceil(wait)), "too many failures")
    user = accounts.user(name.strip()) if name.strip() else None
    usable = user is not None and not user.disabled
    if password_matches(user.password_hash if usable else None, password):
        return PasswordCheck(user)
    accounts.record_failure(name, address, iso(moment))
    reason = ("unknown user" if user is None else "user disabled" if user.disabled
              else "no password set" if not user.password_hash else "wrong password")
    return PasswordCheck(None, None, reason)


# --- changes the command line and the admin pages share ------------------------------------------

TOKEN_PREFIX = "ipd_"  # recognisable in a script, a log or a secret scanner


def issue_token(accounts: AccountsRepository, name: str, role: str, created_by: str,
                at: str) -> str:
    """A new API token: returned this once, stored only as its hash. Raises NameTaken."""
    token = TOKEN_PREFIX + new_secret()
    accounts.create_token(name, role, secret_hash(token), created_by, at)
    return token


def issue_link(accounts: AccountsRepository, purpose: str, role: str, label: str,
               created_by: str, moment: datetime, lifetime: timedelta) -> tuple[Link, str]:
    """A new one-time link and its secret (returned this once, stored only as its hash)."""
    secret = new_secret()
    link = accounts.create_link(purpose, role, label, secret_hash(secret), created_by,
                                iso(moment), iso(moment + lifetime))
    return link, secret


def disable_user(accounts: AccountsRepository, name: str, at: str) -> int | None:
    """Disable a user and end their sessions: how many ended; None when there is no such
    user."""
    if not accounts.update_user(name, at, disabled=True):
        return None
    return accounts.end_sessions(at, "user disabled", user_name=name)
