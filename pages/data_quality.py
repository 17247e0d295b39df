"""`/data-quality`: what the plan register's integrity rules found, and rows the data refused."""

from __future__ import annotations

import dash
from dash import html

from runtime.context import current_dataset
from components import ids
from components.downloads import download_links
from components.tables import data_table
from domain.rules.failures import failures_frame
from domain.rules.integrity import RULES, findings_frame
from domain.rules.access import Permission

dash.register_page(__name__, path="/data-quality", name="Data quality",
                   title="Data quality - Improvement plan",
                   access=Permission.READ)


def layout(**_query):
    dataset = current_dataset()
    findings = findings_frame(dataset.findings)
    rules = {rule.code: rule.description for rule in RULES}
    return html.Div([
        html.H1("Data quality"),
        html.P("The plan register is checked against rules every time it loads. Findings are "
               "flagged for the performance team to confirm, or to correct in the plan and "
               "import it again on the plans page; they are never silently fixed."),
        html.H2("Plan register findings"),
        html.P(f"{len(findings)} findings from {len(rules)} rules.", id=ids.FINDINGS_COUNT),
        download_links("findings", None, "the plan register findings"),
        data_table(findings, "Plan register findings", ids.FINDINGS_TABLE)
        if len(findings) else html.P("No findings."),
        html.H2("Rules"),
        html.Ul([html.Li([html.Code(code), f": {text}"]) for code, text in rules.items()],
                id=ids.RULE_LIST),
        html.H2("Rows refused when loading the data"),
        data_table(failures_frame(dataset.load_failures), "Rows refused when loading",
                   ids.LOAD_FAILURES_TABLE)
        if dataset.load_failures else html.P("None: every row of the loaded data passed "
                                             "validation.", id=ids.LOAD_FAILURES_NONE),
    ])
