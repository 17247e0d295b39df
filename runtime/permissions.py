"""Who may use a route or callback: the role each state-changing one needs, declared where it is
defined (`@requires("admin")`), so the sign-in gate (issue 12) can decide on the server.

Until sign-in is wired in, `requires` only records the role on the function (`required_role`); the
gate reads it. Roles, least to most: display < viewer < contributor < admin.
"""

from __future__ import annotations

from collections.abc import Callable

ROLES = ("display", "viewer", "contributor", "admin")


def requires(role: str) -> Callable:
    """Mark a Flask view or callback function as needing `role` (or a higher one)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: one of {', '.join(ROLES)}")

    def mark(function: Callable) -> Callable:
        function.required_role = role
        return function

    return mark
