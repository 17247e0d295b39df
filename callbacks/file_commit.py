"""The two callbacks of a page where a file is dropped, checked, then stored with a button: /upload
(returns) and /plans (a plan). The check shows the report and enables the button only for a file
that can be stored; the button stores the file, checked again on the server, and bumps the page's
history version so the history redraws."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dash import Input, Output, State, no_update

from callbacks.access import protected_callback
from domain.rules.access import Permission


@dataclass(frozen=True)
class FileCommitIds:
    file: str  # the dcc.Upload
    report: str  # where the check's report goes
    button: str  # Commit / Import
    result: str  # the button's message
    version: str  # the history's dcc.Store, bumped when something was stored


def register_check_and_commit(page_module: str, permission: Permission, ids: FileCommitIds,
                              report_view: Callable, commit_view: Callable) -> None:
    """Register the page's `_check` and `_commit` callbacks (named as the page's own, for the
    role matrix): `report_view(contents, name) -> (blocks, button disabled)` and
    `commit_view(contents, name) -> (message, stored)`."""

    def _check(contents, filename):
        blocks, disabled = report_view(contents, filename)
        return blocks, disabled, []

    def _commit(n_clicks, contents, filename, version):
        if not n_clicks:
            return no_update, no_update, no_update
        result, changed = commit_view(contents, filename)
        if not changed:
            return result, no_update, no_update
        # Stored: the same file again would change nothing, so the button waits for a new file.
        return result, (version or 0) + 1, True

    for function in (_check, _commit):
        function.__module__ = page_module
        function.__qualname__ = function.__name__
    protected_callback(permission,
                       Output(ids.report, "children"), Output(ids.button, "disabled"),
                       Output(ids.result, "children"),
                       Input(ids.file, "contents"), State(ids.file, "filename"),
                       prevent_initial_call=True)(_check)
    protected_callback(permission,
                       Output(ids.result, "children", allow_duplicate=True),
                       Output(ids.version, "data"),
                       Output(ids.button, "disabled", allow_duplicate=True),
                       Input(ids.button, "n_clicks"),
                       State(ids.file, "contents"), State(ids.file, "filename"),
                       State(ids.version, "data"),
                       prevent_initial_call=True)(_commit)
