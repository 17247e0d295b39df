"""`/accessibility`: the accessibility statement (GOV.UK model form)."""

from __future__ import annotations

import dash
from dash import html

from components.statement import statement_body
from domain.ingest.statement import load_statement
from domain.rules.access import Permission

dash.register_page(__name__, path="/accessibility", name="Accessibility statement",
                   title="Accessibility statement - Improvement plan",
                   access=Permission.PRESENT)


def layout(**_query):
    return html.Div(statement_body(load_statement()), className="statement")
