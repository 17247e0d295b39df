"""The page a path template shows for a ref the plan does not have (`/kpi/99z`, `/theme/9`): it
says so in its title and heading (WCAG 2.4.2) and lists what the plan does have."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html


def title(noun: str, found: str | None) -> str:
    """The page's title: `KPI 17a - Improvement plan`, or `KPI not found - ...`."""
    return f"{found or noun + ' not found'} - Improvement plan"


def not_found(noun: str, asked, choices: Sequence[tuple[str, str]], heading_id: str | None = None,
              list_class: str | None = None) -> html.Div:
    """`choices`: (words, href) of each thing the plan has."""
    heading = {"id": heading_id} if heading_id else {}
    return html.Div([
        html.H1(f"{noun} not found", **heading),
        html.P(f"The plan has no {noun if noun.isupper() else noun.lower()} '{asked}'. "
               "Choose one of these:"),
        html.Ul([html.Li(dcc.Link(words, href=href)) for words, href in choices],
                className=list_class),
    ])
