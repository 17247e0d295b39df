"""Accessible HTML tables: a caption, header cells with scope, and nothing but text inside."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from dash import html


def data_table(frame: pd.DataFrame, caption: str, table_id: str,
               formatters: dict[str, Callable] | None = None) -> html.Div:
    """A scrollable, keyboard-reachable table of `frame` (tabIndex so it can be scrolled by
    keyboard when it overflows at 400% zoom)."""
    formatters = formatters or {}

    def cell(column, value):
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        return formatters[column](value) if column in formatters else str(value)

    return html.Div(html.Table([
        html.Caption(caption),
        html.Thead(html.Tr([html.Th(str(c), scope="col") for c in frame.columns])),
        html.Tbody([
            html.Tr([html.Td(cell(c, v)) for c, v in zip(frame.columns, row)])
            for row in frame.itertuples(index=False, name=None)
        ]),
    ], className="table table-sm table-striped", id=table_id),
        className="table-responsive", tabIndex="0", role="region",
        **{"aria-label": caption})


def rows_table(header: Sequence[str], rows: Sequence[Sequence], caption: str,
               table_id: str) -> html.Div:
    """A table whose cells may be components (badges, links)."""
    return html.Div(html.Table([
        html.Caption(caption),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
        html.Tbody([html.Tr([html.Td(c) for c in row]) for row in rows]),
    ], className="table table-sm align-middle", id=table_id),
        className="table-responsive", tabIndex="0", role="region",
        **{"aria-label": caption})
