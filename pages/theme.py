"""`/theme/<n>`: one theme's outcome: the statement, its rating now and over the quarters (the
suggestion and the board's), every board rating recorded, and the theme's KPIs and actions."""

from __future__ import annotations

import dash
from dash import dcc, html

from components import ids
from domain.rules.access import Permission
from components.outcomes import changes_table, history_table, outcome_header
from components.status import status_badge
from components.tables import rows_table
from components.tiles import kpi_tile
from components.not_found import not_found, title
from domain.rules.dataset import asat_with_fallback
from domain.views.outcomes import board_changes, outcomes_by_theme, rating_history
from domain.views.overview import overview_view
from runtime.context import current_dataset, current_ratings


def _theme_of(n) -> int | None:
    plan = current_dataset().plan
    text = str(n or "").strip()
    return int(text) if text.isdigit() and plan.theme(int(text)) else None


def _title(n=None, **_):
    number = _theme_of(n)
    return title("Theme", f"Theme {number}" if number is not None else None)


dash.register_page(__name__, path_template="/theme/<n>", name="Theme", title=_title,
                   access=Permission.READ)


def _not_found(dataset, n) -> html.Div:
    return not_found("Theme", n, [(f"Theme {t.number}: {t.title}", f"/theme/{t.number}")
                                  for t in dataset.plan.themes], heading_id=ids.THEME_PAGE_TITLE)


def layout(n=None, asat=None, **_query):
    dataset = current_dataset()
    number = _theme_of(n)
    if number is None:
        return _not_found(dataset, n)
    theme = dataset.plan.theme(number)
    period, asat_error = asat_with_fallback(dataset, asat)
    ratings = current_ratings().ratings()
    outcome = outcomes_by_theme(dataset, period, ratings)[number]
    view = overview_view(dataset, period.slug, (str(number),))
    tiles = [tile for _theme, section in view.sections for tile in section]
    actions = dataset.action_statuses(period)
    rows = [(a.ref, a.heading, "; ".join(a.leads), a.due_label,
             status_badge(actions[a.ref].status), actions[a.ref].reason)
            for a in dataset.plan.actions if a.theme == number]
    back = f"/?asat={period.slug}" if asat else "/"
    return html.Div([
        html.Nav(dcc.Link("\u2190 Back to the overview", href=back),
                 **{"aria-label": "Breadcrumb"}, className="breadcrumb-nav"),
        html.H1(f"Theme {number}: {theme.title}", id=ids.THEME_PAGE_TITLE),
        html.Div(asat_error, className="alert alert-warning", role="alert")
        if asat_error else None,
        html.P(["Aim: ", theme.aim], className="theme-aim"),
        html.H2(f"Outcome rating as at {period.label}"),
        outcome_header(outcome, ids.THEME_PAGE_OUTCOME, link=False, statement_open=True),
        html.H2("Rating over the quarters"),
        history_table(rating_history(dataset, number, ratings), ids.THEME_PAGE_HISTORY),
        html.H2("Board ratings recorded"),
        changes_table(board_changes(ratings, number), ids.THEME_PAGE_BOARD_CHANGES),
        html.H2("KPIs"),
        html.Ul([kpi_tile(tile, period.slug) for tile in tiles], className="tile-grid",
                id=ids.THEME_PAGE_KPIS) if tiles else html.P("This theme has no KPIs.",
                                                             id=ids.THEME_PAGE_KPIS),
        html.H2("Actions"),
        rows_table(("Action", "Heading", "Lead", "Due", "Status", "Reason"), rows,
                   f"Theme {number} actions as at {period.label}", ids.THEME_PAGE_ACTIONS)
        if rows else html.P("This theme has no actions.", id=ids.THEME_PAGE_ACTIONS),
    ])
