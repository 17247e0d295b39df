"""Who may do what: the one place the plans' admin-only routes and callbacks ask (issue 13).

TODO(issue 12): sign-in and the roles viewer, contributor, admin and display land in issue 12.
Until then `role_refusal` allows everyone and `signed_in_name` knows no one, so the pages ask for
a name as /upload does. Wire both to the real session here, and nothing else needs to change:
every admin-only route is wrapped in `require_role(ADMIN)` and every admin-only Dash callback
asks `role_refusal(ADMIN)` (each marked `# role: admin`; the routes are listed in
routes/plans_api.py ADMIN_ONLY).
"""

from __future__ import annotations

import functools

from flask import jsonify

ADMIN = "admin"


def role_refusal(role: str) -> str | None:
    """Why the person making this request may not do what needs `role`; None when they may.
    TODO(issue 12): check the signed-in person's role; until sign-in exists, everyone may."""
    del role
    return None


def signed_in_name() -> str | None:
    """The signed-in person's name for the history. TODO(issue 12): from the session."""
    return None


def require_role(role: str):
    """A Flask view decorator: 403 with `{"error": ...}` unless `role_refusal(role)` allows."""
    def wrap(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            refusal = role_refusal(role)
            if refusal is not None:
                return jsonify({"error": refusal}), 403
            return view(*args, **kwargs)
        return checked
    return wrap
