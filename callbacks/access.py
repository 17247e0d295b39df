"""`protected_callback`: every server-side Dash callback is registered through it, naming the
permission it needs (domain/rules/access.py). The check runs on the server on every call, whatever
the browser shows; runtime/gate.py checks the same decision before Dash dispatches, and refuses a
callback that has none.
"""

from __future__ import annotations

import functools

import dash

from domain.rules.access import Permission
from runtime.auth import require


def protected_callback(permission: Permission | str, *args, **kwargs):
    """`dash.callback(*args, **kwargs)` whose function first checks `permission`."""
    permission = Permission(permission)

    def decorate(function):
        @functools.wraps(function)
        def guarded(*call_args, **call_kwargs):
            require(permission)
            return function(*call_args, **call_kwargs)

        guarded.access = permission  # read by the gate and the role-matrix test
        return dash.callback(*args, **kwargs)(guarded)

    return decorate
