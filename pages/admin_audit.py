"""`/admin/audit`: the audit log, newest first (the same as `GET /api/audit`)."""

from __future__ import annotations

import dash
from dash import html

from callbacks.admin import AUDIT_SHOWN, audit_view
from components.admin import admin_nav
from domain.rules.access import Permission

dash.register_page(__name__, path="/admin/audit", name="Audit log",
                   title="Audit log - Improvement plan", access=Permission.MANAGE)


def layout(**_query):
    return html.Div([
        html.H1("Audit log"),
        admin_nav("/admin/audit"),
        html.P(["Sign-ins, failed sign-ins, sign-outs, uploads, undo and redo, and changes to "
                f"users, tokens and display links. The newest {AUDIT_SHOWN} are shown; all of "
                "it is at ", html.Code("GET /api/audit?since=&limit="), ". The dashboard only "
                "ever adds to this log."]),
        audit_view(),
    ], className="admin-page")
