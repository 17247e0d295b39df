"""The admin pages that list things an admin makes and ends (users, API tokens, display links):
one layout and one set of three callbacks for all of them. A form's button creates or saves
(`submit_view(*form values) -> (message, changed)`), a button on each row acts on that row
(`row_view(index) -> (message, changed)`), and the list redraws whenever either changed
something. Every callback needs Permission.MANAGE, checked on the server."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from callbacks.access import protected_callback
from components.admin import admin_nav
from domain.rules.access import Permission


@dataclass(frozen=True)
class AdminListPage:
    title: str  # the page's heading
    path: str  # for the admin navigation's current link
    intro: str | None  # a paragraph under the heading
    form: Callable[[], html.Div]
    listing_title: str
    list_view: Callable[[], object]
    submit_view: Callable[..., tuple]
    row_view: Callable[[object], tuple]
    # Component ids (components/ids.py).
    version_id: str
    list_id: str
    result_id: str
    submit_id: str
    field_ids: Sequence[str]  # the form's inputs, in submit_view's order
    row_button_type: str  # the pattern-matching type of each row's button
    cleared_id: str | None = None  # an input emptied after every submit (a password)


def admin_list_layout(page: AdminListPage) -> html.Div:
    return html.Div([
        html.H1(page.title),
        admin_nav(page.path),
        html.P(page.intro) if page.intro else None,
        page.form(),
        html.H2(page.listing_title),
        dcc.Store(id=page.version_id, data=0),
        html.Div(page.list_view(), id=page.list_id),
    ], className="admin-page")


def register_admin_list(page_module: str, page: AdminListPage) -> None:
    """Register the page's `_submit`, `_row` and `_list` callbacks (named as the page's own,
    for the role matrix)."""
    cleared = (Output(page.cleared_id, "value"),) if page.cleared_id else ()

    def _submit(n_clicks, *values):
        *fields, version = values
        if not n_clicks:
            return (no_update, no_update) + (no_update,) * len(cleared)
        result, changed = page.submit_view(*fields)
        return (result, (version or 0) + 1 if changed else no_update) + ("",) * len(cleared)

    def _row(_clicks, version):
        if not ctx.triggered_id or not ctx.triggered or not ctx.triggered[0]["value"]:
            return no_update, no_update
        result, changed = page.row_view(ctx.triggered_id["index"])
        return result, (version or 0) + 1 if changed else no_update

    def _list(_version):
        return page.list_view()

    for function in (_submit, _row, _list):
        function.__module__ = page_module
        function.__qualname__ = function.__name__
    protected_callback(Permission.MANAGE,
                       Output(page.result_id, "children"), Output(page.version_id, "data"),
                       *cleared, Input(page.submit_id, "n_clicks"),
                       *(State(field, "value") for field in page.field_ids),
                       State(page.version_id, "data"), prevent_initial_call=True)(_submit)
    protected_callback(Permission.MANAGE,
                       Output(page.result_id, "children", allow_duplicate=True),
                       Output(page.version_id, "data", allow_duplicate=True),
                       Input({"type": page.row_button_type, "index": ALL}, "n_clicks"),
                       State(page.version_id, "data"), prevent_initial_call=True)(_row)
    protected_callback(Permission.MANAGE,
                       Output(page.list_id, "children"), Input(page.version_id, "data"),
                       prevent_initial_call=True)(_list)
