"""Who may do what: the four roles, what each may do, and the rule for a password.

| role        | may                                                                     |
|-------------|-------------------------------------------------------------------------|
| viewer      | read every page, export, `GET` API                                      |
| contributor | viewer, plus upload returns, action progress and comparators            |
| admin       | contributor, plus undo/redo any batch, manage users and tokens, audit   |
| display     | only `/present`, `/report` and the read API (the meeting-room screen)   |

The web layer names one permission for every route, page and callback (runtime/gate.py) and asks
`may(role, permission)`; nothing else decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from types import MappingProxyType

VIEWER = "viewer"
CONTRIBUTOR = "contributor"
ADMIN = "admin"
DISPLAY = "display"
ROLES = (VIEWER, CONTRIBUTOR, ADMIN, DISPLAY)

# NCSC password guidance: a minimum length and no composition rules.
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # argon2 hashes anything, but a megabyte "password" is an attack
MAX_NAME_LENGTH = 80


class Permission(StrEnum):
    PRESENT = "present"  # /present, /report and GET /api/kpis, /api/actions
    READ = "read"  # every page, every export, every GET API
    UPLOAD = "upload"  # returns, action progress, comparators
    UNDO = "undo"  # undo and redo any batch
    MANAGE = "manage"  # users, tokens, display links, the audit log


ROLE_PERMISSIONS = MappingProxyType({
    VIEWER: frozenset({Permission.PRESENT, Permission.READ}),
    CONTRIBUTOR: frozenset({Permission.PRESENT, Permission.READ, Permission.UPLOAD}),
    ADMIN: frozenset(Permission),
    DISPLAY: frozenset({Permission.PRESENT}),
})

# When an OpenID Connect user has several mapped roles, the one that may do most wins.
ROLE_RANK = MappingProxyType({DISPLAY: 0, VIEWER: 1, CONTRIBUTOR: 2, ADMIN: 3})


def may(role: str | None, permission: Permission | str) -> bool:
    return role in ROLE_PERMISSIONS and Permission(permission) in ROLE_PERMISSIONS[role]


def highest_role(roles: Iterable[str]) -> str | None:
    known = [role for role in roles if role in ROLE_RANK]
    return max(known, key=ROLE_RANK.__getitem__) if known else None


def role_problem(role: str | None) -> str | None:
    """What is wrong with a role name, or None when it is one of ROLES."""
    if role in ROLES:
        return None
    return f"'{role}' is not a role: use one of {', '.join(ROLES)}."


def password_problem(password: str | None) -> str | None:
    """What is wrong with a new password, or None. Length only: no composition rules."""
    length = len(password or "")
    if length < MIN_PASSWORD_LENGTH:
        return (f"The password has {length} characters: use at least {MIN_PASSWORD_LENGTH} "
                "(three random words make a good one).")
    if length > MAX_PASSWORD_LENGTH:
        return f"The password is longer than {MAX_PASSWORD_LENGTH} characters."
    return None


def name_problem(name: str | None) -> str | None:
    """What is wrong with a user or token name, or None."""
    text = (name or "").strip()
    if not text:
        return "Give a name."
    if len(text) > MAX_NAME_LENGTH:
        return f"The name is longer than {MAX_NAME_LENGTH} characters."
    if any(ord(c) < 32 for c in text):
        return "The name has a control character in it."
    return None


# Sign-in throttling: after this many failures for one name, or from one address, within the
# window, further tries are refused until the oldest failure leaves the window.
SIGN_IN_FAILURE_LIMIT = 10
SIGN_IN_FAILURE_WINDOW_SECONDS = 15 * 60


def role_from_claim(claim, role_map: Iterable[tuple[str, str]] = ()) -> str | None:
    """The role an OpenID Connect user gets: each value of the role claim (a list, or one
    string) mapped through `role_map` (claim value -> role; empty: the role names themselves),
    the highest winning; None when no value maps to a role."""
    values = [claim] if isinstance(claim, str) else list(claim or ()) if isinstance(
        claim, (list, tuple)) else []
    mapping = dict(role_map) or {role: role for role in ROLES}
    return highest_role(mapping.get(str(value)) for value in values)


def parse_role_map(text: str | None) -> tuple[tuple[str, str], ...]:
    """`OIDC_ROLE_MAP`: "claim value=role" pairs separated by commas, e.g.
    "Dashboard.Admin=admin,Dashboard.Viewer=viewer". Raises ValueError naming a bad pair."""
    pairs = []
    for item in (text or "").split(","):
        if not item.strip():
            continue
        value, equals, role = item.rpartition("=")
        if not equals or not value.strip() or role.strip() not in ROLES:
            raise ValueError(f"OIDC_ROLE_MAP: {item.strip()!r} is not 'claim value=role' with "
                             f"a role from {', '.join(ROLES)}")
        pairs.append((value.strip(), role.strip()))
    return tuple(pairs)
